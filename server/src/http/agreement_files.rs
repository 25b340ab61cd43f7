//! What a sealed agreement leaves behind: the package anyone checks offline with `accord verify`,
//! the printable 人民调解协议书, and the committee's published seal key to compare against.

use super::agreement::agreement_case;
use super::auth::Auth;
use super::consents::LanguageQuery;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiPath, ApiQuery};
use super::AppState;
use crate::documents::{
    agreement_pdf, AgreementDocument, Effect, SealLine, SignatureLine, SignerRole as DocumentRole,
};
use crate::domain::agreement::AgreementForm;
use crate::domain::ids::{CaseId, CommitteeId};
use crate::domain::permissions::AgreementAction;
use crate::domain::staff::Language;
use crate::record::agreement::{build_package, PackageSignature, SignerRole};
use crate::record::signature::SealPublicKey;
use crate::store::agreement_effect::TakenEffect;
use crate::store::cases::CaseRecord;
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// The signed, sealed agreement with the case's record, as one file anyone can check offline
/// with `accord verify` (format `accord-agreement/1`).
#[utoipa::path(
    get, path = "/api/cases/{case_id}/agreement/package", tag = "agreement",
    params(("case_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The package", content_type = "application/json"),
        (status = 409, description = "Not in effect yet", body = super::error::ErrorBody),
    )
)]
pub(super) async fn package(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Response> {
    let case = agreement_case(&state, &auth, case_id, AgreementAction::Read).await?;
    let (version, bytes) = package_bytes(&state, &case).await?;
    let filename = format!("agreement-{case_id}-v{version}.json");
    Ok(super::files::file(
        "application/json",
        false,
        &filename,
        bytes,
    ))
}

/// The sealed version's `accord-agreement/1` package, and its version number.
pub(super) async fn package_bytes(
    state: &AppState,
    case: &CaseRecord,
) -> ApiResult<(u64, Vec<u8>)> {
    let case_id = case.id;
    let db = state.db();
    let version = db
        .agreement_versions(case_id)
        .await?
        .pop()
        .filter(|v| v.sealed_at.is_some())
        .ok_or_else(|| {
            ApiError::conflict("not_effective", "the agreement has not taken effect yet")
        })?;
    if version.form == AgreementForm::Oral {
        return Err(ApiError::conflict(
            "oral_agreement",
            "an oral agreement is not signed or sealed (PML 30): its record is the case's event log",
        ));
    }
    if version.parsed()?.content.personal_relationship {
        return Err(ApiError::conflict(
            "signed_on_paper",
            "this agreement was signed and sealed on paper (ESL 3): the paper original is the \
             agreement, and the case's event log records it",
        ));
    }
    let signatures = db
        .agreement_signatures(case_id, version.version)
        .await?
        .into_iter()
        .map(|s| PackageSignature {
            signer: s.signer,
            role: s.role,
            name: s.name,
            public_key: s.public_key,
            signature: s.signature,
        })
        .collect();
    let committee = db.committee(case.committee_id).await?;
    let seal = db.seal_key(case.committee_id, state.now()).await?;
    let events = db.case_events(case_id).await?;
    let bytes = build_package(
        &version.value()?,
        signatures,
        &seal,
        &committee.name,
        events,
    )
    .map_err(|e| {
        // The stored record no longer matches its chain: someone edited the database.
        tracing::error!(case = %case_id, error = %e, "the agreement package does not verify");
        record_altered()
    })?;
    Ok((version.version, bytes))
}

/// The latest version as a PDF in the 人民调解协议书 layout, with a signature page listing each
/// signer, their key's fingerprint, the time and the document's hash (PML 29). Chinese by
/// default; `?lang=en` for English.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/agreement/document.pdf", tag = "agreement",
    params(("case_id" = Uuid, Path), LanguageQuery),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 404, description = "No such case, or no agreement drafted", body = super::error::ErrorBody),
    )
)]
pub(super) async fn document(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiQuery(query): ApiQuery<LanguageQuery>,
) -> ApiResult<Response> {
    let case = agreement_case(&state, &auth, case_id, AgreementAction::Read).await?;
    let language = query.lang.unwrap_or(Language::ZhCn);
    let (version, bytes) = pdf_bytes(&state, &case, language).await?;
    let filename = format!("agreement-v{version}-{}.pdf", language.as_str());
    Ok(super::files::file(
        "application/pdf",
        true,
        &filename,
        bytes,
    ))
}

/// The latest version as the printed agreement, and its version number.
pub(super) async fn pdf_bytes(
    state: &AppState,
    case: &CaseRecord,
    language: Language,
) -> ApiResult<(u64, Vec<u8>)> {
    let case_id = case.id;
    let db = state.db();
    let version = db
        .agreement_versions(case_id)
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    let body = version.parsed()?;
    let signatures: Vec<SignatureLine> = db
        .agreement_signatures(case_id, version.version)
        .await?
        .into_iter()
        .map(|s| SignatureLine {
            name: s.name,
            role: match s.role {
                SignerRole::Party => DocumentRole::Party,
                SignerRole::Agent => DocumentRole::Agent,
                SignerRole::Mediator => DocumentRole::Mediator,
            },
            key_thumbprint: s.public_key.thumbprint(),
            signed_at: s.signed_at.to_rfc3339(),
        })
        .collect();
    // What took effect, and how, is the chain's to say: the printed seal is the one recorded
    // when it went on, and only if it did.
    let taken = db.agreement_taken_effect(case_id, version.version).await?;
    if taken.is_some() != version.sealed_at.is_some() {
        tracing::error!(case = %case_id, "the agreement's effect and its chain disagree");
        return Err(record_altered());
    }
    let (seal, effective_at);
    let effect = match &taken {
        Some(TakenEffect::Sealed {
            seal_public_key,
            at,
        }) => {
            let key =
                SealPublicKey::from_base64url(seal_public_key).map_err(|_| record_altered())?;
            seal = SealLine {
                fingerprint: key.fingerprint(),
                sealed_at: at.to_rfc3339(),
            };
            Effect::Sealed(&seal)
        }
        Some(TakenEffect::OnPaper { at, .. }) => {
            effective_at = at.to_rfc3339();
            Effect::OnPaper {
                effective_at: &effective_at,
            }
        }
        Some(TakenEffect::Oral { at }) => {
            effective_at = at.to_rfc3339();
            Effect::Oral {
                effective_at: &effective_at,
            }
        }
        None => Effect::Pending,
    };
    let document = AgreementDocument {
        committee: &body.committee,
        case_number: &body.case_number,
        dispute_type: body.dispute_type.label(language),
        version: version.version,
        content: &body.content,
        agreement_hash: &version.agreement_hash,
        signatures: &signatures,
        effect,
    };
    let bytes = agreement_pdf(&document, language);
    Ok((version.version, bytes))
}

fn record_altered() -> ApiError {
    ApiError::conflict(
        "record_altered",
        "the stored record of this agreement no longer matches its event chain",
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SealKeyView {
    committee: String,
    /// Base64url Ed25519 public key (32 bytes).
    public_key: String,
    /// RFC 7638 thumbprint: what a verifier compares with `accord verify`'s output.
    fingerprint: String,
}

/// The committee's published seal key, for anyone checking a sealed agreement.
#[utoipa::path(
    get, path = "/api/committees/{committee_id}/seal", tag = "agreement",
    params(("committee_id" = Uuid, Path)),
    responses((status = 200, body = SealKeyView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn seal_key(
    State(state): State<AppState>,
    ApiPath(committee_id): ApiPath<CommitteeId>,
) -> ApiResult<Json<SealKeyView>> {
    let committee = state.db().committee(committee_id).await?;
    let key = state
        .db()
        .seal_key(committee_id, state.now())
        .await?
        .public_key();
    Ok(Json(SealKeyView {
        committee: committee.name,
        public_key: key.to_base64url(),
        fingerprint: key.fingerprint(),
    }))
}
