//! What each member may know of the session: a mediator sees everyone and every room; anyone
//! else sees only themself and the people in their own room, and nothing while waiting.

use super::protocol::{MemberView, RoomView, StateView, Status};
use crate::domain::live::{LiveSession, Member, MemberId, MemberKind, Presence, RoomId};

fn member_view(member: &Member, with_room: bool) -> MemberView {
    let (role, side) = match member.kind {
        MemberKind::Mediator => ("mediator".to_owned(), None),
        MemberKind::Participant(role, side) => (
            role.as_str().to_owned(),
            side.map(|s| s.as_str().to_owned()),
        ),
    };
    MemberView {
        id: member.id.to_string(),
        name: member.name.clone(),
        role,
        side,
        room: if with_room {
            member.room().map(|r| r.0)
        } else {
            None
        },
        connected: member.connected,
        audio_muted: member.audio_muted,
        video_muted: member.video_muted,
        hand_raised: member.hand_raised,
    }
}

fn room_view(session: &LiveSession, id: RoomId) -> RoomView {
    RoomView {
        id: id.0,
        name: session.rooms().get(&id).cloned().unwrap_or_default(),
        private: id != RoomId::MAIN,
    }
}

/// The state as `viewer` may see it, or `None` when they are not (or no longer) in it.
pub(super) fn state_for(session: &LiveSession, viewer: &MemberId) -> Option<StateView> {
    let me = session.member(viewer)?;
    let is_mediator = me.kind == MemberKind::Mediator;
    let status = match me.presence {
        Presence::Waiting { .. } => Status::Waiting,
        Presence::Admitted { .. } => Status::Admitted,
        _ => return None,
    };
    let members = session
        .members()
        .filter(|m| m.id != *viewer)
        .filter(|m| {
            if is_mediator {
                m.room().is_some()
            } else {
                session.may_see(viewer, &m.id)
            }
        })
        .map(|m| member_view(m, is_mediator))
        .collect();
    let (waiting, rooms) = if is_mediator {
        (
            session
                .waiting()
                .into_iter()
                .map(|m| member_view(m, false))
                .collect(),
            session
                .rooms()
                .keys()
                .map(|id| room_view(session, *id))
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Some(StateView {
        status,
        you: member_view(me, true),
        room: me.room().map(|id| room_view(session, id)),
        members,
        waiting,
        rooms,
        locked: session.is_locked(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{ParticipantId, UserId};
    use crate::domain::participant::{ParticipantRole, Side};
    use crate::domain::Timestamp;
    use uuid::Uuid;

    const PARTY: MemberKind =
        MemberKind::Participant(ParticipantRole::Party, Some(Side::Applicant));

    #[test]
    fn each_sees_what_their_place_allows() {
        let m = MemberId::Staff(UserId::from_uuid(Uuid::from_u128(1)));
        let a = MemberId::Participant(ParticipantId::from_uuid(Uuid::from_u128(2)));
        let b = MemberId::Participant(ParticipantId::from_uuid(Uuid::from_u128(3)));
        let now = Timestamp::from_millis(0);
        let mut s = LiveSession::new();
        s.connect(m.clone(), "M".into(), MemberKind::Mediator, now)
            .unwrap();
        s.connect(a.clone(), "A".into(), PARTY, now).unwrap();
        s.connect(b.clone(), "B".into(), PARTY, now).unwrap();

        let waiting = state_for(&s, &a).unwrap();
        assert_eq!(waiting.status, Status::Waiting);
        assert!(waiting.members.is_empty(), "the waiting room shows no one");
        assert!(waiting.waiting.is_empty(), "nor who else waits");
        let mediator = state_for(&s, &m).unwrap();
        assert_eq!(mediator.waiting.len(), 2);

        s.admit(&m, &a).unwrap();
        s.admit(&m, &b).unwrap();
        let (caucus, _) = s.create_room(&m, "caucus").unwrap();
        s.move_member(&m, &a, caucus).unwrap();
        s.move_member(&m, &m, caucus).unwrap();
        let view_b = state_for(&s, &b).unwrap();
        assert!(
            view_b.members.is_empty(),
            "B alone in the joint room sees no one"
        );
        assert!(view_b.rooms.is_empty(), "and not which rooms exist");
        let view_a = state_for(&s, &a).unwrap();
        assert!(view_a.room.as_ref().unwrap().private);
        assert_eq!(view_a.members.len(), 1, "A sees the mediator in the caucus");
        let view_m = state_for(&s, &m).unwrap();
        assert_eq!(view_m.members.len(), 2);
        assert_eq!(view_m.rooms.len(), 2);
        assert!(view_m.members.iter().any(|v| v.room == Some(caucus.0)));
        assert!(
            view_a.members.iter().all(|v| v.room.is_none()),
            "rooms are the mediator's to see"
        );
    }
}
