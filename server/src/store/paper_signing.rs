//! The paper route for an agreement on a personal relationship (ESL 3): signed and sealed on
//! paper, recorded by its mediator, in effect from then on like any other.

use super::agreements::{facts, latest_version, take_effect};
use super::cases::lock_for_write;
use super::{events, Db, StoreResult};
use crate::domain::agreement::lifecycle::{plan_paper_signing, PaperRefused};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::{CaseId, UserId};
use crate::domain::Timestamp;

/// Why a paper signing was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperSigningRefused {
    Rule(PaperRefused),
    /// The version or its hash is not the one open for signing: the text changed meanwhile.
    NotThisVersion,
}

impl Db {
    /// Records that `version` (whose hash is `agreement_hash`) was signed on paper by every
    /// party and the mediator and sealed by the committee, as `mediator` attests; the agreement
    /// takes effect now and its return visits are planned (PML 29, 31).
    pub async fn record_paper_signing(
        &self,
        case: CaseId,
        version: u64,
        agreement_hash: &str,
        scan_sha256: &str,
        mediator: UserId,
        now: Timestamp,
    ) -> StoreResult<Result<(), PaperSigningRefused>> {
        let actor = EventActor::Staff(mediator);
        let mut tx = self.pool().begin().await?;
        let status = lock_for_write(&mut tx, case, now).await?;
        let latest = latest_version(&mut tx, case).await?;
        let personal = match &latest {
            Some(v) => v.parsed()?.content.personal_relationship,
            None => false,
        };
        if let Err(refused) = plan_paper_signing(latest.as_ref().map(facts), personal) {
            return Ok(Err(PaperSigningRefused::Rule(refused)));
        }
        let Some(latest) =
            latest.filter(|v| v.version == version && v.agreement_hash == agreement_hash)
        else {
            return Ok(Err(PaperSigningRefused::NotThisVersion));
        };
        let signed = CaseEvent::AgreementSignedOnPaper {
            version,
            agreement_hash: latest.agreement_hash.clone(),
            scan_sha256: scan_sha256.to_owned(),
        };
        events::append(&mut tx, case, actor, &signed, now).await?;
        take_effect(&mut tx, case, &latest, status, actor, now).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}
