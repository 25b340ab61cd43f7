//! How an agreement's versions follow each other, decided from facts the store reads: when a
//! draft may be saved, when a version may be frozen for signing, and what saving a draft undoes.

use super::{AgreementForm, AgreementStage};
use crate::domain::case::{CaseStatus, CaseTransition};

/// What is known of the latest version of a case's agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatestVersion {
    pub version: u64,
    pub finalised: bool,
    pub sealed: bool,
}

impl LatestVersion {
    pub fn stage(&self) -> AgreementStage {
        match (self.finalised, self.sealed) {
            (_, true) => AgreementStage::Effective,
            (true, false) => AgreementStage::Signing,
            (false, false) => AgreementStage::Draft,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AgreementRefused {
    #[error("the agreement can only be drafted while the case is accepted or in mediation")]
    NotInMediation,
    #[error("the agreement has taken effect and can no longer change")]
    AlreadyEffective,
    #[error("there is no such version of the agreement")]
    NoSuchVersion,
    #[error("a newer version of the agreement exists")]
    NotLatest,
    #[error("this version is already frozen for signing")]
    AlreadyFinalised,
    /// PML 29: what is signed is what the mediation reached, in a session that took place.
    #[error("a version can be frozen for signing only once mediation has started")]
    MediationNotStarted,
}

/// What saving a new draft does besides adding the version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftPlan {
    pub version: u64,
    /// The frozen version this draft replaces: signatures given on it no longer count.
    pub voids: Option<u64>,
    /// The case goes back from agreed to in mediation.
    pub transition: Option<CaseTransition>,
}

/// May a new draft be saved, and what follows? A change after any signature makes a new
/// version, so the signatures given stay on the record but count for nothing (ESL 13(4)).
pub fn plan_draft(
    status: CaseStatus,
    latest: Option<LatestVersion>,
) -> Result<DraftPlan, AgreementRefused> {
    if !matches!(
        status,
        CaseStatus::Accepted | CaseStatus::InMediation | CaseStatus::Agreed
    ) {
        return Err(if status == CaseStatus::Effective {
            AgreementRefused::AlreadyEffective
        } else {
            AgreementRefused::NotInMediation
        });
    }
    let version = latest.map_or(1, |l| l.version + 1);
    match latest.map(|l| (l, l.stage())) {
        Some((_, AgreementStage::Effective)) => Err(AgreementRefused::AlreadyEffective),
        Some((frozen, AgreementStage::Signing)) => Ok(DraftPlan {
            version,
            voids: Some(frozen.version),
            transition: (status == CaseStatus::Agreed).then_some(CaseTransition::ResumeMediation),
        }),
        _ => Ok(DraftPlan {
            version,
            voids: None,
            transition: None,
        }),
    }
}

/// Does a version take effect the moment the mediator records it? An oral agreement does, from
/// the day the parties reached it (PML 30): nobody signs it and no seal goes on; the mediator's
/// record of it is the proof (PML 28). A written one waits for its signatures and the seal.
pub fn takes_effect_when_recorded(form: AgreementForm) -> bool {
    form == AgreementForm::Oral
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PaperRefused {
    #[error("no version of the agreement is open for signing")]
    NotOpenForSigning,
    #[error("the agreement has taken effect and can no longer change")]
    AlreadyEffective,
    /// The paper route exists because ESL 3 rules electronic signatures out; where they are
    /// valid, the agreement is signed in the browser, with keys bound to verified identities.
    #[error("this agreement is signed electronically; paper is for agreements on personal relationships (ESL 3)")]
    SignElectronically,
}

/// May the mediator record that the version open for signing was signed and sealed on paper?
/// Only an agreement on a personal relationship (marriage, adoption, inheritance: ESL 3), which
/// cannot be signed electronically: every party and the mediator sign the printed agreement,
/// the committee stamps its seal on it (PML 29), and the mediator records that it was done.
pub fn plan_paper_signing(
    latest: Option<LatestVersion>,
    personal_relationship: bool,
) -> Result<(), PaperRefused> {
    match latest.map(|l| l.stage()) {
        Some(AgreementStage::Signing) if personal_relationship => Ok(()),
        Some(AgreementStage::Signing) => Err(PaperRefused::SignElectronically),
        Some(AgreementStage::Effective) => Err(PaperRefused::AlreadyEffective),
        Some(AgreementStage::Draft) | None => Err(PaperRefused::NotOpenForSigning),
    }
}

/// May `version` be frozen for signing? Only the latest draft, once mediation is under way; the
/// case then counts as agreed (DOMAIN.md lifecycle).
pub fn plan_finalise(
    status: CaseStatus,
    latest: Option<LatestVersion>,
    version: u64,
) -> Result<CaseTransition, AgreementRefused> {
    let latest = latest.ok_or(AgreementRefused::NoSuchVersion)?;
    if version > latest.version || version == 0 {
        return Err(AgreementRefused::NoSuchVersion);
    }
    if version < latest.version {
        return Err(AgreementRefused::NotLatest);
    }
    match latest.stage() {
        AgreementStage::Effective => return Err(AgreementRefused::AlreadyEffective),
        AgreementStage::Signing => return Err(AgreementRefused::AlreadyFinalised),
        AgreementStage::Draft => {}
    }
    match status {
        CaseStatus::InMediation => Ok(CaseTransition::ReachAgreement),
        CaseStatus::Accepted => Err(AgreementRefused::MediationNotStarted),
        _ => Err(AgreementRefused::NotInMediation),
    }
}
