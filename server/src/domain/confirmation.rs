//! Judicial confirmation (司法确认): the parties' joint application to a court to confirm their
//! mediation agreement, which makes it enforceable (PML 33; CPL 205-206).
//!
//! The rules here decide whether an agreement may be taken to a court at all (SPC interpretation
//! of the CPL, 2022, art. 355), by when (30 days from the agreement taking effect, PML 33), and
//! how the court's answers move an application along. Time arrives as an argument.

use super::case::DisputeType;
use super::labels::labelled_enum;
use super::Timestamp;

/// PML 33; CPL 205: the parties apply within thirty days of the agreement taking effect.
pub const APPLICATION_DAYS: i64 = 30;
const DAY_MS: i64 = 24 * 3_600_000;

/// The last instant an application may be filed: thirty days after `effective_at` (PML 33).
pub fn deadline(effective_at: Timestamp) -> Timestamp {
    effective_at.plus_millis(APPLICATION_DAYS * DAY_MS)
}

labelled_enum! {
    /// How close the deadline is, for the mediator's console: warned 7 and 2 days before.
    pub enum DeadlineWarning {
        /// More than 7 days left.
        None = "none",
        /// 7 days or fewer left.
        Soon = "soon",
        /// 2 days or fewer left.
        Urgent = "urgent",
        /// The 30 days are over: no application can be filed any more (PML 33).
        Expired = "expired",
    }
}

/// The warning level at `now` for an agreement in effect since `effective_at`.
pub fn warning(effective_at: Timestamp, now: Timestamp) -> DeadlineWarning {
    let left = deadline(effective_at).millis() - now.millis();
    if left < 0 {
        DeadlineWarning::Expired
    } else if left <= 2 * DAY_MS {
        DeadlineWarning::Urgent
    } else if left <= 7 * DAY_MS {
        DeadlineWarning::Soon
    } else {
        DeadlineWarning::None
    }
}

/// What the mediator states about the agreement when preparing the application. For dispute
/// types where the answer is not obvious the statement is required, not assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplicationFacts {
    pub dispute_type: DisputeType,
    /// The agreement was flagged as concerning personal relationships (ESL 3).
    pub agreement_personal_relationship: bool,
    /// The agreement settles identity, marriage or adoption status.
    pub personal_status: Option<bool>,
    /// The agreement settles who owns a property right or an intellectual property right.
    pub ownership: Option<bool>,
}

/// Why an application may not be made. Each message cites the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    #[error(
        "judicial confirmation is not available for identity, marriage or adoption matters \
         (SPC CPL interpretation 2022, art. 355(3))"
    )]
    PersonalStatus,
    #[error(
        "judicial confirmation is not available for the ownership of property rights \
         (SPC CPL interpretation 2022, art. 355(5))"
    )]
    PropertyOwnership,
    #[error(
        "judicial confirmation is not available for the ownership of intellectual property \
         (SPC CPL interpretation 2022, art. 355(5))"
    )]
    IntellectualPropertyOwnership,
    #[error("state whether the agreement settles identity, marriage or adoption status")]
    PersonalStatusNotStated,
    #[error("state whether the agreement settles the ownership of a property or IP right")]
    OwnershipNotStated,
    #[error("the 30 days to apply for judicial confirmation ended at {0} (PML 33; CPL 205)")]
    TooLate(String),
}

impl Ineligible {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Ineligible::PersonalStatus => "personal_status_matter",
            Ineligible::PropertyOwnership => "property_ownership",
            Ineligible::IntellectualPropertyOwnership => "ip_ownership",
            Ineligible::PersonalStatusNotStated => "personal_status_not_stated",
            Ineligible::OwnershipNotStated => "ownership_not_stated",
            Ineligible::TooLate(_) => "deadline_passed",
        }
    }
}

/// May an application be made for this agreement, in effect since `effective_at`, at `now`?
pub fn check_application(
    facts: ApplicationFacts,
    effective_at: Timestamp,
    now: Timestamp,
) -> Result<(), Ineligible> {
    use DisputeType as D;
    if now > deadline(effective_at) {
        return Err(Ineligible::TooLate(deadline(effective_at).to_rfc3339()));
    }
    // Family disputes may concern maintenance (confirmable) or status (not): the mediator says.
    let status_matters = facts.dispute_type == D::MarriageFamily;
    let personal_status = match facts.personal_status {
        Some(stated) => stated,
        None if status_matters => return Err(Ineligible::PersonalStatusNotStated),
        None => false,
    };
    if personal_status || facts.agreement_personal_relationship {
        return Err(Ineligible::PersonalStatus);
    }
    let ownership_matters = matches!(
        facts.dispute_type,
        D::IntellectualProperty | D::HousingHomestead | D::ForestLand
    );
    match facts.ownership {
        Some(true) if facts.dispute_type == D::IntellectualProperty => {
            Err(Ineligible::IntellectualPropertyOwnership)
        }
        Some(true) => Err(Ineligible::PropertyOwnership),
        None if ownership_matters => Err(Ineligible::OwnershipNotStated),
        _ => Ok(()),
    }
}

labelled_enum! {
    /// Where an application stands.
    pub enum ApplicationStatus {
        /// Prepared by the mediator; waiting for every party's consent (consent 11).
        Prepared = "prepared",
        /// Filed: the bundle is built and waits to reach the court, or has reached it.
        Filed = "filed",
        /// The court accepted the case (within 3 days of receiving it).
        Accepted = "accepted",
        /// The court confirmed the agreement (调确字): it is enforceable.
        Confirmed = "confirmed",
        /// The court dismissed the application: re-mediate, or sue.
        Dismissed = "dismissed",
    }
}

labelled_enum! {
    /// What a court can answer on its callback.
    pub enum CourtAnswer {
        Accepted = "accepted",
        Confirmed = "confirmed",
        Dismissed = "dismissed",
    }
}

/// What a court's answer does to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerEffect {
    /// The application moves to this status.
    Advance(ApplicationStatus),
    /// Recorded, but the status stays: answers can arrive out of order, and an `accepted`
    /// that comes after the decision does not undo the decision.
    RecordOnly,
    /// The same answer again: nothing to record.
    Repeat,
}

/// How far a court callback's signing time may be from the server's clock, either way: room for
/// a court's clock to drift and for its retries, while the nonces to remember stay few. A
/// callback's nonce is remembered for twice this, so that a clock stepping back cannot bring a
/// forgotten one into the window again.
pub const CALLBACK_WINDOW_MS: i64 = 5 * 60 * 1000;

/// Answers that contradict a decision already recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnswerRefused {
    #[error("the application has not been filed")]
    NotFiled,
    #[error("the court has already decided this application ({0})")]
    AlreadyDecided(ApplicationStatus),
}

/// Applies the court's `answer` to an application in `status`.
pub fn apply_answer(
    status: ApplicationStatus,
    answer: CourtAnswer,
) -> Result<AnswerEffect, AnswerRefused> {
    use ApplicationStatus as S;
    use CourtAnswer as A;
    match (status, answer) {
        (S::Prepared, _) => Err(AnswerRefused::NotFiled),
        (S::Filed, A::Accepted) => Ok(AnswerEffect::Advance(S::Accepted)),
        (S::Accepted, A::Accepted)
        | (S::Confirmed, A::Confirmed)
        | (S::Dismissed, A::Dismissed) => Ok(AnswerEffect::Repeat),
        // A decision may arrive before, or instead of, the acceptance.
        (S::Filed | S::Accepted, A::Confirmed) => Ok(AnswerEffect::Advance(S::Confirmed)),
        (S::Filed | S::Accepted, A::Dismissed) => Ok(AnswerEffect::Advance(S::Dismissed)),
        (S::Confirmed | S::Dismissed, A::Accepted) => Ok(AnswerEffect::RecordOnly),
        (decided @ (S::Confirmed | S::Dismissed), _) => Err(AnswerRefused::AlreadyDecided(decided)),
    }
}

#[cfg(test)]
mod tests;
