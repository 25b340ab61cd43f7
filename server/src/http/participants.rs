//! The parties and other participants of a case, for its staff.

use super::auth::Auth;
use super::cases::{authorized_case, event_actor, live_member};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath};
use super::views::ParticipantView;
use super::AppState;
use crate::domain::ids::{CaseId, ParticipantId};
use crate::domain::live::{MemberId, Revocation};
use crate::domain::participant::{ParticipantDetails, ParticipantRole, PersonKind, Side, Standing};
use crate::domain::permissions::{Actor, CaseAction};
use crate::store::participants::ParticipantRefused;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AddParticipantRequest {
    pub(super) role: ParticipantRole,
    /// Parties only.
    pub(super) side: Option<Side>,
    /// Parties only.
    pub(super) person_kind: Option<PersonKind>,
    /// Agents only: the party they represent.
    pub(super) represents: Option<Uuid>,
    pub(super) name: String,
    /// Phone or e-mail; shown to the case's staff only.
    pub(super) contact: Option<String>,
    /// 送达地址: where documents are served.
    pub(super) service_address: Option<String>,
}

#[utoipa::path(
    get, path = "/api/cases/{case_id}/participants", tag = "participants",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = Vec<ParticipantView>), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<ParticipantView>>> {
    authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let participants = state.db().participants(case_id).await?;
    Ok(Json(participants.into_iter().map(Into::into).collect()))
}

#[utoipa::path(
    post, path = "/api/cases/{case_id}/participants", tag = "participants",
    params(("case_id" = Uuid, Path)),
    request_body = AddParticipantRequest,
    responses(
        (status = 201, body = ParticipantView),
        (status = 409, description = "The case is archived", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn add(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<AddParticipantRequest>,
) -> ApiResult<(StatusCode, Json<ParticipantView>)> {
    authorized_case(&state, &auth, case_id, CaseAction::ManageParticipants).await?;
    let standing = Standing::parse(
        request.role,
        request.side,
        request.person_kind,
        request.represents.map(ParticipantId::from_uuid),
    );
    let details = ParticipantDetails::parse(
        standing,
        &request.name,
        request.contact.as_deref(),
        request.service_address.as_deref(),
    )?;
    let id = state
        .db()
        .add_participant(case_id, &details, event_actor(&auth), state.now())
        .await?
        .map_err(|ParticipantRefused::NotAPartyOfTheCase| {
            ApiError::invalid_field("represents", "is not a party of this case")
        })?;
    if details.standing.role() == ParticipantRole::Party {
        if let Actor::Staff(staff) = auth.actor {
            // PML 20, 23(3): the new party has consented to no one attending yet.
            let by = MemberId::Staff(staff.user_id);
            state.live().party_added(case_id, id, by).await;
        }
    }
    let participant = state.db().participant(case_id, id).await?;
    Ok((StatusCode::CREATED, Json(participant.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct EditParticipantRequest {
    pub(super) name: String,
    pub(super) contact: Option<String>,
    pub(super) service_address: Option<String>,
}

/// Changes a participant's name and contact details. Their role in the case does not change: to
/// correct it, remove them and add them again.
#[utoipa::path(
    put, path = "/api/cases/{case_id}/participants/{participant_id}", tag = "participants",
    params(("case_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    request_body = EditParticipantRequest,
    responses((status = 200, body = ParticipantView), (status = 422, body = super::error::ErrorBody))
)]
pub(super) async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, participant_id)): ApiPath<(CaseId, ParticipantId)>,
    ApiJson(request): ApiJson<EditParticipantRequest>,
) -> ApiResult<Json<ParticipantView>> {
    authorized_case(&state, &auth, case_id, CaseAction::ManageParticipants).await?;
    let current = state.db().participant(case_id, participant_id).await?;
    let details = ParticipantDetails::parse(
        Ok(current.details.standing),
        &request.name,
        request.contact.as_deref(),
        request.service_address.as_deref(),
    )?;
    state
        .db()
        .edit_participant(
            case_id,
            participant_id,
            &details,
            event_actor(&auth),
            state.now(),
        )
        .await?;
    let participant = state.db().participant(case_id, participant_id).await?;
    Ok(Json(participant.into()))
}

/// Removes a participant: their invitation links stop working and their browser is signed out.
#[utoipa::path(
    delete, path = "/api/cases/{case_id}/participants/{participant_id}", tag = "participants",
    params(("case_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn remove(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, participant_id)): ApiPath<(CaseId, ParticipantId)>,
) -> ApiResult<StatusCode> {
    authorized_case(&state, &auth, case_id, CaseAction::ManageParticipants).await?;
    state
        .db()
        .remove_participant(case_id, participant_id, event_actor(&auth), state.now())
        .await?;
    state
        .live()
        .revoked(
            case_id,
            Revocation::ParticipantRemoved,
            Some(live_member(&auth)),
        )
        .await;
    Ok(StatusCode::NO_CONTENT)
}
