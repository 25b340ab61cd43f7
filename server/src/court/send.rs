//! One delivery attempt: the stored bundle, its idempotency key, and the committee's seal over
//! the body's SHA-256 so that the court knows who sends it.

use crate::app::Clock;
use crate::record::signature::seal;
use crate::store::confirmation::PendingDelivery;
use crate::store::Db;
use sha2::{Digest as _, Sha256};

/// Header carrying the bundle's SHA-256: the court recognises a repeated delivery by it.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Header carrying the committee's Ed25519 seal over the SHA-256 of the body, base64url.
pub const SIGNATURE: &str = "x-accord-signature";
/// Header carrying the seal's public key, base64url, to compare with the published one.
pub const SEAL_KEY: &str = "x-accord-seal-key";

/// POSTs the bundle; `Ok` when the court answered 2xx. The error is for the log and the
/// console: it never carries a secret.
pub(super) async fn deliver(
    client: &reqwest::Client,
    db: &Db,
    clock: &Clock,
    endpoint: &str,
    delivery: &PendingDelivery,
) -> Result<(), String> {
    let case = db.case(delivery.case_id).await.map_err(|e| e.to_string())?;
    let key = db
        .seal_key(case.committee_id, clock.now())
        .await
        .map_err(|e| e.to_string())?;
    let digest = Sha256::digest(&delivery.bundle);
    let response = client
        .post(endpoint)
        .header(reqwest::header::CONTENT_TYPE, "application/zip")
        .header(IDEMPOTENCY_KEY, &delivery.bundle_sha256)
        .header(SIGNATURE, seal(&key, &digest).to_base64url())
        .header(SEAL_KEY, key.public_key().to_base64url())
        .body(delivery.bundle.clone())
        .send()
        .await
        .map_err(|e| {
            if e.is_timeout() {
                "the court did not answer in time".to_owned()
            } else {
                format!("cannot reach the court: {}", e.without_url())
            }
        })?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("the court answered {}", response.status()))
    }
}
