//! Signing the agreement in the browser (ESL 13): each signer's browser makes a key it cannot
//! export, the server binds its public half to the signer's verified identity, verifies each
//! signature over the frozen version's canonical bytes, and seals the agreement with the
//! committee's key once everyone has signed (PML 29, OMR 19).

use super::agreement::{agreement_case, asker, VersionView};
use super::auth::Auth;
use super::cases::event_actor;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath};
use super::AppState;
use crate::domain::agreement::{AgreementForm, Signer};
use crate::domain::ids::{CaseId, ParticipantId};
use crate::domain::participant::{IdentityMethod, ParticipantRole};
use crate::domain::permissions::{Actor, AgreementAction};
use crate::live::protocol::RecordPart;
use crate::record::agreement::SignerRole;
use crate::record::signature::{decode_base64url, verify_p1363, SignerKey};
use crate::store::signing::{signer_id, NewSignature, SignatureRefused, Signed};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The signer the asker is, if they sign at all: an agent signs for the party they represent.
async fn signer_of(state: &AppState, actor: &Actor) -> ApiResult<Option<Signer>> {
    Ok(match actor {
        Actor::Staff(s) => Some(Signer::Mediator(s.user_id)),
        Actor::Participant(p) if p.role == ParticipantRole::Party => {
            Some(Signer::Party(p.participant_id))
        }
        Actor::Participant(p) if p.role == ParticipantRole::Agent => {
            let agent = state.db().participant(p.case_id, p.participant_id).await?;
            agent
                .details
                .standing
                .represents()
                .map(|principal| Signer::Agent {
                    agent: p.participant_id,
                    principal,
                })
        }
        Actor::Participant(_) => None,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SignerView {
    /// `p-<participant>` or `s-<staff user>`.
    signer: String,
    name: String,
    /// `party`, `agent` or `mediator`.
    role: &'static str,
    /// For an agent: the party they sign for.
    signs_for: Option<String>,
    /// For an agent: a mediator checked their power of attorney gives authority to sign.
    authority_checked: bool,
    /// The key registered from their browser, bound or not.
    key_thumbprint: Option<String>,
    /// Bound to their verified identity: they can sign.
    key_bound: bool,
    /// When they signed the latest version.
    signed_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct AgreementView {
    /// The latest version, if any was drafted.
    latest: Option<VersionView>,
    /// Everyone who signs: each party, then the case's mediators (one of whom signs).
    signers: Vec<SignerView>,
    /// The asker's signer id, when they sign.
    you: Option<String>,
    /// The committee's seal key fingerprint, once sealed.
    seal_fingerprint: Option<String>,
}

/// The agreement as it stands: the latest version and who has signed it.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/agreement", tag = "agreement",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = AgreementView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn current(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<AgreementView>> {
    let case = agreement_case(&state, &auth, case_id, AgreementAction::Read).await?;
    let db = state.db();
    let latest = db.agreement_versions(case_id).await?.pop();
    let signatures = match &latest {
        Some(v) => db.agreement_signatures(case_id, v.version).await?,
        None => Vec::new(),
    };
    let keys = db.signer_keys(case_id).await?;
    let parties = db.participants(case_id).await?;
    let staff = db.users(Some(case.committee_id)).await?;
    let authorised = db.authorised_agents(case_id).await?;
    // Each party, each of their agents (who may sign for them once authorised), the mediators.
    let people = parties
        .iter()
        .filter_map(|p| match p.details.standing.role() {
            ParticipantRole::Party => Some((Signer::Party(p.id), p.details.name.clone(), "party")),
            ParticipantRole::Agent => p.details.standing.represents().map(|principal| {
                let signer = Signer::Agent {
                    agent: p.id,
                    principal,
                };
                (signer, p.details.name.clone(), "agent")
            }),
            _ => None,
        })
        .chain(case.mediators.iter().filter_map(|m| {
            let user = staff.iter().find(|u| u.id == *m)?;
            Some((Signer::Mediator(*m), user.display_name.clone(), "mediator"))
        }));
    let signers = people
        .map(|(signer, name, role)| {
            let id = signer_id(signer);
            let key = keys.iter().find(|k| k.signer == id);
            let (signs_for, authority_checked) = match signer {
                Signer::Agent { agent, principal } => (
                    Some(signer_id(Signer::Party(principal))),
                    authorised.contains(&agent),
                ),
                _ => (None, true),
            };
            SignerView {
                name,
                role,
                signs_for,
                authority_checked,
                key_thumbprint: key.map(|k| k.public_key.thumbprint()),
                key_bound: key.is_some_and(|k| k.bound_at.is_some()),
                signed_at: signatures
                    .iter()
                    .find(|s| s.signer == id)
                    .map(|s| s.signed_at.to_rfc3339()),
                signer: id,
            }
        })
        .collect();
    let sealed = latest
        .as_ref()
        .is_some_and(|v| v.sealed_at.is_some() && v.form == AgreementForm::Written);
    let seal_fingerprint = if sealed {
        let key = db.seal_key(case.committee_id, state.now()).await?;
        Some(key.public_key().fingerprint())
    } else {
        None
    };
    Ok(Json(AgreementView {
        latest: latest.as_ref().map(VersionView::new).transpose()?,
        signers,
        you: signer_of(&state, &auth.actor).await?.map(signer_id),
        seal_fingerprint,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct KeyRequest {
    /// The public JWK of an ECDSA P-256 key the browser made non-extractable
    /// (`crypto.subtle.exportKey('jwk', publicKey)`); a private member is refused.
    #[schema(value_type = Object)]
    public_key: serde_json::Value,
}

/// Registers the key the signer's browser made. A mediator's is bound at once; a party's once
/// a mediator verifies their identity.
#[utoipa::path(
    put, path = "/api/cases/{case_id}/agreement/key", tag = "agreement",
    params(("case_id" = Uuid, Path)),
    request_body = KeyRequest,
    responses((status = 204, description = "Registered"), (status = 422, body = super::error::ErrorBody))
)]
pub(super) async fn register_key(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<KeyRequest>,
) -> ApiResult<StatusCode> {
    agreement_case(&state, &auth, case_id, AgreementAction::Sign).await?;
    let signer = signer_of(&state, &auth.actor)
        .await?
        .ok_or_else(ApiError::forbidden)?;
    let key = SignerKey::from_jwk(&request.public_key)
        .map_err(|e| ApiError::invalid_field("public_key", e.to_string()))?;
    let changed = state
        .db()
        .register_signer_key(case_id, signer, &key, event_actor(&auth), state.now())
        .await?;
    // Only a new key is news: clients register theirs on every visit.
    if changed {
        state
            .live()
            .record_changed(case_id, RecordPart::Agreement)
            .await;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct IdentityRequest {
    method: IdentityMethod,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct IdentityVerified {
    /// The thumbprint of the signing key this bound, if the participant had registered one.
    key_bound: Option<String>,
}

/// Records that the mediator checked who the participant is (OMR 17), binding the signing key
/// their browser registered.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/participants/{participant_id}/identity", tag = "agreement",
    params(("case_id" = Uuid, Path), ("participant_id" = Uuid, Path)),
    request_body = IdentityRequest,
    responses((status = 200, body = IdentityVerified), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn verify_identity(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, participant_id)): ApiPath<(CaseId, ParticipantId)>,
    ApiJson(request): ApiJson<IdentityRequest>,
) -> ApiResult<Json<IdentityVerified>> {
    agreement_case(&state, &auth, case_id, AgreementAction::VerifyIdentity).await?;
    state.db().participant(case_id, participant_id).await?;
    let key_bound = state
        .db()
        .verify_identity(
            case_id,
            participant_id,
            request.method,
            event_actor(&auth),
            state.now(),
        )
        .await?;
    state
        .live()
        .record_changed(case_id, RecordPart::Agreement)
        .await;
    Ok(Json(IdentityVerified { key_bound }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SignRequest {
    version: u64,
    /// The hash shown to the signer: the version must still be this text.
    agreement_hash: String,
    /// Base64url of the 64-byte IEEE P1363 ECDSA signature WebCrypto gives over `signed_text`.
    signature: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SignResult {
    /// This was the last signature: sealed, and in effect from now.
    sealed: bool,
}

fn signature_refused(refusal: SignatureRefused) -> ApiError {
    use crate::domain::agreement::SigningRefused as R;
    let code = match refusal {
        SignatureRefused::NotThisVersion => "not_this_version",
        SignatureRefused::KeyNotBound => "key_not_bound",
        SignatureRefused::Rule(R::NotOpenForSigning) => "not_open_for_signing",
        SignatureRefused::Rule(R::PartiesFirst) => "parties_sign_first",
        SignatureRefused::Rule(R::AlreadySigned) => "already_signed",
        SignatureRefused::Rule(R::NotASigner) => "not_a_signer",
        SignatureRefused::Rule(R::NoSigningAuthority) => "no_signing_authority",
        SignatureRefused::Rule(R::PersonalRelationship) => "sign_on_paper",
    };
    ApiError::conflict(code, refusal.to_string())
}

/// Signs the version open for signing. The server checks the signature with the signer's
/// bound key before recording it; the last one seals the agreement.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/agreement/signatures", tag = "agreement",
    params(("case_id" = Uuid, Path)),
    request_body = SignRequest,
    responses(
        (status = 201, body = SignResult),
        (status = 409, description = "Not open for signing, not this version, key not bound, already signed, or parties first", body = super::error::ErrorBody),
        (status = 422, description = "The signature does not verify", body = super::error::ErrorBody),
    )
)]
pub(super) async fn sign(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<SignRequest>,
) -> ApiResult<(StatusCode, Json<SignResult>)> {
    let case = agreement_case(&state, &auth, case_id, AgreementAction::Sign).await?;
    let signer = signer_of(&state, &auth.actor)
        .await?
        .ok_or_else(ApiError::forbidden)?;
    let db = state.db();
    let latest = db.agreement_versions(case_id).await?.pop();
    let version = latest
        .filter(|v| v.version == request.version && v.agreement_hash == request.agreement_hash)
        .ok_or_else(|| signature_refused(SignatureRefused::NotThisVersion))?;
    let id = signer_id(signer);
    let key = db
        .signer_keys(case_id)
        .await?
        .into_iter()
        .find(|k| k.signer == id && k.bound_at.is_some())
        .ok_or_else(|| signature_refused(SignatureRefused::KeyNotBound))?;
    let signature = decode_base64url(&request.signature)
        .map_err(|e| ApiError::invalid_field("signature", e.to_string()))?;
    verify_p1363(&key.public_key, version.body.as_bytes(), &signature)
        .map_err(|e| ApiError::invalid_field("signature", e.to_string()))?;
    let (_, name) = asker(&state, &auth).await?;
    let personal = version.parsed()?.content.personal_relationship;
    let new = NewSignature {
        version: version.version,
        agreement_hash: version.agreement_hash,
        signer,
        role: match signer {
            Signer::Party(_) => SignerRole::Party,
            Signer::Agent { .. } => SignerRole::Agent,
            Signer::Mediator(_) => SignerRole::Mediator,
        },
        name,
        public_key: key.public_key,
        signature,
    };
    let outcome = db
        .record_signature(case_id, case.committee_id, &new, personal, state.now())
        .await?
        .map_err(signature_refused)?;
    state
        .live()
        .record_changed(case_id, RecordPart::Agreement)
        .await;
    Ok((
        StatusCode::CREATED,
        Json(SignResult {
            sealed: outcome == Signed::Sealed,
        }),
    ))
}
