//! Invitation links, for the mediators of a case: issue, list, revoke, re-issue.

use super::auth::Auth;
use super::cases::{authorized_case, live_member, staff_of};
use super::error::ApiResult;
use super::extract::ApiPath;
use super::views::{InvitationView, IssuedInvitation};
use super::AppState;
use crate::domain::ids::{CaseId, InvitationId, ParticipantId};
use crate::domain::live::{MemberId, Revocation};
use crate::domain::permissions::CaseAction;
use crate::secret::Token;
use crate::store::invitations::NewInvitation;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

/// The link a participant opens. The token rides in the fragment, which browsers never send to
/// a server, so it stays out of access logs and Referer headers.
fn link(state: &AppState, token: &Token) -> String {
    format!(
        "{}/join#t={}",
        state.config().public_origin(),
        token.expose()
    )
}

async fn issued(
    state: &AppState,
    case_id: CaseId,
    id: InvitationId,
    token: &Token,
) -> ApiResult<IssuedInvitation> {
    let invitation = state
        .db()
        .invitations(case_id)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(super::error::ApiError::not_found)?;
    Ok(IssuedInvitation {
        invitation: InvitationView::new(invitation, state.now()),
        link: link(state, token),
    })
}

/// A fresh token, and the invitation it opens: issued by the staff member asking, now, for the
/// configured lifetime.
fn new_invitation(state: &AppState, auth: &Auth) -> ApiResult<(Token, NewInvitation)> {
    let staff = staff_of(auth)?;
    let token = Token::generate();
    let now = state.now();
    let new = NewInvitation {
        token: token.hash(),
        issued_by: staff.user_id,
        now,
        expires_at: now.plus_seconds(i64::from(state.config().invitation_ttl_hours) * 3600),
    };
    Ok((token, new))
}

/// Issues an invitation link to a participant of the case.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/participants/{participant_id}/invitations", tag = "invitations",
    params(("case_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    responses((status = 201, body = IssuedInvitation), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn issue(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, participant_id)): ApiPath<(CaseId, ParticipantId)>,
) -> ApiResult<(StatusCode, Json<IssuedInvitation>)> {
    authorized_case(&state, &auth, case_id, CaseAction::ManageInvitations).await?;
    let (token, new) = new_invitation(&state, &auth)?;
    let id = state
        .db()
        .issue_invitation(case_id, participant_id, &new)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(issued(&state, case_id, id, &token).await?),
    ))
}

#[utoipa::path(
    get, path = "/api/cases/{case_id}/invitations", tag = "invitations",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = Vec<InvitationView>), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<InvitationView>>> {
    authorized_case(&state, &auth, case_id, CaseAction::ManageInvitations).await?;
    let now = state.now();
    let invitations = state.db().invitations(case_id).await?;
    Ok(Json(
        invitations
            .into_iter()
            .map(|i| InvitationView::new(i, now))
            .collect(),
    ))
}

/// Revokes a link; a browser that already redeemed it is signed out.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/invitations/{invitation_id}/revoke", tag = "invitations",
    params(("case_id" = Uuid, Path), ("invitation_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn revoke(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, invitation_id)): ApiPath<(CaseId, InvitationId)>,
) -> ApiResult<StatusCode> {
    authorized_case(&state, &auth, case_id, CaseAction::ManageInvitations).await?;
    let staff = staff_of(&auth)?;
    state
        .db()
        .revoke_invitation(case_id, invitation_id, staff.user_id, state.now())
        .await?;
    let by = MemberId::Staff(staff.user_id);
    state
        .live()
        .revoked(case_id, Revocation::InvitationRevoked, Some(by))
        .await;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes a link and issues a new one to the same participant.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/invitations/{invitation_id}/reissue", tag = "invitations",
    params(("case_id" = Uuid, Path), ("invitation_id" = Uuid, Path)),
    responses((status = 201, body = IssuedInvitation), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn reissue(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, invitation_id)): ApiPath<(CaseId, InvitationId)>,
) -> ApiResult<(StatusCode, Json<IssuedInvitation>)> {
    authorized_case(&state, &auth, case_id, CaseAction::ManageInvitations).await?;
    let (token, new) = new_invitation(&state, &auth)?;
    let id = state
        .db()
        .reissue_invitation(case_id, invitation_id, &new)
        .await?;
    // The old link is revoked: a browser that came in with it is signed out.
    state
        .live()
        .revoked(
            case_id,
            Revocation::InvitationRevoked,
            Some(live_member(&auth)),
        )
        .await;
    Ok((
        StatusCode::CREATED,
        Json(issued(&state, case_id, id, &token).await?),
    ))
}
