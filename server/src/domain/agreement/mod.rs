//! The mediation agreement (调解协议书, PML 29): what it must contain, how its versions follow
//! each other, who signs it and in which order, and when it takes effect.
//!
//! A draft is edited freely and each save is a new version. Finalising freezes one version for
//! signing. Every party signs, then the mediator (DOMAIN.md); then the committee's seal goes on
//! and the agreement takes effect (PML 29, OMR 19). Changing the text after any signature makes
//! a new draft: the signatures given stay on the record but no longer count.

mod content;
pub mod lifecycle;

pub use content::{AgreementContent, PartyDetails, Sex, Term};

use super::case::DisputeType;
use super::ids::{CaseId, ParticipantId, UserId};
use super::labels::labelled_enum;
use serde::{Deserialize, Serialize};

labelled_enum! {
    /// How the agreement was reached (PML 28): in writing, or orally and recorded by the mediator.
    pub enum AgreementForm {
        Written = "written",
        /// PML 28, 30: the mediator records an oral agreement; it binds from the parties' assent.
        Oral = "oral",
    }
}

labelled_enum! {
    pub enum AgreementStage {
        Draft = "draft",
        /// A version is frozen and waits for its signatures.
        Signing = "signing",
        /// Every signature and the seal are on it: it is in effect.
        Effective = "effective",
    }
}

/// One version of the agreement exactly as it is signed: its canonical JSON (RFC 8785) is the
/// bytes every signer's browser signs, so it names the case and the committee as well as the
/// text (ESL 13(4): a change to any of it shows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementBody {
    pub case_id: CaseId,
    pub case_number: String,
    pub committee: String,
    pub dispute_type: DisputeType,
    pub version: u64,
    pub form: AgreementForm,
    pub content: AgreementContent,
}

/// Someone who signs an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Signer {
    Party(ParticipantId),
    /// A party's agent, signing for `principal` with their own key, under a power of attorney
    /// that gives special authority to settle (特别授权): the mediator checked it.
    Agent {
        agent: ParticipantId,
        principal: ParticipantId,
    },
    Mediator(UserId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SigningRefused {
    #[error("this version is not open for signing")]
    NotOpenForSigning,
    #[error("the mediator signs after every party")]
    PartiesFirst,
    #[error("this signer has already signed this version")]
    AlreadySigned,
    #[error("this person does not sign this agreement")]
    NotASigner,
    /// An agent signs only under a power of attorney with special authority to settle, which
    /// the mediator has checked.
    #[error("no power of attorney with authority to sign has been checked for this agent")]
    NoSigningAuthority,
    /// ESL 3: documents on marriage, adoption, inheritance and other personal relationships are
    /// outside electronic signatures' validity.
    #[error("an agreement about a personal relationship must be signed on paper (ESL 3)")]
    PersonalRelationship,
}

/// Who must sign a version, and who already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningState {
    pub parties: Vec<ParticipantId>,
    pub mediators: Vec<UserId>,
    /// Agents whose authority to sign for their principal the mediator checked: (agent,
    /// principal).
    pub authorised_agents: Vec<(ParticipantId, ParticipantId)>,
    pub signed: Vec<Signer>,
}

impl SigningState {
    /// May `signer` sign now? Parties in any order; a mediator once every party has signed.
    pub fn check(
        &self,
        stage: AgreementStage,
        personal_relationship: bool,
        signer: Signer,
    ) -> Result<(), SigningRefused> {
        if stage != AgreementStage::Signing {
            return Err(SigningRefused::NotOpenForSigning);
        }
        if personal_relationship {
            return Err(SigningRefused::PersonalRelationship);
        }
        if self.signed.contains(&signer) {
            return Err(SigningRefused::AlreadySigned);
        }
        match signer {
            // A party signs once, in person or through their agent, not both.
            Signer::Party(p) | Signer::Agent { principal: p, .. } if self.signed_for(p) => {
                Err(SigningRefused::AlreadySigned)
            }
            Signer::Party(p) if self.parties.contains(&p) => Ok(()),
            Signer::Agent { agent, principal } if self.parties.contains(&principal) => {
                if self.authorised_agents.contains(&(agent, principal)) {
                    Ok(())
                } else {
                    Err(SigningRefused::NoSigningAuthority)
                }
            }
            Signer::Mediator(m) if self.mediators.contains(&m) => {
                if self.all_parties_signed() {
                    Ok(())
                } else {
                    Err(SigningRefused::PartiesFirst)
                }
            }
            _ => Err(SigningRefused::NotASigner),
        }
    }

    /// Has `party` signed, in person or through their agent?
    pub fn signed_for(&self, party: ParticipantId) -> bool {
        self.signed.iter().any(|signer| match signer {
            Signer::Party(p) | Signer::Agent { principal: p, .. } => *p == party,
            Signer::Mediator(_) => false,
        })
    }

    pub fn all_parties_signed(&self) -> bool {
        self.parties.iter().all(|p| self.signed_for(*p))
    }

    /// Every party and at least one mediator: the seal may go on (PML 29).
    pub fn complete(&self) -> bool {
        self.all_parties_signed()
            && self
                .mediators
                .iter()
                .any(|m| self.signed.contains(&Signer::Mediator(*m)))
    }
}

#[cfg(test)]
mod tests;
