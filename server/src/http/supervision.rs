//! What a supervisor reads of the committees of their region: the committees, their figures
//! (报表) together and one by one, and where each case stands. Never a name, a fact of the
//! dispute, an amount of one case, or anything of its record (DOMAIN.md: supervisors follow
//! case progress, not confidential content).

use super::error::{ApiError, ApiResult};
use super::extract::ApiQuery;
use super::statistics::{csv, day, row, Format};
use super::supervision_auth::SupervisorAuth;
use super::AppState;
use crate::domain::case::{CaseSource, CaseStatus, DisputeType};
use crate::domain::committee::CommitteeKind;
use crate::domain::ids::CommitteeId;
use crate::domain::staff::Language;
use crate::domain::statistics::{report, CaseFacts, Counts, Report};
use crate::domain::supervision::{CaseOverview, SupervisorActor};
use crate::store::committees::Committee;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// At most this many cases in one answer, newest first: enough for a screen, bounded for a
/// region of thousands.
const MAX_CASES: usize = 500;

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CommitteeView {
    id: Uuid,
    name: String,
    kind: CommitteeKind,
    region: String,
}

impl From<&Committee> for CommitteeView {
    fn from(c: &Committee) -> Self {
        Self {
            id: c.id.uuid(),
            name: c.name.clone(),
            kind: c.kind,
            region: c.region.clone(),
        }
    }
}

/// The committees of the region, or the one asked for if the region covers it: someone else's
/// committee is not found.
async fn covered(
    state: &AppState,
    supervisor: &SupervisorActor,
    only: Option<Uuid>,
) -> ApiResult<Vec<Committee>> {
    let mut committees: Vec<Committee> = state
        .db()
        .committees()
        .await?
        .into_iter()
        .filter(|c| supervisor.covers(&c.region))
        .collect();
    if let Some(only) = only {
        committees.retain(|c| c.id == CommitteeId::from_uuid(only));
        if committees.is_empty() {
            return Err(ApiError::not_found());
        }
    }
    Ok(committees)
}

/// The committees the signed-in supervisor follows.
#[utoipa::path(
    get, path = "/api/supervision/committees", tag = "supervision",
    responses(
        (status = 200, body = [CommitteeView]),
        (status = 401, body = super::error::ErrorBody),
    )
)]
pub(super) async fn committees(
    State(state): State<AppState>,
    auth: SupervisorAuth,
) -> ApiResult<Json<Vec<CommitteeView>>> {
    let committees = covered(&state, &auth.actor, None).await?;
    Ok(Json(committees.iter().map(CommitteeView::from).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct RegionStatisticsQuery {
    /// First day, `YYYY-MM-DD` (China calendar days).
    from: String,
    /// Last day, inclusive.
    to: String,
    /// One committee of the region; all of them when absent.
    committee: Option<Uuid>,
    /// `json` (the default) or `csv`.
    format: Option<Format>,
    /// Labels of the CSV: `zh-CN` (the default) or `en`.
    lang: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CommitteeFigures {
    committee: CommitteeView,
    #[serde(flatten)]
    counts: Counts,
    success_rate: Option<f64>,
    /// Its screening rounds (矛盾纠纷排查) in the period, and the disputes they found.
    screening_rounds: u64,
    disputes_found: u64,
}

/// The figures of the region's committees: together, by kind of committee and one by one.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct RegionReport {
    region: String,
    #[serde(flatten)]
    report: Report,
    by_committee_kind: BTreeMap<CommitteeKind, Counts>,
    by_committee: Vec<CommitteeFigures>,
}

/// The figures of the committees of the supervisor's region for the days `from` to `to`
/// (counted as each committee's own report counts them), as JSON or CSV.
#[utoipa::path(
    get, path = "/api/supervision/statistics", tag = "supervision",
    params(RegionStatisticsQuery),
    responses(
        (status = 200, body = RegionReport, description = "JSON, or CSV with `format=csv`"),
        (status = 401, body = super::error::ErrorBody),
        (status = 404, description = "Not a committee of the region", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn statistics(
    State(state): State<AppState>,
    auth: SupervisorAuth,
    ApiQuery(query): ApiQuery<RegionStatisticsQuery>,
) -> ApiResult<Response> {
    let (from, to) = (day("from", &query.from)?, day("to", &query.to)?);
    if to < from {
        return Err(ApiError::invalid_field("to", "must not be before from"));
    }
    let committees = covered(&state, &auth.actor, query.committee).await?;
    let mut all: Vec<CaseFacts> = Vec::new();
    let mut all_screenings = Vec::new();
    let mut by_kind: BTreeMap<CommitteeKind, Vec<CaseFacts>> = BTreeMap::new();
    let mut by_committee = Vec::with_capacity(committees.len());
    for committee in &committees {
        let facts: Vec<CaseFacts> = state
            .db()
            .statistics_facts(committee.id)
            .await?
            .into_values()
            .collect();
        let screenings = state.db().screening_days(committee.id).await?;
        let own = report(&facts, &screenings, from, to);
        by_committee.push(CommitteeFigures {
            committee: committee.into(),
            counts: own.totals,
            success_rate: own.success_rate,
            screening_rounds: own.screening_rounds,
            disputes_found: own.disputes_found,
        });
        all_screenings.extend(screenings);
        by_kind
            .entry(committee.kind)
            .or_default()
            .extend(facts.iter().cloned());
        all.extend(facts);
    }
    let figures = RegionReport {
        region: auth.actor.region.clone(),
        report: report(&all, &all_screenings, from, to),
        by_committee_kind: by_kind
            .into_iter()
            .map(|(kind, facts)| (kind, report(&facts, &[], from, to).totals))
            .collect(),
        by_committee,
    };
    Ok(match query.format.unwrap_or(Format::Json) {
        Format::Json => Json(figures).into_response(),
        Format::Csv => {
            let language = query.lang.unwrap_or(Language::ZhCn);
            super::files::file(
                "text/csv; charset=utf-8",
                false,
                &format!("supervision-{from}-{to}.csv"),
                // A byte-order mark, so that spreadsheets open the Chinese as UTF-8.
                format!("\u{feff}{}", region_csv(&figures, language)),
            )
        }
    })
}

fn region_csv(figures: &RegionReport, language: Language) -> String {
    let zh = language == Language::ZhCn;
    let mut out = csv(&figures.report, language);
    for (kind, counts) in &figures.by_committee_kind {
        let group = if zh {
            "调委会类型"
        } else {
            "committee_kind"
        };
        row(&mut out, group, kind.label(language), counts);
    }
    for own in &figures.by_committee {
        let group = if zh { "调委会" } else { "committee" };
        // Committee names are free text: quote them, doubling any quote inside.
        let name = format!("\"{}\"", own.committee.name.replace('"', "\"\""));
        row(&mut out, group, &name, &own.counts);
    }
    out
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct CasesQuery {
    /// One committee of the region; all of them when absent.
    committee: Option<Uuid>,
    /// Only cases in this state.
    status: Option<CaseStatus>,
    /// Only mediations that took, or are taking, longer than a month.
    beyond_one_month: Option<bool>,
}

/// One case as a supervisor sees it: the committee, the number, the kind and the progress.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CaseProgressView {
    committee_id: Uuid,
    committee_name: String,
    /// "(YYYY) 人调字第 N 号".
    number: String,
    dispute_type: DisputeType,
    source: CaseSource,
    status: CaseStatus,
    /// China calendar days, `YYYY-MM-DD`.
    registered_on: String,
    accepted_on: Option<String>,
    /// When its agreement took effect or it was terminated.
    concluded_on: Option<String>,
    /// From acceptance to conclusion, or to today while it goes on.
    days_in_mediation: Option<i64>,
    /// Longer than the month a mediation should normally take (MoJ rules 2002, art. 33).
    beyond_one_month: bool,
    judicially_confirmed: bool,
}

impl CaseProgressView {
    fn new(committee: &Committee, case: CaseOverview) -> Self {
        Self {
            committee_id: committee.id.uuid(),
            committee_name: committee.name.clone(),
            number: case.number,
            dispute_type: case.dispute_type,
            source: case.source,
            status: case.status,
            registered_on: case.registered_on.to_string(),
            accepted_on: case.accepted_on.map(|d| d.to_string()),
            concluded_on: case.progress.concluded_on.map(|d| d.to_string()),
            days_in_mediation: case.progress.days_in_mediation,
            beyond_one_month: case.progress.beyond_one_month,
            judicially_confirmed: case.judicially_confirmed,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CaseProgressList {
    cases: Vec<CaseProgressView>,
    /// More cases matched than one answer holds; narrow by committee or state.
    truncated: bool,
}

/// Where the cases of the region's committees stand, newest first within each committee.
#[utoipa::path(
    get, path = "/api/supervision/cases", tag = "supervision",
    params(CasesQuery),
    responses(
        (status = 200, body = CaseProgressList),
        (status = 401, body = super::error::ErrorBody),
        (status = 404, description = "Not a committee of the region", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn cases(
    State(state): State<AppState>,
    auth: SupervisorAuth,
    ApiQuery(query): ApiQuery<CasesQuery>,
) -> ApiResult<Json<CaseProgressList>> {
    let committees = covered(&state, &auth.actor, query.committee).await?;
    let today = state.now().date_in_china();
    let mut cases = Vec::new();
    let mut truncated = false;
    for committee in &committees {
        let overviews = state.db().case_overviews(committee.id, today).await?;
        let matching = overviews.into_iter().filter(|case| {
            query.status.is_none_or(|status| case.status == status)
                && query
                    .beyond_one_month
                    .is_none_or(|beyond| case.progress.beyond_one_month == beyond)
        });
        for case in matching {
            if cases.len() == MAX_CASES {
                truncated = true;
                break;
            }
            cases.push(CaseProgressView::new(committee, case));
        }
    }
    Ok(Json(CaseProgressList { cases, truncated }))
}
