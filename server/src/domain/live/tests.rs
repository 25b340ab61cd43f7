use super::*;
use crate::domain::ids::{ParticipantId, UserId};
use uuid::Uuid;

fn t(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms)
}

fn mediator() -> MemberId {
    MemberId::Staff(UserId::from_uuid(Uuid::from_u128(1)))
}

fn party(n: u128) -> MemberId {
    MemberId::Participant(ParticipantId::from_uuid(Uuid::from_u128(100 + n)))
}

const PARTY: MemberKind = MemberKind::Participant(
    crate::domain::participant::ParticipantRole::Party,
    Some(crate::domain::participant::Side::Applicant),
);

/// A session with the mediator and parties A and B admitted to the joint room.
fn joint_session() -> LiveSession {
    let mut s = LiveSession::new();
    s.connect(mediator(), "调解员".into(), MemberKind::Mediator, t(0))
        .unwrap();
    for n in [1, 2] {
        s.connect(party(n), format!("party {n}"), PARTY, t(1))
            .unwrap();
        s.admit(&mediator(), &party(n)).unwrap();
    }
    s
}

#[test]
fn the_first_mediator_starts_the_session_and_goes_straight_in() {
    let mut s = LiveSession::new();
    let events = s
        .connect(mediator(), "调解员".into(), MemberKind::Mediator, t(0))
        .unwrap();
    assert_eq!(
        events,
        [
            LiveEvent::SessionStarted { by: mediator() },
            LiveEvent::Joined {
                member: mediator(),
                room: RoomId::MAIN
            }
        ]
    );
    assert!(s.is_started());
}

#[test]
fn parties_wait_however_early_they_arrive_and_see_no_one() {
    let mut s = LiveSession::new();
    let events = s.connect(party(1), "A".into(), PARTY, t(0)).unwrap();
    assert_eq!(events, [LiveEvent::Knocked { member: party(1) }]);
    s.connect(mediator(), "M".into(), MemberKind::Mediator, t(5))
        .unwrap();
    assert_eq!(s.room_of(&party(1)), None);
    assert!(!s.may_see(&party(1), &mediator()));
    assert!(s.routing()[&mediator()].is_empty());
    assert!(!s.routing().contains_key(&party(1)));
    assert_eq!(s.chat(&party(1), "hello"), Err(Refusal::NotAdmitted));
    assert!(s
        .chat_recipients(RoomId::MAIN)
        .iter()
        .all(|m| *m != party(1)));
    assert_eq!(s.waiting().len(), 1);
}

#[test]
fn only_a_mediator_admits_and_denial_keeps_them_out() {
    let mut s = LiveSession::new();
    s.connect(mediator(), "M".into(), MemberKind::Mediator, t(0))
        .unwrap();
    s.connect(party(1), "A".into(), PARTY, t(1)).unwrap();
    s.connect(party(2), "B".into(), PARTY, t(2)).unwrap();
    assert_eq!(s.admit(&party(2), &party(1)), Err(Refusal::NotAMediator));
    s.admit(&mediator(), &party(1)).unwrap();
    assert_eq!(s.admit(&party(1), &party(2)), Err(Refusal::NotAMediator));
    s.deny(&mediator(), &party(2), "not a party".into())
        .unwrap();
    assert_eq!(s.admit(&mediator(), &party(2)), Err(Refusal::NotWaiting));
    assert_eq!(
        s.connect(party(2), "B".into(), PARTY, t(3)),
        Err(Refusal::Denied)
    );
}

#[test]
fn a_caucus_separates_media_and_chat() {
    let mut s = joint_session();
    assert!(s.may_see(&party(1), &party(2)));
    let (caucus, _) = s.create_room(&mediator(), "与申请人单独谈话").unwrap();
    s.move_member(&mediator(), &party(1), caucus).unwrap();
    s.move_member(&mediator(), &mediator(), caucus).unwrap();
    let routing = s.routing();
    assert_eq!(routing[&party(1)], BTreeSet::from([mediator()]));
    assert_eq!(routing[&mediator()], BTreeSet::from([party(1)]));
    assert!(routing[&party(2)].is_empty(), "B hears no one while alone");
    assert!(!s.may_see(&party(1), &party(2)));
    assert_eq!(s.chat_recipients(caucus), [mediator(), party(1)]);
    let events = s.chat(&party(2), "anyone?").unwrap();
    assert_eq!(
        events,
        [LiveEvent::ChatPosted {
            member: party(2),
            room: RoomId::MAIN,
            text: "anyone?".into()
        }]
    );
    assert_eq!(s.chat_recipients(RoomId::MAIN), [party(2)]);

    let back = s.return_all(&mediator()).unwrap();
    assert_eq!(back.len(), 2);
    assert!(s.may_see(&party(1), &party(2)));
    assert_eq!(
        s.routing()[&party(2)],
        BTreeSet::from([mediator(), party(1)])
    );
}

#[test]
fn only_mediators_move_people_and_only_into_rooms_that_exist() {
    let mut s = joint_session();
    assert_eq!(
        s.move_member(&party(1), &party(2), RoomId::MAIN),
        Err(Refusal::NotAMediator)
    );
    assert_eq!(
        s.move_member(&mediator(), &party(1), RoomId(7)),
        Err(Refusal::UnknownRoom)
    );
    assert_eq!(s.create_room(&mediator(), "  "), Err(Refusal::BadRoomName));
    assert_eq!(
        s.create_room(&party(1), "x").map(|_| ()),
        Err(Refusal::NotAMediator)
    );
}

#[test]
fn a_dropped_connection_resumes_in_its_room_within_the_grace_period() {
    let mut s = joint_session();
    let (caucus, _) = s.create_room(&mediator(), "caucus").unwrap();
    s.move_member(&mediator(), &party(1), caucus).unwrap();
    s.disconnect(&party(1), t(1_000));
    assert!(s.expire(t(10_000), 30_000).is_empty());
    let events = s.connect(party(1), "A".into(), PARTY, t(20_000)).unwrap();
    assert_eq!(
        events,
        [LiveEvent::Resumed {
            member: party(1),
            room: caucus
        }]
    );
    assert_eq!(s.room_of(&party(1)), Some(caucus));
}

#[test]
fn after_the_grace_period_they_have_left_and_must_be_admitted_again() {
    let mut s = joint_session();
    s.disconnect(&party(1), t(1_000));
    assert_eq!(
        s.expire(t(31_000), 30_000),
        [LiveEvent::Left { member: party(1) }]
    );
    let events = s.connect(party(1), "A".into(), PARTY, t(40_000)).unwrap();
    assert_eq!(events, [LiveEvent::Knocked { member: party(1) }]);
    assert_eq!(s.room_of(&party(1)), None);
}

#[test]
fn reconnecting_never_skips_admission() {
    let mut s = LiveSession::new();
    s.connect(party(1), "A".into(), PARTY, t(0)).unwrap();
    s.disconnect(&party(1), t(1));
    let events = s.connect(party(1), "A".into(), PARTY, t(2)).unwrap();
    assert!(events.is_empty());
    assert_eq!(s.room_of(&party(1)), None);
    assert_eq!(s.waiting().len(), 1);
}

#[test]
fn mediators_mute_others_but_never_unmute_and_cannot_be_removed() {
    let mut s = joint_session();
    s.mute(&mediator(), &party(1), MuteKind::Audio).unwrap();
    assert!(s.member(&party(1)).unwrap().audio_muted);
    assert_eq!(
        s.mute(&party(2), &party(1), MuteKind::Video),
        Err(Refusal::NotAMediator)
    );
    // Unmuting is the member's own act.
    s.set_own_mute(&party(1), MuteKind::Audio, false).unwrap();
    assert!(!s.member(&party(1)).unwrap().audio_muted);
    assert_eq!(
        s.remove(&mediator(), &mediator(), "x".into()),
        Err(Refusal::MediatorProtected)
    );
}

#[test]
fn removal_is_for_the_rest_of_the_session() {
    let mut s = joint_session();
    s.remove(&mediator(), &party(2), "disruptive".into())
        .unwrap();
    assert_eq!(s.room_of(&party(2)), None);
    assert!(!s.routing().contains_key(&party(2)));
    assert_eq!(
        s.connect(party(2), "B".into(), PARTY, t(9)),
        Err(Refusal::Removed)
    );
}

#[test]
fn raised_hands_chat_limits_and_the_end() {
    let mut s = joint_session();
    assert_eq!(
        s.raise_hand(&party(1), true).unwrap(),
        [LiveEvent::HandRaised {
            member: party(1),
            raised: true
        }]
    );
    assert!(s.raise_hand(&party(1), true).unwrap().is_empty());
    assert_eq!(s.chat(&party(1), "   "), Err(Refusal::BadChatText));
    assert_eq!(s.chat(&party(1), "a\u{0}b"), Err(Refusal::BadChatText));
    assert_eq!(
        s.chat(&party(1), &"字".repeat(2001)),
        Err(Refusal::BadChatText)
    );
    assert_eq!(s.end(&party(1)), Err(Refusal::NotAMediator));
    s.end(&mediator()).unwrap();
    assert!(s.is_ended());
    assert_eq!(s.chat(&party(1), "late"), Err(Refusal::Ended));
    assert_eq!(
        s.connect(party(9), "late".into(), PARTY, t(99)),
        Err(Refusal::Ended)
    );
}

#[test]
fn member_ids_round_trip_through_their_stream_names() {
    for id in [mediator(), party(1)] {
        assert_eq!(MemberId::parse(&id.to_string()), Some(id));
    }
    assert_eq!(MemberId::parse("x-1"), None);
    assert_eq!(MemberId::parse("s-"), None);
}

#[test]
fn a_termination_closes_the_session_from_outside_once() {
    let colleague = MemberId::Staff(UserId::from_uuid(Uuid::from_u128(2)));
    let mut s = joint_session();
    assert_eq!(
        s.close(&colleague),
        Ok(vec![LiveEvent::SessionEnded {
            by: colleague.clone()
        }])
    );
    assert!(s.is_ended());
    assert_eq!(s.close(&colleague), Err(Refusal::Ended));
    assert_eq!(
        s.connect(party(3), "C".into(), PARTY, t(9)),
        Err(Refusal::Ended)
    );
    // A session nobody has started yet (only people waiting) closes too.
    let mut waiting = LiveSession::new();
    waiting.connect(party(1), "A".into(), PARTY, t(0)).unwrap();
    assert!(waiting.close(&colleague).is_ok() && waiting.is_ended() && !waiting.is_started());
}

#[test]
fn a_locked_session_takes_no_new_knocks_but_keeps_who_is_there() {
    let mut s = joint_session();
    s.connect(party(3), "C".into(), PARTY, t(2)).unwrap();
    assert_eq!(
        s.set_locked(&party(1), true),
        Err(Refusal::NotAMediator),
        "only a mediator locks"
    );
    assert_eq!(
        s.set_locked(&mediator(), true).unwrap(),
        [LiveEvent::Locked {
            by: mediator(),
            locked: true
        }]
    );
    assert!(s.is_locked());
    assert!(s.set_locked(&mediator(), true).unwrap().is_empty());
    assert_eq!(
        s.connect(party(4), "D".into(), PARTY, t(3)),
        Err(Refusal::Locked)
    );
    // Who was waiting still waits, and who was in comes back from a dropped connection.
    s.disconnect(&party(3), t(4));
    assert_eq!(s.connect(party(3), "C".into(), PARTY, t(5)), Ok(Vec::new()));
    s.disconnect(&party(1), t(4));
    assert_eq!(
        s.connect(party(1), "A".into(), PARTY, t(5)).unwrap(),
        [LiveEvent::Resumed {
            member: party(1),
            room: RoomId::MAIN
        }]
    );
    let colleague = MemberId::Staff(UserId::from_uuid(Uuid::from_u128(2)));
    assert!(
        s.connect(colleague, "M2".into(), MemberKind::Mediator, t(6))
            .is_ok(),
        "a mediator is never locked out"
    );
    s.set_locked(&mediator(), false).unwrap();
    assert_eq!(
        s.connect(party(4), "D".into(), PARTY, t(7)).unwrap(),
        [LiveEvent::Knocked { member: party(4) }]
    );
}

#[test]
fn an_eviction_takes_a_member_out_of_every_room_and_bars_nothing_later() {
    let mut s = joint_session();
    s.create_room(&mediator(), "与申请人单独谈话").unwrap();
    s.move_member(&mediator(), &party(1), RoomId(1)).unwrap();
    s.raise_hand(&party(1), true).unwrap();
    let events = s.evict(&party(1), Revocation::ParticipantRemoved, Some(mediator()));
    assert_eq!(
        events,
        [LiveEvent::Evicted {
            member: party(1),
            cause: Revocation::ParticipantRemoved,
            by: Some(mediator()),
        }]
    );
    assert_eq!(s.room_of(&party(1)), None);
    assert!(!s.may_see(&party(1), &mediator()));
    assert!(s.chat_recipients(RoomId(1)).iter().all(|m| *m != party(1)));
    assert!(s.routing().values().all(|subs| !subs.contains(&party(1))));
    let evicted = s.member(&party(1)).unwrap();
    assert!(!evicted.hand_raised && !evicted.connected);
    // Nothing twice; and coming back is the door's question, so the session knocks them again.
    assert!(s
        .evict(&party(1), Revocation::ParticipantRemoved, None)
        .is_empty());
    let back = s.connect(party(1), "A".into(), PARTY, t(9)).unwrap();
    assert_eq!(back, [LiveEvent::Knocked { member: party(1) }]);
}

#[test]
fn a_waiting_member_is_evicted_too_but_nobody_after_the_end() {
    let mut s = LiveSession::new();
    s.connect(mediator(), "M".into(), MemberKind::Mediator, t(0))
        .unwrap();
    s.connect(party(1), "A".into(), PARTY, t(1)).unwrap();
    let events = s.evict(&party(1), Revocation::InvitationRevoked, None);
    assert_eq!(events.len(), 1);
    assert!(s.waiting().is_empty());
    // A mediator's place rests on rights too.
    let events = s.evict(&mediator(), Revocation::MediatorUnassigned, None);
    assert_eq!(events.len(), 1);
    assert_eq!(s.room_of(&mediator()), None);
    assert!(s.evict(&party(2), Revocation::SignedOut, None).is_empty());
    s.close(&mediator()).unwrap();
    s.connect(party(2), "B".into(), PARTY, t(2)).unwrap_err();
    assert!(s.evict(&party(1), Revocation::CaseClosed, None).is_empty());
}
