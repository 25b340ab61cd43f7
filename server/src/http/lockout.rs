//! The backoff after failed logins, kept per (kind of account, name tried, client address).
//!
//! Keyed by the address as well as the name, so that failures from one place never lock the
//! real user out from another: whoever guesses at a name only locks themselves out of it. Kept
//! for every name tried, whether an account has it or not, so that the answers (401, then 429
//! with the same Retry-After) say nothing about which names exist. Held in memory, like the
//! per-address rate limits: a restart forgets them.

use super::limits::client_key;
use crate::domain::staff::login_lock_ms;
use crate::domain::Timestamp;
use crate::store::users::Accounts;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Longest name kept as a key: no username is longer, and a longer guess is still a guess.
const KEY_CHARS: usize = 64;
/// A key unused for this long is forgotten, and its count starts again.
const FORGET_AFTER_MS: i64 = 60 * 60_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct LoginKey {
    accounts: Accounts,
    name: String,
    client: IpAddr,
}

impl LoginKey {
    /// The key of a login attempt: names compare as the login does, case-insensitively.
    pub(super) fn new(accounts: Accounts, name: &str, client: IpAddr) -> Self {
        Self {
            accounts,
            name: name.trim().to_lowercase().chars().take(KEY_CHARS).collect(),
            client: client_key(client),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: i64,
    locked_until: Option<Timestamp>,
    last: Timestamp,
}

#[derive(Debug, Default)]
pub(super) struct Lockout(Mutex<HashMap<LoginKey, Failures>>);

impl Lockout {
    /// Seconds to wait before this key may try again, when it is locked now.
    pub(super) fn locked(&self, key: &LoginKey, now: Timestamp) -> Option<u64> {
        let map = self.0.lock().ok()?;
        let until = map.get(key)?.locked_until?;
        (until > now).then(|| wait_s(until, now))
    }

    /// Counts a failure; the next attempts wait as [`login_lock_ms`] says.
    pub(super) fn failed(&self, key: LoginKey, now: Timestamp) {
        let Ok(mut map) = self.0.lock() else { return };
        let entry = map.entry(key).or_insert(Failures {
            count: 0,
            locked_until: None,
            last: now,
        });
        entry.count += 1;
        entry.last = now;
        entry.locked_until = login_lock_ms(entry.count).map(|ms| now.plus_millis(ms));
    }

    /// A success starts the count again.
    pub(super) fn succeeded(&self, key: &LoginKey) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(key);
        }
    }

    /// Forgets keys that have been quiet for a while, so that the map does not grow forever.
    pub(super) fn forget_idle(&self, now: Timestamp) {
        if let Ok(mut map) = self.0.lock() {
            map.retain(|_, f| {
                let quiet_since = f.locked_until.map_or(f.last, |until| until.max(f.last));
                now.millis() - quiet_since.millis() < FORGET_AFTER_MS
            });
        }
    }
}

fn wait_s(until: Timestamp, now: Timestamp) -> u64 {
    u64::try_from((until.millis() - now.millis()) / 1000 + 1).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp::from_millis(1_772_323_200_000);

    fn key(name: &str, ip: [u8; 4]) -> LoginKey {
        LoginKey::new(Accounts::Staff, name, IpAddr::from(ip))
    }

    #[test]
    fn locks_the_name_for_that_address_only() {
        let lockout = Lockout::default();
        for _ in 0..5 {
            assert_eq!(lockout.locked(&key("Admin", [10, 0, 0, 1]), T0), None);
            lockout.failed(key("admin ", [10, 0, 0, 1]), T0);
        }
        assert_eq!(lockout.locked(&key("ADMIN", [10, 0, 0, 1]), T0), Some(31));
        assert_eq!(lockout.locked(&key("admin", [10, 0, 0, 2]), T0), None);
        assert_eq!(lockout.locked(&key("other", [10, 0, 0, 1]), T0), None);
        assert_eq!(
            lockout.locked(&key("admin", [10, 0, 0, 1]), T0.plus_millis(30_000)),
            None
        );
        lockout.succeeded(&key("admin", [10, 0, 0, 1]));
        lockout.failed(key("admin", [10, 0, 0, 1]), T0);
        assert_eq!(lockout.locked(&key("admin", [10, 0, 0, 1]), T0), None);
    }

    #[test]
    fn forgets_quiet_keys() {
        let lockout = Lockout::default();
        lockout.failed(key("a", [10, 0, 0, 1]), T0);
        lockout.forget_idle(T0.plus_millis(FORGET_AFTER_MS - 1));
        assert_eq!(lockout.0.lock().unwrap().len(), 1);
        lockout.forget_idle(T0.plus_millis(FORGET_AFTER_MS));
        assert!(lockout.0.lock().unwrap().is_empty());
    }
}
