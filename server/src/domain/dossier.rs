//! The dossier (卷宗, DOMAIN.md): the numbered items a committee files for each case, built from
//! the case's record. Pure: the store says what the record holds; this module says which items
//! that makes, which are required, and which are missing.

use super::case::CaseStatus;
use serde::Serialize;

/// What the record of a case holds, as far as the dossier is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecordHolds {
    pub registered: bool,
    /// Every party acknowledged the notice of rights and duties (consent 2).
    pub rights_notice_by_all: bool,
    /// Every party's identity was verified by a mediator (OMR 17).
    pub identities_verified: bool,
    pub agents: bool,
    pub notes: bool,
    pub agreement_effective: bool,
    pub termination: bool,
    pub visits_recorded: bool,
    pub judicial_confirmation: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DossierItem {
    /// Its number in the dossier, from 1.
    pub number: u8,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    /// M in DOMAIN.md: the dossier is incomplete without it.
    pub required: bool,
    /// The record holds it.
    pub present: bool,
}

/// The items of a case's dossier in their order. The agreement is required of a case that
/// ended in one; a terminated case files its termination record (PML 26) in its place.
pub fn items(status: CaseStatus, holds: RecordHolds) -> Vec<DossierItem> {
    let agreed = matches!(status, CaseStatus::Effective)
        || (status == CaseStatus::Archived && holds.agreement_effective);
    let list: [(&str, &str, bool, bool); 12] = [
        (
            "申请书或受理登记表",
            "Application or acceptance registration",
            true,
            holds.registered,
        ),
        (
            "权利义务告知书",
            "Notice of rights and duties",
            true,
            holds.rights_notice_by_all,
        ),
        (
            "当事人身份证明",
            "Proof of the parties' identity",
            true,
            holds.identities_verified,
        ),
        ("授权委托书", "Power of attorney", false, holds.agents),
        ("调查记录", "Investigation record", false, false),
        ("证据材料", "Evidence", false, false),
        ("调解笔录", "Mediation record (调解笔录)", true, holds.notes),
        (
            "调解协议书或终止调解记录",
            "Mediation agreement, or the record of termination",
            agreed || holds.termination,
            holds.agreement_effective || holds.termination,
        ),
        (
            "履行凭证",
            "Proof of performance",
            false,
            holds.visits_recorded,
        ),
        (
            "回访记录",
            "Return-visit record",
            agreed,
            holds.visits_recorded,
        ),
        (
            "司法确认材料",
            "Judicial-confirmation materials",
            false,
            holds.judicial_confirmation,
        ),
        (
            "卷宗封底",
            "Back cover",
            true,
            status == CaseStatus::Archived,
        ),
    ];
    list.into_iter()
        .zip(1u8..)
        .map(|((zh, en, required, present), number)| DossierItem {
            number,
            title_zh: zh,
            title_en: en,
            required,
            present,
        })
        .collect()
}

/// The required items the record does not hold: what keeps a dossier from being complete.
pub fn missing(items: &[DossierItem]) -> Vec<u8> {
    items
        .iter()
        .filter(|i| i.required && !i.present)
        .map(|i| i.number)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> RecordHolds {
        RecordHolds {
            registered: true,
            rights_notice_by_all: true,
            identities_verified: true,
            notes: true,
            agreement_effective: true,
            visits_recorded: true,
            ..RecordHolds::default()
        }
    }

    #[test]
    fn an_archived_agreed_case_with_its_record_is_complete() {
        let items = items(CaseStatus::Archived, full());
        assert_eq!(items.len(), 12);
        assert_eq!(items[0].number, 1);
        assert!(missing(&items).is_empty(), "{items:?}");
    }

    #[test]
    fn what_is_missing_is_named_by_number() {
        let holds = RecordHolds {
            notes: false,
            visits_recorded: false,
            ..full()
        };
        assert_eq!(missing(&items(CaseStatus::Effective, holds)), [7, 10, 12]);
    }

    #[test]
    fn a_terminated_case_files_its_termination_instead_of_an_agreement() {
        let holds = RecordHolds {
            agreement_effective: false,
            termination: true,
            visits_recorded: false,
            ..full()
        };
        let items = items(CaseStatus::Terminated, holds);
        assert!(items[7].required && items[7].present);
        assert!(!items[9].required, "no visits without an agreement");
        assert_eq!(missing(&items), [12]);
    }
}
