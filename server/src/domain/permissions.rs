//! Who may do what. Every endpoint and every signalling message asks this module, and nothing else
//! decides: one place to read, one place to test.
//!
//! The rule of thumb: a committee admin oversees the committee's cases; mediators work the cases
//! they are assigned to (PML 19); a participant sees their own case only, through their own views.
//! Someone who may not even see a case is told it does not exist, so ids cannot be probed.

use super::case::CaseTransition;
use super::ids::{CaseId, CommitteeId, ParticipantId, UserId};
use super::participant::ParticipantRole;
use super::staff::StaffRole;

/// A signed-in member of a committee's staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffActor {
    pub user_id: UserId,
    pub committee_id: CommitteeId,
    pub role: StaffRole,
}

/// A participant who has redeemed their invitation in this browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParticipantActor {
    pub participant_id: ParticipantId,
    pub case_id: CaseId,
    pub role: ParticipantRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Staff(StaffActor),
    Participant(ParticipantActor),
}

/// The facts about one case that decide access to it.
#[derive(Debug, Clone, Copy)]
pub struct CaseScope<'a> {
    pub case_id: CaseId,
    pub committee_id: CommitteeId,
    pub mediators: &'a [UserId],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    /// The full case as staff see it, with every participant's contact details.
    View,
    EditDetails,
    AssignMediators,
    Transition(CaseTransition),
    ManageParticipants,
    /// Issue, revoke and re-issue invitation links: the work of the mediators who run the case.
    ManageInvitations,
    /// Join a live session as its mediator: admit, move, mute, remove, end.
    RunSession,
    /// Keep the record of the mediation: the agenda and the mediator's notes (调解笔录). The
    /// mediators who conduct it write it; the committee's admins read it through `View`.
    KeepRecord,
    /// Record a return visit (回访) after the agreement took effect.
    FollowUp,
}

/// What may be done with a case's agreement, by staff and by the case's own participants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementAction {
    Read,
    Comment,
    /// Draft, freeze for signing: the work of the mediators who run the case (PML 29).
    Draft,
    /// Verify a participant's identity and so bind their signing key (OMR 17).
    VerifyIdentity,
    Sign,
    /// Record that an agreement on a personal relationship was signed and sealed on paper
    /// (ESL 3): the mediators who ran the case attest it.
    RecordPaperSigning,
    /// Prepare and file the parties' joint application for judicial confirmation (PML 33): the
    /// mediators who ran the case present it; the parties consent to it on their own page.
    ApplyForConfirmation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitteeAction {
    RegisterCase,
    ListCases,
    ManageUsers,
    /// The committee's figures (报表): its admin's.
    ViewStatistics,
    /// Record and list the committee's screening rounds (矛盾纠纷排查): any of its staff go out.
    RecordScreening,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The actor may not know the thing exists.
    #[error("not found")]
    NotFound,
    /// The actor knows of it but may not do this.
    #[error("forbidden")]
    Forbidden,
}

/// May `actor` do `action` on the case described by `scope`?
pub fn check_case(actor: &Actor, action: CaseAction, scope: &CaseScope<'_>) -> Result<(), Denied> {
    match actor {
        Actor::Participant(p) => {
            // Participants see their case only through their own views (http/join.rs), never
            // through the staff's.
            if p.case_id == scope.case_id {
                Err(Denied::Forbidden)
            } else {
                Err(Denied::NotFound)
            }
        }
        Actor::Staff(s) => {
            let admin = s.committee_id == scope.committee_id && s.role == StaffRole::Admin;
            let assigned =
                s.committee_id == scope.committee_id && scope.mediators.contains(&s.user_id);
            if !admin && !assigned {
                return Err(Denied::NotFound);
            }
            let allowed = match action {
                // Return visits are the committee's follow-up of performance (PML 31): its admin
                // or the case's mediators make them.
                CaseAction::View
                | CaseAction::EditDetails
                | CaseAction::ManageParticipants
                | CaseAction::FollowUp => true,
                CaseAction::AssignMediators => admin,
                // Archiving closes the committee's dossier: the admin's act.
                CaseAction::Transition(CaseTransition::Archive) => admin,
                // PML 26: the mediator whose mediation failed ends it and tells the parties of
                // their other routes.
                CaseAction::Transition(CaseTransition::Terminate) => assigned,
                CaseAction::Transition(_) => true,
                CaseAction::ManageInvitations | CaseAction::RunSession | CaseAction::KeepRecord => {
                    assigned
                }
            };
            allowed.then_some(()).ok_or(Denied::Forbidden)
        }
    }
}

/// May `actor` do `action` on the agreement of the case described by `scope`? The case's
/// parties read, comment on and sign it (PML 29); an agent reads, comments and, with special
/// authority, signs for their principal; invited people and observers attend the mediation but
/// have no part in its agreement. An admin oversees it.
pub fn check_agreement(
    actor: &Actor,
    action: AgreementAction,
    scope: &CaseScope<'_>,
) -> Result<(), Denied> {
    use AgreementAction as A;
    let allowed = match actor {
        Actor::Participant(p) => {
            if p.case_id != scope.case_id {
                return Err(Denied::NotFound);
            }
            match p.role {
                ParticipantRole::Party => matches!(action, A::Read | A::Comment | A::Sign),
                // An agent signs for their principal only with special authority, which the
                // mediator checks; the signing itself refuses an agent without it.
                ParticipantRole::Agent => matches!(action, A::Read | A::Comment | A::Sign),
                ParticipantRole::Invited
                | ParticipantRole::Observer
                | ParticipantRole::Interpreter => false,
            }
        }
        Actor::Staff(s) => {
            let admin = s.committee_id == scope.committee_id && s.role == StaffRole::Admin;
            let assigned =
                s.committee_id == scope.committee_id && scope.mediators.contains(&s.user_id);
            if !admin && !assigned {
                return Err(Denied::NotFound);
            }
            assigned || action == A::Read
        }
    };
    allowed.then_some(()).ok_or(Denied::Forbidden)
}

/// May `actor` do `action` in their committee? Staff only ever act in their own committee, so the
/// answer is the staff member whose committee it is.
pub fn check_committee(actor: &Actor, action: CommitteeAction) -> Result<StaffActor, Denied> {
    let Actor::Staff(staff) = actor else {
        return Err(Denied::Forbidden);
    };
    match action {
        CommitteeAction::RegisterCase
        | CommitteeAction::ListCases
        | CommitteeAction::RecordScreening => Ok(*staff),
        CommitteeAction::ManageUsers | CommitteeAction::ViewStatistics
            if staff.role == StaffRole::Admin =>
        {
            Ok(*staff)
        }
        CommitteeAction::ManageUsers | CommitteeAction::ViewStatistics => Err(Denied::Forbidden),
    }
}

#[cfg(test)]
mod tests;
