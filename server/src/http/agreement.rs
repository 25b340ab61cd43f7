//! The mediation agreement (PML 29): drafted by the case's mediators, read and commented on by
//! its parties, frozen for signing. Signing itself is in [`super::signing`].

use super::auth::Auth;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath};
use super::AppState;
use crate::domain::agreement::lifecycle::AgreementRefused;
use crate::domain::agreement::{AgreementBody, AgreementContent, AgreementForm, AgreementStage};
use crate::domain::ids::CaseId;
use crate::domain::live::MemberId;
use crate::domain::participant::ParticipantRole;
use crate::domain::permissions::{check_agreement, Actor, AgreementAction, CaseScope};
use crate::domain::{bounded_text, Timestamp};
use crate::live::protocol::RecordPart;
use crate::store::agreements::AgreementVersionRecord;
use crate::store::cases::CaseRecord;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The case, once `auth` may do `action` on its agreement.
pub(super) async fn agreement_case(
    state: &AppState,
    auth: &Auth,
    case_id: CaseId,
    action: AgreementAction,
) -> ApiResult<CaseRecord> {
    let case = state.db().case(case_id).await?;
    let scope = CaseScope {
        case_id: case.id,
        committee_id: case.committee_id,
        mediators: &case.mediators,
    };
    check_agreement(&auth.actor, action, &scope)?;
    Ok(case)
}

/// The asker as the case names them (`p-…` or `s-…`), with their name.
pub(super) async fn asker(state: &AppState, auth: &Auth) -> ApiResult<(MemberId, String)> {
    Ok(match auth.actor {
        Actor::Staff(s) => {
            let user = state.db().user(s.user_id).await?;
            (MemberId::Staff(s.user_id), user.display_name)
        }
        Actor::Participant(p) => {
            let participant = state.db().participant(p.case_id, p.participant_id).await?;
            (
                MemberId::Participant(p.participant_id),
                participant.details.name,
            )
        }
    })
}

pub(super) fn refused(refusal: AgreementRefused) -> ApiError {
    let code = match refusal {
        AgreementRefused::NotInMediation => "case_not_in_mediation",
        AgreementRefused::AlreadyEffective => "agreement_effective",
        AgreementRefused::NoSuchVersion => "no_such_version",
        AgreementRefused::NotLatest => "not_latest_version",
        AgreementRefused::AlreadyFinalised => "already_finalised",
        AgreementRefused::MediationNotStarted => "mediation_not_started",
    };
    ApiError::conflict(code, refusal.to_string())
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct VersionView {
    version: u64,
    form: AgreementForm,
    stage: AgreementStage,
    /// Hex SHA-256 of `signed_text`.
    agreement_hash: String,
    /// Exactly the bytes a signer signs (RFC 8785 JSON, UTF-8); `agreement` is the same, parsed.
    signed_text: String,
    #[schema(value_type = Object)]
    agreement: serde_json::Value,
    created_at: String,
    finalised_at: Option<String>,
    /// A later version replaced this frozen one: its signatures no longer count.
    voided_at: Option<String>,
    /// When the seal went on and the agreement took effect.
    effective_at: Option<String>,
}

impl VersionView {
    pub(super) fn new(record: &AgreementVersionRecord) -> ApiResult<Self> {
        let stage = record.stage();
        Ok(VersionView {
            version: record.version,
            form: record.form,
            stage,
            agreement_hash: record.agreement_hash.clone(),
            signed_text: record.body.clone(),
            agreement: record.value()?,
            created_at: record.created_at.to_rfc3339(),
            finalised_at: record.finalised_at.map(Timestamp::to_rfc3339),
            voided_at: record.voided_at.map(Timestamp::to_rfc3339),
            effective_at: record.sealed_at.map(Timestamp::to_rfc3339),
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CommentView {
    version: u64,
    author: String,
    author_name: String,
    text: String,
    posted_at: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct DraftRequest {
    /// `written`, or `oral` for an oral agreement the mediator records (PML 28, 30).
    form: AgreementForm,
    content: AgreementContent,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct Drafted {
    version: u64,
}

/// Saves a new version of the draft. Saving after the text was frozen makes a new draft: any
/// signatures given stay on the record but no longer count.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/agreement/versions", tag = "agreement",
    params(("case_id" = Uuid, Path)),
    request_body = DraftRequest,
    responses(
        (status = 201, body = Drafted),
        (status = 409, description = "The case is not in mediation, or the agreement is in effect", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn draft(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<DraftRequest>,
) -> ApiResult<(StatusCode, Json<Drafted>)> {
    let case = agreement_case(&state, &auth, case_id, AgreementAction::Draft).await?;
    let parties: Vec<_> = state
        .db()
        .participants(case_id)
        .await?
        .into_iter()
        .filter(|p| p.details.standing.role() == ParticipantRole::Party)
        .map(|p| p.id)
        .collect();
    let content = request
        .content
        .check(&parties)
        .map_err(|e| e.under("content"))?;
    let committee = state.db().committee(case.committee_id).await?;
    let body = AgreementBody {
        case_id,
        case_number: case.number.to_string(),
        committee: committee.name,
        dispute_type: case.dispute_type,
        version: 0,
        form: request.form,
        content,
    };
    let version = state
        .db()
        .save_agreement_draft(case_id, body, super::cases::event_actor(&auth), state.now())
        .await?
        .map_err(refused)?;
    state
        .live()
        .record_changed(case_id, RecordPart::Agreement)
        .await;
    Ok((StatusCode::CREATED, Json(Drafted { version })))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct FinaliseRequest {
    /// The version read and agreed: the latest draft.
    version: u64,
}

/// Freezes the latest draft for signing; the case becomes agreed.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/agreement/finalise", tag = "agreement",
    params(("case_id" = Uuid, Path)),
    request_body = FinaliseRequest,
    responses(
        (status = 204, description = "Frozen for signing"),
        (status = 409, description = "Not the latest draft, or the case is not in mediation", body = super::error::ErrorBody),
    )
)]
pub(super) async fn finalise(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<FinaliseRequest>,
) -> ApiResult<StatusCode> {
    agreement_case(&state, &auth, case_id, AgreementAction::Draft).await?;
    state
        .db()
        .finalise_agreement(
            case_id,
            request.version,
            super::cases::event_actor(&auth),
            state.now(),
        )
        .await?
        .map_err(refused)?;
    state
        .live()
        .record_changed(case_id, RecordPart::Agreement)
        .await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CommentRequest {
    version: u64,
    /// 1 to 2000 characters.
    text: String,
}

/// Comments on a version: the parties' say in the drafting.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/agreement/comments", tag = "agreement",
    params(("case_id" = Uuid, Path)),
    request_body = CommentRequest,
    responses(
        (status = 204, description = "Recorded"),
        (status = 404, description = "No such case or version", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn comment(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<CommentRequest>,
) -> ApiResult<StatusCode> {
    agreement_case(&state, &auth, case_id, AgreementAction::Comment).await?;
    let text = bounded_text(&request.text, 1, 2000).map_err(|e| e.under("text"))?;
    let (author, name) = asker(&state, &auth).await?;
    state
        .db()
        .comment_on_agreement(
            case_id,
            request.version,
            (&author.to_string(), &name),
            &text,
            super::cases::event_actor(&auth),
            state.now(),
        )
        .await?;
    state
        .live()
        .record_changed(case_id, RecordPart::Agreement)
        .await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct VersionsView {
    /// Oldest first.
    versions: Vec<VersionView>,
    comments: Vec<CommentView>,
}

/// Every version and every comment, for reading the history of the drafting.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/agreement/versions", tag = "agreement",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = VersionsView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn versions(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<VersionsView>> {
    agreement_case(&state, &auth, case_id, AgreementAction::Read).await?;
    let versions = state.db().agreement_versions(case_id).await?;
    let comments = state.db().agreement_comments(case_id).await?;
    Ok(Json(VersionsView {
        versions: versions
            .iter()
            .map(VersionView::new)
            .collect::<ApiResult<_>>()?,
        comments: comments
            .into_iter()
            .map(|c| CommentView {
                version: c.version,
                author: c.author,
                author_name: c.author_name,
                text: c.text,
                posted_at: c.posted_at.to_rfc3339(),
            })
            .collect(),
    }))
}
