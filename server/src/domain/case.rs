//! Cases: what a committee registers, numbers, and carries through its life (DOMAIN.md, "A case's
//! life"). The lifecycle is a pure state machine: [`CaseStatus::apply`].

use super::labels::labelled_enum;
use super::{bounded_text, Invalid};

labelled_enum! {
    /// The dispute types of the committees' statistics (报表).
    pub enum DisputeType {
        MarriageFamily = "marriage_family",
        Neighbour = "neighbour",
        HousingHomestead = "housing_homestead",
        Contract = "contract",
        Business = "business",
        Damages = "damages",
        ForestLand = "forest_land",
        RequisitionDemolition = "requisition_demolition",
        Pollution = "pollution",
        Labour = "labour",
        Consumer = "consumer",
        Medical = "medical",
        RoadTraffic = "road_traffic",
        PropertyManagement = "property_management",
        IntellectualProperty = "intellectual_property",
        Internet = "internet",
        Other = "other",
    }
}

impl DisputeType {
    /// The type as printed in documents and reports, in the words of the statistics
    /// (DOMAIN.md, 报表); the web client's dictionaries say the same.
    pub fn label(self, language: super::staff::Language) -> &'static str {
        use DisputeType as D;
        let (zh, en) = match self {
            D::MarriageFamily => ("婚姻家庭", "Marriage and family"),
            D::Neighbour => ("邻里", "Neighbours"),
            D::HousingHomestead => ("房屋宅基地", "Housing and homestead"),
            D::Contract => ("合同", "Contract"),
            D::Business => ("生产经营", "Production and business"),
            D::Damages => ("损害赔偿", "Compensation for damage"),
            D::ForestLand => ("山林土地", "Forest and land"),
            D::RequisitionDemolition => ("征地拆迁", "Land requisition and demolition"),
            D::Pollution => ("环境污染", "Environmental pollution"),
            D::Labour => ("劳动争议", "Labour"),
            D::Consumer => ("消费", "Consumer"),
            D::Medical => ("医疗", "Medical"),
            D::RoadTraffic => ("道路交通", "Road traffic"),
            D::PropertyManagement => ("物业", "Property management"),
            D::IntellectualProperty => ("知识产权", "Intellectual property"),
            D::Internet => ("互联网", "Internet"),
            D::Other => ("其他", "Other"),
        };
        match language {
            super::staff::Language::ZhCn => zh,
            super::staff::Language::En => en,
        }
    }
}

labelled_enum! {
    /// How the dispute reached the committee, recorded at registration (PML 17-18).
    pub enum CaseSource {
        PartyApplication = "party_application",
        CommitteeInitiative = "committee_initiative",
        /// 委派: a court entrusts the dispute before filing.
        CourtEntrustment = "court_entrustment",
        PoliceReferral = "police_referral",
        GovernmentAssignment = "government_assignment",
    }
}

labelled_enum! {
    pub enum CaseStatus {
        /// Applied for or referred; not yet accepted.
        Registered = "registered",
        Accepted = "accepted",
        /// One party clearly refuses mediation, so there is none (PML 17).
        Refused = "refused",
        InMediation = "in_mediation",
        /// An agreement is reached and is being signed.
        Agreed = "agreed",
        /// Every party, the mediator and the committee's seal are on it (PML 29).
        Effective = "effective",
        /// Mediation failed or a party ended it (PML 23(2), 26).
        Terminated = "terminated",
        /// The dossier is archived: the case is frozen.
        Archived = "archived",
    }
}

impl CaseSource {
    /// The source as printed in reports; the web client's dictionaries say the same.
    pub fn label(self, language: super::staff::Language) -> &'static str {
        use CaseSource as S;
        let (zh, en) = match self {
            S::PartyApplication => ("当事人申请", "Application by a party"),
            S::CommitteeInitiative => ("调委会主动调解", "On the committee’s initiative"),
            S::CourtEntrustment => ("法院委派", "Entrusted by a court"),
            S::PoliceReferral => ("公安移交", "Referred by the police"),
            S::GovernmentAssignment => ("政府部门移交", "Referred by a government office"),
        };
        match language {
            super::staff::Language::ZhCn => zh,
            super::staff::Language::En => en,
        }
    }
}

labelled_enum! {
    /// A step in a case's life. Each is allowed from some statuses only.
    pub enum CaseTransition {
        Accept = "accept",
        Refuse = "refuse",
        StartMediation = "start_mediation",
        ReachAgreement = "reach_agreement",
        TakeEffect = "take_effect",
        /// An agreement that never took effect is abandoned; mediation goes on.
        ResumeMediation = "resume_mediation",
        Terminate = "terminate",
        Archive = "archive",
    }
}

/// Escalations the committee counts a case's mediation as having prevented, figures of its
/// statistics (DOMAIN.md, 报表): a dispute kept from turning into a criminal case (防止民转刑), or
/// into a mass petition (防止群体性上访).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Prevented {
    pub criminal: bool,
    pub mass_petition: bool,
}

/// What the transition table needs to know beyond the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseFacts {
    pub mediators_assigned: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a case that is {from} cannot {transition}")]
    NotAllowed {
        from: CaseStatus,
        transition: CaseTransition,
    },
    /// PML 19: mediation is conducted by mediators the committee assigns or the parties choose.
    #[error("mediation cannot start before a mediator is assigned")]
    NoMediator,
}

impl CaseStatus {
    /// The lifecycle of DOMAIN.md: the status a transition leads to, or why it may not happen.
    pub fn apply(
        self,
        transition: CaseTransition,
        facts: CaseFacts,
    ) -> Result<CaseStatus, TransitionError> {
        use CaseStatus as S;
        use CaseTransition as T;
        let next = match (self, transition) {
            (S::Registered, T::Accept) => S::Accepted,
            (S::Registered, T::Refuse) => S::Refused,
            (S::Accepted, T::StartMediation) => {
                if facts.mediators_assigned == 0 {
                    return Err(TransitionError::NoMediator);
                }
                S::InMediation
            }
            (S::InMediation, T::ReachAgreement) => S::Agreed,
            (S::Agreed, T::TakeEffect) => S::Effective,
            (S::Agreed, T::ResumeMediation) => S::InMediation,
            // PML 23(2): a party may end the mediation at any time before it concludes.
            (S::Accepted | S::InMediation | S::Agreed, T::Terminate) => S::Terminated,
            (S::Refused | S::Effective | S::Terminated, T::Archive) => S::Archived,
            (from, transition) => return Err(TransitionError::NotAllowed { from, transition }),
        };
        Ok(next)
    }

    /// Whether someone may enter the case's live session: only while it is being mediated. An
    /// agreement in effect ends the mediation, so nobody new comes in after it.
    pub fn opens_live_session(self) -> bool {
        matches!(
            self,
            CaseStatus::Accepted | CaseStatus::InMediation | CaseStatus::Agreed
        )
    }

    /// Whether those already in the live session may stay: as long as it opens, and also once
    /// the agreement they signed in it takes effect (the mediator closes the sitting). A case
    /// archived, refused or terminated holds no sitting.
    pub fn keeps_live_session(self) -> bool {
        self.opens_live_session() || self == CaseStatus::Effective
    }

    /// An archived case takes no more writes (its dossier is closed).
    pub fn is_frozen(self) -> bool {
        self == CaseStatus::Archived
    }
}

/// "(YYYY) 人调字第 N 号": numbered per committee and calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseNumber {
    pub year: i32,
    pub seq: i64,
}

impl std::fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "({}) 人调字第 {} 号", self.year, self.seq)
    }
}

/// Upper bound for a registered sequence number; beyond it a typing slip is more likely than a
/// committee's millionth case of the year.
const MAX_CASE_SEQ: i64 = 999_999;

/// Checks a case sequence number supplied at registration (e.g. carried over from a paper register).
pub fn check_case_seq(seq: i64) -> Result<i64, Invalid> {
    if (1..=MAX_CASE_SEQ).contains(&seq) {
        Ok(seq)
    } else {
        Err(Invalid::one(
            "",
            format!("must be between 1 and {MAX_CASE_SEQ}"),
        ))
    }
}

/// An amount of money in fen (分), never as a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AmountFen(i64);

impl AmountFen {
    /// One hundred billion yuan: more than any people's mediation has involved.
    const MAX: i64 = 10_000_000_000_000;

    pub fn parse(fen: i64) -> Result<Self, Invalid> {
        if fen < 0 {
            return Err(Invalid::one("", "must not be negative"));
        }
        if fen > Self::MAX {
            return Err(Invalid::one("", "is implausibly large"));
        }
        Ok(Self(fen))
    }

    pub fn fen(self) -> i64 {
        self.0
    }
}

/// The registration details of a case, checked; also what an edit replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDetails {
    pub dispute_type: DisputeType,
    pub source: CaseSource,
    pub summary: String,
    pub amount: Option<AmountFen>,
}

impl CaseDetails {
    pub fn parse(
        dispute_type: DisputeType,
        source: CaseSource,
        summary: &str,
        amount_fen: Option<i64>,
    ) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let summary = invalid.take("summary", bounded_text(summary, 1, 4000));
        let amount = match amount_fen {
            None => None,
            Some(fen) => invalid.take("amount_fen", AmountFen::parse(fen)),
        };
        match summary {
            Some(summary) if invalid.is_empty() => Ok(Self {
                dispute_type,
                source,
                summary,
                amount,
            }),
            _ => Err(invalid),
        }
    }
}

#[cfg(test)]
mod tests;
