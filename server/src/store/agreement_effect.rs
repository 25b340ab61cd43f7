//! How an agreement took effect, read back from the case's chain: the one place that says
//! whether a version was sealed electronically, signed and stamped on paper, or registered as
//! an oral agreement. What is printed or sent about it claims no more than this finds.

use super::{Db, StoreError, StoreResult};
use crate::domain::ids::CaseId;
use crate::domain::Timestamp;
use serde::Deserialize;
use sqlx::Row as _;

/// The route by which a version took effect, with what the chain recorded of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakenEffect {
    /// The committee's electronic seal went on after every signature (PML 29, OMR 19), with
    /// the seal key recorded then (base64url Ed25519).
    Sealed {
        seal_public_key: String,
        at: Timestamp,
    },
    /// Signed in ink and stamped on paper (ESL 3); the chain holds the scan's SHA-256.
    OnPaper { scan_sha256: String, at: Timestamp },
    /// An oral agreement the mediator registered (PML 28, 30): no signature, no seal.
    Oral { at: Timestamp },
}

/// The part of each effect event's payload that is read back, typed.
#[derive(Deserialize)]
struct EffectPayload {
    version: u64,
    #[serde(default)]
    seal_public_key: Option<String>,
    #[serde(default)]
    scan_sha256: Option<String>,
}

impl Db {
    /// How `version` of the case's agreement took effect, if it has.
    pub async fn agreement_taken_effect(
        &self,
        case: CaseId,
        version: u64,
    ) -> StoreResult<Option<TakenEffect>> {
        let rows = sqlx::query(
            "SELECT kind, payload, at FROM case_events WHERE case_id = $1 AND kind IN \
             ('agreement_sealed', 'agreement_signed_on_paper', 'oral_agreement_effective') \
             ORDER BY seq",
        )
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        for row in rows {
            let kind: String = row.try_get("kind")?;
            let payload: String = row.try_get("payload")?;
            let at = Timestamp::from_millis(row.try_get("at")?);
            let corrupt = |e: &dyn std::fmt::Display| {
                StoreError::Corrupt(format!("{kind} event of case {case}: {e}"))
            };
            let effect: EffectPayload = serde_json::from_str(&payload).map_err(|e| corrupt(&e))?;
            if effect.version != version {
                continue;
            }
            let missing = |field: &str| corrupt(&format!("no {field}"));
            return Ok(Some(match kind.as_str() {
                "agreement_sealed" => TakenEffect::Sealed {
                    seal_public_key: effect
                        .seal_public_key
                        .ok_or_else(|| missing("seal_public_key"))?,
                    at,
                },
                "agreement_signed_on_paper" => TakenEffect::OnPaper {
                    scan_sha256: effect.scan_sha256.ok_or_else(|| missing("scan_sha256"))?,
                    at,
                },
                _ => TakenEffect::Oral { at },
            }));
        }
        Ok(None)
    }
}
