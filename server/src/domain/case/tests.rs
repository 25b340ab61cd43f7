use super::*;
use CaseStatus as S;
use CaseTransition as T;

const WITH_MEDIATOR: CaseFacts = CaseFacts {
    mediators_assigned: 1,
};

/// Every allowed transition of DOMAIN.md's lifecycle, and nothing else.
const ALLOWED: &[(CaseStatus, CaseTransition, CaseStatus)] = &[
    (S::Registered, T::Accept, S::Accepted),
    (S::Registered, T::Refuse, S::Refused),
    (S::Accepted, T::StartMediation, S::InMediation),
    (S::Accepted, T::Terminate, S::Terminated),
    (S::InMediation, T::ReachAgreement, S::Agreed),
    (S::InMediation, T::Terminate, S::Terminated),
    (S::Agreed, T::TakeEffect, S::Effective),
    (S::Agreed, T::ResumeMediation, S::InMediation),
    (S::Agreed, T::Terminate, S::Terminated),
    (S::Refused, T::Archive, S::Archived),
    (S::Effective, T::Archive, S::Archived),
    (S::Terminated, T::Archive, S::Archived),
];

#[test]
fn every_status_and_transition_pair_is_allowed_or_refused_as_the_table_says() {
    let mut refused = 0;
    for &from in S::ALL {
        for &transition in T::ALL {
            let expected = ALLOWED
                .iter()
                .find(|(f, t, _)| *f == from && *t == transition)
                .map(|(_, _, to)| *to);
            let actual = from.apply(transition, WITH_MEDIATOR);
            match expected {
                Some(to) => assert_eq!(actual, Ok(to), "{from} --{transition}-->"),
                None => {
                    refused += 1;
                    assert_eq!(
                        actual,
                        Err(TransitionError::NotAllowed { from, transition }),
                        "{from} --{transition}--> should be refused"
                    );
                }
            }
        }
    }
    assert_eq!(refused, S::ALL.len() * T::ALL.len() - ALLOWED.len());
}

#[test]
fn mediation_needs_an_assigned_mediator() {
    let none = CaseFacts {
        mediators_assigned: 0,
    };
    assert_eq!(
        S::Accepted.apply(T::StartMediation, none),
        Err(TransitionError::NoMediator)
    );
}

#[test]
fn an_archived_case_is_frozen_and_goes_nowhere() {
    assert!(S::Archived.is_frozen());
    assert!(S::ALL
        .iter()
        .filter(|s| **s != S::Archived)
        .all(|s| !s.is_frozen()));
    assert!(T::ALL
        .iter()
        .all(|t| S::Archived.apply(*t, WITH_MEDIATOR).is_err()));
}

#[test]
fn case_numbers_read_as_the_register_writes_them() {
    let number = CaseNumber {
        year: 2026,
        seq: 17,
    };
    assert_eq!(number.to_string(), "(2026) 人调字第 17 号");
}

#[test]
fn sequence_numbers_are_bounded() {
    assert!(check_case_seq(0).is_err());
    assert!(check_case_seq(1).is_ok());
    assert!(check_case_seq(1_000_000).is_err());
}

#[test]
fn amounts_are_whole_non_negative_fen() {
    assert_eq!(AmountFen::parse(0).unwrap().fen(), 0);
    assert!(AmountFen::parse(-1).is_err());
    assert!(AmountFen::parse(i64::MAX).is_err());
}

#[test]
fn details_report_summary_and_amount_together() {
    let err = CaseDetails::parse(
        DisputeType::Neighbour,
        CaseSource::PartyApplication,
        "",
        Some(-5),
    )
    .unwrap_err();
    let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["summary", "amount_fen"]);
}

#[test]
fn dispute_types_cover_the_statistics_list() {
    assert_eq!(DisputeType::ALL.len(), 17);
    assert_eq!(DisputeType::parse("medical"), Some(DisputeType::Medical));
    assert_eq!(DisputeType::parse("divorce"), None);
}
