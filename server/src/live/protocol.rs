//! The signalling protocol `accord.v1`: one JSON object per WebSocket text message, tagged by
//! `type`. Client messages carry an `id`; the server answers each with `ack` or `error` naming
//! it. See docs/signalling.md for the whole conversation.

use crate::domain::live::{MuteKind, Revocation};
use crate::media::IceCandidate;
use serde::{Deserialize, Serialize};

pub const SUBPROTOCOL: &str = "accord.v1";

/// What a client may say.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// A new peer connection: the client publishes its camera and microphone on it. Only once
    /// admitted.
    Offer {
        id: u64,
        sdp: String,
    },
    /// The answer to a server `offer` (renegotiation).
    Answer {
        id: u64,
        sdp: String,
    },
    Candidate {
        id: u64,
        candidate: IceCandidate,
    },
    Admit {
        id: u64,
        member: String,
    },
    Deny {
        id: u64,
        member: String,
        reason: String,
    },
    CreateRoom {
        id: u64,
        name: String,
    },
    Move {
        id: u64,
        member: String,
        room: u32,
    },
    ReturnAll {
        id: u64,
    },
    MuteSelf {
        id: u64,
        kind: MuteKind,
        muted: bool,
    },
    Mute {
        id: u64,
        member: String,
        kind: MuteKind,
    },
    Remove {
        id: u64,
        member: String,
        reason: String,
    },
    RaiseHand {
        id: u64,
        raised: bool,
    },
    Chat {
        id: u64,
        text: String,
    },
    /// Leave now. A party (or agent) who also `withdraw`s ends their participation in the
    /// mediation (PML 23(2)); the answer is recorded either way.
    Leave {
        id: u64,
        #[serde(default)]
        withdraw: bool,
    },
    EndSession {
        id: u64,
    },
    /// Mediators: lock the session against new arrivals, or unlock it.
    Lock {
        id: u64,
        locked: bool,
    },
}

impl ClientMessage {
    pub fn id(&self) -> u64 {
        match self {
            ClientMessage::Offer { id, .. }
            | ClientMessage::Answer { id, .. }
            | ClientMessage::Candidate { id, .. }
            | ClientMessage::Admit { id, .. }
            | ClientMessage::Deny { id, .. }
            | ClientMessage::CreateRoom { id, .. }
            | ClientMessage::Move { id, .. }
            | ClientMessage::ReturnAll { id }
            | ClientMessage::MuteSelf { id, .. }
            | ClientMessage::Mute { id, .. }
            | ClientMessage::Remove { id, .. }
            | ClientMessage::RaiseHand { id, .. }
            | ClientMessage::Chat { id, .. }
            | ClientMessage::Leave { id, .. }
            | ClientMessage::EndSession { id }
            | ClientMessage::Lock { id, .. } => *id,
        }
    }
}

/// A STUN or TURN server for the client's peer connection (`RTCIceServer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IceServer {
    pub urls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// What the server says.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// First message on every connection.
    Welcome {
        protocol: &'static str,
        /// The member's id, which is also the stream id of their media at the others.
        you: String,
        ice_servers: Vec<IceServer>,
        /// How long a dropped connection keeps its place.
        grace_seconds: u32,
    },
    Ack {
        id: u64,
    },
    Error {
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<u64>,
        code: &'static str,
        message: String,
    },
    /// Everything this member may know of the session, sent after every change.
    State(Box<StateView>),
    /// The answer to the client's `offer`.
    Answer {
        id: u64,
        sdp: String,
    },
    /// A server-initiated renegotiation: reply with `answer`.
    Offer {
        sdp: String,
    },
    Candidate {
        candidate: IceCandidate,
    },
    Chat {
        from: String,
        name: String,
        room: u32,
        text: String,
        at: String,
    },
    /// A mediator muted this member.
    Muted {
        kind: MuteKind,
    },
    /// To mediators: a participant withdrew from the mediation (PML 23(2)), by withdrawing
    /// consent of `kind` at `at`.
    Withdrawn {
        member: String,
        name: String,
        kind: crate::domain::consent::ConsentKind,
        at: String,
    },
    /// To mediators: `member` may no longer attend (PML 20, 23(3)) since `at`, for `reason`:
    /// `party` withdrew their consent, or `party` joined the case and has not consented yet. If
    /// the attendee was in a room, they are back in the waiting room; a mediator can admit them
    /// again only once every party consents.
    AttendanceWithdrawn {
        member: String,
        name: String,
        party: String,
        party_name: String,
        reason: ReturnReason,
        at: String,
    },
    /// To the attendee: they are back in the waiting room, for `reason`. Which party withdrew
    /// is not said: it is that party's own decision to make known.
    ReturnedToWaiting {
        reason: ReturnReason,
    },
    /// To everyone admitted: part of the case's record changed outside the session (through the
    /// API); the client fetches it again. Only the name travels here, never the content, so
    /// what a member may read stays decided by the API.
    RecordChanged {
        part: RecordPart,
    },
    /// To mediators: `member` left the session at `at` because a right their presence rested
    /// on was taken away outside it, for `cause`.
    Evicted {
        member: String,
        name: String,
        cause: Revocation,
        at: String,
    },
    /// The member may not stay: denied, removed, evicted, or the session ended. The server
    /// closes the connection after this. `cause` says which right was taken away when the
    /// reason is `revoked`.
    Goodbye {
        reason: GoodbyeReason,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        cause: Option<Revocation>,
    },
}

/// The parts of a case's record that members of its session see change live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordPart {
    Agenda,
    Agreement,
}

/// Why an admitted member was sent back to the waiting room; the client picks its words by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnReason {
    /// A party withdrew their consent to the member attending (PML 20, 23(3)).
    AttendanceWithdrawn,
    /// A party joined the case who has not yet consented to the member attending.
    PartyAdded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoodbyeReason {
    Denied,
    Removed,
    Ended,
    Left,
    /// The member withdrew from the mediation.
    Withdrew,
    /// The same member connected again elsewhere (another tab or device).
    Replaced,
    /// A mediator locked the session before this member knocked; they may try again later.
    Locked,
    /// A right the member's presence rested on was taken away outside the session (the
    /// goodbye's `cause` says which); the door decides whether they may come back.
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Waiting,
    Admitted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoomView {
    pub id: u32,
    pub name: String,
    /// A caucus room: what is said there stays there.
    pub private: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberView {
    pub id: String,
    pub name: String,
    /// `mediator`, or the participant's role (`party`, `agent`, ...).
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    /// Shown to mediators only: the room each member is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room: Option<u32>,
    pub connected: bool,
    pub audio_muted: bool,
    pub video_muted: bool,
    pub hand_raised: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateView {
    pub status: Status,
    pub you: MemberView,
    /// The room this member is in, when admitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room: Option<RoomView>,
    /// Who this member can see and hear: the others in their room. Mediators see everyone in
    /// the session, each with their room.
    pub members: Vec<MemberView>,
    /// Mediators only: who is knocking, first come first.
    pub waiting: Vec<MemberView>,
    /// Mediators only: every room of the session.
    pub rooms: Vec<RoomView>,
    /// A mediator locked the session: no one new may knock.
    pub locked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_messages_parse_by_type_and_refuse_strangers() {
        let chat: ClientMessage =
            serde_json::from_str(r#"{"type":"chat","id":7,"text":"你好"}"#).unwrap();
        assert_eq!(
            chat,
            ClientMessage::Chat {
                id: 7,
                text: "你好".into()
            }
        );
        assert_eq!(chat.id(), 7);
        let mute: ClientMessage =
            serde_json::from_str(r#"{"type":"mute_self","id":1,"kind":"audio","muted":true}"#)
                .unwrap();
        assert_eq!(mute.id(), 1);
        for bad in [
            r#"{"type":"chat","id":7}"#,
            r#"{"type":"chat","id":7,"text":"x","extra":1}"#,
            r#"{"type":"dance","id":7}"#,
            r#"{"id":7}"#,
            r#"[1,2]"#,
        ] {
            assert!(serde_json::from_str::<ClientMessage>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn server_messages_are_tagged() {
        let ack = serde_json::to_value(ServerMessage::Ack { id: 3 }).unwrap();
        assert_eq!(ack, serde_json::json!({"type": "ack", "id": 3}));
        let bye = serde_json::to_value(ServerMessage::Goodbye {
            reason: GoodbyeReason::Denied,
            message: "x".into(),
            cause: None,
        })
        .unwrap();
        assert_eq!(bye["reason"], "denied");
        let back = serde_json::to_value(ServerMessage::ReturnedToWaiting {
            reason: ReturnReason::AttendanceWithdrawn,
        })
        .unwrap();
        assert_eq!(
            back,
            serde_json::json!({"type": "returned_to_waiting", "reason": "attendance_withdrawn"})
        );
    }
}
