//! The committee's figures for a period (报表): JSON for the page's charts, CSV for the
//! spreadsheets the judicial bureau asks for.

use super::auth::Auth;
use super::error::{ApiError, ApiResult};
use super::extract::ApiQuery;
use super::AppState;
use crate::domain::parse_day;
use crate::domain::permissions::{check_committee, CommitteeAction};
use crate::domain::staff::Language;
use crate::domain::statistics::{report, Counts, Report};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::fmt::Write as _;
use utoipa::IntoParams;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub(super) enum Format {
    Json,
    Csv,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct StatisticsQuery {
    /// First day, `YYYY-MM-DD` (China calendar days).
    from: String,
    /// Last day, inclusive.
    to: String,
    /// `json` (the default) or `csv`.
    format: Option<Format>,
    /// Labels of the CSV: `zh-CN` (the default) or `en`.
    lang: Option<Language>,
}

pub(super) fn day(field: &str, raw: &str) -> ApiResult<time::Date> {
    Ok(parse_day(raw).map_err(|e| e.under(field))?)
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

fn rate(value: Option<f64>) -> String {
    value.map(|r| format!("{r:.4}")).unwrap_or_default()
}

/// One CSV row of counts.
pub(super) fn row(out: &mut String, group: &str, name: &str, counts: &Counts) {
    let _ = writeln!(
        out,
        "{group},{name},{},{},{},{},{},{},{},{}",
        counts.accepted,
        counts.successful,
        counts.terminated,
        counts.difficult,
        counts.judicially_confirmed,
        yuan(counts.amount_fen),
        counts.prevented_criminal,
        counts.prevented_mass_petition
    );
}

pub(super) fn csv(report: &Report, language: Language) -> String {
    let zh = language == Language::ZhCn;
    let mut out = String::new();
    out.push_str(if zh {
        "分组,项目,受理,调解成功,终止,疑难复杂,司法确认,涉及金额（元）,防止民转刑,防止群体性上访\n"
    } else {
        "group,item,accepted,successful,terminated,difficult,judicially_confirmed,amount_yuan,\
         prevented_criminal,prevented_mass_petition\n"
    });
    row(
        &mut out,
        if zh { "合计" } else { "total" },
        "",
        &report.totals,
    );
    for (kind, counts) in &report.by_dispute_type {
        row(
            &mut out,
            if zh { "纠纷类型" } else { "dispute_type" },
            kind.label(language),
            counts,
        );
    }
    for (source, counts) in &report.by_source {
        row(
            &mut out,
            if zh { "来源" } else { "source" },
            source.label(language),
            counts,
        );
    }
    let _ = writeln!(
        out,
        "{},{}\n{},{}",
        if zh {
            "调解成功率"
        } else {
            "success_rate"
        },
        rate(report.success_rate),
        if zh { "履行率" } else { "performance_rate" },
        rate(report.performance_rate)
    );
    let _ = writeln!(
        out,
        "{},{}\n{},{}",
        if zh {
            "排查次数"
        } else {
            "screening_rounds"
        },
        report.screening_rounds,
        if zh {
            "排查发现纠纷"
        } else {
            "disputes_found"
        },
        report.disputes_found
    );
    out
}

/// The committee's figures for the days `from` to `to`: cases accepted, successful, terminated,
/// the amount involved, by dispute type and by source, the success rate and the performance
/// rate of the return visits. For the committee's admin.
#[utoipa::path(
    get, path = "/api/statistics", tag = "cases",
    params(StatisticsQuery),
    responses(
        (status = 200, body = Report, description = "JSON, or CSV with `format=csv`"),
        (status = 403, body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn get(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<StatisticsQuery>,
) -> ApiResult<Response> {
    let staff = check_committee(&auth.actor, CommitteeAction::ViewStatistics)?;
    let (from, to) = (day("from", &query.from)?, day("to", &query.to)?);
    if to < from {
        return Err(ApiError::invalid_field("to", "must not be before from"));
    }
    let facts: Vec<_> = state
        .db()
        .statistics_facts(staff.committee_id)
        .await?
        .into_values()
        .collect();
    let screenings = state.db().screening_days(staff.committee_id).await?;
    let figures = report(&facts, &screenings, from, to);
    Ok(match query.format.unwrap_or(Format::Json) {
        Format::Json => Json(figures).into_response(),
        Format::Csv => {
            let filename = format!("statistics-{from}-{to}.csv");
            super::files::file(
                "text/csv; charset=utf-8",
                false,
                &filename, // A byte-order mark, so that spreadsheets open the Chinese as UTF-8.
                format!(
                    "\u{feff}{}",
                    csv(&figures, query.lang.unwrap_or(Language::ZhCn))
                ),
            )
        }
    })
}
