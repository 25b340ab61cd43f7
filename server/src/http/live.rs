//! The door to a live session: `GET /api/cases/{case_id}/live`, upgraded to a WebSocket that
//! speaks `accord.v1`. Everything about who may come in is decided here, before the upgrade;
//! the session itself then decides whether they wait, enter, or were turned away before.

use super::auth::Auth;
use super::error::{ApiError, ApiResult};
use super::extract::ApiPath;
use super::AppState;
use crate::domain::ids::CaseId;
use crate::domain::permissions::Actor;
use crate::domain::FieldError;
use crate::live::authority::{self, Credential, Lost, Stage};
use crate::live::protocol::{GoodbyeReason, ServerMessage, SUBPROTOCOL};
use crate::live::JoinError;
use crate::signalling::{self, MAX_MESSAGE_BYTES};
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;

/// Joins the case's live session over a WebSocket (subprotocol `accord.v1`). Staff must be
/// assigned to the case; a participant may join their own case only, and waits until a
/// mediator admits them.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/live", tag = "live",
    params(("case_id" = Uuid, Path)),
    responses(
        (status = 101, description = "Switching to the accord.v1 WebSocket protocol"),
        (status = 400, description = "`subprotocol_required`", body = super::error::ErrorBody),
        (status = 401, body = super::error::ErrorBody),
        (status = 403, body = super::error::ErrorBody),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, description = "`case_not_in_mediation`, or `consents_missing` (each missing kind in `details`)", body = super::error::ErrorBody),
        (status = 426, description = "`upgrade_required`: not a WebSocket request", body = super::error::ErrorBody),
    )
)]
pub(super) async fn join(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    // Cookies ride along on a cross-site WebSocket too: the Origin check is what stops another
    // site from opening a session in a signed-in browser.
    super::same_origin(&state, &headers)?;
    let credential = match auth.actor {
        Actor::Staff(_) => Credential::Staff(auth.token_hash()),
        Actor::Participant(_) => Credential::Participant(auth.token_hash()),
    };
    let staff_sessions = state.live().config().staff_sessions;
    let verdict = authority::check(
        state.db(),
        staff_sessions,
        state.now(),
        case_id,
        &credential,
        Stage::Entering,
    )
    .await?;
    let member = verdict.map_err(refusal)?;
    let joiner = authority::joiner(state.db(), case_id, member, credential).await?;
    let upgrade = upgrade.map_err(|_| {
        ApiError::new(
            StatusCode::UPGRADE_REQUIRED,
            "upgrade_required",
            "open this as a WebSocket with the accord.v1 subprotocol",
        )
    })?;
    let offered = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim() == SUBPROTOCOL);
    if !offered {
        return Err(ApiError::bad_request(
            "subprotocol_required",
            "offer the accord.v1 WebSocket subprotocol",
        ));
    }
    let live = state.live().clone();
    Ok(upgrade
        .protocols([SUBPROTOCOL])
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            match live.connect(case_id, joiner).await {
                Ok(connection) => signalling::serve(socket, connection).await,
                Err(refused) => turn_away(socket, refused).await,
            }
        }))
}

/// The door's answer to someone who may not come in, in the API's usual errors.
fn refusal(lost: Lost) -> ApiError {
    match lost {
        Lost::SignedOut => ApiError::unauthenticated(),
        Lost::NotPermitted(denied) => denied.into(),
        Lost::ConsentsMissing(missing) => {
            let details = missing
                .iter()
                .map(|kind| FieldError::new(kind.as_str(), "consent needed before joining"))
                .collect();
            ApiError::conflict(
                "consents_missing",
                "give the required consents before joining the session",
            )
            .with_details(details)
        }
        Lost::CaseClosed(status) => ApiError::conflict(
            "case_not_in_mediation",
            format!("a case that is {status} has no live session"),
        ),
    }
}

/// Someone the session will not take (denied or removed earlier, or a failure): say why, close.
async fn turn_away(mut socket: WebSocket, refused: JoinError) {
    let (reason, code) = match &refused {
        JoinError::Refused(crate::domain::live::Refusal::Denied) => (GoodbyeReason::Denied, 4403),
        JoinError::Refused(crate::domain::live::Refusal::Removed) => (GoodbyeReason::Removed, 4403),
        // Like HTTP's 423 Locked: not now, perhaps later.
        JoinError::Refused(crate::domain::live::Refusal::Locked) => (GoodbyeReason::Locked, 4423),
        JoinError::Refused(_) => (GoodbyeReason::Ended, 4410),
        // A right taken away while the door was letting them through.
        JoinError::Unauthorized(_) => (GoodbyeReason::Revoked, 4401),
        JoinError::Internal => (GoodbyeReason::Ended, 1011),
    };
    let cause = match &refused {
        JoinError::Unauthorized(lost) => Some(lost.cause()),
        _ => None,
    };
    let goodbye = ServerMessage::Goodbye {
        reason,
        message: refused.to_string(),
        cause,
    };
    let text = serde_json::to_string(&goodbye).unwrap_or_default();
    let _ = socket.send(Message::Text(text.into())).await;
    let frame = CloseFrame {
        code,
        reason: "goodbye".into(),
    };
    let _ = socket.send(Message::Close(Some(frame))).await;
}
