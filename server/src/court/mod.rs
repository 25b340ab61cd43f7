//! The hand-off to courts (PML 33; CPL 205-206): a transactional outbox worker. Filing an
//! application writes its bundle and a delivery row in one transaction (store::confirmation);
//! this worker POSTs each pending bundle to its court's endpoint until the court takes it.
//!
//! Every attempt sends the same stored bytes with the same `Idempotency-Key` (the bundle's
//! SHA-256), so a court that got an earlier attempt whose answer was lost recognises the bundle
//! and does not open a second case. Failures are retried with exponential backoff and jitter;
//! pending rows survive a restart and are picked up on start. The court's answers come back on
//! an authenticated callback ([`callback`]) and become events.

pub mod callback;
pub mod send;

use crate::app::courts::Courts;
use crate::app::Clock;
use crate::store::Db;
use rand::Rng as _;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;
use uuid::Uuid;

/// How deliveries are paced.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    pub courts: Courts,
    pub retry_base: Duration,
    pub retry_max: Duration,
    pub timeout: Duration,
}

/// The running worker; dropping it stops it (an attempt cut short is simply retried later).
#[derive(Debug)]
pub struct Worker(tokio::task::JoinHandle<()>);

impl Drop for Worker {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts the worker. `wake` is notified when an application is filed, so it goes out at once.
pub fn start(db: Db, clock: Clock, config: DeliveryConfig, wake: Arc<Notify>) -> Worker {
    Worker(tokio::spawn(run(db, clock, config, wake)))
}

/// With nothing due, look again this often anyway (another node may have filed).
const IDLE_POLL: Duration = Duration::from_secs(30);

async fn run(db: Db, clock: Clock, config: DeliveryConfig, wake: Arc<Notify>) {
    let client = match reqwest::Client::builder().timeout(config.timeout).build() {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "cannot start the court delivery worker");
            return;
        }
    };
    // When each failed delivery may be tried again; in memory, so a restart retries at once.
    let mut not_before: HashMap<Uuid, Instant> = HashMap::new();
    loop {
        let mut next = Instant::now() + IDLE_POLL;
        match db.pending_deliveries().await {
            Ok(pending) => {
                for delivery in pending {
                    let Some(court) = config.courts.find(&delivery.court_id) else {
                        continue;
                    };
                    let Some(endpoint) = &court.endpoint else {
                        continue; // a court without an endpoint downloads its bundles
                    };
                    let id = delivery.application_id;
                    if let Some(at) = not_before.get(&id).filter(|at| **at > Instant::now()) {
                        next = next.min(*at);
                        continue;
                    }
                    let sent = send::deliver(&client, &db, &clock, endpoint, &delivery).await;
                    let recorded = match sent {
                        Ok(()) => {
                            not_before.remove(&id);
                            tracing::info!(application = %id, court = %court.id, "bundle delivered");
                            db.delivered(id, clock.now()).await
                        }
                        Err(error) => {
                            let wait = backoff(&config, delivery.attempts);
                            tracing::warn!(application = %id, court = %court.id, %error,
                                attempt = delivery.attempts + 1, retry_in_ms = wait.as_millis() as u64,
                                "court delivery failed");
                            let at = Instant::now() + wait;
                            not_before.insert(id, at);
                            next = next.min(at);
                            db.delivery_failed(id, &error).await
                        }
                    };
                    if let Err(error) = recorded {
                        tracing::error!(application = %id, %error, "cannot record a delivery");
                    }
                }
            }
            Err(error) => tracing::error!(%error, "cannot read the court outbox"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep_until(next) => {}
        }
    }
}

/// Exponential backoff with jitter: about base·2^attempts, capped, each wait drawn from its
/// upper half so that many failed deliveries do not all come back at once.
fn backoff(config: &DeliveryConfig, attempts: u64) -> Duration {
    let exp = config
        .retry_base
        .saturating_mul(1u32 << attempts.min(20))
        .min(config.retry_max);
    let half = exp / 2;
    half + rand::thread_rng().gen_range(Duration::ZERO..=half)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_bounds_and_stops_at_the_cap() {
        let config = DeliveryConfig {
            courts: Courts::default(),
            retry_base: Duration::from_millis(100),
            retry_max: Duration::from_millis(1_000),
            timeout: Duration::from_millis(10),
        };
        for _ in 0..50 {
            let first = backoff(&config, 0);
            assert!((50..=100).contains(&first.as_millis()), "{first:?}");
            let third = backoff(&config, 2);
            assert!((200..=400).contains(&third.as_millis()), "{third:?}");
            assert!(backoff(&config, 60) <= Duration::from_millis(1_000));
        }
    }
}
