//! What a party or other participant does from their invitation link: redeem it (binding this
//! browser to them) and see their own case. They never reach the staff endpoints' data.

use super::auth::{session_cookie, ParticipantAuth, PARTICIPANT_COOKIE};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ClientIp};
use super::views::{MeResponse, OtherParticipantView, ParticipantCaseView, ParticipantSelfView};
use super::AppState;
use crate::domain::permissions::ParticipantActor;
use crate::domain::session::SessionPolicy;
use crate::secret::{Secret, Token};
use crate::store::invitations::RedeemRefused;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RedeemRequest {
    /// The token from the invitation link (the part after `#t=`).
    #[schema(value_type = String)]
    pub(super) token: Secret<String>,
}

/// Redeems an invitation: once only, before it expires, unless revoked. The browser that redeems
/// it is bound to the participant by a session cookie.
#[utoipa::path(
    post, path = "/api/invitations/redeem", tag = "participants",
    request_body = RedeemRequest,
    responses(
        (status = 200, description = "Redeemed; sets the participant cookie", body = MeResponse),
        (status = 404, description = "No such invitation (`invitation_invalid`)", body = super::error::ErrorBody),
        (status = 410, description = "`invitation_expired`, `invitation_used`, `invitation_revoked` or `case_closed`", body = super::error::ErrorBody),
        (status = 429, body = super::error::ErrorBody),
    )
)]
pub(super) async fn redeem(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<RedeemRequest>,
) -> ApiResult<Response> {
    state.limits().check_redeem(ip)?;
    let presented = Token::from_presented(request.token.expose());
    let session = Token::generate();
    let outcome = state
        .db()
        .redeem_invitation(&presented.hash(), &session.hash(), state.now())
        .await?;
    let redeemed = outcome.map_err(|refused| match refused {
        RedeemRefused::Unknown => ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "invitation_invalid",
            "this invitation link is not valid",
        ),
        RedeemRefused::Expired => {
            ApiError::gone("invitation_expired", "this invitation link has expired")
        }
        RedeemRefused::AlreadyUsed => ApiError::gone(
            "invitation_used",
            "this invitation link has already been used",
        ),
        RedeemRefused::Revoked => {
            ApiError::gone("invitation_revoked", "this invitation link was revoked")
        }
        RedeemRefused::CaseClosed => ApiError::gone("case_closed", "this case is closed"),
    })?;
    let actor = state
        .db()
        .participant_session(&session.hash(), state.now())
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("new participant session not found")))?;
    tracing::info!(participant = %redeemed.participant_id, case = %redeemed.case_id, "invitation redeemed");
    let me = participant_me(&state, actor, session.csrf()).await?;
    let max_age = SessionPolicy::PARTICIPANT.absolute_ms / 1000;
    let cookie = session_cookie(&state, PARTICIPANT_COOKIE, &session, max_age);
    Ok(([(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

/// The participant's own case, as their role may see it.
#[utoipa::path(
    get, path = "/api/me/case", tag = "participants",
    responses(
        (status = 200, body = ParticipantCaseView),
        (status = 401, body = super::error::ErrorBody),
    )
)]
pub(super) async fn my_case(
    State(state): State<AppState>,
    auth: ParticipantAuth,
) -> ApiResult<Json<ParticipantCaseView>> {
    Ok(Json(case_view(&state, auth.actor).await?))
}

pub(super) async fn participant_me(
    state: &AppState,
    actor: ParticipantActor,
    csrf_token: String,
) -> ApiResult<MeResponse> {
    let me = state
        .db()
        .participant(actor.case_id, actor.participant_id)
        .await?;
    Ok(MeResponse::Participant {
        participant: ParticipantSelfView {
            id: me.id.uuid(),
            name: me.details.name,
            role: me.details.standing.role(),
            side: me.details.standing.side(),
        },
        case: case_view(state, actor).await?,
        csrf_token,
    })
}

/// The case comes from the participant's own session: no other case can be named here.
async fn case_view(state: &AppState, actor: ParticipantActor) -> ApiResult<ParticipantCaseView> {
    let db = state.db();
    let case = db.case(actor.case_id).await?;
    let committee = db.committee(case.committee_id).await?;
    let staff = db.users(Some(case.committee_id)).await?;
    let mediators = case
        .mediators
        .iter()
        .filter_map(|id| staff.iter().find(|u| u.id == *id))
        .map(|u| u.display_name.clone())
        .collect();
    let participants = db
        .participants(case.id)
        .await?
        .into_iter()
        .map(|p| OtherParticipantView {
            name: p.details.name,
            role: p.details.standing.role(),
            side: p.details.standing.side(),
        })
        .collect();
    Ok(ParticipantCaseView {
        id: case.id.uuid(),
        number: case.number.to_string(),
        dispute_type: case.dispute_type,
        status: case.status,
        committee_name: committee.name,
        mediators,
        summary: actor.role.sees_case_summary().then_some(case.summary),
        participants,
    })
}
