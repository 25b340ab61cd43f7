//! The agenda of a case: its assigned mediators keep it, its staff and every participant read it
//! (participants through `/api/me/agenda`), and the members of its live session are told at once
//! when it changes (`record_changed`), to read it again here.

use super::auth::{Auth, ParticipantAuth};
use super::cases::{authorized_case, event_actor};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath};
use super::AppState;
use crate::domain::agenda::{
    AgendaCommand, AgendaDraft, AgendaItem, AgendaRefusal, AgendaStatus, AgendaStep,
};
use crate::domain::ids::{AgendaItemId, CaseId};
use crate::domain::permissions::CaseAction;
use crate::domain::Timestamp;
use crate::live::protocol::RecordPart;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct AgendaItemView {
    id: Uuid,
    title: String,
    description: Option<String>,
    status: AgendaStatus,
    /// Whole seconds spent on the item as of this answer, by the server's clock: for the item in
    /// progress, the time keeps running from here (a client counts on from when it got the
    /// answer, whatever its own clock says).
    seconds_spent: i64,
    /// When the item in progress was taken up.
    started_at: Option<String>,
}

/// The agenda, in order.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct AgendaView {
    items: Vec<AgendaItemView>,
}

impl AgendaView {
    fn new(items: Vec<AgendaItem>, now: Timestamp) -> Self {
        Self {
            items: items
                .into_iter()
                .map(|item| AgendaItemView {
                    id: item.id.uuid(),
                    seconds_spent: item.seconds_at(now),
                    title: item.title,
                    description: item.description,
                    status: item.status,
                    started_at: item.started_at.map(|at| at.to_rfc3339()),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AgendaItemRequest {
    /// 1 to 200 characters.
    title: String,
    /// Up to 2000 characters; absent or blank for none.
    description: Option<String>,
}

impl AgendaItemRequest {
    fn parse(&self) -> ApiResult<AgendaDraft> {
        Ok(AgendaDraft::parse(
            &self.title,
            self.description.as_deref(),
        )?)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AgendaOrderRequest {
    /// Every item of the agenda, each once, in the new order.
    items: Vec<Uuid>,
}

fn refused(refusal: AgendaRefusal) -> ApiError {
    let message = refusal.to_string();
    match refusal {
        AgendaRefusal::UnknownItem => {
            ApiError::new(StatusCode::NOT_FOUND, "agenda_item_not_found", message)
        }
        AgendaRefusal::StepNotAllowed { .. } => {
            ApiError::conflict("agenda_step_not_allowed", message)
        }
        AgendaRefusal::AnotherInProgress | AgendaRefusal::DeleteInProgress => {
            ApiError::conflict("agenda_item_in_progress", message)
        }
        AgendaRefusal::Full => ApiError::conflict("agenda_full", message),
        AgendaRefusal::NotAPermutation => ApiError::invalid_field("items", message),
    }
}

/// Applies one change for an assigned mediator, then tells the live session.
async fn change(
    state: &AppState,
    auth: &Auth,
    case_id: CaseId,
    command: AgendaCommand,
) -> ApiResult<AgendaView> {
    let now = state.now();
    let items = state
        .db()
        .change_agenda(case_id, command, event_actor(auth), now)
        .await?
        .map_err(refused)?;
    state
        .live()
        .record_changed(case_id, RecordPart::Agenda)
        .await;
    Ok(AgendaView::new(items, now))
}

/// The case's agenda, for its staff.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/agenda", tag = "record",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = AgendaView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn get(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<AgendaView>> {
    authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let items = state.db().agenda(case_id).await?;
    Ok(Json(AgendaView::new(items, state.now())))
}

/// Adds an item at the end of the agenda.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/agenda", tag = "record",
    params(("case_id" = Uuid, Path)),
    request_body = AgendaItemRequest,
    responses(
        (status = 201, body = AgendaView),
        (status = 409, description = "`agenda_full` (50 items), `case_archived`", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn add(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<AgendaItemRequest>,
) -> ApiResult<(StatusCode, Json<AgendaView>)> {
    authorized_case(&state, &auth, case_id, CaseAction::KeepRecord).await?;
    let command = AgendaCommand::Add {
        id: AgendaItemId::from_uuid(Uuid::now_v7()),
        draft: request.parse()?,
    };
    let agenda = change(&state, &auth, case_id, command).await?;
    Ok((StatusCode::CREATED, Json(agenda)))
}

/// Changes an item's title and description; its status and time stay.
#[utoipa::path(
    put, path = "/api/cases/{case_id}/agenda/{item_id}", tag = "record",
    params(("case_id" = Uuid, Path), ("item_id" = Uuid, Path)),
    request_body = AgendaItemRequest,
    responses(
        (status = 200, body = AgendaView),
        (status = 404, description = "`agenda_item_not_found`", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, item_id)): ApiPath<(CaseId, AgendaItemId)>,
    ApiJson(request): ApiJson<AgendaItemRequest>,
) -> ApiResult<Json<AgendaView>> {
    authorized_case(&state, &auth, case_id, CaseAction::KeepRecord).await?;
    let command = AgendaCommand::Edit {
        id: item_id,
        draft: request.parse()?,
    };
    Ok(Json(change(&state, &auth, case_id, command).await?))
}

/// Deletes an item (not the one in progress). The record keeps that it was there.
#[utoipa::path(
    delete, path = "/api/cases/{case_id}/agenda/{item_id}", tag = "record",
    params(("case_id" = Uuid, Path), ("item_id" = Uuid, Path)),
    responses(
        (status = 200, body = AgendaView),
        (status = 404, description = "`agenda_item_not_found`", body = super::error::ErrorBody),
        (status = 409, description = "`agenda_item_in_progress`", body = super::error::ErrorBody),
    )
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, item_id)): ApiPath<(CaseId, AgendaItemId)>,
) -> ApiResult<Json<AgendaView>> {
    authorized_case(&state, &auth, case_id, CaseAction::KeepRecord).await?;
    let command = AgendaCommand::Delete(item_id);
    Ok(Json(change(&state, &auth, case_id, command).await?))
}

/// Puts the items in a new order.
#[utoipa::path(
    put, path = "/api/cases/{case_id}/agenda/order", tag = "record",
    params(("case_id" = Uuid, Path)),
    request_body = AgendaOrderRequest,
    responses(
        (status = 200, body = AgendaView),
        (status = 422, description = "`items` does not name every item exactly once", body = super::error::ErrorBody),
    )
)]
pub(super) async fn reorder(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<AgendaOrderRequest>,
) -> ApiResult<Json<AgendaView>> {
    authorized_case(&state, &auth, case_id, CaseAction::KeepRecord).await?;
    let order = request
        .items
        .into_iter()
        .map(AgendaItemId::from_uuid)
        .collect();
    let command = AgendaCommand::Reorder(order);
    Ok(Json(change(&state, &auth, case_id, command).await?))
}

/// Starts, finishes or skips an item. Starting marks when; finishing or skipping adds the time
/// since then to the item's time spent. One item is in progress at a time.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/agenda/{item_id}/{step}", tag = "record",
    params(("case_id" = Uuid, Path), ("item_id" = Uuid, Path), ("step" = AgendaStep, Path)),
    responses(
        (status = 200, body = AgendaView),
        (status = 404, description = "`agenda_item_not_found`", body = super::error::ErrorBody),
        (status = 409, description = "`agenda_step_not_allowed` from the item's status; `agenda_item_in_progress`: another item is", body = super::error::ErrorBody),
    )
)]
pub(super) async fn step(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, item_id, step)): ApiPath<(CaseId, AgendaItemId, AgendaStep)>,
) -> ApiResult<Json<AgendaView>> {
    authorized_case(&state, &auth, case_id, CaseAction::KeepRecord).await?;
    let command = AgendaCommand::Step { id: item_id, step };
    Ok(Json(change(&state, &auth, case_id, command).await?))
}

/// The agenda of the participant's own case.
#[utoipa::path(
    get, path = "/api/me/agenda", tag = "participants",
    responses((status = 200, body = AgendaView), (status = 401, body = super::error::ErrorBody))
)]
pub(super) async fn mine(
    State(state): State<AppState>,
    auth: ParticipantAuth,
) -> ApiResult<Json<AgendaView>> {
    let items = state.db().agenda(auth.actor.case_id).await?;
    Ok(Json(AgendaView::new(items, state.now())))
}
