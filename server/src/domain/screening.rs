//! Screening rounds (矛盾纠纷排查): a committee goes looking for disputes in its area before
//! anyone brings them, and reports how many rounds it held and how many disputes it found
//! (DOMAIN.md, statistics). A committee's record, not a case's.

use super::{optional_text, parse_day, Invalid};
use time::Date;

/// More disputes than one round could plausibly find: a typing slip, not a finding.
const MAX_FOUND: u64 = 10_000;

/// A screening round as recorded, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScreening {
    pub held_on: Date,
    pub disputes_found: u64,
    pub note: Option<String>,
}

impl NewScreening {
    /// `today` bounds the day: a round is recorded once held.
    pub fn parse(
        held_on: &str,
        disputes_found: u64,
        note: Option<&str>,
        today: Date,
    ) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let held_on = invalid.take(
            "held_on",
            parse_day(held_on).and_then(|day| {
                if day > today {
                    Err(Invalid::one("", "must not be in the future"))
                } else {
                    Ok(day)
                }
            }),
        );
        if disputes_found > MAX_FOUND {
            invalid.push("disputes_found", format!("must be at most {MAX_FOUND}"));
        }
        let note = invalid.take("note", optional_text(note, 500));
        match (held_on, note) {
            (Some(held_on), Some(note)) if invalid.is_empty() => Ok(Self {
                held_on,
                disputes_found,
                note,
            }),
            _ => Err(invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_round_is_a_past_day_and_a_plausible_count() {
        let today = date!(2026 - 03 - 10);
        let ok = NewScreening::parse("2026-03-09", 3, Some(" 走访三个小区 "), today).unwrap();
        assert_eq!(
            (ok.held_on, ok.disputes_found, ok.note.as_deref()),
            (date!(2026 - 03 - 09), 3, Some("走访三个小区"))
        );
        assert_eq!(
            NewScreening::parse("2026-03-10", 0, Some(""), today)
                .unwrap()
                .note,
            None
        );
        let err =
            NewScreening::parse("2026-03-11", 10_001, Some(&"x".repeat(501)), today).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["held_on", "disputes_found", "note"]);
        assert!(NewScreening::parse("March", 1, None, today).is_err());
    }
}
