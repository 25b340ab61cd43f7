//! The paper route (ESL 3): an agreement on marriage, adoption, inheritance or another personal
//! relationship cannot be signed electronically, so its parties and mediator sign the printed
//! agreement (`document.pdf` prints blank lines for them), the committee stamps its seal on the
//! paper, and the mediator records here that it was done, with the SHA-256 of the scan the
//! committee keeps. The agreement is in effect from then on (PML 29).

use super::agreement::agreement_case;
use super::auth::Auth;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath};
use super::AppState;
use crate::domain::agreement::lifecycle::PaperRefused;
use crate::domain::ids::CaseId;
use crate::domain::permissions::{Actor, AgreementAction};
use crate::live::protocol::RecordPart;
use crate::record::commitment::is_sha256_hex;
use crate::store::paper_signing::PaperSigningRefused;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PaperSigningRequest {
    /// The version open for signing, as printed.
    version: u64,
    /// Its hash, printed on the paper: the version must still be this text.
    agreement_hash: String,
    /// SHA-256 of the scan of the signed, sealed paper, 64 lowercase hex digits. The scan
    /// stays with the committee (the paper original goes into the dossier); its hash binds the
    /// record to it.
    scan_sha256: String,
}

fn refused(refusal: PaperSigningRefused) -> ApiError {
    let (code, message) = match refusal {
        PaperSigningRefused::NotThisVersion => (
            "not_this_version",
            "the agreement open for signing is not this version or text".to_owned(),
        ),
        PaperSigningRefused::Rule(rule) => (
            match rule {
                PaperRefused::NotOpenForSigning => "not_open_for_signing",
                PaperRefused::AlreadyEffective => "agreement_effective",
                PaperRefused::SignElectronically => "sign_electronically",
            },
            rule.to_string(),
        ),
    };
    ApiError::conflict(code, message)
}

/// Records that the version open for signing, an agreement on a personal relationship, was
/// signed by every party and the mediator on paper and sealed by the committee: it takes effect
/// now. For the case's mediators.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/agreement/paper", tag = "agreement",
    params(("case_id" = Uuid, Path)),
    request_body = PaperSigningRequest,
    responses(
        (status = 204, description = "Recorded: the agreement is in effect"),
        (status = 403, body = super::error::ErrorBody),
        (status = 404, body = super::error::ErrorBody),
        (status = 409, description = "Not open for signing, not this version, already in effect, or signed electronically", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn record(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<PaperSigningRequest>,
) -> ApiResult<StatusCode> {
    agreement_case(&state, &auth, case_id, AgreementAction::RecordPaperSigning).await?;
    let Actor::Staff(mediator) = auth.actor else {
        return Err(ApiError::forbidden());
    };
    if !is_sha256_hex(&request.scan_sha256) {
        return Err(ApiError::invalid_field(
            "scan_sha256",
            "must be 64 lowercase hex digits",
        ));
    }
    state
        .db()
        .record_paper_signing(
            case_id,
            request.version,
            &request.agreement_hash,
            &request.scan_sha256,
            mediator.user_id,
            state.now(),
        )
        .await?
        .map_err(refused)?;
    tracing::info!(case = %case_id, version = request.version, "agreement signed on paper");
    state
        .live()
        .record_changed(case_id, RecordPart::Agreement)
        .await;
    Ok(StatusCode::NO_CONTENT)
}
