//! Rights that lapse mid-session. Being in a live session rests on what the door checked: a
//! signed-in account or a redeemed invitation, an assignment to the case, the consents a
//! participant's role needs, a case in mediation. When one of them is taken away from outside
//! the session, the member may not stay a moment longer: they are evicted. Unlike a removal by
//! the mediator, an eviction bars nothing for later: whether they may come back is the door's
//! question again, answered by the rights they hold then.

use super::{LiveEvent, LiveSession, MemberId, Presence};

/// Which right was taken away. Said in the record, and to the member in their goodbye.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Revocation {
    /// The participant was removed from the case.
    ParticipantRemoved,
    /// The invitation the participant joined with was revoked (or replaced by a new link).
    InvitationRevoked,
    /// The staff member is no longer assigned to mediate the case.
    MediatorUnassigned,
    /// The account was disabled.
    AccountDisabled,
    /// The browser's sign-in ended: a password reset, a sign-out, or an expired session.
    SignedOut,
    /// A consent the participant's role needs to attend was withdrawn.
    ConsentWithdrawn,
    /// The case is no longer in mediation (archived, refused, or otherwise closed).
    CaseClosed,
}

impl Revocation {
    pub fn as_str(self) -> &'static str {
        match self {
            Revocation::ParticipantRemoved => "participant_removed",
            Revocation::InvitationRevoked => "invitation_revoked",
            Revocation::MediatorUnassigned => "mediator_unassigned",
            Revocation::AccountDisabled => "account_disabled",
            Revocation::SignedOut => "signed_out",
            Revocation::ConsentWithdrawn => "consent_withdrawn",
            Revocation::CaseClosed => "case_closed",
        }
    }
}

impl LiveSession {
    /// `member` lost a right to be here (`by` took it away, if a person did). Whether they are
    /// waiting or in a room, they leave at once, with their hand lowered and their connection
    /// counted as gone. Someone not in the session, or already gone from it, has nothing to
    /// leave; an ended session has nobody to evict.
    pub fn evict(
        &mut self,
        member: &MemberId,
        cause: Revocation,
        by: Option<MemberId>,
    ) -> Vec<LiveEvent> {
        if self.ended {
            return Vec::new();
        }
        let Some(found) = self.members.get_mut(member) else {
            return Vec::new();
        };
        if !matches!(
            found.presence,
            Presence::Admitted { .. } | Presence::Waiting { .. }
        ) {
            return Vec::new();
        }
        found.presence = Presence::Left;
        found.connected = false;
        found.hand_raised = false;
        vec![LiveEvent::Evicted {
            member: member.clone(),
            cause,
            by,
        }]
    }
}
