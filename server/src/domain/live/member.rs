//! The people of a live session and where each stands.

use super::RoomId;
use crate::domain::ids::{ParticipantId, UserId};
use crate::domain::participant::{ParticipantRole, Side};
use crate::domain::Timestamp;

/// Someone in a live session: a mediator (staff) or a participant of the case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MemberId {
    Staff(UserId),
    Participant(ParticipantId),
}

impl std::fmt::Display for MemberId {
    /// `s-<uuid>` or `p-<uuid>`: also the id of the member's media stream.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MemberId::Staff(id) => write!(f, "s-{id}"),
            MemberId::Participant(id) => write!(f, "p-{id}"),
        }
    }
}

impl MemberId {
    pub fn parse(raw: &str) -> Option<MemberId> {
        match raw.split_at_checked(2)? {
            ("s-", id) => UserId::parse(id).map(MemberId::Staff),
            ("p-", id) => ParticipantId::parse(id).map(MemberId::Participant),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    Mediator,
    /// A participant with their role and, for a party, their side.
    Participant(ParticipantRole, Option<Side>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MuteKind {
    Audio,
    Video,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// In the waiting room since then.
    Waiting {
        since: crate::domain::Timestamp,
    },
    Admitted {
        room: RoomId,
    },
    Denied,
    Removed,
    Left,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    pub kind: MemberKind,
    pub presence: Presence,
    pub connected: bool,
    pub disconnected_at: Option<Timestamp>,
    pub audio_muted: bool,
    pub video_muted: bool,
    pub hand_raised: bool,
}

impl Member {
    pub fn new(id: MemberId, name: String, kind: MemberKind, presence: Presence) -> Self {
        Self {
            id,
            name,
            kind,
            presence,
            connected: true,
            disconnected_at: None,
            audio_muted: false,
            video_muted: false,
            hand_raised: false,
        }
    }

    pub fn room(&self) -> Option<RoomId> {
        match self.presence {
            Presence::Admitted { room } => Some(room),
            _ => None,
        }
    }

    pub(super) fn set_muted(&mut self, kind: MuteKind, muted: bool) {
        match kind {
            MuteKind::Audio => self.audio_muted = muted,
            MuteKind::Video => self.video_muted = muted,
        }
    }
}
