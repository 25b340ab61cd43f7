//! Per-address rate limits on the doors that guess-work would knock on: login, invitation
//! redemption and setup. Held in memory: a restart forgets them, which is acceptable for limits
//! measured in minutes. (Per-account backoff after failed logins is in the database.)

use super::error::{ApiError, ApiResult};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

#[derive(Debug)]
pub(super) struct Limits {
    login: DefaultKeyedRateLimiter<IpAddr>,
    redeem: DefaultKeyedRateLimiter<IpAddr>,
}

fn per_minute(n: u32) -> DefaultKeyedRateLimiter<IpAddr> {
    RateLimiter::keyed(Quota::per_minute(
        NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN),
    ))
}

fn check(limiter: &DefaultKeyedRateLimiter<IpAddr>, ip: IpAddr) -> ApiResult<()> {
    limiter.check_key(&ip).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        ApiError::too_many(wait.as_secs() + 1)
    })
}

impl Limits {
    pub(super) fn new(login_per_minute: u32, redeem_per_minute: u32) -> Self {
        Self {
            login: per_minute(login_per_minute),
            redeem: per_minute(redeem_per_minute),
        }
    }

    pub(super) fn check_login(&self, ip: IpAddr) -> ApiResult<()> {
        check(&self.login, ip)
    }

    /// Invitation redemption and first-run setup: both take a secret token from a link.
    pub(super) fn check_redeem(&self, ip: IpAddr) -> ApiResult<()> {
        check(&self.redeem, ip)
    }

    /// Forgets addresses whose limits have fully recovered, so the maps do not grow forever.
    pub(super) fn forget_idle(&self) {
        self.login.retain_recent();
        self.redeem.retain_recent();
    }
}
