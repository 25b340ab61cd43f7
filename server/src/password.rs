//! Password hashing with argon2id (RFC 9106), in a blocking thread: a hash takes tens of
//! milliseconds of CPU on purpose, which must not stall the async workers.
//!
//! Each hash also takes 19 MiB of memory on purpose. Without a bound, a burst of logins from
//! many addresses (each within its own rate limit) would run as many hashes at once as the
//! blocking pool has threads, hundreds, and the process would grow by gigabytes it rarely gives
//! back. So at most one hash per core runs at a time; the rest wait their turn, asleep.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher as _, SaltString};
use argon2::{Argon2, PasswordVerifier as _};
use std::sync::OnceLock;
use tokio::sync::{Semaphore, SemaphorePermit};

/// A turn to hash: one of as many as there are cores.
async fn turn() -> anyhow::Result<SemaphorePermit<'static>> {
    static TURNS: OnceLock<Semaphore> = OnceLock::new();
    let turns = TURNS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Semaphore::new(cores)
    });
    Ok(turns.acquire().await?)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$...`) that carries its own salt and
/// parameters, so they can be raised later without breaking stored hashes.
pub async fn hash(password: String) -> anyhow::Result<String> {
    let _turn = turn().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

/// True when `password` matches the stored hash. With no stored hash (an unknown user) a dummy
/// hash is checked anyway, so that the answer takes as long and names no valid usernames.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    let _turn = turn().await?;
    tokio::task::spawn_blocking(move || {
        let (stored, real) = match stored {
            Some(hash) => (hash, true),
            None => (DUMMY_HASH.to_owned(), false),
        };
        let parsed =
            PasswordHash::new(&stored).map_err(|e| anyhow::anyhow!("bad stored hash: {e}"))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && real)
    })
    .await?
}

/// The argon2id hash of a random string nobody knows, with the default parameters.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$e0dGL6ZEl2ZMWSYqVl4Ng0L/zX6Sm6fOTDv3t1Jm0JI";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_argon2id_and_verifies() {
        let hash = hash("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), Some(hash.clone()))
            .await
            .unwrap());
        assert!(!verify("wrong horse battery".into(), Some(hash))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify("anything at all".into(), None).await.unwrap());
    }
}
