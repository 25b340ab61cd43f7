//! Termination (PML 26): an assigned mediator ends a mediation that failed, with its reasons, and
//! the parties are given the notice of their other routes in Chinese and English. A live session
//! of the case ends with it. The case's staff read the termination at
//! `/api/cases/{id}/termination`; its participants at `/api/me/termination`, in their language.

use super::auth::{Auth, ParticipantAuth};
use super::cases::{authorized_case, staff_of};
use super::consents::LanguageQuery;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::AppState;
use crate::domain::case::{CaseTransition, TransitionError};
use crate::domain::ids::CaseId;
use crate::domain::live::MemberId;
use crate::domain::permissions::CaseAction;
use crate::domain::staff::Language;
use crate::domain::termination::{RoutesNotice, Termination, TerminationReason};
use crate::store::termination::{GivenNotice, TerminationRecord};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct TerminateRequest {
    /// At least one.
    reasons: Vec<TerminationReason>,
    /// In the mediator's words, up to 2000 characters; required with the reason `other`. The
    /// parties read it.
    details: Option<String>,
}

/// The notice of other routes, as given in one language.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct NoticeView {
    language: Language,
    title: String,
    text: String,
}

impl From<GivenNotice> for NoticeView {
    fn from(notice: GivenNotice) -> Self {
        Self {
            language: notice.language,
            title: notice.title,
            text: notice.body,
        }
    }
}

/// A termination as the case's staff see it: the notice in every language it was given in.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct TerminationView {
    reasons: Vec<TerminationReason>,
    details: Option<String>,
    terminated_at: String,
    terminated_by: Uuid,
    notice_version: String,
    notices: Vec<NoticeView>,
}

impl From<TerminationRecord> for TerminationView {
    fn from(record: TerminationRecord) -> Self {
        Self {
            reasons: record.reasons,
            details: record.details,
            terminated_at: record.terminated_at.to_rfc3339(),
            terminated_by: record.terminated_by.uuid(),
            notice_version: record.notice_version,
            notices: record.notices.into_iter().map(Into::into).collect(),
        }
    }
}

/// A termination as a participant sees it: the notice in the language asked for.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct MyTerminationView {
    reasons: Vec<TerminationReason>,
    details: Option<String>,
    terminated_at: String,
    notice_version: String,
    notice: NoticeView,
}

fn not_terminated() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_terminated",
        "the mediation of this case was not terminated",
    )
}

/// Ends the mediation (PML 26): records the reasons and the notice of other routes given to the
/// parties, moves the case to `terminated`, and ends its live session if one runs.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/termination", tag = "record",
    params(("case_id" = Uuid, Path)),
    request_body = TerminateRequest,
    responses(
        (status = 201, body = TerminationView),
        (status = 403, description = "Only the case's assigned mediators terminate it", body = super::error::ErrorBody),
        (status = 409, description = "`transition_not_allowed`: not accepted, in mediation or agreed; `case_archived`", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn terminate(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<TerminateRequest>,
) -> ApiResult<(StatusCode, Json<TerminationView>)> {
    let action = CaseAction::Transition(CaseTransition::Terminate);
    let case = authorized_case(&state, &auth, case_id, action).await?;
    let staff = staff_of(&auth)?;
    let termination = Termination::parse(&request.reasons, request.details.as_deref())?;
    let db = state.db();
    let committee = db.committee(case.committee_id).await?;
    let notices: Vec<RoutesNotice> = Language::ALL
        .iter()
        .map(|language| RoutesNotice::render(*language, &committee.name))
        .collect();
    db.terminate(case_id, &termination, &notices, staff.user_id, state.now())
        .await?
        .map_err(|refused| match refused {
            TransitionError::NotAllowed { .. } => {
                ApiError::conflict("transition_not_allowed", refused.to_string())
            }
            TransitionError::NoMediator => ApiError::conflict("no_mediator", refused.to_string()),
        })?;
    state
        .live()
        .end(case_id, MemberId::Staff(staff.user_id))
        .await;
    let record = db.termination(case_id).await?.ok_or_else(not_terminated)?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// The termination of the case, for its staff; 404 `not_terminated` when there is none.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/termination", tag = "record",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = TerminationView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn get(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<TerminationView>> {
    authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let record = state.db().termination(case_id).await?;
    Ok(Json(record.ok_or_else(not_terminated)?.into()))
}

/// The termination of the participant's own case, with the notice of other routes in their
/// language; 404 `not_terminated` when there is none.
#[utoipa::path(
    get, path = "/api/me/termination", tag = "participants",
    params(LanguageQuery),
    responses((status = 200, body = MyTerminationView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn mine(
    State(state): State<AppState>,
    auth: ParticipantAuth,
    ApiQuery(query): ApiQuery<LanguageQuery>,
) -> ApiResult<Json<MyTerminationView>> {
    let language = query.lang.unwrap_or(Language::ZhCn);
    let record = state
        .db()
        .termination(auth.actor.case_id)
        .await?
        .ok_or_else(not_terminated)?;
    let notice = record
        .notices
        .iter()
        .find(|n| n.language == language)
        .or(record.notices.first())
        .cloned()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a termination without its notice")))?;
    Ok(Json(MyTerminationView {
        reasons: record.reasons,
        details: record.details,
        terminated_at: record.terminated_at.to_rfc3339(),
        notice_version: record.notice_version,
        notice: notice.into(),
    }))
}
