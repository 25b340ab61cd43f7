//! The committee's screening rounds (矛盾纠纷排查): recorded by its staff, counted in its figures.

use super::auth::Auth;
use super::error::ApiResult;
use super::extract::ApiJson;
use super::AppState;
use crate::domain::permissions::{check_committee, CommitteeAction};
use crate::domain::screening::NewScreening;
use crate::store::screenings::ScreeningRecord;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ScreeningRequest {
    /// The day of the round, `YYYY-MM-DD` (China calendar days), not in the future.
    held_on: String,
    /// Disputes the round found.
    disputes_found: u64,
    /// Where the round went, in a line.
    note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ScreeningView {
    id: Uuid,
    held_on: String,
    disputes_found: u64,
    note: Option<String>,
    /// Who recorded it.
    recorded_by: String,
}

impl From<ScreeningRecord> for ScreeningView {
    fn from(s: ScreeningRecord) -> Self {
        Self {
            id: s.id,
            held_on: s.held_on.to_string(),
            disputes_found: s.disputes_found,
            note: s.note,
            recorded_by: s.recorded_by,
        }
    }
}

/// Records a screening round the committee held.
#[utoipa::path(
    post, path = "/api/screenings", tag = "cases",
    request_body = ScreeningRequest,
    responses(
        (status = 201, body = [ScreeningView], description = "The committee's rounds, newest first"),
        (status = 403, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn record(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(request): ApiJson<ScreeningRequest>,
) -> ApiResult<(StatusCode, Json<Vec<ScreeningView>>)> {
    let staff = check_committee(&auth.actor, CommitteeAction::RecordScreening)?;
    let now = state.now();
    let screening = NewScreening::parse(
        &request.held_on,
        request.disputes_found,
        request.note.as_deref(),
        now.date_in_china(),
    )?;
    let db = state.db();
    db.record_screening(staff.committee_id, &screening, staff.user_id, now)
        .await?;
    let all = db.screenings(staff.committee_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(all.into_iter().map(ScreeningView::from).collect()),
    ))
}

/// The committee's screening rounds, newest first.
#[utoipa::path(
    get, path = "/api/screenings", tag = "cases",
    responses(
        (status = 200, body = [ScreeningView]),
        (status = 403, body = super::error::ErrorBody),
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<ScreeningView>>> {
    let staff = check_committee(&auth.actor, CommitteeAction::RecordScreening)?;
    let all = state.db().screenings(staff.committee_id).await?;
    Ok(Json(all.into_iter().map(ScreeningView::from).collect()))
}
