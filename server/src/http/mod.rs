//! The HTTP edge: the JSON API under `/api`, the operations endpoints, and the web client.
//!
//! Every API handler names who may call it through an `Auth` extractor and a check in
//! `domain::permissions`; the router adds request tracing, metrics, a body limit, an Origin
//! check on state changes, and security headers around all of them.

mod agenda;
mod agreement;
mod agreement_files;
mod attendance;
mod auth;
mod cases;
mod confirmation;
mod confirmation_bundle;
mod confirmation_party;
mod consents;
mod courts;
mod dossier;
mod error;
mod extract;
mod files;
mod follow_up;
mod invitations;
mod join;
mod limits;
mod live;
mod lockout;
mod metrics;
mod notes;
mod openapi;
mod ops;
mod paper_signing;
mod participants;
mod screenings;
mod serve;
mod setup;
mod signing;
mod signing_authority;
mod static_files;
mod statistics;
mod supervision;
mod supervision_auth;
mod termination;
mod users;
mod views;

pub use auth::{CSRF_HEADER, PARTICIPANT_COOKIE, STAFF_COOKIE};
pub use error::ErrorBody;
pub use metrics::HttpMetrics;
pub use serve::{serve, ConnectionLimits};

use limits::Limits;

use crate::app::{Clock, Config};
use crate::domain::Timestamp;
use crate::live::LiveRegistry;
use crate::store::Db;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Request bodies above this are refused with 413: no API body needs more.
const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// What every handler shares. Cloning is cheap.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    db: Db,
    config: Config,
    clock: Clock,
    live: LiveRegistry,
    registry: Registry,
    metrics: HttpMetrics,
    limits: Limits,
    lockout: lockout::Lockout,
    openapi_json: String,
    court_wakeup: Arc<Notify>,
}

/// Everything the HTTP edge is built from.
#[derive(Debug)]
pub struct Parts {
    pub db: Db,
    pub config: Config,
    pub clock: Clock,
    pub live: LiveRegistry,
    /// The Prometheus registry, with every figure of the server registered.
    pub registry: Registry,
    pub metrics: HttpMetrics,
    /// Wakes the court delivery worker when an application is filed.
    pub court_wakeup: Arc<Notify>,
}

impl AppState {
    pub fn db(&self) -> &Db {
        &self.0.db
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn now(&self) -> Timestamp {
        self.0.clock.now()
    }

    fn metrics(&self) -> &HttpMetrics {
        &self.0.metrics
    }

    fn registry(&self) -> &Registry {
        &self.0.registry
    }

    pub fn live(&self) -> &LiveRegistry {
        &self.0.live
    }

    fn limits(&self) -> &Limits {
        &self.0.limits
    }

    fn lockout(&self) -> &lockout::Lockout {
        &self.0.lockout
    }

    /// Periodic upkeep: forgets rate-limit and login-backoff state of addresses that have gone
    /// quiet.
    pub fn housekeeping(&self) {
        self.limits().forget_idle();
        self.lockout().forget_idle(self.now());
    }

    fn court_wakeup(&self) -> &Notify {
        &self.0.court_wakeup
    }

    fn openapi_json(&self) -> &str {
        &self.0.openapi_json
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Accord",
        description = "Remote people's mediation. Staff sign in with a session cookie; participants \
            redeem an invitation link. State-changing requests carry X-CSRF-Token (from /api/auth/me). \
            Every error has the body ErrorBody."
    ),
    // Types that operations name only as path or query parameters: utoipa refers to them
    // without collecting them.
    components(schemas(ErrorBody, crate::domain::agenda::AgendaStep, statistics::Format)),
    tags(
        (name = "auth", description = "Sign-in, sign-out, first-run setup"),
        (name = "cases", description = "Cases, for the committee's staff"),
        (name = "participants", description = "Parties and other participants"),
        (name = "invitations", description = "Invitation links"),
        (name = "users", description = "Staff accounts, for committee admins"),
        (name = "agreement", description = "The mediation agreement: drafting, signing, sealing"),
        (name = "live", description = "Live sessions: the accord.v1 WebSocket"),
        (name = "confirmation", description = "Judicial confirmation: the joint application, the bundle, the court's answers"),
        (name = "record", description = "The record of a mediation: agenda, the mediator's notes, termination"),
        (name = "supervision", description = "Supervisors of a region's committees: figures and case progress, read-only"),
        (name = "operations", description = "Health, readiness, metrics"),
    )
)]
struct ApiDoc;

/// The API routes, each registered with its OpenAPI description, so that the document is
/// generated from the same list the router is.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics))
        .routes(routes!(setup::complete))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(cases::list, cases::register))
        .routes(routes!(cases::get, cases::edit))
        .routes(routes!(cases::transition))
        .routes(routes!(cases::assign_mediators))
        .routes(routes!(cases::events))
        .routes(routes!(cases::difficulty))
        .routes(routes!(cases::prevention))
        .routes(routes!(dossier::get))
        .routes(routes!(dossier::export))
        .routes(routes!(dossier::search))
        .routes(routes!(participants::list, participants::add))
        .routes(routes!(participants::edit, participants::remove))
        .routes(routes!(invitations::issue))
        .routes(routes!(invitations::list))
        .routes(routes!(invitations::revoke))
        .routes(routes!(invitations::reissue))
        .routes(routes!(join::redeem))
        .routes(routes!(join::my_case))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::disable))
        .routes(routes!(live::join))
        .routes(routes!(consents::mine, consents::give))
        .routes(routes!(consents::withdraw))
        .routes(routes!(consents::of_case))
        .routes(routes!(consents::recording))
        .routes(routes!(follow_up::of_case))
        .routes(routes!(follow_up::record))
        .routes(routes!(follow_up::due))
        .routes(routes!(statistics::get))
        .routes(routes!(screenings::list, screenings::record))
        .routes(routes!(supervision_auth::login))
        .routes(routes!(supervision_auth::logout))
        .routes(routes!(supervision_auth::me))
        .routes(routes!(supervision::committees))
        .routes(routes!(supervision::statistics))
        .routes(routes!(supervision::cases))
        .routes(routes!(attendance::mine))
        .routes(routes!(attendance::give))
        .routes(routes!(attendance::withdraw))
        .routes(routes!(signing::current))
        .routes(routes!(agreement::versions, agreement::draft))
        .routes(routes!(agreement::finalise))
        .routes(routes!(agreement::comment))
        .routes(routes!(signing::register_key))
        .routes(routes!(signing::verify_identity))
        .routes(routes!(signing_authority::record))
        .routes(routes!(signing::sign))
        .routes(routes!(paper_signing::record))
        .routes(routes!(agreement_files::package))
        .routes(routes!(agreement_files::document))
        .routes(routes!(agreement_files::seal_key))
        .routes(routes!(agenda::get, agenda::add))
        .routes(routes!(agenda::edit, agenda::delete))
        .routes(routes!(agenda::reorder))
        .routes(routes!(agenda::step))
        .routes(routes!(agenda::mine))
        .routes(routes!(notes::sittings))
        .routes(routes!(notes::history, notes::save))
        .routes(routes!(termination::get, termination::terminate))
        .routes(routes!(termination::mine))
        .routes(routes!(confirmation::get, confirmation::prepare))
        .routes(routes!(confirmation::file))
        .routes(routes!(confirmation::bundle))
        .routes(routes!(confirmation_party::mine))
        .routes(routes!(confirmation_party::consent))
        .routes(routes!(courts::list))
        .routes(routes!(courts::callback))
}

/// The OpenAPI document of the API, as JSON.
pub fn openapi_document() -> String {
    let (_, mut api) = api_routes().split_for_parts();
    openapi::complete(&mut api);
    api.to_pretty_json().unwrap_or_default()
}

pub fn router(parts: Parts) -> (Router, AppState) {
    let (api, mut doc) = api_routes().split_for_parts();
    openapi::complete(&mut doc);
    let config = parts.config;
    let limits = Limits::new(config.login_rate_per_minute, config.redeem_rate_per_minute);
    let state = AppState(Arc::new(Shared {
        db: parts.db,
        config,
        clock: parts.clock,
        live: parts.live,
        registry: parts.registry,
        metrics: parts.metrics,
        limits,
        lockout: lockout::Lockout::default(),
        openapi_json: doc.to_pretty_json().unwrap_or_default(),
        court_wakeup: parts.court_wakeup,
    }));
    let router = api
        .route("/api/openapi.json", axum::routing::get(ops::openapi))
        .fallback(static_files::serve)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), check_origin))
        .layer(middleware::from_fn(refuse_nul_in_uri))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            read_body_in_time,
        ))
        .layer(middleware::from_fn(security_headers))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state.clone());
    (router, state)
}

/// One span per request, with the method and the path but never the query string, where a
/// careless client might put a token. (Tokens travel in bodies, cookies and URL fragments.)
fn request_span(request: &Request) -> tracing::Span {
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
}

async fn method_not_allowed() -> Response {
    error::ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this method is not allowed here",
    )
    .into_response()
}

/// Reads the request's body whole before anything else sees it, within
/// `request_body_timeout_ms` from the end of its headers: a client that trickles a body byte by
/// byte gets 408 instead of holding a handler (and a connection) for as long as it likes.
async fn read_body_in_time(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let patience = Duration::from_millis(state.config().request_body_timeout_ms);
    let (parts, body) = request.into_parts();
    let read = tokio::time::timeout(patience, axum::body::to_bytes(body, BODY_LIMIT_BYTES)).await;
    match read {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(err)) => {
            let too_large = std::error::Error::source(&err)
                .is_some_and(|cause| cause.is::<http_body_util::LengthLimitError>());
            if too_large {
                error::ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the request body is too large",
                )
            } else {
                error::ApiError::bad_request(
                    "unreadable_body",
                    "the request body could not be read",
                )
            }
            .into_response()
        }
        Err(_) => error::ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            "the request body took too long to arrive",
        )
        .into_response(),
    }
}

/// Refuses a path or query string that spells a NUL character (`%00`): no id, name or search
/// term holds one, and PostgreSQL cannot store one. (A `%` in a URI always starts an escape, so
/// the three characters cannot be part of anything else.)
async fn refuse_nul_in_uri(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let field = if uri.path().contains("%00") {
        Some("path")
    } else if uri.query().is_some_and(|query| query.contains("%00")) {
        Some("query")
    } else {
        None
    };
    match field {
        Some(field) => error::ApiError::invalid_field(field, "must not contain a NUL character")
            .into_response(),
        None => next.run(request).await,
    }
}

/// Refuses a state-changing request whose `Origin` is not ours: a third defence against
/// cross-site requests, after SameSite cookies and the CSRF token.
async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe {
        if let Err(refused) = same_origin(&state, request.headers()) {
            return refused.into_response();
        }
    }
    next.run(request).await
}

/// Refuses a request whose `Origin` header is not the public origin (scheme, host and port of
/// public_url). Requests without one (not from a browser, or a same-origin GET) pass.
fn same_origin(state: &AppState, headers: &axum::http::HeaderMap) -> Result<(), error::ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let ours = origin
        .to_str()
        .is_ok_and(|origin| state.config().accepts_origin(origin));
    if ours {
        Ok(())
    } else {
        Err(error::ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_origin",
            "cross-origin requests are refused",
        ))
    }
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}
