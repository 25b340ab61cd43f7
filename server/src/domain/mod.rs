//! The rules of people's mediation as plain types and functions.
//!
//! Nothing here does IO, awaits, or reads a clock: time arrives as a [`Timestamp`] argument, and
//! randomness (ids, tokens) is made by the callers. Everything that comes from outside is parsed into
//! these types first (parse, don't validate), so the layers above never hold an unchecked value.

pub mod agenda;
pub mod agreement;
pub mod case;
pub mod committee;
pub mod confirmation;
pub mod consent;
pub mod dossier;
pub mod events;
pub mod follow_up;
pub mod ids;
mod labels;
pub mod live;
pub mod notes;
pub mod participant;
pub mod permissions;
pub mod screening;
pub mod session;
pub mod staff;
pub mod statistics;
pub mod supervision;
pub mod termination;
mod text;
mod time;
mod validation;

pub use text::{bounded_text, optional_text};
pub use time::{parse_day, Timestamp};
pub use validation::{FieldError, Invalid};
