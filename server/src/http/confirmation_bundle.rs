//! What goes into a judicial-confirmation bundle, gathered from the store for record/bundle to
//! seal: the application with each party's consent, identities, the proof that the committee
//! presided (SPC CPL interpretation 2022, arts. 351-358), the agreement and the chain.

use super::agreement_files::{package_bytes, pdf_bytes};
use super::error::{ApiError, ApiResult};
use super::AppState;
use crate::app::IdentityDisclosure;
use crate::domain::confirmation::deadline;
use crate::domain::consent::{ConsentKind, ConsentText};
use crate::domain::ids::ParticipantId;
use crate::domain::participant::{ParticipantRole, Standing};
use crate::domain::staff::Language;
use crate::record::bundle::{build_bundle, BundleContents};
use crate::store::cases::CaseRecord;
use crate::store::confirmation::ApplicationRecord;
use crate::store::consents::ConsentRecord;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use utoipa::ToSchema;

/// Consent 11's exact text for this application, in `language`, and its SHA-256.
pub(super) async fn application_text(
    state: &AppState,
    case: &CaseRecord,
    record: &ApplicationRecord,
    language: Language,
) -> ApiResult<(ConsentText, String)> {
    let committee = state.db().committee(case.committee_id).await?;
    let text = ConsentText::application(
        language,
        &committee.name,
        &record.court_name,
        &case.number.to_string(),
        &record.agreement_hash,
    );
    let hash = hex::encode(Sha256::digest(text.shown().as_bytes()));
    Ok((text, hash))
}

/// One party's consent to the application.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct PartyConsent {
    participant_id: String,
    name: String,
    /// When they consented to this application's text; absent until they have.
    pub(super) given_at: Option<String>,
    #[serde(skip)]
    record: Option<ConsentRecord>,
}

impl PartyConsent {
    pub(super) fn is(&self, participant: &str) -> bool {
        self.participant_id == participant
    }
}

/// Each party still in the case, with their consent to exactly this application's text.
pub(super) async fn consent_status(
    state: &AppState,
    case: &CaseRecord,
    record: &ApplicationRecord,
) -> ApiResult<Vec<PartyConsent>> {
    let db = state.db();
    let consents = db.case_consents(case.id).await?;
    let mut hashes = Vec::new();
    for language in Language::ALL {
        hashes.push(application_text(state, case, record, *language).await?.1);
    }
    Ok(db
        .participants(case.id)
        .await?
        .into_iter()
        .filter(|p| p.details.standing.role() == ParticipantRole::Party)
        .map(|p| {
            let given = consents
                .iter()
                .rev()
                .find(|c| {
                    c.participant_id == p.id
                        && c.kind == ConsentKind::JudicialConfirmation
                        && c.withdrawn_at.is_none()
                        && hashes.contains(&c.text_hash)
                })
                .cloned();
            PartyConsent {
                participant_id: p.id.to_string(),
                name: p.details.name.clone(),
                given_at: given.as_ref().map(|c| c.given_at.to_rfc3339()),
                record: given,
            }
        })
        .collect())
}

/// Keeps the first character of a value and masks the rest, for a redacted identity record.
fn masked(value: Option<&str>) -> Value {
    match value {
        Some(text) => {
            let mut chars = text.chars();
            let first: String = chars.next().into_iter().collect();
            json!(format!("{first}{}", "*".repeat(chars.count())))
        }
        None => Value::Null,
    }
}

/// Builds the bundle of a prepared application: its bytes, SHA-256, and the length of the
/// chain it holds (filing checks that nothing was appended since).
pub(super) async fn assemble(
    state: &AppState,
    case: &CaseRecord,
    record: &ApplicationRecord,
) -> ApiResult<(Vec<u8>, String, u64)> {
    let db = state.db();
    let now = state.now();
    let events = db.case_events(case.id).await?;
    let (_, package) = package_bytes(state, case).await?;
    let (_, pdf) = pdf_bytes(state, case, Language::ZhCn).await?;
    let committee = db.committee(case.committee_id).await?;
    let seal = db.seal_key(case.committee_id, now).await?;
    let staff = db.users(Some(case.committee_id)).await?;
    let mediators: Vec<&str> = case
        .mediators
        .iter()
        .filter_map(|id| staff.iter().find(|u| u.id == *id))
        .map(|u| u.display_name.as_str())
        .collect();
    let mut consents = Vec::new();
    for party in consent_status(state, case, record).await? {
        let Some(given) = party.record else {
            return Err(ApiError::conflict(
                "consents_missing",
                "a party has not consented",
            ));
        };
        let (text, hash) = application_text(state, case, record, given.language).await?;
        consents.push(json!({
            "participant": party.participant_id, "name": party.name,
            "language": given.language, "title": text.title, "text": text.body,
            "text_sha256": hash, "given_at": party.given_at, "channel": given.channel,
        }));
    }
    let verified_at = |participant: ParticipantId| {
        events.iter().rev().find_map(|e| {
            (e.body.kind == "identity_verified"
                && e.body.payload["participant"] == json!(participant.to_string()))
            .then(|| json!({"method": e.body.payload["method"], "event_seq": e.body.seq}))
        })
    };
    let full = state.config().court_identities == IdentityDisclosure::Full;
    let identities: Vec<Value> = db
        .participants(case.id)
        .await?
        .into_iter()
        .filter(|p| {
            matches!(
                p.details.standing,
                Standing::Party { .. } | Standing::Agent { .. }
            )
        })
        .map(|p| {
            let d = &p.details;
            let (contact, address) = if full {
                (json!(d.contact), json!(d.service_address))
            } else {
                (
                    masked(d.contact.as_deref()),
                    masked(d.service_address.as_deref()),
                )
            };
            json!({
                "participant": p.id.to_string(), "role": d.standing.role(), "name": d.name,
                "contact": contact, "service_address": address,
                "identity_verified": verified_at(p.id),
            })
        })
        .collect();
    let effective_at = db.effective_at(case.id).await?;
    let application = json!({
        "application_id": record.id.to_string(),
        "case_id": case.id.to_string(),
        "case_number": case.number.to_string(),
        "court": {"id": record.court_id, "name": record.court_name},
        "agreement_version": record.agreement_version,
        "agreement_hash": record.agreement_hash,
        "effective_at": effective_at.map(|t| t.to_rfc3339()),
        "deadline": effective_at.map(|t| deadline(t).to_rfc3339()),
        "statements": {"personal_status": record.personal_status, "ownership": record.ownership},
        "prepared_at": record.prepared_at.to_rfc3339(),
        "consents": consents,
    });
    let presided = json!({
        "committee": {"id": committee.id.to_string(), "name": committee.name},
        "case_number": case.number.to_string(),
        "seal_fingerprint": seal.public_key().fingerprint(),
        "seal_public_key": seal.public_key().to_base64url(),
        "mediators": mediators,
    });
    let chain_length = events.len() as u64;
    let contents = BundleContents {
        case_id: case.id.to_string(),
        application_id: record.id.to_string(),
        package,
        pdf,
        application,
        identities: json!({"disclosure": if full { "full" } else { "redacted" }, "participants": identities}),
        presided,
        events,
    };
    let bytes = build_bundle(&contents, &seal).map_err(|e| {
        tracing::error!(case = %case.id, error = %e, "the bundle does not verify");
        ApiError::conflict(
            "record_altered",
            "the stored record no longer matches its event chain; no bundle can be made",
        )
    })?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    Ok((bytes, sha256, chain_length))
}
