//! Instants as the domain sees them: milliseconds since the Unix epoch, handed in by the caller.

use time::{OffsetDateTime, UtcOffset};

/// China Standard Time. People's mediation committees number their cases by the calendar year in
/// China, whatever zone the server runs in.
const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("+08:00 is a valid offset"),
};

/// A calendar day written `YYYY-MM-DD`, as deadlines, visits and report periods are.
pub fn parse_day(raw: &str) -> Result<time::Date, super::Invalid> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(raw.trim(), &format)
        .map_err(|_| super::Invalid::one("", "must be a date YYYY-MM-DD"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_millis(ms: i64) -> Self {
        Self(ms)
    }

    pub const fn millis(self) -> i64 {
        self.0
    }

    pub const fn plus_millis(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }

    pub const fn plus_seconds(self, s: i64) -> Self {
        self.plus_millis(s.saturating_mul(1000))
    }

    fn to_datetime(self) -> OffsetDateTime {
        let nanos = i128::from(self.0) * 1_000_000;
        OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// The calendar day in China at this instant: what deadlines and visits are reckoned in.
    pub fn date_in_china(self) -> time::Date {
        self.to_datetime().to_offset(CHINA).date()
    }

    /// The calendar year in China at this instant, used in case numbers.
    pub fn year_in_china(self) -> i32 {
        self.to_datetime().to_offset(CHINA).year()
    }

    /// RFC 3339 in UTC, as the API shows instants.
    pub fn to_rfc3339(self) -> String {
        self.to_datetime()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_year_comes_eight_hours_earlier_in_china() {
        // 2025-12-31T16:00:00Z is 2026-01-01T00:00:00+08:00.
        let ms = 1_767_196_800_000;
        assert_eq!(Timestamp::from_millis(ms).year_in_china(), 2026);
        assert_eq!(Timestamp::from_millis(ms - 1).year_in_china(), 2025);
    }

    #[test]
    fn formats_rfc3339_utc() {
        assert_eq!(
            Timestamp::from_millis(1_767_196_800_000).to_rfc3339(),
            "2025-12-31T16:00:00Z"
        );
    }
}
