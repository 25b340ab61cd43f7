use super::*;

const DAY: i64 = 24 * 3_600_000;
const EFFECTIVE: Timestamp = Timestamp::from_millis(1_772_323_200_000);

fn facts(dispute_type: DisputeType) -> ApplicationFacts {
    ApplicationFacts {
        dispute_type,
        agreement_personal_relationship: false,
        personal_status: None,
        ownership: None,
    }
}

#[test]
fn the_thirty_days_run_from_the_agreement_taking_effect() {
    let ok = check_application(
        facts(DisputeType::Contract),
        EFFECTIVE,
        EFFECTIVE.plus_millis(30 * DAY),
    );
    assert_eq!(
        ok,
        Ok(()),
        "the last instant of the 30th day still counts (PML 33)"
    );
    let late = check_application(
        facts(DisputeType::Contract),
        EFFECTIVE,
        EFFECTIVE.plus_millis(30 * DAY + 1),
    );
    let late = late.unwrap_err();
    assert_eq!(late.code(), "deadline_passed");
    assert!(late.to_string().contains("PML 33"), "{late}");
}

#[test]
fn warnings_come_seven_and_two_days_before() {
    let at = |days_left: i64| warning(EFFECTIVE, EFFECTIVE.plus_millis((30 - days_left) * DAY));
    assert_eq!(at(8), DeadlineWarning::None);
    assert_eq!(at(7), DeadlineWarning::Soon);
    assert_eq!(at(3), DeadlineWarning::Soon);
    assert_eq!(at(2), DeadlineWarning::Urgent);
    assert_eq!(at(0), DeadlineWarning::Urgent);
    assert_eq!(at(-1), DeadlineWarning::Expired);
}

#[test]
fn identity_marriage_and_adoption_matters_are_not_confirmed() {
    let now = EFFECTIVE;
    let family = facts(DisputeType::MarriageFamily);
    assert_eq!(
        check_application(family, EFFECTIVE, now),
        Err(Ineligible::PersonalStatusNotStated),
        "for a family dispute the mediator must say"
    );
    let status = ApplicationFacts {
        personal_status: Some(true),
        ..family
    };
    let refused = check_application(status, EFFECTIVE, now).unwrap_err();
    assert_eq!(refused, Ineligible::PersonalStatus);
    assert!(refused.to_string().contains("art. 355(3)"));
    let maintenance = ApplicationFacts {
        personal_status: Some(false),
        ..family
    };
    assert_eq!(check_application(maintenance, EFFECTIVE, now), Ok(()));
    // An agreement flagged as about personal relationships (ESL 3) is refused whatever the type.
    let flagged = ApplicationFacts {
        agreement_personal_relationship: true,
        ..facts(DisputeType::Other)
    };
    assert_eq!(
        check_application(flagged, EFFECTIVE, now),
        Err(Ineligible::PersonalStatus)
    );
}

#[test]
fn ownership_of_property_and_ip_is_not_confirmed() {
    let now = EFFECTIVE;
    for kind in [
        DisputeType::IntellectualProperty,
        DisputeType::HousingHomestead,
        DisputeType::ForestLand,
    ] {
        assert_eq!(
            check_application(facts(kind), EFFECTIVE, now),
            Err(Ineligible::OwnershipNotStated),
            "{kind}"
        );
        let licence = ApplicationFacts {
            ownership: Some(false),
            ..facts(kind)
        };
        assert_eq!(check_application(licence, EFFECTIVE, now), Ok(()), "{kind}");
    }
    let ip = ApplicationFacts {
        ownership: Some(true),
        ..facts(DisputeType::IntellectualProperty)
    };
    let refused = check_application(ip, EFFECTIVE, now).unwrap_err();
    assert_eq!(refused, Ineligible::IntellectualPropertyOwnership);
    assert!(refused.to_string().contains("art. 355(5)"));
    let house = ApplicationFacts {
        ownership: Some(true),
        ..facts(DisputeType::Neighbour)
    };
    assert_eq!(
        check_application(house, EFFECTIVE, now),
        Err(Ineligible::PropertyOwnership)
    );
    // Where ownership is unlikely, silence means no.
    assert_eq!(
        check_application(facts(DisputeType::Damages), EFFECTIVE, now),
        Ok(())
    );
}

#[test]
fn answers_arriving_out_of_order_never_undo_a_decision() {
    use ApplicationStatus as S;
    use CourtAnswer as A;
    assert_eq!(
        apply_answer(S::Prepared, A::Accepted),
        Err(AnswerRefused::NotFiled)
    );
    assert_eq!(
        apply_answer(S::Filed, A::Accepted),
        Ok(AnswerEffect::Advance(S::Accepted))
    );
    assert_eq!(
        apply_answer(S::Filed, A::Confirmed),
        Ok(AnswerEffect::Advance(S::Confirmed))
    );
    assert_eq!(
        apply_answer(S::Accepted, A::Dismissed),
        Ok(AnswerEffect::Advance(S::Dismissed))
    );
    assert_eq!(
        apply_answer(S::Confirmed, A::Accepted),
        Ok(AnswerEffect::RecordOnly)
    );
    assert_eq!(
        apply_answer(S::Confirmed, A::Confirmed),
        Ok(AnswerEffect::Repeat)
    );
    assert_eq!(
        apply_answer(S::Confirmed, A::Dismissed),
        Err(AnswerRefused::AlreadyDecided(S::Confirmed))
    );
}
