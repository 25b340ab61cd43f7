//! Persistence over sqlx, the same on SQLite (embedded, the default) and PostgreSQL (production).
//!
//! Queries go through sqlx's `Any` driver and are written once, in the SQL both dialects share:
//! `$N` parameters (SQLite reads them too), BIGINT instants and flags, TEXT ids. Each write that
//! changes a case appends to the case's event chain in the same transaction (see [`events`]).

pub mod agenda;
pub mod agreement_effect;
pub mod agreements;
pub mod attendance;
pub mod cases;
pub mod committees;
pub mod confirmation;
pub mod consents;
pub mod court_answers;
pub mod dossier;
pub mod events;
pub mod follow_up;
pub mod invitations;
pub mod kept;
pub mod notes;
pub mod paper_signing;
pub mod participants;
pub mod screenings;
pub mod seal_wrapping;
pub mod sessions;
pub mod setup;
pub mod signing;
pub mod signing_authority;
pub mod statistics;
pub mod supervision;
pub mod termination;
pub mod users;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor as _};
use std::path::Path;
use std::str::FromStr as _;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database: cheap to clone, shared by every request.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    seal_wrapping: std::sync::Arc<seal_wrapping::SealWrapping>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule refused the write; names the input field at fault.
    #[error("{field} is already taken")]
    Conflict { field: &'static str },
    /// The case is archived; its dossier takes no more writes.
    #[error("the case is archived")]
    Frozen,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    /// Opens PostgreSQL at `database_url`, or else the SQLite file in `data_dir` (created on first
    /// start), and brings the schema up to date. `seal_key_file` holds the key that wraps the
    /// committees' seal keys (see [`seal_wrapping`]); it is made on first start. A query waits at
    /// most `acquire_timeout` for a connection: when the database is down, a request fails fast
    /// (503) instead of queueing behind the outage.
    pub async fn open(
        database_url: Option<&str>,
        data_dir: &Path,
        seal_key_file: &Path,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let (url, backend) = match database_url {
            Some(url) => (url.to_owned(), Backend::Postgres),
            None => {
                std::fs::create_dir_all(data_dir).map_err(|e| {
                    anyhow::anyhow!("cannot create the data folder {}: {e}", data_dir.display())
                })?;
                let file = data_dir.join("accord.db");
                (
                    format!("sqlite://{}?mode=rwc", file.display()),
                    Backend::Sqlite,
                )
            }
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers go on while one writer writes; the busy timeout makes a
                        // second writer wait its turn instead of failing at once.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        let seal_wrapping = seal_wrapping::open(&pool, seal_key_file).await?;
        Ok(Db {
            pool,
            backend,
            seal_wrapping: std::sync::Arc::new(seal_wrapping),
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// True when the database answers a trivial query within `patience`. (A connection whose
    /// peer went silent would otherwise hold the answer for as long as TCP takes to give up.)
    pub async fn ping(&self, patience: Duration) -> bool {
        let ping = sqlx::query("SELECT 1").execute(&self.pool);
        matches!(tokio::time::timeout(patience, ping).await, Ok(Ok(_)))
    }

    /// Open and idle connections, for `/metrics`.
    pub fn pool_figures(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl StoreError {
    /// True when the database could not be reached, as opposed to refusing or failing a query:
    /// no connection to be had in time, a connection lost, or a server shutting down or not yet
    /// accepting connections. Trying again later may well succeed.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(err) => unavailable(err),
            _ => false,
        }
    }
}

/// [`StoreError::is_unavailable`] for an error straight from sqlx.
pub fn unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception) and 57P01-57P03 (the server is shutting
        // down, crashed, or is starting up).
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    }
}

/// Maps a unique-constraint violation to a conflict on `field`; other errors pass through.
fn unique_violation_as(field: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |err| match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict { field },
        _ => StoreError::Database(err),
    }
}

/// Reads a labelled value (an enum stored as its label) or reports the row as corrupt.
fn label<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> StoreResult<T> {
    parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown label {raw:?}")))
}

/// Reads a stored id or reports the row as corrupt.
fn stored_id<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> StoreResult<T> {
    parse(raw).ok_or_else(|| StoreError::Corrupt(format!("not an id: {raw:?}")))
}

fn new_uuid() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
