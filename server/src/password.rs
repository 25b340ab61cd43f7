//! Password hashing with argon2id (RFC 9106), off the async workers: a hash takes tens of
//! milliseconds of CPU on purpose, which must not stall them.
//!
//! Each hash also takes 19 MiB of memory on purpose, and where it runs decides what that costs:
//! the allocator keeps much of it after the hash. Measured on the release build (2 cores, glibc,
//! bench/README.md): on tokio's blocking pool, 40 concurrent logins grew the process from 23 MB
//! to 320-375 MB; on threads of its own, one per core, it stays near 240 MB however many logins
//! come at once (40 or 200), the rest waiting their turn in a queue, costing nothing.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher as _, SaltString};
use argon2::{Argon2, PasswordVerifier as _};
use std::sync::{mpsc, Arc, Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

/// The queue of the hashing threads, started on first use; `None` if none could be started,
/// and then hashes go to the blocking pool after all.
fn hashers() -> Option<&'static mpsc::Sender<Job>> {
    static QUEUE: OnceLock<Option<mpsc::Sender<Job>>> = OnceLock::new();
    QUEUE
        .get_or_init(|| {
            let (queue, jobs) = mpsc::channel::<Job>();
            let jobs = Arc::new(Mutex::new(jobs));
            let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
            let started = (0..cores)
                .filter(|n| {
                    let jobs = Arc::clone(&jobs);
                    std::thread::Builder::new()
                        .name(format!("accord-argon2-{n}"))
                        .spawn(move || loop {
                            // The lock is held only to take the next job, not to run it.
                            let next = jobs.lock().ok().and_then(|queue| queue.recv().ok());
                            let Some(job) = next else { return };
                            job();
                        })
                        .is_ok()
                })
                .count();
            (started > 0).then_some(queue)
        })
        .as_ref()
}

/// Runs `work` on a hashing thread and waits for it without blocking the caller's worker.
async fn on_hasher<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let Some(queue) = hashers() else {
        return tokio::task::spawn_blocking(work).await?;
    };
    let (reply, answer) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = reply.send(work());
    });
    queue
        .send(job)
        .map_err(|_| anyhow::anyhow!("the hashing threads have stopped"))?;
    answer
        .await
        .map_err(|_| anyhow::anyhow!("a hashing thread stopped mid-hash"))?
}

/// Hashes a password into a PHC string (`$argon2id$v=19$...`) that carries its own salt and
/// parameters, so they can be raised later without breaking stored hashes.
pub async fn hash(password: String) -> anyhow::Result<String> {
    on_hasher(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await
}

/// True when `password` matches the stored hash. With no stored hash (an unknown user) a dummy
/// hash is checked anyway, so that the answer takes as long and names no valid usernames.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    on_hasher(move || {
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
    .await
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
