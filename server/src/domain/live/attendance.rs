//! Attendance that lapses mid-session. An invited participant (PML 20) or an observer (PML
//! 23(3)) attends only while every party consents to them; a party may withdraw that consent
//! at any time, and then the attendee may not stay a moment longer. They go back to the waiting
//! room, which is no room at all: media and chat stop reaching them, and theirs stop reaching
//! anyone. Admitting them again is the ordinary admission, which the live actor allows only once
//! every party consents again.

use super::{LiveEvent, LiveSession, MemberId, MemberKind, Presence};
use crate::domain::consent::attendance::needs_parties_consent;
use crate::domain::Timestamp;

impl LiveSession {
    /// `party` withdrew their consent to `attendee` attending. An admitted attendee (in the
    /// joint room or a caucus) goes back to the waiting room, waiting since `now`, with their
    /// hand lowered. One who is waiting, gone, or not in this session has nothing to leave, and
    /// nobody who needs no party's consent (a party, an agent, a mediator) is affected.
    pub fn attendance_withdrawn(
        &mut self,
        attendee: &MemberId,
        party: &MemberId,
        now: Timestamp,
    ) -> Vec<LiveEvent> {
        if self.ended {
            return Vec::new();
        }
        let Some(member) = self.members.get_mut(attendee) else {
            return Vec::new();
        };
        let needs_consent =
            matches!(member.kind, MemberKind::Participant(role, _) if needs_parties_consent(role));
        if !needs_consent || member.room().is_none() {
            return Vec::new();
        }
        member.presence = Presence::Waiting { since: now };
        member.hand_raised = false;
        vec![LiveEvent::ReturnedToWaiting {
            member: attendee.clone(),
            by: party.clone(),
        }]
    }

    /// `by` added a party to the case, who cannot have consented to anyone attending yet: every
    /// invited participant and observer in a room goes back to the waiting room, as if that party
    /// had withdrawn their consent.
    pub fn party_added(&mut self, by: &MemberId, now: Timestamp) -> Vec<LiveEvent> {
        let attending: Vec<MemberId> = self
            .members
            .values()
            .filter(|m| m.room().is_some())
            .filter(|m| matches!(m.kind, MemberKind::Participant(role, _) if needs_parties_consent(role)))
            .map(|m| m.id.clone())
            .collect();
        attending
            .iter()
            .flat_map(|attendee| self.attendance_withdrawn(attendee, by, now))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{ParticipantId, UserId};
    use crate::domain::live::RoomId;
    use crate::domain::participant::{ParticipantRole, Side};
    use std::collections::BTreeSet;
    use uuid::Uuid;

    fn t(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    fn mediator() -> MemberId {
        MemberId::Staff(UserId::from_uuid(Uuid::from_u128(1)))
    }

    fn participant(n: u128) -> MemberId {
        MemberId::Participant(ParticipantId::from_uuid(Uuid::from_u128(100 + n)))
    }

    const PARTY: MemberKind =
        MemberKind::Participant(ParticipantRole::Party, Some(Side::Applicant));
    const OBSERVER: MemberKind = MemberKind::Participant(ParticipantRole::Observer, None);
    const INVITED: MemberKind = MemberKind::Participant(ParticipantRole::Invited, None);

    /// The mediator, party 1, an observer (2) and an invited participant (3), all admitted
    /// to the joint room.
    fn session() -> LiveSession {
        let mut s = LiveSession::new();
        s.connect(mediator(), "M".into(), MemberKind::Mediator, t(0))
            .unwrap();
        for (n, kind) in [(1, PARTY), (2, OBSERVER), (3, INVITED)] {
            s.connect(participant(n), format!("{n}"), kind, t(1))
                .unwrap();
            s.admit(&mediator(), &participant(n)).unwrap();
        }
        s
    }

    #[test]
    fn an_admitted_observer_goes_back_to_wait_and_loses_all_media() {
        let mut s = session();
        s.raise_hand(&participant(2), true).unwrap();
        let events = s.attendance_withdrawn(&participant(2), &participant(1), t(50));
        assert_eq!(
            events,
            [LiveEvent::ReturnedToWaiting {
                member: participant(2),
                by: participant(1)
            }]
        );
        let observer = s.member(&participant(2)).unwrap();
        assert_eq!(observer.presence, Presence::Waiting { since: t(50) });
        assert!(!observer.hand_raised);
        let routing = s.routing();
        assert!(
            !routing.contains_key(&participant(2)),
            "they publish to no one"
        );
        assert!(
            routing.values().all(|subs| !subs.contains(&participant(2))),
            "nobody is forwarded to them"
        );
        assert!(!s.chat_recipients(RoomId::MAIN).contains(&participant(2)));
        assert_eq!(s.waiting().len(), 1);
        // The others carry on together.
        assert_eq!(
            routing[&participant(1)],
            BTreeSet::from([mediator(), participant(3)])
        );
    }

    #[test]
    fn a_new_party_sends_every_attendee_back_and_nobody_else() {
        let mut s = session();
        let (caucus, _) = s.create_room(&mediator(), "caucus").unwrap();
        s.move_member(&mediator(), &participant(3), caucus).unwrap();
        let events = s.party_added(&mediator(), t(70));
        let back: BTreeSet<MemberId> = events
            .iter()
            .map(|e| match e {
                LiveEvent::ReturnedToWaiting { member, by } => {
                    assert_eq!(by, &mediator(), "the one who added the party");
                    member.clone()
                }
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(back, BTreeSet::from([participant(2), participant(3)]));
        assert!(s.member(&participant(1)).unwrap().room().is_some());
        assert!(s.member(&mediator()).unwrap().room().is_some());
        assert!(
            s.party_added(&mediator(), t(71)).is_empty(),
            "nobody left to send"
        );
    }

    #[test]
    fn an_invited_participant_in_a_caucus_leaves_it_too() {
        let mut s = session();
        let (caucus, _) = s.create_room(&mediator(), "caucus").unwrap();
        s.move_member(&mediator(), &participant(3), caucus).unwrap();
        s.move_member(&mediator(), &participant(1), caucus).unwrap();
        let events = s.attendance_withdrawn(&participant(3), &participant(1), t(9));
        assert_eq!(events.len(), 1);
        assert_eq!(s.room_of(&participant(3)), None);
        assert!(s.routing()[&participant(1)].is_empty());
        // Coming back in is an ordinary admission, to the joint room.
        s.admit(&mediator(), &participant(3)).unwrap();
        assert_eq!(s.room_of(&participant(3)), Some(RoomId::MAIN));
    }

    #[test]
    fn only_an_admitted_attendee_has_anything_to_leave() {
        let mut s = session();
        // Parties, agents and mediators need no party's consent to attend.
        assert!(s
            .attendance_withdrawn(&participant(1), &participant(1), t(5))
            .is_empty());
        assert!(s
            .attendance_withdrawn(&mediator(), &participant(1), t(5))
            .is_empty());
        assert_eq!(s.room_of(&participant(1)), Some(RoomId::MAIN));
        // Someone not in the session, or already waiting, stays as they are.
        assert!(s
            .attendance_withdrawn(&participant(9), &participant(1), t(5))
            .is_empty());
        s.attendance_withdrawn(&participant(2), &participant(1), t(5));
        assert!(s
            .attendance_withdrawn(&participant(2), &participant(1), t(6))
            .is_empty());
        assert_eq!(
            s.member(&participant(2)).unwrap().presence,
            Presence::Waiting { since: t(5) },
            "their place in the queue is kept"
        );
    }

    #[test]
    fn a_dropped_attendee_resumes_in_the_waiting_room() {
        let mut s = session();
        s.disconnect(&participant(2), t(10));
        s.attendance_withdrawn(&participant(2), &participant(1), t(20));
        let events = s
            .connect(participant(2), "2".into(), OBSERVER, t(30))
            .unwrap();
        assert!(events.is_empty(), "no resumption into a room");
        assert_eq!(s.room_of(&participant(2)), None);
    }

    #[test]
    fn an_ended_session_changes_no_more() {
        let mut s = session();
        s.end(&mediator()).unwrap();
        assert!(s
            .attendance_withdrawn(&participant(2), &participant(1), t(5))
            .is_empty());
    }
}
