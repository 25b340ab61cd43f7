//! An agent's authority to sign. A party may be represented by an agent (代理人); the agent signs
//! the agreement for them only under a power of attorney with special authority to settle
//! (特别授权). The mediator checks the document (shown on camera, or handed in) and records
//! that here; from then on the agent's own key, bound like a party's at the identity check,
//! signs for the party.

use super::agreement::agreement_case;
use super::auth::Auth;
use super::cases::event_actor;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath};
use super::AppState;
use crate::domain::ids::{CaseId, ParticipantId};
use crate::domain::permissions::AgreementAction;
use crate::live::protocol::RecordPart;
use crate::record::commitment::is_sha256_hex;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SigningAuthorityRequest {
    /// SHA-256 of the power of attorney's scan, 64 lowercase hex digits, when the committee
    /// keeps one for the dossier (授权委托书).
    document_sha256: Option<String>,
}

/// Records that the mediator checked the agent's power of attorney: it gives special authority
/// to settle and sign the agreement for the party they represent.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/participants/{participant_id}/signing-authority",
    tag = "agreement",
    params(("case_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    request_body = SigningAuthorityRequest,
    responses(
        (status = 204, description = "Recorded: the agent may sign for the party"),
        (status = 403, body = super::error::ErrorBody),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, description = "Not an agent of this case", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn record(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, agent)): ApiPath<(CaseId, ParticipantId)>,
    ApiJson(request): ApiJson<SigningAuthorityRequest>,
) -> ApiResult<StatusCode> {
    agreement_case(&state, &auth, case_id, AgreementAction::VerifyIdentity).await?;
    state.db().participant(case_id, agent).await?;
    if let Some(hash) = &request.document_sha256 {
        if !is_sha256_hex(hash) {
            return Err(ApiError::invalid_field(
                "document_sha256",
                "must be 64 lowercase hex digits",
            ));
        }
    }
    state
        .db()
        .verify_signing_authority(
            case_id,
            agent,
            request.document_sha256.as_deref(),
            event_actor(&auth),
            state.now(),
        )
        .await?
        .ok_or_else(|| {
            ApiError::conflict(
                "not_an_agent",
                "only a party's agent signs for them under a power of attorney",
            )
        })?;
    state
        .live()
        .record_changed(case_id, RecordPart::Agreement)
        .await;
    Ok(StatusCode::NO_CONTENT)
}
