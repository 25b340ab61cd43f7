use super::*;
use uuid::Uuid;

fn party(n: u128) -> ParticipantId {
    ParticipantId::from_uuid(Uuid::from_u128(n))
}

fn mediator() -> UserId {
    UserId::from_uuid(Uuid::from_u128(99))
}

fn details(p: ParticipantId, name: &str) -> PartyDetails {
    PartyDetails {
        participant: p,
        name: name.into(),
        sex: Some(Sex::Female),
        age: Some(45),
        ethnicity: Some("汉族".into()),
        occupation: None,
        address: Some(" 北京市朝阳区 ".into()),
        contact: None,
    }
}

fn content() -> AgreementContent {
    AgreementContent {
        parties: vec![details(party(1), "李甲"), details(party(2), "王乙")],
        facts: "楼上漏水损坏楼下天花板。".into(),
        issues: "维修费用由谁承担。".into(),
        responsibilities: "王乙承担主要责任。".into(),
        terms: vec![Term {
            text: "王乙赔偿李甲维修费。".into(),
            obligor: Some(party(2)),
            manner: "银行转账".into(),
            deadline: Some("2026-12-31".into()),
            amount_fen: Some(300_000),
        }],
        personal_relationship: false,
    }
}

#[test]
fn a_complete_agreement_passes_and_is_trimmed() {
    let checked = content().check(&[party(1), party(2)]).unwrap();
    assert_eq!(checked.parties[0].address.as_deref(), Some("北京市朝阳区"));
}

#[test]
fn each_missing_or_wrong_part_is_named() {
    let mut bad = content();
    bad.parties.pop();
    bad.facts = " ".into();
    bad.terms[0].manner = String::new();
    bad.terms[0].deadline = Some("2026-02-30".into());
    bad.terms[0].amount_fen = Some(-1);
    bad.terms[0].obligor = Some(party(7));
    let err = bad.check(&[party(1), party(2)]).unwrap_err();
    let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "parties",
            "facts",
            "terms.0.manner",
            "terms.0.deadline",
            "terms.0.obligor",
            "terms.0.amount_fen"
        ]
    );
    let mut stranger = content();
    stranger.parties[1].participant = party(3);
    let err = stranger.check(&[party(1), party(2)]).unwrap_err();
    assert!(err.0.iter().any(|e| e.field == "parties.1.participant"));
    let mut no_terms = content();
    no_terms.terms.clear();
    assert!(no_terms.check(&[party(1), party(2)]).is_err());
}

fn signing(signed: Vec<Signer>) -> SigningState {
    SigningState {
        parties: vec![party(1), party(2)],
        mediators: vec![mediator()],
        // Party 1's agent (party 11) may sign for them; party 2's (party 12) may not.
        authorised_agents: vec![(party(11), party(1))],
        signed,
    }
}

#[test]
fn an_agent_with_authority_signs_for_their_principal_once() {
    let open = AgreementStage::Signing;
    let for_one = Signer::Agent {
        agent: party(11),
        principal: party(1),
    };
    let none = signing(vec![]);
    assert_eq!(none.check(open, false, for_one), Ok(()));
    let without_authority = Signer::Agent {
        agent: party(12),
        principal: party(2),
    };
    assert_eq!(
        none.check(open, false, without_authority),
        Err(SigningRefused::NoSigningAuthority)
    );
    let for_a_stranger = Signer::Agent {
        agent: party(11),
        principal: party(9),
    };
    assert_eq!(
        none.check(open, false, for_a_stranger),
        Err(SigningRefused::NotASigner)
    );
    let by_agent = signing(vec![for_one]);
    assert!(by_agent.signed_for(party(1)) && !by_agent.signed_for(party(2)));
    assert_eq!(
        by_agent.check(open, false, Signer::Party(party(1))),
        Err(SigningRefused::AlreadySigned),
        "the party signed through their agent"
    );
    let in_person = signing(vec![Signer::Party(party(1))]);
    assert_eq!(
        in_person.check(open, false, for_one),
        Err(SigningRefused::AlreadySigned),
        "the party signed in person"
    );
    let both = signing(vec![for_one, Signer::Party(party(2))]);
    assert!(both.all_parties_signed());
    assert_eq!(
        both.check(open, false, Signer::Mediator(mediator())),
        Ok(())
    );
}

#[test]
fn parties_sign_first_then_the_mediator() {
    let open = AgreementStage::Signing;
    let none = signing(vec![]);
    assert_eq!(none.check(open, false, Signer::Party(party(2))), Ok(()));
    assert_eq!(
        none.check(open, false, Signer::Mediator(mediator())),
        Err(SigningRefused::PartiesFirst)
    );
    let one = signing(vec![Signer::Party(party(1))]);
    assert_eq!(
        one.check(open, false, Signer::Party(party(1))),
        Err(SigningRefused::AlreadySigned)
    );
    assert_eq!(
        one.check(open, false, Signer::Mediator(mediator())),
        Err(SigningRefused::PartiesFirst)
    );
    let parties = signing(vec![Signer::Party(party(1)), Signer::Party(party(2))]);
    assert!(parties.all_parties_signed() && !parties.complete());
    assert_eq!(
        parties.check(open, false, Signer::Mediator(mediator())),
        Ok(())
    );
    let all = signing(vec![
        Signer::Party(party(1)),
        Signer::Party(party(2)),
        Signer::Mediator(mediator()),
    ]);
    assert!(all.complete());
}

#[test]
fn strangers_drafts_and_personal_relationships_are_refused() {
    let state = signing(vec![]);
    assert_eq!(
        state.check(AgreementStage::Signing, false, Signer::Party(party(9))),
        Err(SigningRefused::NotASigner)
    );
    assert_eq!(
        state.check(AgreementStage::Draft, false, Signer::Party(party(1))),
        Err(SigningRefused::NotOpenForSigning)
    );
    assert_eq!(
        state.check(AgreementStage::Effective, false, Signer::Party(party(1))),
        Err(SigningRefused::NotOpenForSigning)
    );
    assert_eq!(
        state.check(AgreementStage::Signing, true, Signer::Party(party(1))),
        Err(SigningRefused::PersonalRelationship)
    );
}

mod lifecycle {
    use super::super::lifecycle::*;
    use super::super::AgreementStage;
    use crate::domain::case::{CaseStatus, CaseTransition};

    fn latest(version: u64, finalised: bool, sealed: bool) -> Option<LatestVersion> {
        Some(LatestVersion {
            version,
            finalised,
            sealed,
        })
    }

    #[test]
    fn the_first_draft_is_version_one_and_each_save_adds_one() {
        let first = plan_draft(CaseStatus::Accepted, None).unwrap();
        assert_eq!(
            (first.version, first.voids, first.transition),
            (1, None, None)
        );
        let next = plan_draft(CaseStatus::InMediation, latest(1, false, false)).unwrap();
        assert_eq!((next.version, next.voids), (2, None));
    }

    #[test]
    fn a_draft_after_freezing_voids_the_frozen_version_and_resumes_mediation() {
        let plan = plan_draft(CaseStatus::Agreed, latest(3, true, false)).unwrap();
        assert_eq!(plan.version, 4);
        assert_eq!(plan.voids, Some(3));
        assert_eq!(plan.transition, Some(CaseTransition::ResumeMediation));
    }

    #[test]
    fn nothing_changes_once_in_effect_or_outside_mediation() {
        assert_eq!(
            plan_draft(CaseStatus::Agreed, latest(2, true, true)),
            Err(AgreementRefused::AlreadyEffective)
        );
        assert_eq!(
            plan_draft(CaseStatus::Effective, latest(2, true, true)),
            Err(AgreementRefused::AlreadyEffective)
        );
        for status in [
            CaseStatus::Registered,
            CaseStatus::Refused,
            CaseStatus::Terminated,
            CaseStatus::Archived,
        ] {
            assert_eq!(
                plan_draft(status, None),
                Err(AgreementRefused::NotInMediation)
            );
        }
    }

    #[test]
    fn only_the_latest_draft_is_frozen_and_only_in_mediation() {
        assert_eq!(
            plan_finalise(CaseStatus::InMediation, latest(2, false, false), 2),
            Ok(CaseTransition::ReachAgreement)
        );
        assert_eq!(
            plan_finalise(CaseStatus::InMediation, latest(2, false, false), 1),
            Err(AgreementRefused::NotLatest)
        );
        assert_eq!(
            plan_finalise(CaseStatus::InMediation, latest(2, false, false), 3),
            Err(AgreementRefused::NoSuchVersion)
        );
        assert_eq!(
            plan_finalise(CaseStatus::InMediation, None, 1),
            Err(AgreementRefused::NoSuchVersion)
        );
        assert_eq!(
            plan_finalise(CaseStatus::Agreed, latest(2, true, false), 2),
            Err(AgreementRefused::AlreadyFinalised)
        );
        assert_eq!(
            plan_finalise(CaseStatus::Accepted, latest(1, false, false), 1),
            Err(AgreementRefused::MediationNotStarted)
        );
    }

    #[test]
    fn only_an_agreement_on_a_personal_relationship_is_signed_on_paper() {
        assert_eq!(plan_paper_signing(latest(2, true, false), true), Ok(()));
        assert_eq!(
            plan_paper_signing(latest(2, true, false), false),
            Err(PaperRefused::SignElectronically)
        );
        assert_eq!(
            plan_paper_signing(latest(2, false, false), true),
            Err(PaperRefused::NotOpenForSigning)
        );
        assert_eq!(
            plan_paper_signing(None, true),
            Err(PaperRefused::NotOpenForSigning)
        );
        assert_eq!(
            plan_paper_signing(latest(2, true, true), true),
            Err(PaperRefused::AlreadyEffective)
        );
    }

    #[test]
    fn only_an_oral_agreement_takes_effect_when_recorded() {
        use crate::domain::agreement::AgreementForm;
        assert!(takes_effect_when_recorded(AgreementForm::Oral));
        assert!(!takes_effect_when_recorded(AgreementForm::Written));
    }

    #[test]
    fn the_stage_follows_freezing_and_sealing() {
        assert_eq!(
            latest(1, false, false).unwrap().stage(),
            AgreementStage::Draft
        );
        assert_eq!(
            latest(1, true, false).unwrap().stage(),
            AgreementStage::Signing
        );
        assert_eq!(
            latest(1, true, true).unwrap().stage(),
            AgreementStage::Effective
        );
    }
}
