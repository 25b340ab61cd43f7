//! Judicial confirmation as a party sees it: the application's text to consent to (consent 11,
//! one per party, PML 33) and a status line that follows the court's answers.

use super::auth::ParticipantAuth;
use super::confirmation_bundle::{application_text, consent_status};
use super::consents::LanguageQuery;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiQuery};
use super::AppState;
use crate::domain::confirmation::ApplicationStatus;
use crate::domain::consent::{ConsentKind, TEXTS_VERSION};
use crate::domain::participant::ParticipantRole;
use crate::domain::staff::Language;
use crate::store::consents::NewConsent;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct MyConfirmation {
    /// Absent while no application is prepared.
    application_id: Option<String>,
    status: Option<ApplicationStatus>,
    court_name: Option<String>,
    /// The court's 调确字 number, once it confirmed; its reason, if it dismissed.
    court_case_number: Option<String>,
    court_reason: Option<String>,
    /// What a party consents to: exact title and text, and the SHA-256 recorded.
    title: Option<String>,
    text: Option<String>,
    text_hash: Option<String>,
    language: Language,
    /// Whether this party has consented to this application's text.
    consented: bool,
    /// Whether this participant is a party, who consents (agents and others only read).
    may_consent: bool,
}

/// The case's application for judicial confirmation, as this participant sees it.
#[utoipa::path(
    get, path = "/api/me/confirmation", tag = "participants",
    params(LanguageQuery),
    responses((status = 200, body = MyConfirmation), (status = 401, body = super::error::ErrorBody))
)]
pub(super) async fn mine(
    State(state): State<AppState>,
    auth: ParticipantAuth,
    ApiQuery(query): ApiQuery<LanguageQuery>,
) -> ApiResult<Json<MyConfirmation>> {
    let language = query.lang.unwrap_or(Language::ZhCn);
    let actor = auth.actor;
    let db = state.db();
    let may_consent = actor.role == ParticipantRole::Party;
    let Some(record) = db.application(actor.case_id).await? else {
        return Ok(Json(MyConfirmation {
            application_id: None,
            status: None,
            court_name: None,
            court_case_number: None,
            court_reason: None,
            title: None,
            text: None,
            text_hash: None,
            language,
            consented: false,
            may_consent,
        }));
    };
    let case = db.case(actor.case_id).await?;
    let (text, hash) = application_text(&state, &case, &record, language).await?;
    let mine = actor.participant_id.to_string();
    let consented = consent_status(&state, &case, &record)
        .await?
        .iter()
        .any(|c| c.is(&mine) && c.given_at.is_some());
    Ok(Json(MyConfirmation {
        application_id: Some(record.id.to_string()),
        status: Some(record.status),
        court_name: Some(record.court_name),
        court_case_number: record.court_case_number,
        court_reason: record.court_reason,
        title: Some(text.title),
        text: Some(text.body),
        text_hash: Some(hash),
        language,
        consented,
        may_consent,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ConfirmationConsent {
    application_id: String,
    language: Language,
    /// The SHA-256 of the text as shown: a mismatch means it changed since.
    text_hash: String,
}

/// A party consents to the joint application as prepared (consent 11; PML 33).
#[utoipa::path(
    post, path = "/api/me/confirmation/consent", tag = "participants",
    request_body = ConfirmationConsent,
    responses(
        (status = 201, description = "Recorded"),
        (status = 403, description = "Only parties apply", body = super::error::ErrorBody),
        (status = 409, description = "`consent_text_outdated`, or already filed", body = super::error::ErrorBody),
    )
)]
pub(super) async fn consent(
    State(state): State<AppState>,
    auth: ParticipantAuth,
    ApiJson(request): ApiJson<ConfirmationConsent>,
) -> ApiResult<StatusCode> {
    let actor = auth.actor;
    if actor.role != ParticipantRole::Party {
        return Err(ApiError::forbidden());
    }
    let db = state.db();
    let record = db
        .application(actor.case_id)
        .await?
        .filter(|r| r.id.to_string() == request.application_id)
        .ok_or_else(|| {
            ApiError::conflict(
                "consent_text_outdated",
                "the application has changed; read it again",
            )
        })?;
    if record.status != ApplicationStatus::Prepared {
        return Err(ApiError::conflict(
            "already_filed",
            "the application has been filed",
        ));
    }
    let case = db.case(actor.case_id).await?;
    let (_, hash) = application_text(&state, &case, &record, request.language).await?;
    if hash != request.text_hash {
        return Err(ApiError::conflict(
            "consent_text_outdated",
            "the text has changed since it was shown; read it again",
        ));
    }
    let consent = NewConsent {
        kind: ConsentKind::JudicialConfirmation,
        text_version: TEXTS_VERSION.to_owned(),
        language: request.language,
        text_hash: hash,
        channel: "web",
    };
    db.give_consent(actor.case_id, actor.participant_id, &consent, state.now())
        .await?;
    Ok(StatusCode::CREATED)
}
