//! A live session's rules: who is waiting, who is in which room, and therefore who may see, hear
//! and read whom. Pure: the live actor feeds it commands with the time, and it answers with the
//! events to record (or why it refuses); the actor persists them, then applies the routing and
//! tells the people concerned.
//!
//! The rule that matters most: media and chat reach only those admitted to the same room. A
//! caucus (背靠背调解) is a room of its own; the waiting room is no room at all.

mod attendance;
mod eviction;
mod member;

pub use eviction::Revocation;
pub use member::{Member, MemberId, MemberKind, MuteKind, Presence};

use super::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// A room of the session. Room 0 is the joint room; caucus rooms are numbered from 1.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct RoomId(pub u32);

impl RoomId {
    pub const MAIN: RoomId = RoomId(0);
}

/// What happened, in the words of the case record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    SessionStarted {
        by: MemberId,
    },
    /// A mediator locked the session (no one new may knock) or unlocked it.
    Locked {
        by: MemberId,
        locked: bool,
    },
    Knocked {
        member: MemberId,
    },
    Joined {
        member: MemberId,
        room: RoomId,
    },
    Resumed {
        member: MemberId,
        room: RoomId,
    },
    Admitted {
        member: MemberId,
        by: MemberId,
    },
    Denied {
        member: MemberId,
        by: MemberId,
        reason: String,
    },
    RoomCreated {
        room: RoomId,
        name: String,
        by: MemberId,
    },
    Moved {
        member: MemberId,
        room: RoomId,
        by: MemberId,
    },
    Removed {
        member: MemberId,
        by: MemberId,
        reason: String,
    },
    Left {
        member: MemberId,
    },
    /// An invited participant or observer went back to the waiting room, having lost a party's
    /// consent to them attending (PML 20, 23(3)): `by` is the party who withdrew it, or the
    /// staff member who added a party who has not given it yet.
    ReturnedToWaiting {
        member: MemberId,
        by: MemberId,
    },
    /// A right the member's presence rested on was taken away from outside the session (`by`
    /// who took it, if a person did): they left at once.
    Evicted {
        member: MemberId,
        cause: Revocation,
        by: Option<MemberId>,
    },
    Muted {
        member: MemberId,
        kind: MuteKind,
        by: MemberId,
    },
    HandRaised {
        member: MemberId,
        raised: bool,
    },
    ChatPosted {
        member: MemberId,
        room: RoomId,
        text: String,
    },
    SessionEnded {
        by: MemberId,
    },
}

/// Why a command is refused. Each is the caller's problem, never the session's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only a mediator of the case may do this")]
    NotAMediator,
    #[error("you are not in the session")]
    NotAdmitted,
    #[error("that person is not in the session")]
    UnknownMember,
    #[error("that person is not waiting to be admitted")]
    NotWaiting,
    #[error("no such room")]
    UnknownRoom,
    #[error("you were denied entry to this session")]
    Denied,
    #[error("you were removed from this session")]
    Removed,
    #[error("the session has ended")]
    Ended,
    /// Someone not yet in the session knocks while a mediator has locked it.
    #[error("the mediator has locked this session for now; ask them to open it")]
    Locked,
    #[error("a room needs a name of 1 to 40 characters")]
    BadRoomName,
    #[error("a chat message needs 1 to 2000 characters")]
    BadChatText,
    #[error("a mediator cannot be muted or removed by another")]
    MediatorProtected,
    #[error("a session holds at most {0} rooms")]
    TooManyRooms(usize),
}

const MAX_ROOMS: usize = 16;

#[derive(Debug, Clone, Default)]
pub struct LiveSession {
    members: BTreeMap<MemberId, Member>,
    rooms: BTreeMap<RoomId, String>,
    started: bool,
    ended: bool,
    /// No one new may knock: the people already waiting or in the rooms are the session.
    locked: bool,
}

impl LiveSession {
    pub fn new() -> Self {
        let mut rooms = BTreeMap::new();
        rooms.insert(RoomId::MAIN, String::new());
        Self {
            rooms,
            ..Self::default()
        }
    }

    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.members.values()
    }

    pub fn member(&self, id: &MemberId) -> Option<&Member> {
        self.members.get(id)
    }

    pub fn rooms(&self) -> &BTreeMap<RoomId, String> {
        &self.rooms
    }

    pub fn is_started(&self) -> bool {
        self.started
    }

    pub fn is_ended(&self) -> bool {
        self.ended
    }

    pub fn is_locked(&self) -> bool {
        self.locked
    }

    /// A mediator locks the session, so that nobody new can knock (a good practice of video
    /// mediation, DOMAIN.md), or unlocks it. Who is waiting or in a room stays, and may come
    /// back from a dropped connection.
    pub fn set_locked(&mut self, by: &MemberId, locked: bool) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        self.mediator(by)?;
        if self.locked == locked {
            return Ok(Vec::new());
        }
        self.locked = locked;
        Ok(vec![LiveEvent::Locked {
            by: by.clone(),
            locked,
        }])
    }

    /// The room a member is admitted to, if any.
    pub fn room_of(&self, id: &MemberId) -> Option<RoomId> {
        self.members.get(id).and_then(Member::room)
    }

    /// The one rule of privacy: two people see, hear and read each other only when both are
    /// admitted to the same room.
    pub fn may_see(&self, a: &MemberId, b: &MemberId) -> bool {
        match (self.room_of(a), self.room_of(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        }
    }

    /// Who may receive whose media: for each admitted member, the others in their room.
    pub fn routing(&self) -> BTreeMap<MemberId, BTreeSet<MemberId>> {
        let admitted: Vec<&MemberId> = self
            .members
            .iter()
            .filter(|(_, m)| m.room().is_some())
            .map(|(id, _)| id)
            .collect();
        admitted
            .iter()
            .map(|publisher| {
                let subscribers = admitted
                    .iter()
                    .filter(|s| *s != publisher && self.may_see(publisher, s))
                    .map(|s| (*s).clone())
                    .collect();
                ((*publisher).clone(), subscribers)
            })
            .collect()
    }

    /// Everyone a chat message posted in `room` reaches.
    pub fn chat_recipients(&self, room: RoomId) -> Vec<MemberId> {
        self.members
            .iter()
            .filter(|(_, m)| m.room() == Some(room))
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// Members waiting to be admitted, first come first.
    pub fn waiting(&self) -> Vec<&Member> {
        let mut waiting: Vec<&Member> = self
            .members
            .values()
            .filter(|m| matches!(m.presence, Presence::Waiting { .. }))
            .collect();
        waiting.sort_by_key(|m| match m.presence {
            Presence::Waiting { since } => since,
            _ => Timestamp::from_millis(0),
        });
        waiting
    }

    fn mediator(&self, by: &MemberId) -> Result<(), Refusal> {
        let member = self.members.get(by).ok_or(Refusal::NotAdmitted)?;
        if member.kind != MemberKind::Mediator {
            return Err(Refusal::NotAMediator);
        }
        if member.room().is_none() {
            return Err(Refusal::NotAdmitted);
        }
        Ok(())
    }

    fn open(&self) -> Result<(), Refusal> {
        if self.ended {
            Err(Refusal::Ended)
        } else {
            Ok(())
        }
    }

    /// Someone connects. Mediators go straight in (the first one starts the session); everyone
    /// else waits for a mediator, unless they were admitted and are coming back from a dropped
    /// connection, in which case they return to the room they were in.
    pub fn connect(
        &mut self,
        id: MemberId,
        name: String,
        kind: MemberKind,
        now: Timestamp,
    ) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        let mut events = Vec::new();
        if let Some(member) = self.members.get_mut(&id) {
            member.name.clone_from(&name);
            match member.presence {
                Presence::Denied => return Err(Refusal::Denied),
                Presence::Removed => return Err(Refusal::Removed),
                Presence::Admitted { room } => {
                    member.connected = true;
                    events.push(LiveEvent::Resumed { member: id, room });
                    return Ok(events);
                }
                Presence::Waiting { .. } => {
                    member.connected = true;
                    return Ok(events);
                }
                Presence::Left => {}
            }
        }
        if self.locked && kind != MemberKind::Mediator {
            return Err(Refusal::Locked);
        }
        let presence = if kind == MemberKind::Mediator {
            if !self.started {
                self.started = true;
                events.push(LiveEvent::SessionStarted { by: id.clone() });
            }
            events.push(LiveEvent::Joined {
                member: id.clone(),
                room: RoomId::MAIN,
            });
            Presence::Admitted { room: RoomId::MAIN }
        } else {
            events.push(LiveEvent::Knocked { member: id.clone() });
            Presence::Waiting { since: now }
        };
        self.members
            .insert(id.clone(), Member::new(id, name, kind, presence));
        Ok(events)
    }

    /// The member's connection dropped. They keep their place for a grace period.
    pub fn disconnect(&mut self, id: &MemberId, now: Timestamp) {
        if let Some(member) = self.members.get_mut(id) {
            member.connected = false;
            member.disconnected_at = Some(now);
        }
    }

    /// Those whose connection has been gone longer than `grace_ms` have left; a waiting one
    /// leaves the queue.
    pub fn expire(&mut self, now: Timestamp, grace_ms: i64) -> Vec<LiveEvent> {
        let mut events = Vec::new();
        for member in self.members.values_mut() {
            let gone_since = match (member.connected, member.disconnected_at) {
                (false, Some(at)) => at,
                _ => continue,
            };
            let active = matches!(
                member.presence,
                Presence::Admitted { .. } | Presence::Waiting { .. }
            );
            if active && now.millis() - gone_since.millis() >= grace_ms {
                member.presence = Presence::Left;
                member.hand_raised = false;
                events.push(LiveEvent::Left {
                    member: member.id.clone(),
                });
            }
        }
        events
    }

    /// The member leaves on purpose: no grace period.
    pub fn leave(&mut self, id: &MemberId) -> Result<Vec<LiveEvent>, Refusal> {
        let member = self.members.get_mut(id).ok_or(Refusal::UnknownMember)?;
        if !matches!(
            member.presence,
            Presence::Admitted { .. } | Presence::Waiting { .. }
        ) {
            return Ok(Vec::new());
        }
        member.presence = Presence::Left;
        member.connected = false;
        member.hand_raised = false;
        Ok(vec![LiveEvent::Left { member: id.clone() }])
    }

    pub fn admit(&mut self, by: &MemberId, id: &MemberId) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        self.mediator(by)?;
        let member = self.members.get_mut(id).ok_or(Refusal::UnknownMember)?;
        if !matches!(member.presence, Presence::Waiting { .. }) {
            return Err(Refusal::NotWaiting);
        }
        member.presence = Presence::Admitted { room: RoomId::MAIN };
        Ok(vec![LiveEvent::Admitted {
            member: id.clone(),
            by: by.clone(),
        }])
    }

    pub fn deny(
        &mut self,
        by: &MemberId,
        id: &MemberId,
        reason: String,
    ) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        self.mediator(by)?;
        let member = self.members.get_mut(id).ok_or(Refusal::UnknownMember)?;
        if !matches!(member.presence, Presence::Waiting { .. }) {
            return Err(Refusal::NotWaiting);
        }
        member.presence = Presence::Denied;
        Ok(vec![LiveEvent::Denied {
            member: id.clone(),
            by: by.clone(),
            reason,
        }])
    }

    pub fn create_room(
        &mut self,
        by: &MemberId,
        name: &str,
    ) -> Result<(RoomId, Vec<LiveEvent>), Refusal> {
        self.open()?;
        self.mediator(by)?;
        let name = name.trim();
        let chars = name.chars().count();
        if chars == 0 || chars > 40 || name.chars().any(char::is_control) {
            return Err(Refusal::BadRoomName);
        }
        if self.rooms.len() >= MAX_ROOMS {
            return Err(Refusal::TooManyRooms(MAX_ROOMS));
        }
        let next = self.rooms.keys().next_back().map_or(1, |r| r.0 + 1);
        let room = RoomId(next);
        self.rooms.insert(room, name.to_owned());
        Ok((
            room,
            vec![LiveEvent::RoomCreated {
                room,
                name: name.to_owned(),
                by: by.clone(),
            }],
        ))
    }

    /// Moves an admitted member (the mediator may move themself) into a room.
    pub fn move_member(
        &mut self,
        by: &MemberId,
        id: &MemberId,
        room: RoomId,
    ) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        self.mediator(by)?;
        if !self.rooms.contains_key(&room) {
            return Err(Refusal::UnknownRoom);
        }
        let member = self.members.get_mut(id).ok_or(Refusal::UnknownMember)?;
        match member.presence {
            Presence::Admitted { room: current } if current == room => Ok(Vec::new()),
            Presence::Admitted { .. } => {
                member.presence = Presence::Admitted { room };
                Ok(vec![LiveEvent::Moved {
                    member: id.clone(),
                    room,
                    by: by.clone(),
                }])
            }
            _ => Err(Refusal::UnknownMember),
        }
    }

    /// Brings every admitted member back to the joint room.
    pub fn return_all(&mut self, by: &MemberId) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        self.mediator(by)?;
        let away: Vec<MemberId> = self
            .members
            .values()
            .filter(|m| matches!(m.room(), Some(room) if room != RoomId::MAIN))
            .map(|m| m.id.clone())
            .collect();
        let mut events = Vec::new();
        for id in away {
            events.extend(self.move_member(by, &id, RoomId::MAIN)?);
        }
        Ok(events)
    }

    /// A member mutes or unmutes themself.
    pub fn set_own_mute(
        &mut self,
        id: &MemberId,
        kind: MuteKind,
        muted: bool,
    ) -> Result<(), Refusal> {
        let member = self.members.get_mut(id).ok_or(Refusal::NotAdmitted)?;
        member.set_muted(kind, muted);
        Ok(())
    }

    /// A mediator mutes someone in the session. Never the other way: unmuting is the person's
    /// own choice.
    pub fn mute(
        &mut self,
        by: &MemberId,
        id: &MemberId,
        kind: MuteKind,
    ) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        self.mediator(by)?;
        let member = self.members.get_mut(id).ok_or(Refusal::UnknownMember)?;
        if member.kind == MemberKind::Mediator && id != by {
            return Err(Refusal::MediatorProtected);
        }
        if member.room().is_none() {
            return Err(Refusal::UnknownMember);
        }
        member.set_muted(kind, true);
        Ok(vec![LiveEvent::Muted {
            member: id.clone(),
            kind,
            by: by.clone(),
        }])
    }

    /// Removes someone from the session for good: they cannot come back to it.
    pub fn remove(
        &mut self,
        by: &MemberId,
        id: &MemberId,
        reason: String,
    ) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        self.mediator(by)?;
        let member = self.members.get_mut(id).ok_or(Refusal::UnknownMember)?;
        if member.kind == MemberKind::Mediator {
            return Err(Refusal::MediatorProtected);
        }
        if matches!(member.presence, Presence::Removed | Presence::Denied) {
            return Err(Refusal::UnknownMember);
        }
        member.presence = Presence::Removed;
        member.hand_raised = false;
        Ok(vec![LiveEvent::Removed {
            member: id.clone(),
            by: by.clone(),
            reason,
        }])
    }

    pub fn raise_hand(&mut self, id: &MemberId, raised: bool) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        let member = self.members.get_mut(id).ok_or(Refusal::NotAdmitted)?;
        if member.room().is_none() {
            return Err(Refusal::NotAdmitted);
        }
        if member.hand_raised == raised {
            return Ok(Vec::new());
        }
        member.hand_raised = raised;
        Ok(vec![LiveEvent::HandRaised {
            member: id.clone(),
            raised,
        }])
    }

    /// A chat message, delivered to the sender's room only.
    pub fn chat(&mut self, id: &MemberId, text: &str) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        let room = self.room_of(id).ok_or(Refusal::NotAdmitted)?;
        // The same rule as every other free text (`domain::text`): bounded, and no control
        // characters but newlines and tabs (a NUL would not even store on PostgreSQL).
        let text =
            crate::domain::text::bounded_text(text, 1, 2000).map_err(|_| Refusal::BadChatText)?;
        Ok(vec![LiveEvent::ChatPosted {
            member: id.clone(),
            room,
            text,
        }])
    }

    pub fn end(&mut self, by: &MemberId) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        self.mediator(by)?;
        self.ended = true;
        Ok(vec![LiveEvent::SessionEnded { by: by.clone() }])
    }

    /// Ends the session from outside it: the case has left mediation (a termination, PML 26),
    /// so nobody may stay, whether or not `by` is in the session.
    pub fn close(&mut self, by: &MemberId) -> Result<Vec<LiveEvent>, Refusal> {
        self.open()?;
        self.ended = true;
        Ok(vec![LiveEvent::SessionEnded { by: by.clone() }])
    }
}

#[cfg(test)]
mod tests;
