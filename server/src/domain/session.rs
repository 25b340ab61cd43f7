//! How long a signed-in browser stays signed in.

use super::Timestamp;

/// A session ends after `idle_ms` without a request, and `absolute_ms` after it began however
/// busy it is (OWASP session management: both limits, so a stolen cookie does not live forever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_ms: i64,
    pub absolute_ms: i64,
}

impl SessionPolicy {
    /// Parties return over weeks (to sign, to apply for judicial confirmation within 30 days of
    /// the agreement taking effect, PML 33), so their browsers stay bound longer than staff's.
    pub const PARTICIPANT: SessionPolicy = SessionPolicy {
        idle_ms: 14 * DAY_MS,
        absolute_ms: 90 * DAY_MS,
    };

    pub fn staff(idle_minutes: u32, absolute_hours: u32) -> SessionPolicy {
        SessionPolicy {
            idle_ms: i64::from(idle_minutes) * 60_000,
            absolute_ms: i64::from(absolute_hours) * 3_600_000,
        }
    }

    pub fn is_live(self, created_at: Timestamp, last_seen_at: Timestamp, now: Timestamp) -> bool {
        now < last_seen_at.plus_millis(self.idle_ms)
            && now < created_at.plus_millis(self.absolute_ms)
    }
}

const DAY_MS: i64 = 24 * 3_600_000;

/// Bookkeeping writes for "last seen" are skipped when the previous one is this recent, so that a
/// page polling the API does not write to the database on every request.
pub const TOUCH_INTERVAL_MS: i64 = 60_000;

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: SessionPolicy = SessionPolicy {
        idle_ms: 1_000,
        absolute_ms: 10_000,
    };

    fn t(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    #[test]
    fn idle_sessions_expire() {
        assert!(POLICY.is_live(t(0), t(0), t(999)));
        assert!(!POLICY.is_live(t(0), t(0), t(1_000)));
    }

    #[test]
    fn busy_sessions_still_end_at_the_absolute_limit() {
        assert!(POLICY.is_live(t(0), t(9_500), t(9_999)));
        assert!(!POLICY.is_live(t(0), t(9_999), t(10_000)));
    }

    #[test]
    fn staff_policy_converts_units() {
        let policy = SessionPolicy::staff(120, 12);
        assert_eq!(policy.idle_ms, 7_200_000);
        assert_eq!(policy.absolute_ms, 43_200_000);
    }
}
