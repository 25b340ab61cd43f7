//! Consents: a participant reads each text and consents to it, or withdraws; the case's staff
//! see what was given. The server renders the texts, so what is recorded is what it served.

use super::auth::{Auth, ParticipantAuth};
use super::cases::authorized_case;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::AppState;
use crate::domain::consent::attendance::missing_consents;
use crate::domain::consent::{ConsentKind, ConsentText, TEXTS_VERSION};
use crate::domain::ids::CaseId;
use crate::domain::live::{MemberId, Revocation};
use crate::domain::participant::ParticipantRole;
use crate::domain::permissions::{CaseAction, ParticipantActor};
use crate::domain::staff::Language;
use crate::store::consents::{ConsentRecord, NewConsent};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct LanguageQuery {
    /// `zh-CN` (the default) or `en`.
    pub(super) lang: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ConsentItem {
    kind: ConsentKind,
    title: String,
    /// The exact text to show; consenting records its SHA-256.
    text: String,
    /// Needed before joining a live session.
    required: bool,
    /// When it was given, if it is in force (to this version of the texts).
    given_at: Option<String>,
    /// The version and language of the text given to, when in force.
    given_version: Option<String>,
    given_language: Option<Language>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct MyConsents {
    version: &'static str,
    language: Language,
    consents: Vec<ConsentItem>,
}

/// The texts a participant is asked to consent to, and which of them are in force.
async fn texts_for(
    state: &AppState,
    actor: ParticipantActor,
    language: Language,
) -> ApiResult<Vec<ConsentText>> {
    let db = state.db();
    let case = db.case(actor.case_id).await?;
    let committee = db.committee(case.committee_id).await?;
    let staff = db.users(Some(case.committee_id)).await?;
    let separator = if language == Language::ZhCn {
        "、"
    } else {
        ", "
    };
    let mediators = case
        .mediators
        .iter()
        .filter_map(|id| staff.iter().find(|u| u.id == *id))
        .map(|u| u.display_name.as_str())
        .collect::<Vec<_>>()
        .join(separator);
    Ok(ConsentKind::asked_of(actor.role)
        .iter()
        .map(|kind| ConsentText::render(*kind, language, &committee.name, &mediators))
        .collect())
}

fn hash_of(text: &ConsentText) -> String {
    hex::encode(Sha256::digest(text.shown().as_bytes()))
}

#[utoipa::path(
    get, path = "/api/me/consents", tag = "participants",
    params(LanguageQuery),
    responses((status = 200, body = MyConsents), (status = 401, body = super::error::ErrorBody))
)]
pub(super) async fn mine(
    State(state): State<AppState>,
    auth: ParticipantAuth,
    ApiQuery(query): ApiQuery<LanguageQuery>,
) -> ApiResult<Json<MyConsents>> {
    let language = query.lang.unwrap_or(Language::ZhCn);
    let texts = texts_for(&state, auth.actor, language).await?;
    let records = state.db().consents_of(auth.actor.participant_id).await?;
    let required = ConsentKind::required_to_join(auth.actor.role);
    Ok(Json(MyConsents {
        version: TEXTS_VERSION,
        language,
        consents: texts
            .into_iter()
            .map(|text| {
                let given = ConsentRecord::in_force(&records, text.kind);
                ConsentItem {
                    kind: text.kind,
                    required: required.contains(&text.kind),
                    given_at: given.map(|r| r.given_at.to_rfc3339()),
                    given_version: given.map(|r| r.text_version.clone()),
                    given_language: given.map(|r| r.language),
                    title: text.title,
                    text: text.body,
                }
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct GiveConsent {
    kind: ConsentKind,
    /// The `version` of the texts that were shown.
    version: String,
    /// The language they were shown in.
    language: Language,
}

/// Records the participant's consent to the text they were shown.
#[utoipa::path(
    post, path = "/api/me/consents", tag = "participants",
    request_body = GiveConsent,
    responses(
        (status = 201, description = "Recorded"),
        (status = 409, description = "`consent_text_outdated`: reload the texts", body = super::error::ErrorBody),
        (status = 422, description = "A kind this participant is not asked for", body = super::error::ErrorBody),
    )
)]
pub(super) async fn give(
    State(state): State<AppState>,
    auth: ParticipantAuth,
    ApiJson(request): ApiJson<GiveConsent>,
) -> ApiResult<StatusCode> {
    if request.version != TEXTS_VERSION {
        return Err(ApiError::conflict(
            "consent_text_outdated",
            "the texts have changed since they were shown; read them again",
        ));
    }
    let texts = texts_for(&state, auth.actor, request.language).await?;
    let text = texts
        .iter()
        .find(|t| t.kind == request.kind)
        .ok_or_else(|| ApiError::invalid_field("kind", "is not asked of this participant"))?;
    let consent = NewConsent {
        kind: request.kind,
        text_version: TEXTS_VERSION.to_owned(),
        language: request.language,
        text_hash: hash_of(text),
        channel: "web",
    };
    state
        .db()
        .give_consent(
            auth.actor.case_id,
            auth.actor.participant_id,
            &consent,
            state.now(),
        )
        .await?;
    Ok(StatusCode::CREATED)
}

/// Withdraws a consent. Withdrawing voluntary participation or the online mode ends the
/// participation at once (PML 23(2)): a live session sends the participant away.
#[utoipa::path(
    post, path = "/api/me/consents/{kind}/withdraw", tag = "participants",
    params(("kind" = ConsentKind, Path)),
    responses((status = 204), (status = 404, description = "Not in force", body = super::error::ErrorBody))
)]
pub(super) async fn withdraw(
    State(state): State<AppState>,
    auth: ParticipantAuth,
    ApiPath(kind): ApiPath<ConsentKind>,
) -> ApiResult<StatusCode> {
    let actor = auth.actor;
    state
        .db()
        .withdraw_consent(actor.case_id, actor.participant_id, kind, state.now())
        .await?;
    let member = MemberId::Participant(actor.participant_id);
    if kind.withdrawal_ends_participation() {
        state.live().withdrawn(actor.case_id, member, kind).await;
    } else {
        // Another consent the role needs in a session (confidentiality, personal information):
        // without it the participant may not stay, though they have not left the mediation.
        state
            .live()
            .revoked(actor.case_id, Revocation::ConsentWithdrawn, Some(member))
            .await;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ConsentView {
    participant_id: Uuid,
    kind: ConsentKind,
    version: String,
    language: Language,
    /// SHA-256 of the exact text shown.
    text_hash: String,
    channel: String,
    given_at: String,
    withdrawn_at: Option<String>,
}

/// Every consent given in the case, withdrawn ones included.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/consents", tag = "cases",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = Vec<ConsentView>), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn of_case(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<ConsentView>>> {
    authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let records = state.db().case_consents(case_id).await?;
    Ok(Json(
        records
            .into_iter()
            .map(|r| ConsentView {
                participant_id: r.participant_id.uuid(),
                kind: r.kind,
                version: r.text_version,
                language: r.language,
                text_hash: r.text_hash,
                channel: r.channel,
                given_at: r.given_at.to_rfc3339(),
                withdrawn_at: r.withdrawn_at.map(|t| t.to_rfc3339()),
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct RecordingView {
    /// Every party has consented to recording, to the current text (OMR 22).
    allowed: bool,
    /// The parties who have not.
    missing: Vec<Uuid>,
}

/// Whether the session may be recorded: only when every party has consented (OMR 22). Accord
/// has no recorder yet; this is the rule any recorder must ask.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/recording", tag = "cases",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = RecordingView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn recording(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<RecordingView>> {
    authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let records = state.db().case_consents(case_id).await?;
    let parties: Vec<_> = state
        .db()
        .participants(case_id)
        .await?
        .into_iter()
        .filter(|p| p.details.standing.role() == ParticipantRole::Party)
        .map(|p| p.id)
        .collect();
    let consented: Vec<_> = parties
        .iter()
        .copied()
        .filter(|party| {
            let own: Vec<_> = records
                .iter()
                .filter(|r| r.participant_id == *party)
                .cloned()
                .collect();
            ConsentRecord::in_force(&own, ConsentKind::Recording).is_some()
        })
        .collect();
    let missing = missing_consents(&parties, &consented);
    Ok(Json(RecordingView {
        allowed: missing.is_empty(),
        missing: missing.into_iter().map(|p| p.uuid()).collect(),
    }))
}
