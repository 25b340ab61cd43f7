//! How the moments of a live session enter the case record: which are evidence (joins,
//! admissions, denials, moves, removals, returns to the waiting room, evictions, chat, start
//! and end)
//! and who caused each.

use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::live::{LiveEvent, MemberId};
use crate::record::commitment::text_sha256;
use uuid::Uuid;

pub(super) fn actor_of(member: &MemberId) -> EventActor {
    match member {
        MemberId::Staff(id) => EventActor::Staff(*id),
        MemberId::Participant(id) => EventActor::Participant(*id),
    }
}

/// The record of `event`, or `None` for what is not evidence (mute and raised-hand toggles).
pub(super) fn to_record(session: Uuid, event: &LiveEvent) -> Option<(EventActor, CaseEvent)> {
    let m = |member: &MemberId| member.to_string();
    Some(match event {
        LiveEvent::SessionStarted { by } => (actor_of(by), CaseEvent::SessionStarted { session }),
        LiveEvent::Locked { by, locked } => (
            actor_of(by),
            CaseEvent::SessionLocked {
                session,
                locked: *locked,
            },
        ),
        LiveEvent::Knocked { member } => (
            actor_of(member),
            CaseEvent::SessionKnocked {
                session,
                member: m(member),
            },
        ),
        LiveEvent::Joined { member, room } => (
            actor_of(member),
            CaseEvent::SessionJoined {
                session,
                member: m(member),
                room: room.0,
            },
        ),
        LiveEvent::Resumed { member, room } => (
            actor_of(member),
            CaseEvent::SessionResumed {
                session,
                member: m(member),
                room: room.0,
            },
        ),
        LiveEvent::Admitted { member, by } => (
            actor_of(by),
            CaseEvent::SessionAdmitted {
                session,
                member: m(member),
            },
        ),
        LiveEvent::Denied { member, by, reason } => (
            actor_of(by),
            CaseEvent::SessionDenied {
                session,
                member: m(member),
                reason: reason.clone(),
            },
        ),
        LiveEvent::RoomCreated { room, name, by } => (
            actor_of(by),
            CaseEvent::SessionRoomCreated {
                session,
                room: room.0,
                name: name.clone(),
            },
        ),
        LiveEvent::Moved { member, room, by } => (
            actor_of(by),
            CaseEvent::SessionMoved {
                session,
                member: m(member),
                room: room.0,
            },
        ),
        LiveEvent::Removed { member, by, reason } => (
            actor_of(by),
            CaseEvent::SessionRemoved {
                session,
                member: m(member),
                reason: reason.clone(),
            },
        ),
        LiveEvent::Left { member } => (
            actor_of(member),
            CaseEvent::SessionLeft {
                session,
                member: m(member),
            },
        ),
        LiveEvent::ReturnedToWaiting { member, by } => (
            actor_of(by),
            CaseEvent::SessionReturnedToWaiting {
                session,
                member: m(member),
            },
        ),
        LiveEvent::Evicted { member, cause, by } => (
            by.as_ref().map_or(EventActor::System, actor_of),
            CaseEvent::SessionEvicted {
                session,
                member: m(member),
                cause: *cause,
            },
        ),
        LiveEvent::ChatPosted { member, room, text } => (
            actor_of(member),
            CaseEvent::ChatPosted {
                session,
                member: m(member),
                room: room.0,
                text_sha256: text_sha256(text),
            },
        ),
        LiveEvent::SessionEnded { by } => (
            actor_of(by),
            CaseEvent::SessionEnded {
                session,
                by: Some(m(by)),
            },
        ),
        LiveEvent::Muted { .. } | LiveEvent::HandRaised { .. } => return None,
    })
}
