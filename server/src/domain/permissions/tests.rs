use super::*;
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

struct World {
    committee: CommitteeId,
    other_committee: CommitteeId,
    case: CaseId,
    mediator: UserId,
}

fn world() -> World {
    World {
        committee: CommitteeId::from_uuid(id(1)),
        other_committee: CommitteeId::from_uuid(id(2)),
        case: CaseId::from_uuid(id(10)),
        mediator: UserId::from_uuid(id(20)),
    }
}

fn staff(user: u128, committee: CommitteeId, role: StaffRole) -> Actor {
    Actor::Staff(StaffActor {
        user_id: UserId::from_uuid(id(user)),
        committee_id: committee,
        role,
    })
}

fn party(case: CaseId) -> Actor {
    Actor::Participant(ParticipantActor {
        participant_id: ParticipantId::from_uuid(id(30)),
        case_id: case,
        role: ParticipantRole::Party,
    })
}

const ACTIONS: &[CaseAction] = &[
    CaseAction::View,
    CaseAction::EditDetails,
    CaseAction::AssignMediators,
    CaseAction::Transition(CaseTransition::Accept),
    CaseAction::Transition(CaseTransition::Archive),
    CaseAction::ManageParticipants,
    CaseAction::ManageInvitations,
    CaseAction::RunSession,
    CaseAction::Transition(CaseTransition::Terminate),
    CaseAction::KeepRecord,
    CaseAction::FollowUp,
];

/// Expected answers, one column per entry of ACTIONS: `y` allowed, `f` forbidden, `n` not found.
#[test]
fn the_case_matrix() {
    let w = world();
    let mediators = [w.mediator];
    let scope = CaseScope {
        case_id: w.case,
        committee_id: w.committee,
        mediators: &mediators,
    };
    let other_case = CaseId::from_uuid(id(11));
    let rows: &[(&str, Actor, &str)] = &[
        (
            "admin",
            staff(21, w.committee, StaffRole::Admin),
            "yyyyyyffffy",
        ),
        (
            "admin assigned",
            staff(20, w.committee, StaffRole::Admin),
            "yyyyyyyyyyy",
        ),
        (
            "assigned mediator",
            staff(20, w.committee, StaffRole::Mediator),
            "yyfyfyyyyyy",
        ),
        (
            "unassigned mediator",
            staff(22, w.committee, StaffRole::Mediator),
            "nnnnnnnnnnn",
        ),
        (
            "admin elsewhere",
            staff(21, w.other_committee, StaffRole::Admin),
            "nnnnnnnnnnn",
        ),
        // The same user id in another committee must not carry the assignment across.
        (
            "mediator elsewhere",
            staff(20, w.other_committee, StaffRole::Mediator),
            "nnnnnnnnnnn",
        ),
        ("party of the case", party(w.case), "fffffffffff"),
        ("party of another case", party(other_case), "nnnnnnnnnnn"),
    ];
    for (who, actor, expected) in rows {
        for (action, want) in ACTIONS.iter().zip(expected.chars()) {
            let want = match want {
                'y' => Ok(()),
                'f' => Err(Denied::Forbidden),
                _ => Err(Denied::NotFound),
            };
            assert_eq!(
                check_case(actor, *action, &scope),
                want,
                "{who}: {action:?}"
            );
        }
    }
}

/// Columns: read, comment, draft, verify identity, sign, record paper signing, apply for
/// confirmation.
#[test]
fn the_agreement_matrix() {
    use AgreementAction as A;
    let w = world();
    let mediators = [w.mediator];
    let scope = CaseScope {
        case_id: w.case,
        committee_id: w.committee,
        mediators: &mediators,
    };
    let participant = |role| {
        Actor::Participant(ParticipantActor {
            participant_id: ParticipantId::from_uuid(id(31)),
            case_id: w.case,
            role,
        })
    };
    let rows: &[(&str, Actor, &str)] = &[
        ("admin", staff(21, w.committee, StaffRole::Admin), "yffffff"),
        (
            "assigned mediator",
            staff(20, w.committee, StaffRole::Mediator),
            "yyyyyyy",
        ),
        (
            "unassigned mediator",
            staff(22, w.committee, StaffRole::Mediator),
            "nnnnnnn",
        ),
        (
            "mediator elsewhere",
            staff(20, w.other_committee, StaffRole::Mediator),
            "nnnnnnn",
        ),
        ("party", party(w.case), "yyffyff"),
        ("agent", participant(ParticipantRole::Agent), "yyffyff"),
        (
            "observer",
            participant(ParticipantRole::Observer),
            "fffffff",
        ),
        ("invited", participant(ParticipantRole::Invited), "fffffff"),
        (
            "party of another case",
            party(CaseId::from_uuid(id(11))),
            "nnnnnnn",
        ),
    ];
    let actions = [
        A::Read,
        A::Comment,
        A::Draft,
        A::VerifyIdentity,
        A::Sign,
        A::RecordPaperSigning,
        A::ApplyForConfirmation,
    ];
    for (who, actor, expected) in rows {
        for (action, want) in actions.iter().zip(expected.chars()) {
            let want = match want {
                'y' => Ok(()),
                'f' => Err(Denied::Forbidden),
                _ => Err(Denied::NotFound),
            };
            assert_eq!(
                check_agreement(actor, *action, &scope),
                want,
                "{who}: {action:?}"
            );
        }
    }
}

#[test]
fn the_committee_matrix() {
    let w = world();
    let admin = staff(21, w.committee, StaffRole::Admin);
    let mediator = staff(20, w.committee, StaffRole::Mediator);
    let p = party(w.case);
    use CommitteeAction::*;
    let own = |actor: &Actor| match actor {
        Actor::Staff(s) => Ok(*s),
        Actor::Participant(_) => unreachable!(),
    };
    for action in [RegisterCase, ListCases, RecordScreening] {
        assert_eq!(check_committee(&admin, action), own(&admin));
        assert_eq!(check_committee(&mediator, action), own(&mediator));
        assert_eq!(check_committee(&p, action), Err(Denied::Forbidden));
    }
    assert_eq!(check_committee(&admin, ManageUsers), own(&admin));
    assert_eq!(
        check_committee(&mediator, ManageUsers),
        Err(Denied::Forbidden)
    );
    assert_eq!(check_committee(&p, ManageUsers), Err(Denied::Forbidden));
    assert_eq!(check_committee(&admin, ViewStatistics), own(&admin));
    assert_eq!(
        check_committee(&mediator, ViewStatistics),
        Err(Denied::Forbidden)
    );
}
