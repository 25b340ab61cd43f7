//! Accord: a server for remote people's mediation.
//!
//! The layers, and which way they lean (DESIGN.md): `domain` and `record` are pure; `store`
//! persists them; `documents` prints them, purely too; `http` is the edge; `app` wires
//! everything together.

pub mod app;
pub mod court;
pub mod documents;
pub mod domain;
#[cfg(any(test, fuzzing))]
pub mod fuzz;
pub mod http;
pub mod live;
pub mod media;
pub mod password;
pub mod record;
pub mod secret;
pub mod signalling;
pub mod store;
