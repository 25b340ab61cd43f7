//! Supervisors' sessions: their own login, cookie and `me`. A supervisor's cookie is never read
//! by the committee's or the participants' extractors, so no staff or party endpoint can be
//! reached with it; the supervision endpoints read nothing else.

use super::auth::{
    authenticate, check_csrf, clear_cookie, cookie, start_account_session, LoginRequest,
};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ClientIp};
use super::AppState;
use crate::domain::ids::SupervisorId;
use crate::domain::session::SessionPolicy;
use crate::domain::supervision::SupervisorActor;
use crate::secret::Token;
use crate::store::supervision::Supervisor;
use crate::store::users::Accounts;
use axum::extract::{FromRequestParts, State};
use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

pub(super) const SUPERVISOR_COOKIE: &str = "accord_supervisor";

/// A signed-in supervisor, from the supervisor cookie only.
#[derive(Debug)]
pub(super) struct SupervisorAuth {
    pub(super) actor: SupervisorActor,
    token: Token,
}

impl FromRequestParts<AppState> for SupervisorAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token =
            cookie(&parts.headers, SUPERVISOR_COOKIE).ok_or_else(ApiError::unauthenticated)?;
        let config = state.config();
        let policy =
            SessionPolicy::staff(config.session_idle_minutes, config.session_absolute_hours);
        let actor = state
            .db()
            .supervisor_session(&token.hash(), policy, state.now())
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        check_csrf(parts, &token)?;
        Ok(SupervisorAuth { actor, token })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SupervisorView {
    id: Uuid,
    username: String,
    display_name: String,
    /// The region followed: every committee whose region begins with it.
    region: String,
}

impl From<Supervisor> for SupervisorView {
    fn from(s: Supervisor) -> Self {
        Self {
            id: s.id.uuid(),
            username: s.username,
            display_name: s.display_name,
            region: s.region,
        }
    }
}

/// Who this browser is signed in as, for the supervision page.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SupervisorMe {
    supervisor: SupervisorView,
    /// Send back as `X-CSRF-Token` on every state-changing request.
    csrf_token: String,
}

/// Signs a supervisor in. The same backoff and per-address limits as the staff's login.
#[utoipa::path(
    post, path = "/api/supervision/login", tag = "supervision",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; sets the supervisor session cookie", body = SupervisorMe),
        (status = 401, description = "Wrong username or password", body = super::error::ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = super::error::ErrorBody),
    )
)]
pub(super) async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let id =
        SupervisorId::from_uuid(authenticate(&state, ip, &request, Accounts::Supervisors).await?);
    let (token, cookie) = start_account_session(&state, Accounts::Supervisors, id.uuid()).await?;
    let me = SupervisorMe {
        supervisor: state.db().supervisor(id).await?.into(),
        csrf_token: token.csrf(),
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

/// Signs the supervisor out on this browser.
#[utoipa::path(
    post, path = "/api/supervision/logout", tag = "supervision",
    responses(
        (status = 204, description = "Signed out; the session cookie is cleared"),
        (status = 401, body = super::error::ErrorBody),
        (status = 403, description = "Missing X-CSRF-Token", body = super::error::ErrorBody),
    )
)]
pub(super) async fn logout(
    State(state): State<AppState>,
    auth: SupervisorAuth,
) -> ApiResult<Response> {
    state
        .db()
        .end_session(Accounts::Supervisors, &auth.token.hash())
        .await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(SUPERVISOR_COOKIE))],
    )
        .into_response())
}

/// The signed-in supervisor, with the CSRF token the page must send back.
#[utoipa::path(
    get, path = "/api/supervision/me", tag = "supervision",
    responses(
        (status = 200, body = SupervisorMe),
        (status = 401, body = super::error::ErrorBody),
    )
)]
pub(super) async fn me(
    State(state): State<AppState>,
    auth: SupervisorAuth,
) -> ApiResult<Json<SupervisorMe>> {
    Ok(Json(SupervisorMe {
        supervisor: state
            .db()
            .supervisor(auth.actor.supervisor_id)
            .await?
            .into(),
        csrf_token: auth.token.csrf(),
    }))
}
