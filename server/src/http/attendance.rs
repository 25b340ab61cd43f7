//! A party's consent to each invited participant (PML 20) and observer (PML 23(3)) of their
//! case: until every party has given it, a mediator cannot admit that person to the session,
//! and once a party withdraws it, the person cannot stay in the session's rooms.

use super::auth::ParticipantAuth;
use super::consents::LanguageQuery;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::AppState;
use crate::domain::consent::attendance::{
    attendance_text, needs_parties_consent, ATTENDANCE_TEXT_VERSION,
};
use crate::domain::ids::ParticipantId;
use crate::domain::participant::ParticipantRole;
use crate::domain::permissions::ParticipantActor;
use crate::domain::staff::Language;
use crate::record::commitment::text_sha256;
use crate::store::attendance::NewAttendanceConsent;
use crate::store::participants::ParticipantRecord;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct AttendeeItem {
    participant_id: Uuid,
    name: String,
    role: ParticipantRole,
    title: String,
    /// The exact text to show; consenting records its SHA-256.
    text: String,
    /// When this party consented, if the consent is in force.
    given_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct MyAttendees {
    version: &'static str,
    language: Language,
    attendees: Vec<AttendeeItem>,
}

/// Only a party decides who else may attend (PML 20, 23(3)).
fn party_only(actor: ParticipantActor) -> ApiResult<ParticipantActor> {
    if actor.role == ParticipantRole::Party {
        Ok(actor)
    } else {
        Err(ApiError::forbidden())
    }
}

async fn attendees(state: &AppState, actor: ParticipantActor) -> ApiResult<Vec<ParticipantRecord>> {
    Ok(state
        .db()
        .participants(actor.case_id)
        .await?
        .into_iter()
        .filter(|p| needs_parties_consent(p.details.standing.role()))
        .collect())
}

fn text_of(attendee: &ParticipantRecord, language: Language) -> (String, String) {
    attendance_text(
        language,
        &attendee.details.name,
        attendee.details.standing.role(),
    )
}

/// The commitment to the text as shown: title and body, as the other consents' texts.
fn hash_of((title, body): &(String, String)) -> String {
    text_sha256(&format!("{title}\n\n{body}"))
}

#[utoipa::path(
    get, path = "/api/me/attendees", tag = "participants",
    params(LanguageQuery),
    responses(
        (status = 200, body = MyAttendees),
        (status = 403, description = "Not a party", body = super::error::ErrorBody),
    )
)]
pub(super) async fn mine(
    State(state): State<AppState>,
    auth: ParticipantAuth,
    ApiQuery(query): ApiQuery<LanguageQuery>,
) -> ApiResult<Json<MyAttendees>> {
    let actor = party_only(auth.actor)?;
    let language = query.lang.unwrap_or(Language::ZhCn);
    let given = state.db().attendance_consents(actor.case_id).await?;
    let attendees = attendees(&state, actor)
        .await?
        .into_iter()
        .map(|attendee| {
            let (title, text) = text_of(&attendee, language);
            let consent = given
                .iter()
                .find(|c| c.party == actor.participant_id && c.attendee == attendee.id);
            AttendeeItem {
                participant_id: attendee.id.uuid(),
                role: attendee.details.standing.role(),
                name: attendee.details.name,
                title,
                text,
                given_at: consent.map(|c| c.given_at.to_rfc3339()),
            }
        })
        .collect();
    Ok(Json(MyAttendees {
        version: ATTENDANCE_TEXT_VERSION,
        language,
        attendees,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct GiveAttendanceConsent {
    /// The `version` of the text that was shown.
    version: String,
    /// The language it was shown in.
    language: Language,
}

/// Records the party's consent to one attendee, to the text they were shown.
#[utoipa::path(
    post, path = "/api/me/attendees/{participant_id}/consent", tag = "participants",
    params(("participant_id" = Uuid, Path)),
    request_body = GiveAttendanceConsent,
    responses(
        (status = 201, description = "Recorded"),
        (status = 404, description = "No such attendee in this case", body = super::error::ErrorBody),
        (status = 409, description = "`consent_text_outdated`: reload the texts", body = super::error::ErrorBody),
    )
)]
pub(super) async fn give(
    State(state): State<AppState>,
    auth: ParticipantAuth,
    ApiPath(attendee): ApiPath<ParticipantId>,
    ApiJson(request): ApiJson<GiveAttendanceConsent>,
) -> ApiResult<StatusCode> {
    let actor = party_only(auth.actor)?;
    if request.version != ATTENDANCE_TEXT_VERSION {
        return Err(ApiError::conflict(
            "consent_text_outdated",
            "the text has changed since it was shown; read it again",
        ));
    }
    let record = attendees(&state, actor)
        .await?
        .into_iter()
        .find(|a| a.id == attendee)
        .ok_or_else(ApiError::not_found)?;
    let consent = NewAttendanceConsent {
        attendee,
        version: ATTENDANCE_TEXT_VERSION.to_owned(),
        language: request.language,
        text_hash: hash_of(&text_of(&record, request.language)),
    };
    state
        .db()
        .give_attendance_consent(actor.case_id, actor.participant_id, &consent, state.now())
        .await?;
    Ok(StatusCode::CREATED)
}

/// Withdraws the party's consent to one attendee: a mediator can no longer admit them, and if
/// they are in a room of the case's live session, they go back to its waiting room at once
/// (PML 20, 23(3)).
#[utoipa::path(
    post, path = "/api/me/attendees/{participant_id}/withdraw", tag = "participants",
    params(("participant_id" = Uuid, Path)),
    responses((status = 204), (status = 404, description = "Not in force", body = super::error::ErrorBody))
)]
pub(super) async fn withdraw(
    State(state): State<AppState>,
    auth: ParticipantAuth,
    ApiPath(attendee): ApiPath<ParticipantId>,
) -> ApiResult<StatusCode> {
    let actor = party_only(auth.actor)?;
    state
        .db()
        .withdraw_attendance_consent(actor.case_id, actor.participant_id, attendee, state.now())
        .await?;
    state
        .live()
        .attendance_withdrawn(actor.case_id, actor.participant_id, attendee)
        .await;
    Ok(StatusCode::NO_CONTENT)
}
