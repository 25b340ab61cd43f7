//! Integration tests: the real server on port 0, every test on SQLite and on PostgreSQL.

/// Runs each named `async fn(Backend)` twice: once on SQLite, once on PostgreSQL.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(accord_tests::Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(accord_tests::Backend::Postgres).await
                }
            }
        )*
    };
}

mod abuse;
mod agenda;
mod agent_signing;
mod agreement;
mod attendance;
mod auth;
mod bad_input;
mod cases;
mod confirmation;
mod confirmation_delivery;
mod consents;
mod dossier;
mod follow_up;
mod invitations;
mod live;
mod live_media;
mod logs;
mod matrix;
mod notes;
mod ops;
mod paper_signing;
mod revocation;
mod seal;
mod setup;
mod statistics;
mod supervision;
mod termination;
mod users;
mod world;
