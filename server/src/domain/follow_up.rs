//! Return visits (回访): after an agreement takes effect, the committee checks that it is
//! performed (PML 31: the committee supervises performance) and records how the parties fared.
//! A visit is planned on each term's deadline; a term without one gets a visit a month after
//! the agreement took effect, so that no term goes unchecked.

use super::agreement::Term;
use super::labels::labelled_enum;
use time::{Date, Duration};

/// Days after effect for a visit about a term with no deadline.
pub const VISIT_WITHOUT_DEADLINE_DAYS: i64 = 30;

labelled_enum! {
    /// How a term was performed, as found on the visit.
    pub enum Performance {
        Performed = "performed",
        Partly = "partly",
        NotPerformed = "not_performed",
    }
}

labelled_enum! {
    /// The parties' satisfaction with the mediation (满意 / 基本满意 / 不满意).
    pub enum Satisfaction {
        Satisfied = "satisfied",
        BasicallySatisfied = "basically_satisfied",
        Dissatisfied = "dissatisfied",
    }
}

/// A visit to make: about term `term` (0-based, as in the agreement), on `due_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedVisit {
    pub term: usize,
    pub due_on: Date,
}

/// The visits for an agreement that took effect on `effective_on`: one per term, on its
/// deadline, or [`VISIT_WITHOUT_DEADLINE_DAYS`] after effect when it has none (or a deadline
/// that cannot be read, which the agreement's own checks make impossible).
pub fn plan_visits(terms: &[Term], effective_on: Date) -> Vec<PlannedVisit> {
    let fallback = effective_on.saturating_add(Duration::days(VISIT_WITHOUT_DEADLINE_DAYS));
    terms
        .iter()
        .enumerate()
        .map(|(term, t)| PlannedVisit {
            term,
            due_on: t
                .deadline
                .as_deref()
                .and_then(|d| super::parse_day(d).ok())
                .unwrap_or(fallback),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn term(deadline: Option<&str>) -> Term {
        Term {
            text: "赔偿维修费".into(),
            obligor: None,
            manner: "银行转账".into(),
            deadline: deadline.map(str::to_owned),
            amount_fen: Some(120_000),
        }
    }

    #[test]
    fn each_term_is_visited_on_its_deadline_or_a_month_after_effect() {
        let visits = plan_visits(
            &[term(Some("2026-04-30")), term(None)],
            date!(2026 - 03 - 01),
        );
        assert_eq!(
            visits,
            [
                PlannedVisit {
                    term: 0,
                    due_on: date!(2026 - 04 - 30)
                },
                PlannedVisit {
                    term: 1,
                    due_on: date!(2026 - 03 - 31)
                },
            ]
        );
    }

    #[test]
    fn no_terms_no_visits() {
        assert!(plan_visits(&[], date!(2026 - 03 - 01)).is_empty());
    }
}
