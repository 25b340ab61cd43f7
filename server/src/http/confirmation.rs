//! Judicial confirmation, for the case's staff: the 30-day deadline and its warning (PML 33),
//! preparing the joint application to a configured court, filing it once every party has
//! consented (consent 11), and the bundle for courts that take it by hand.
//!
//! The mediator files, not the last party's consent: filing sends the parties' identities and
//! the record to a court, which the mediator should do deliberately, after checking that the
//! application is complete; and a party who consents last is not left waiting on a bundle.

use super::agreement::agreement_case;
use super::auth::Auth;
use super::cases::authorized_case;
use super::confirmation_bundle::{assemble, consent_status, PartyConsent};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath};
use super::AppState;
use crate::domain::confirmation::{
    check_application, deadline, warning, ApplicationFacts, ApplicationStatus, DeadlineWarning,
};
use crate::domain::events::EventActor;
use crate::domain::ids::CaseId;
use crate::domain::permissions::{Actor, AgreementAction, CaseAction};
use crate::store::confirmation::{ApplicationRecord, Filing, FilingRefused, NewApplication};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ApplicationView {
    id: String,
    court_id: String,
    court_name: String,
    status: ApplicationStatus,
    agreement_version: u64,
    personal_status: bool,
    ownership: bool,
    prepared_at: String,
    filed_at: Option<String>,
    bundle_sha256: Option<String>,
    /// Delivery to the court's endpoint: attempts, the last failure, when it was taken.
    delivery_attempts: u64,
    delivery_error: Option<String>,
    delivered_at: Option<String>,
    /// The court's 调确字 case number, once it confirmed.
    court_case_number: Option<String>,
    /// Why the court dismissed it.
    court_reason: Option<String>,
    answered_at: Option<String>,
    consents: Vec<PartyConsent>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ConfirmationView {
    /// When the agreement took effect; absent while it is not in effect.
    effective_at: Option<String>,
    /// The last instant to file (PML 33: 30 days from effective_at).
    deadline: Option<String>,
    warning: Option<DeadlineWarning>,
    /// False when no court is configured: the feature cannot be used on this installation.
    courts_configured: bool,
    application: Option<ApplicationView>,
}

pub(super) fn application_view(
    record: &ApplicationRecord,
    consents: Vec<PartyConsent>,
) -> ApplicationView {
    let at = |t: Option<crate::domain::Timestamp>| t.map(|t| t.to_rfc3339());
    ApplicationView {
        id: record.id.to_string(),
        court_id: record.court_id.clone(),
        court_name: record.court_name.clone(),
        status: record.status,
        agreement_version: record.agreement_version,
        personal_status: record.personal_status,
        ownership: record.ownership,
        prepared_at: record.prepared_at.to_rfc3339(),
        filed_at: at(record.filed_at),
        bundle_sha256: record.bundle_sha256.clone(),
        delivery_attempts: record.attempts,
        delivery_error: record.last_error.clone(),
        delivered_at: at(record.delivered_at),
        court_case_number: record.court_case_number.clone(),
        court_reason: record.court_reason.clone(),
        answered_at: at(record.answered_at),
        consents,
    }
}

/// Where judicial confirmation stands: the deadline and its warning level, the application.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/confirmation", tag = "confirmation",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = ConfirmationView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn get(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<ConfirmationView>> {
    let case = authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let now = state.now();
    let effective = state.db().effective_at(case_id).await?;
    let application = match state.db().application(case_id).await? {
        Some(record) => {
            let consents = consent_status(&state, &case, &record).await?;
            Some(application_view(&record, consents))
        }
        None => None,
    };
    Ok(Json(ConfirmationView {
        effective_at: effective.map(|t| t.to_rfc3339()),
        deadline: effective.map(|t| deadline(t).to_rfc3339()),
        warning: effective.map(|t| warning(t, now)),
        courts_configured: !state.config().courts.0.is_empty(),
        application,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PrepareRequest {
    court_id: String,
    /// Does the agreement settle identity, marriage or adoption status? Required for family
    /// disputes (SPC CPL interpretation 2022, art. 355(3)).
    personal_status: Option<bool>,
    /// Does it settle who owns a property or IP right? Required for IP, housing and land
    /// disputes (art. 355(5)).
    ownership: Option<bool>,
}

/// Prepares the joint application to a configured court, after checking that the agreement may
/// be confirmed at all and that the 30 days are not over (PML 33). The parties then consent.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/confirmation", tag = "confirmation",
    params(("case_id" = Uuid, Path)), request_body = PrepareRequest,
    responses(
        (status = 201, description = "Prepared"),
        (status = 409, description = "Not in effect, no courts configured, already filed", body = super::error::ErrorBody),
        (status = 422, description = "Not eligible (the rule is cited), or the deadline passed", body = super::error::ErrorBody),
    )
)]
pub(super) async fn prepare(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<PrepareRequest>,
) -> ApiResult<StatusCode> {
    let case = agreement_case(
        &state,
        &auth,
        case_id,
        AgreementAction::ApplyForConfirmation,
    )
    .await?;
    let courts = &state.config().courts;
    if courts.0.is_empty() {
        return Err(ApiError::conflict(
            "no_courts_configured",
            "no court is configured on this installation: an operator adds courts to the configuration",
        ));
    }
    let court = courts
        .find(&request.court_id)
        .ok_or_else(|| ApiError::invalid_field("court_id", "is not a configured court"))?;
    let db = state.db();
    let version = db
        .agreement_versions(case_id)
        .await?
        .pop()
        .filter(|v| v.sealed_at.is_some())
        .ok_or_else(|| ApiError::conflict("not_effective", "the agreement has not taken effect"))?;
    let effective_at = version.sealed_at.unwrap_or(version.created_at);
    let body = version.parsed()?;
    let facts = ApplicationFacts {
        dispute_type: case.dispute_type,
        agreement_personal_relationship: body.content.personal_relationship,
        personal_status: request.personal_status,
        ownership: request.ownership,
    };
    check_application(facts, effective_at, state.now()).map_err(|refused| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            refused.code(),
            refused.to_string(),
        )
    })?;
    let new = NewApplication {
        court_id: court.id.clone(),
        court_name: court.name.clone(),
        agreement_version: version.version,
        agreement_hash: version.agreement_hash.clone(),
        personal_status: request.personal_status.unwrap_or(false),
        ownership: request.ownership.unwrap_or(false),
    };
    db.prepare_application(case_id, &new, staff_actor(&auth), state.now())
        .await?
        .map_err(filing_refused)?;
    Ok(StatusCode::CREATED)
}

fn staff_actor(auth: &Auth) -> EventActor {
    match auth.actor {
        Actor::Staff(s) => EventActor::Staff(s.user_id),
        Actor::Participant(p) => EventActor::Participant(p.participant_id),
    }
}

fn filing_refused(refused: FilingRefused) -> ApiError {
    match refused {
        FilingRefused::AlreadyFiled => ApiError::conflict("already_filed", refused.to_string()),
        FilingRefused::RecordMoved => ApiError::conflict("record_moved", refused.to_string()),
    }
}

/// Files the prepared application once every party has consented to it: builds the bundle,
/// and in one transaction records the filing and queues the bundle for the court.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/confirmation/file", tag = "confirmation",
    params(("case_id" = Uuid, Path)),
    responses(
        (status = 201, description = "Filed; the bundle goes to the court"),
        (status = 409, description = "Not prepared, consents missing, already filed", body = super::error::ErrorBody),
        (status = 422, description = "The deadline passed (PML 33)", body = super::error::ErrorBody),
    )
)]
pub(super) async fn file(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<StatusCode> {
    let case = agreement_case(
        &state,
        &auth,
        case_id,
        AgreementAction::ApplyForConfirmation,
    )
    .await?;
    let db = state.db();
    let record = db
        .application(case_id)
        .await?
        .ok_or_else(|| ApiError::conflict("not_prepared", "prepare the application first"))?;
    if record.status != ApplicationStatus::Prepared {
        return Err(filing_refused(FilingRefused::AlreadyFiled));
    }
    if let Some(effective_at) = db.effective_at(case_id).await? {
        if state.now() > deadline(effective_at) {
            let refused = crate::domain::confirmation::Ineligible::TooLate(
                deadline(effective_at).to_rfc3339(),
            );
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                refused.code(),
                refused.to_string(),
            ));
        }
    }
    let consents = consent_status(&state, &case, &record).await?;
    if consents.iter().any(|c| c.given_at.is_none()) {
        return Err(ApiError::conflict(
            "consents_missing",
            "every party must consent to the joint application first (PML 33)",
        ));
    }
    let (bundle, sha256, chain_length) = assemble(&state, &case, &record).await?;
    let filing = Filing {
        application: record.id,
        bundle: &bundle,
        bundle_sha256: &sha256,
        chain_length,
    };
    db.file_application(case_id, &filing, staff_actor(&auth), state.now())
        .await?
        .map_err(filing_refused)?;
    state.court_wakeup().notify_one();
    tracing::info!(case = %case_id, application = %record.id, court = %record.court_id, "judicial confirmation filed");
    Ok(StatusCode::CREATED)
}

/// The bundle as filed (`accord-confirmation/1` zip), for a court without an endpoint or for
/// the committee's archive. `accord verify` checks it offline.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/confirmation/bundle", tag = "confirmation",
    params(("case_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The bundle", content_type = "application/zip"),
        (status = 404, description = "Nothing filed", body = super::error::ErrorBody),
    )
)]
pub(super) async fn bundle(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Response> {
    authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let record = state
        .db()
        .application(case_id)
        .await?
        .filter(|r| r.bundle_sha256.is_some())
        .ok_or_else(ApiError::not_found)?;
    let bytes = state.db().filed_bundle(record.id).await?;
    let filename = format!("confirmation-{case_id}.zip");
    Ok(super::files::file(
        "application/zip",
        false,
        &filename,
        bytes,
    ))
}
