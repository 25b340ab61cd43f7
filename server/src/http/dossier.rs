//! The dossier (卷宗): a case's numbered items and what is missing, the search of archived
//! dossiers, and a dossier exported as one file.

use super::auth::Auth;
use super::cases::{authorized_case, staff_of, view};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiPath, ApiQuery};
use super::views::CaseView;
use super::AppState;
use crate::domain::case::DisputeType;
use crate::domain::dossier::{items, missing, DossierItem};
use crate::domain::ids::CaseId;
use crate::domain::parse_day;
use crate::domain::permissions::CaseAction;
use crate::domain::staff::StaffRole;
use crate::store::dossier::DossierSearch;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct DossierView {
    number: String,
    items: Vec<DossierItem>,
    /// Numbers of the required items the record does not hold.
    missing: Vec<u8>,
    complete: bool,
}

async fn dossier_of(state: &AppState, case: CaseId) -> ApiResult<(CaseView, DossierView)> {
    let record = state.db().case(case).await?;
    let holds = state.db().dossier_holds(case).await?;
    let list = items(record.status, holds);
    let gaps = missing(&list);
    let number = record.number.to_string();
    Ok((
        view(state, record).await?,
        DossierView {
            number,
            complete: gaps.is_empty(),
            missing: gaps,
            items: list,
        },
    ))
}

/// The case's dossier: each numbered item of DOMAIN.md, whether it is required and whether the
/// record holds it.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/dossier", tag = "cases",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = DossierView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn get(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<DossierView>> {
    authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    Ok(Json(dossier_of(&state, case_id).await?.1))
}

/// The whole dossier as one JSON file: the case, its items, its participants, its event chain
/// and every text kept beside the chain. For the committee's archive; it holds personal data.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/dossier/export", tag = "cases",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, description = "The dossier file", content_type = "application/json"), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn export(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Response> {
    authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let (case, dossier) = dossier_of(&state, case_id).await?;
    let participants: Vec<super::views::ParticipantView> = state
        .db()
        .participants(case_id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    let events = state.db().case_events(case_id).await?;
    let kept: Vec<_> = state
        .db()
        .kept_texts(case_id)
        .await?
        .into_iter()
        .map(|k| json!({"what": k.what, "text": k.text}))
        .collect();
    let file = json!({
        "format": "accord-dossier/1",
        "case": case,
        "dossier": dossier,
        "participants": participants,
        "events": events,
        "kept_texts": kept,
    });
    let bytes =
        serde_json::to_vec_pretty(&file).map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?;
    Ok(super::files::file(
        "application/json",
        false,
        &format!("dossier-{case_id}.json"),
        bytes,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct DossierQuery {
    /// The case number, whole ("(2026) 人调字第 12 号") or just its N.
    number: Option<String>,
    /// Part of a participant's name.
    party: Option<String>,
    dispute_type: Option<DisputeType>,
    /// Registered on or after this day, `YYYY-MM-DD` (UTC).
    from: Option<String>,
    /// Registered on or before this day.
    to: Option<String>,
    mediator: Option<Uuid>,
    /// `agreement` or `terminated`.
    outcome: Option<String>,
}

fn day_ms(field: &str, raw: &str, end: bool) -> ApiResult<i64> {
    let date = parse_day(raw).map_err(|e| e.under(field))?;
    let start = date.midnight().assume_utc().unix_timestamp() * 1000;
    Ok(if end { start + 86_400_000 - 1 } else { start })
}

/// Year and number of "(2026) 人调字第 12 号", or the number alone.
fn case_number(raw: &str) -> ApiResult<(Option<i32>, i64)> {
    let digits: Vec<&str> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let bad = || ApiError::invalid_field("number", "is not a case number");
    match digits.as_slice() {
        [seq] => Ok((None, seq.parse().map_err(|_| bad())?)),
        [year, seq] => Ok((
            Some(year.parse().map_err(|_| bad())?),
            seq.parse().map_err(|_| bad())?,
        )),
        _ => Err(bad()),
    }
}

/// Archived dossiers, by number, party name, dispute type, date, mediator and outcome: all of
/// the committee's for an admin, a mediator's own cases for a mediator.
#[utoipa::path(
    get, path = "/api/dossiers", tag = "cases",
    params(DossierQuery),
    responses((status = 200, body = Vec<CaseView>), (status = 422, body = super::error::ErrorBody))
)]
pub(super) async fn search(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<DossierQuery>,
) -> ApiResult<Json<Vec<CaseView>>> {
    let staff = staff_of(&auth)?;
    let (year, seq) = match query.number.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(raw) => {
            let (year, seq) = case_number(raw)?;
            (year, Some(seq))
        }
        None => (None, None),
    };
    let outcome = query.outcome.unwrap_or_default();
    if !matches!(outcome.as_str(), "" | "agreement" | "terminated") {
        return Err(ApiError::invalid_field(
            "outcome",
            "must be agreement or terminated",
        ));
    }
    let mediator = if staff.role == StaffRole::Admin {
        query.mediator.map(|m| m.to_string()).unwrap_or_default()
    } else {
        staff.user_id.to_string()
    };
    let search = DossierSearch {
        seq,
        year,
        party: query.party.unwrap_or_default().trim().to_owned(),
        dispute_type: query
            .dispute_type
            .map(|d| d.as_str().to_owned())
            .unwrap_or_default(),
        registered_from: query
            .from
            .as_deref()
            .map(|d| day_ms("from", d, false))
            .transpose()?,
        registered_until: query
            .to
            .as_deref()
            .map(|d| day_ms("to", d, true))
            .transpose()?,
        mediator,
        outcome,
    };
    let found = state
        .db()
        .search_dossiers(staff.committee_id, &search)
        .await?;
    let mut views = Vec::with_capacity(found.len());
    for case in found {
        views.push(view(&state, case).await?);
    }
    Ok(Json(views))
}
