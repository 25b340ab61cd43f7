//! Termination (PML 26): a mediation that cannot reach an agreement is ended by its mediator, who
//! tells the parties that they may protect their rights by arbitration, an administrative route
//! or litigation. What is recorded: the reasons (a fixed list, and details in the mediator's
//! words, which the parties read) and the notice given, by its version and the SHA-256 of its
//! text in each language. The case then moves to `terminated` (`CaseTransition::Terminate`).

mod notice;

pub use notice::{RoutesNotice, NOTICE_VERSION};

use super::labels::labelled_enum;
use super::staff::Language;
use super::{optional_text, Invalid};
use serde::Serialize;

labelled_enum! {
    /// Why a mediation ended without agreement.
    pub enum TerminationReason {
        /// A party refused to go on with the mediation (PML 23(2)).
        PartyRefused = "party_refused",
        /// A party withdrew from it (PML 23(2)).
        PartyWithdrew = "party_withdrew",
        /// The parties were heard but no agreement could be reached (PML 26).
        NoAgreement = "no_agreement",
        /// The dispute went to a court, an arbitration or an administrative authority.
        OtherProceedings = "other_proceedings",
        /// Something else, said in the details.
        Other = "other",
    }
}

pub const MAX_DETAILS_CHARS: usize = 2000;

/// A termination as the mediator records it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Termination {
    /// At least one, each once, in the order of [`TerminationReason::ALL`].
    pub reasons: Vec<TerminationReason>,
    pub details: Option<String>,
}

impl Termination {
    pub fn parse(reasons: &[TerminationReason], details: Option<&str>) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let mut reasons = reasons.to_vec();
        reasons.sort();
        reasons.dedup();
        if reasons.is_empty() {
            invalid.push("reasons", "name at least one reason");
        }
        let details = invalid.take("details", optional_text(details, MAX_DETAILS_CHARS));
        if reasons.contains(&TerminationReason::Other) && matches!(details, Some(None)) {
            invalid.push("details", "say what the other reason is");
        }
        match details {
            Some(details) if invalid.is_empty() => Ok(Self { reasons, details }),
            _ => Err(invalid),
        }
    }
}

/// The notice of other routes as given in one language: the record's commitment to its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeGiven {
    pub version: String,
    pub language: Language,
    pub text_sha256: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use TerminationReason as R;

    fn fields(err: Invalid) -> Vec<String> {
        err.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn reasons_are_needed_and_kept_once_each_in_a_fixed_order() {
        let termination =
            Termination::parse(&[R::NoAgreement, R::PartyRefused, R::NoAgreement], None).unwrap();
        assert_eq!(termination.reasons, [R::PartyRefused, R::NoAgreement]);
        assert_eq!(termination.details, None);
        assert_eq!(
            fields(Termination::parse(&[], None).unwrap_err()),
            ["reasons"]
        );
    }

    #[test]
    fn other_needs_details_and_details_are_bounded() {
        let err = Termination::parse(&[R::Other], Some("  ")).unwrap_err();
        assert_eq!(fields(err), ["details"]);
        let other = Termination::parse(&[R::Other], Some(" 当事人出国 ")).unwrap();
        assert_eq!(other.details.as_deref(), Some("当事人出国"));
        let long = "理".repeat(MAX_DETAILS_CHARS + 1);
        let err = Termination::parse(&[R::NoAgreement], Some(&long)).unwrap_err();
        assert_eq!(fields(err), ["details"]);
    }
}
