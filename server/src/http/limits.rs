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

/// The address that limits count against: an IPv4 address, or an IPv6 address's /64, which one
/// subscriber is usually given whole (counting each address would let them rotate through it).
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(prefix.into())
            }
        },
    }
}

fn check(limiter: &DefaultKeyedRateLimiter<IpAddr>, ip: IpAddr) -> ApiResult<()> {
    limiter.check_key(&client_key(ip)).map_err(|not_until| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_client_is_its_64_prefix() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(client_key(v4), v4);
    }
}
