//! What the API answers with: the JSON shapes of responses, built from store records. Staff see
//! contact details; participants see only the views made for them (see `join.rs`).

use crate::domain::case::{CaseSource, CaseStatus, DisputeType, Prevented};
use crate::domain::participant::{ParticipantRole, PersonKind, Side};
use crate::domain::staff::{Language, StaffRole};
use crate::domain::Timestamp;
use crate::store::cases::CaseRecord;
use crate::store::invitations::InvitationRecord;
use crate::store::participants::ParticipantRecord;
use crate::store::users::StaffUser;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

fn rfc3339(at: Timestamp) -> String {
    at.to_rfc3339()
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct StaffUserView {
    pub(super) id: Uuid,
    pub(super) username: String,
    pub(super) display_name: String,
    pub(super) role: StaffRole,
    pub(super) committee_id: Uuid,
    pub(super) committee_name: String,
    pub(super) is_lawyer: bool,
    pub(super) languages: Vec<Language>,
    pub(super) disabled: bool,
}

impl From<StaffUser> for StaffUserView {
    fn from(user: StaffUser) -> Self {
        Self {
            id: user.id.uuid(),
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            committee_id: user.committee_id.uuid(),
            committee_name: user.committee_name,
            is_lawyer: user.is_lawyer,
            languages: user.languages,
            disabled: user.disabled,
        }
    }
}

/// Who this browser is signed in as.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum MeResponse {
    Staff {
        user: StaffUserView,
        /// Send back as `X-CSRF-Token` on every state-changing request.
        csrf_token: String,
    },
    Participant {
        participant: ParticipantSelfView,
        case: ParticipantCaseView,
        csrf_token: String,
    },
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct MediatorRef {
    pub(super) id: Uuid,
    pub(super) display_name: String,
}

/// A case as its staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct CaseView {
    pub(super) id: Uuid,
    /// "(YYYY) 人调字第 N 号"
    pub(super) number: String,
    pub(super) year: i32,
    pub(super) seq: i64,
    pub(super) dispute_type: DisputeType,
    pub(super) source: CaseSource,
    pub(super) summary: String,
    /// Amount in dispute, in fen (1/100 yuan).
    pub(super) amount_fen: Option<i64>,
    pub(super) status: CaseStatus,
    /// Counted as difficult or complex (疑难复杂) in the statistics.
    pub(super) difficult: bool,
    /// Escalations its mediation is counted as having prevented, in the statistics.
    pub(super) prevented: Prevented,
    pub(super) mediators: Vec<MediatorRef>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

impl CaseView {
    /// `names` maps the committee's user ids to display names.
    pub(super) fn new(case: CaseRecord, names: &[StaffUser]) -> Self {
        let mediators = case
            .mediators
            .iter()
            .map(|id| MediatorRef {
                id: id.uuid(),
                display_name: names
                    .iter()
                    .find(|u| u.id == *id)
                    .map(|u| u.display_name.clone())
                    .unwrap_or_default(),
            })
            .collect();
        Self {
            id: case.id.uuid(),
            number: case.number.to_string(),
            year: case.number.year,
            seq: case.number.seq,
            dispute_type: case.dispute_type,
            source: case.source,
            summary: case.summary,
            amount_fen: case.amount_fen,
            status: case.status,
            difficult: case.difficult,
            prevented: case.prevented,
            mediators,
            created_at: rfc3339(case.created_at),
            updated_at: rfc3339(case.updated_at),
        }
    }
}

/// A participant as the case's staff see them, contact details included.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ParticipantView {
    pub(super) id: Uuid,
    pub(super) role: ParticipantRole,
    pub(super) side: Option<Side>,
    pub(super) person_kind: Option<PersonKind>,
    pub(super) represents: Option<Uuid>,
    pub(super) name: String,
    pub(super) contact: Option<String>,
    pub(super) service_address: Option<String>,
    pub(super) created_at: String,
}

impl From<ParticipantRecord> for ParticipantView {
    fn from(p: ParticipantRecord) -> Self {
        let standing = p.details.standing;
        Self {
            id: p.id.uuid(),
            role: standing.role(),
            side: standing.side(),
            person_kind: standing.person_kind(),
            represents: standing.represents().map(|id| id.uuid()),
            name: p.details.name,
            contact: p.details.contact,
            service_address: p.details.service_address,
            created_at: rfc3339(p.created_at),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(super) enum InvitationState {
    Pending,
    Redeemed,
    Expired,
    Revoked,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct InvitationView {
    pub(super) id: Uuid,
    pub(super) participant_id: Uuid,
    pub(super) state: InvitationState,
    pub(super) created_at: String,
    pub(super) expires_at: String,
    pub(super) redeemed_at: Option<String>,
    pub(super) revoked_at: Option<String>,
}

impl InvitationView {
    pub(super) fn new(invitation: InvitationRecord, now: Timestamp) -> Self {
        let state = if invitation.revoked_at.is_some() {
            InvitationState::Revoked
        } else if invitation.redeemed_at.is_some() {
            InvitationState::Redeemed
        } else if invitation.expires_at <= now {
            InvitationState::Expired
        } else {
            InvitationState::Pending
        };
        Self {
            id: invitation.id.uuid(),
            participant_id: invitation.participant_id.uuid(),
            state,
            created_at: rfc3339(invitation.created_at),
            expires_at: rfc3339(invitation.expires_at),
            redeemed_at: invitation.redeemed_at.map(rfc3339),
            revoked_at: invitation.revoked_at.map(rfc3339),
        }
    }
}

/// A new invitation with its link: the only time the link is ever shown.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct IssuedInvitation {
    pub(super) invitation: InvitationView,
    /// The link to hand to the participant. The token in it is not stored and cannot be shown again.
    pub(super) link: String,
}

/// A participant's view of themself.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ParticipantSelfView {
    pub(super) id: Uuid,
    pub(super) name: String,
    pub(super) role: ParticipantRole,
    pub(super) side: Option<Side>,
}

/// Someone else in the case, as a participant may see them: no contact details.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct OtherParticipantView {
    pub(super) name: String,
    pub(super) role: ParticipantRole,
    pub(super) side: Option<Side>,
}

/// A case as one of its participants sees it: what they need to recognise it and nothing more.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct ParticipantCaseView {
    /// The case's id, for opening its live session.
    pub(super) id: Uuid,
    pub(super) number: String,
    pub(super) dispute_type: DisputeType,
    pub(super) status: CaseStatus,
    pub(super) committee_name: String,
    pub(super) mediators: Vec<String>,
    /// The dispute's summary, for the parties and their agents only.
    pub(super) summary: Option<String>,
    pub(super) participants: Vec<OtherParticipantView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct EventView {
    pub(super) seq: u64,
    pub(super) at: String,
    /// `user:<id>`, `participant:<id>`, `operator` or `system`.
    pub(super) actor: String,
    /// The actor's name as the case knows them, when they are a person.
    pub(super) actor_name: Option<String>,
    pub(super) kind: String,
    pub(super) payload: serde_json::Value,
    /// The text kept beside the chain that this event commits to by its hash (a chat message,
    /// a comment, notes), when it is stored unaltered.
    pub(super) text: Option<String>,
    pub(super) hash: String,
}

/// A case's event log and whether its hash chain holds.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct EventLogView {
    pub(super) events: Vec<EventView>,
    pub(super) chain_intact: bool,
    /// The first event that does not hold, when the chain is broken.
    pub(super) first_break: Option<String>,
    /// Every text kept beside the chain (chat, notes, comments, agreement versions) is the one
    /// the chain recorded.
    pub(super) texts_intact: bool,
    /// The first kept text that is not, when one was altered.
    pub(super) first_altered_text: Option<String>,
}
