//! The committee's figures for a period (报表, DOMAIN.md "Statistics"). Pure: the store hands in
//! what happened to each case and when; this module counts.
//!
//! The cohort of a period is the cases accepted in it (by the China calendar day of their
//! acceptance). Of the cohort: how many reached an agreement in effect (success), how many were
//! terminated, how many are difficult or complex, how many a court confirmed, the amount in
//! dispute, and the split by dispute type and by source. The success rate is successful /
//! accepted. Performance is counted over the return visits recorded in the period: the share
//! that found the term performed in full.

use super::case::{CaseSource, DisputeType, Prevented};
use super::follow_up::Performance;
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;

/// What the report needs to know of one case of the committee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub dispute_type: DisputeType,
    pub source: CaseSource,
    pub amount_fen: Option<i64>,
    /// Counted as difficult or complex (疑难复杂).
    pub difficult: bool,
    /// Escalations its mediation is counted as having prevented.
    pub prevented: Prevented,
    /// The China calendar day it was accepted, if it was.
    pub accepted_on: Option<Date>,
    /// The day its agreement took effect, if one did.
    pub effective_on: Option<Date>,
    /// The day it was terminated, if it was.
    pub terminated_on: Option<Date>,
    /// A court confirmed its agreement (司法确认, PML 33).
    pub judicially_confirmed: bool,
    /// The return visits recorded: the day and what each found.
    pub visits: Vec<(Date, Performance)>,
}

/// Counts for one group of cases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub accepted: u64,
    pub successful: u64,
    pub terminated: u64,
    /// Difficult or complex cases (疑难复杂).
    pub difficult: u64,
    /// Agreements a court confirmed (司法确认).
    pub judicially_confirmed: u64,
    /// Sum over the accepted cases, in fen.
    pub amount_fen: i64,
    /// Disputes kept from turning into criminal cases (防止民转刑).
    pub prevented_criminal: u64,
    /// Disputes kept from turning into mass petitions (防止群体性上访).
    pub prevented_mass_petition: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Report {
    /// First and last day of the period, inclusive, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    #[serde(flatten)]
    pub totals: Counts,
    /// successful / accepted; absent when nothing was accepted.
    pub success_rate: Option<f64>,
    pub by_dispute_type: BTreeMap<DisputeType, Counts>,
    pub by_source: BTreeMap<CaseSource, Counts>,
    /// Return visits recorded in the period, and how many found the term performed in full.
    pub visits_recorded: u64,
    pub visits_performed: u64,
    /// visits_performed / visits_recorded; absent when no visit was recorded.
    pub performance_rate: Option<f64>,
    /// Screening rounds (矛盾纠纷排查) held in the period, and the disputes they found.
    pub screening_rounds: u64,
    pub disputes_found: u64,
}

fn add(counts: &mut Counts, case: &CaseFacts) {
    counts.accepted += 1;
    counts.successful += u64::from(case.effective_on.is_some());
    counts.terminated += u64::from(case.terminated_on.is_some());
    counts.difficult += u64::from(case.difficult);
    counts.judicially_confirmed += u64::from(case.judicially_confirmed);
    counts.amount_fen = counts
        .amount_fen
        .saturating_add(case.amount_fen.unwrap_or(0));
    counts.prevented_criminal += u64::from(case.prevented.criminal);
    counts.prevented_mass_petition += u64::from(case.prevented.mass_petition);
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    // Counts of cases stay far below 2^52, where u64 → f64 is exact.
    #[allow(clippy::cast_precision_loss)]
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The report for the days `from` to `to`, inclusive, over `cases` and the screening rounds
/// held (each a day and the disputes it found).
pub fn report(cases: &[CaseFacts], screenings: &[(Date, u64)], from: Date, to: Date) -> Report {
    let within = |day: Date| from <= day && day <= to;
    let mut totals = Counts::default();
    let mut by_dispute_type: BTreeMap<DisputeType, Counts> = BTreeMap::new();
    let mut by_source: BTreeMap<CaseSource, Counts> = BTreeMap::new();
    let (mut visits_recorded, mut visits_performed) = (0, 0);
    let screened = screenings.iter().filter(|(day, _)| within(*day));
    for case in cases {
        for (day, performance) in &case.visits {
            if within(*day) {
                visits_recorded += 1;
                visits_performed += u64::from(*performance == Performance::Performed);
            }
        }
        if !case.accepted_on.is_some_and(within) {
            continue;
        }
        add(&mut totals, case);
        add(by_dispute_type.entry(case.dispute_type).or_default(), case);
        add(by_source.entry(case.source).or_default(), case);
    }
    Report {
        from: from.to_string(),
        to: to.to_string(),
        success_rate: ratio(totals.successful, totals.accepted),
        totals,
        by_dispute_type,
        by_source,
        visits_recorded,
        visits_performed,
        performance_rate: ratio(visits_performed, visits_recorded),
        screening_rounds: screened.clone().count() as u64,
        disputes_found: screened.map(|(_, found)| found).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn case(dispute_type: DisputeType, accepted_on: Option<Date>) -> CaseFacts {
        CaseFacts {
            dispute_type,
            source: CaseSource::PartyApplication,
            amount_fen: Some(10_000),
            difficult: false,
            prevented: Prevented::default(),
            accepted_on,
            effective_on: None,
            terminated_on: None,
            judicially_confirmed: false,
            visits: Vec::new(),
        }
    }

    /// Figures worked out by hand for five cases, two of them outside the period.
    #[test]
    fn a_period_counts_its_cohort_by_hand() {
        let mut won = case(DisputeType::Neighbour, Some(date!(2026 - 03 - 02)));
        won.effective_on = Some(date!(2026 - 04 - 10));
        won.judicially_confirmed = true;
        won.visits = vec![
            (date!(2026 - 03 - 20), Performance::Performed),
            (date!(2026 - 05 - 02), Performance::Partly),
        ];
        let mut lost = case(DisputeType::Neighbour, Some(date!(2026 - 03 - 31)));
        lost.terminated_on = Some(date!(2026 - 04 - 02));
        lost.amount_fen = None;
        let mut medical = case(DisputeType::Medical, Some(date!(2026 - 03 - 15)));
        medical.source = CaseSource::CourtEntrustment;
        medical.amount_fen = Some(500_000);
        medical.difficult = true;
        medical.prevented.criminal = true;
        let mut petition = case(DisputeType::Labour, Some(date!(2026 - 02 - 01)));
        petition.prevented.mass_petition = true;
        let before = case(DisputeType::Neighbour, Some(date!(2026 - 02 - 28)));
        let never = case(DisputeType::Labour, None);
        let cases = [won, lost, medical, before, never, petition];
        let screenings = [
            (date!(2026 - 03 - 05), 4),
            (date!(2026 - 03 - 20), 0),
            (date!(2026 - 04 - 01), 9),
        ];
        let r = report(
            &cases,
            &screenings,
            date!(2026 - 03 - 01),
            date!(2026 - 03 - 31),
        );
        assert_eq!(
            r.totals,
            Counts {
                accepted: 3,
                successful: 1,
                terminated: 1,
                difficult: 1,
                judicially_confirmed: 1,
                amount_fen: 510_000,
                prevented_criminal: 1,
                prevented_mass_petition: 0,
            }
        );
        assert_eq!(r.success_rate, Some(1.0 / 3.0));
        assert_eq!(r.by_dispute_type[&DisputeType::Neighbour].accepted, 2);
        assert_eq!(r.by_dispute_type[&DisputeType::Medical].amount_fen, 500_000);
        assert!(!r.by_dispute_type.contains_key(&DisputeType::Labour));
        assert_eq!(r.by_source[&CaseSource::CourtEntrustment].accepted, 1);
        assert_eq!(r.by_source[&CaseSource::PartyApplication].accepted, 2);
        assert_eq!((r.visits_recorded, r.visits_performed), (1, 1));
        assert_eq!(r.performance_rate, Some(1.0));
        assert_eq!((r.screening_rounds, r.disputes_found), (2, 4));
    }

    #[test]
    fn an_empty_period_has_no_rates() {
        let r = report(&[], &[], date!(2026 - 03 - 01), date!(2026 - 03 - 31));
        assert_eq!(r.totals, Counts::default());
        assert_eq!((r.success_rate, r.performance_rate), (None, None));
        assert_eq!(
            (r.from.as_str(), r.to.as_str()),
            ("2026-03-01", "2026-03-31")
        );
    }
}
