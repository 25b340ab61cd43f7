//! The configured courts, and the callback on which a court answers an application: accepted,
//! confirmed (with its 调确字 case number) or dismissed (with its reason; CPL 205-206).

use super::auth::Auth;
use super::error::{ApiError, ApiResult};
use super::extract::{parse_json, ApiPath};
use super::AppState;
use crate::court::callback::{authentic, freshness, NotFresh, COURT_SIGNATURE};
use crate::domain::confirmation::{AnswerEffect, CourtAnswer};
use crate::domain::optional_text;
use crate::domain::permissions::Actor;
use crate::store::court_answers::{AnswerNotRecorded, AnswerReceived};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CourtView {
    id: String,
    name: String,
    /// The bundle is POSTed to the court; otherwise it is downloaded and handed over.
    delivers: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CourtsView {
    /// False: no court is configured, and judicial confirmation cannot be applied for here.
    configured: bool,
    courts: Vec<CourtView>,
}

/// The courts an application may name. Never their keys or secrets.
#[utoipa::path(
    get, path = "/api/courts", tag = "confirmation",
    responses((status = 200, body = CourtsView), (status = 401, body = super::error::ErrorBody))
)]
pub(super) async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<CourtsView>> {
    if !matches!(auth.actor, Actor::Staff(_)) {
        return Err(ApiError::forbidden());
    }
    let courts = &state.config().courts.0;
    Ok(Json(CourtsView {
        configured: !courts.is_empty(),
        courts: courts
            .iter()
            .map(|c| CourtView {
                id: c.id.clone(),
                name: c.name.clone(),
                delivers: c.endpoint.is_some(),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CourtCallback {
    /// The SHA-256 of the bundle answered about: the Idempotency-Key it was delivered with.
    bundle_sha256: String,
    answer: CourtAnswer,
    /// The court's 调确字 case number: required with `confirmed`.
    case_number: Option<String>,
    /// Why it dismissed: required with `dismissed`.
    reason: Option<String>,
    /// When the court signed this callback (RFC 3339): it must be within five minutes of the
    /// server's time.
    issued_at: String,
    /// 16 to 128 letters, digits, '-' or '_', new for every callback: the server refuses a
    /// nonce it has seen from this court.
    nonce: String,
}

/// A court's answer. The body must carry the court's signature in `X-Court-Signature`
/// (base64url; Ed25519 with its configured public key, or HMAC-SHA256 under the shared
/// secret), over the exact bytes sent, and its `issued_at` and `nonce` make each callback
/// usable once: a stale or replayed one is refused and records nothing. The same answer sent
/// again in a new callback is harmless.
#[utoipa::path(
    post, path = "/api/courts/{court_id}/callback", tag = "confirmation",
    params(("court_id" = String, Path)), request_body = CourtCallback,
    responses(
        (status = 204, description = "Recorded (or a repeat of an answer recorded before)"),
        (status = 401, description = "Not signed by this court, or signed too long ago (`stale_callback`)", body = super::error::ErrorBody),
        (status = 404, description = "No such bundle from this court", body = super::error::ErrorBody),
        (status = 409, description = "A replay (`replayed_callback`), or contradicts a decision already recorded", body = super::error::ErrorBody),
        (status = 422, description = "Not an answer, or a member named twice (`duplicate_member`)", body = super::error::ErrorBody),
    )
)]
pub(super) async fn callback(
    State(state): State<AppState>,
    ApiPath(court_id): ApiPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let signature = headers
        .get(COURT_SIGNATURE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let court = state.config().courts.find(&court_id);
    if !court.is_some_and(|court| authentic(court, &body, signature)) {
        tracing::warn!(court = %court_id, "a court callback with a bad signature was refused");
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            "the callback is not signed by this court",
        ));
    }
    let answer: CourtCallback = parse_json(&body)?;
    let fresh = freshness(&answer.issued_at, &answer.nonce, state.now()).map_err(|e| match e {
        NotFresh::Stale => {
            tracing::warn!(court = %court_id, "a stale court callback was refused");
            ApiError::new(StatusCode::UNAUTHORIZED, "stale_callback", e.to_string())
        }
        NotFresh::Time => ApiError::invalid_field("issued_at", e.to_string()),
        NotFresh::Nonce => ApiError::invalid_field("nonce", e.to_string()),
    })?;
    let case_number = optional_text(answer.case_number.as_deref(), 100)
        .map_err(|_| ApiError::invalid_field("case_number", "is too long"))?;
    let reason = optional_text(answer.reason.as_deref(), 2000)
        .map_err(|_| ApiError::invalid_field("reason", "is too long"))?;
    match answer.answer {
        CourtAnswer::Confirmed if case_number.is_none() => {
            return Err(ApiError::invalid_field(
                "case_number",
                "is required with confirmed",
            ))
        }
        CourtAnswer::Dismissed if reason.is_none() => {
            return Err(ApiError::invalid_field(
                "reason",
                "is required with dismissed",
            ))
        }
        _ => {}
    }
    let received = AnswerReceived {
        court_id: &court_id,
        bundle_sha256: &answer.bundle_sha256,
        answer: answer.answer,
        court_case_number: case_number.as_deref(),
        reason: reason.as_deref(),
        nonce: &fresh.nonce,
        issued_at: fresh.issued_at,
    };
    let effect = state
        .db()
        .court_answered(received, state.now())
        .await?
        .map_err(|refused| match refused {
            AnswerNotRecorded::Replayed => {
                tracing::warn!(court = %court_id, "a replayed court callback was refused");
                ApiError::conflict("replayed_callback", refused.to_string())
            }
            AnswerNotRecorded::Refused(_) => {
                ApiError::conflict("answer_refused", refused.to_string())
            }
        })?;
    if effect != AnswerEffect::Repeat {
        tracing::info!(court = %court_id, answer = %answer.answer, "a court answered");
    }
    Ok(StatusCode::NO_CONTENT)
}
