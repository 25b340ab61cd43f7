//! Return visits (回访): the visits planned when an agreement took effect, what each found, and
//! the committee's list of visits due.

use super::auth::Auth;
use super::cases::{authorized_case, event_actor, staff_of};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::AppState;
use crate::domain::follow_up::{Performance, Satisfaction};
use crate::domain::ids::CaseId;
use crate::domain::optional_text;
use crate::domain::parse_day;
use crate::domain::permissions::CaseAction;
use crate::domain::staff::StaffRole;
use crate::domain::Timestamp;
use crate::store::follow_up::{VisitFindings, VisitRecord};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct VisitView {
    id: Uuid,
    case_id: Uuid,
    agreement_version: u64,
    /// The term visited about, from 0 as in the agreement.
    term: usize,
    /// `YYYY-MM-DD`.
    due_on: String,
    visited_at: Option<String>,
    performance: Option<Performance>,
    satisfaction: Option<Satisfaction>,
    note: Option<String>,
}

impl From<VisitRecord> for VisitView {
    fn from(v: VisitRecord) -> Self {
        VisitView {
            id: v.id,
            case_id: v.case_id.uuid(),
            agreement_version: v.agreement_version,
            term: v.term,
            due_on: v.due_on,
            visited_at: v.visited_at.map(Timestamp::to_rfc3339),
            performance: v.performance,
            satisfaction: v.satisfaction,
            note: v.note,
        }
    }
}

#[utoipa::path(
    get, path = "/api/cases/{case_id}/follow-ups", tag = "cases",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = Vec<VisitView>), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn of_case(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<VisitView>>> {
    authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let visits = state.db().follow_up_visits(case_id).await?;
    Ok(Json(visits.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct VisitRequest {
    performance: Performance,
    satisfaction: Satisfaction,
    /// Up to 2000 characters.
    note: Option<String>,
}

/// Records what a visit found. A visit is recorded once; what it found stays as found.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/follow-ups/{visit_id}", tag = "cases",
    params(("case_id" = Uuid, Path), ("visit_id" = Uuid, Path)),
    request_body = VisitRequest,
    responses(
        (status = 204, description = "Recorded"),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, description = "`already_recorded`, or the case is archived", body = super::error::ErrorBody),
    )
)]
pub(super) async fn record(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, visit)): ApiPath<(CaseId, Uuid)>,
    ApiJson(request): ApiJson<VisitRequest>,
) -> ApiResult<StatusCode> {
    authorized_case(&state, &auth, case_id, CaseAction::FollowUp).await?;
    let note = optional_text(request.note.as_deref(), 2000).map_err(|e| e.under("note"))?;
    let findings = VisitFindings {
        performance: request.performance,
        satisfaction: request.satisfaction,
        note,
    };
    let recorded = state
        .db()
        .record_visit(case_id, visit, &findings, event_actor(&auth), state.now())
        .await?;
    if !recorded {
        return Err(ApiError::conflict(
            "already_recorded",
            "this visit is already recorded",
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct DueQuery {
    /// `YYYY-MM-DD`; today (in China) when absent.
    due_by: Option<String>,
}

/// Visits not yet made and due by `due_by`: the committee's for an admin, a mediator's own
/// cases' for a mediator; soonest first.
#[utoipa::path(
    get, path = "/api/follow-ups", tag = "cases",
    params(DueQuery),
    responses((status = 200, body = Vec<VisitView>), (status = 422, body = super::error::ErrorBody))
)]
pub(super) async fn due(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<DueQuery>,
) -> ApiResult<Json<Vec<VisitView>>> {
    let staff = staff_of(&auth)?;
    let due_by = match query.due_by {
        Some(raw) => parse_day(&raw).map_err(|e| e.under("due_by"))?,
        None => state.now().date_in_china(),
    };
    let mediator = (staff.role != StaffRole::Admin).then_some(staff.user_id);
    let visits = state
        .db()
        .visits_due(staff.committee_id, mediator, &due_by.to_string())
        .await?;
    Ok(Json(visits.into_iter().map(Into::into).collect()))
}
