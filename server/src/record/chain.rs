//! The hash-chained event log of a case.
//!
//! Every event commits to the one before it: its hash covers the previous
//! event's hash and its own canonical content. Changing, inserting, removing
//! or reordering any event therefore breaks every link from there on, and
//! [`verify_chain`] names the first event where that happens.
//!
//! What the chain alone cannot show is truncation — dropping the newest
//! events leaves a valid, shorter chain — nor a wholesale rewrite of the
//! history with freshly computed hashes. Both need the head hash to be
//! anchored outside the database (given to the parties, signed, sent to a
//! court); that is the job of the layers above, which is why the hash of the
//! last event is what they should hand out.
//!
//! The hash format is a contract with any future verifier and must never
//! change; the known-answer test in `chain/tests.rs` pins it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::canonical::{to_canonical_bytes, CanonicalError};

/// The `prev_hash` of the first event of every case: there is nothing
/// before it to commit to.
pub const GENESIS: EventHash = EventHash([0u8; 32]);

/// A SHA-256 digest identifying an event and, through the chain, the whole
/// history up to it.
///
/// Written as 64 lowercase hex digits wherever it leaves the process, so that
/// it can be read aloud, printed on an agreement and compared by eye.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventHash(pub [u8; 32]);

impl EventHash {
    /// The lowercase hex form, the only one this type writes.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses the form [`EventHash::to_hex`] writes. Uppercase is refused so
    /// that one hash has exactly one spelling in stored records.
    pub fn from_hex(s: &str) -> Result<Self, ChainError> {
        if !super::commitment::is_sha256_hex(s) {
            return Err(ChainError::InvalidHash);
        }
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(s, &mut bytes).map_err(|_| ChainError::InvalidHash)?;
        Ok(Self(bytes))
    }
}

impl fmt::Display for EventHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for EventHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EventHash({})", self.to_hex())
    }
}

impl Serialize for EventHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for EventHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Self::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

/// What is hashed: everything of an event but its hashes.
///
/// `payload` must be canonicalisable (RFC 8785): in particular integers in it
/// must lie within ±2^53, so large identifiers or amounts in minor units
/// beyond that belong in strings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EventBody {
    /// The case this event belongs to; one chain per case.
    pub case_id: String,
    /// Position in the case's chain, starting at 1 with no gaps.
    pub seq: u64,
    /// When the server recorded the event, in Unix milliseconds. Not checked
    /// for monotonicity: clocks step back, and the order is `seq`'s job.
    pub at_ms: i64,
    /// Who caused the event.
    pub actor: String,
    /// What happened, e.g. `"session.opened"`.
    pub kind: String,
    /// Kind-specific details.
    pub payload: Value,
}

/// An event as stored: its body plus the links that make tampering visible.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChainedEvent {
    /// The hashed content, flattened so the stored JSON is one flat object.
    #[serde(flatten)]
    pub body: EventBody,
    /// The `hash` of the previous event, or [`GENESIS`] for the first.
    pub prev_hash: EventHash,
    /// [`hash_event`] of `prev_hash` and `body`.
    pub hash: EventHash,
}

/// Why an event could not be appended to a chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// The body has no canonical form, so it cannot be hashed reproducibly.
    #[error("event cannot be canonicalised: {0}")]
    Canonical(#[from] CanonicalError),
    /// The body's `seq` does not directly follow the previous event's.
    #[error("event has sequence number {got}, expected {expected}")]
    WrongSequence {
        /// The `seq` the next event must have.
        expected: u64,
        /// The `seq` it has.
        got: u64,
    },
    /// The body belongs to another case than the previous event.
    #[error("event is for case {got:?}, but the chain is for case {expected:?}")]
    WrongCase {
        /// The chain's case.
        expected: String,
        /// The body's case.
        got: String,
    },
    /// A string that is not 64 lowercase hex digits was given as a hash.
    #[error("not an event hash: expected 64 lowercase hex digits")]
    InvalidHash,
}

/// The first event at which a chain fails verification, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {seq}: {reason}")]
pub struct ChainBreak {
    /// The `seq` the offending event claims (which may itself be the lie).
    pub seq: u64,
    /// What is wrong with it.
    pub reason: BreakReason,
}

/// What is wrong with the event named by a [`ChainBreak`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BreakReason {
    /// Out of order: an event was removed, inserted, duplicated or moved.
    #[error("sequence number is out of order, expected {expected}")]
    WrongSequence {
        /// The `seq` that position in the chain must have.
        expected: u64,
    },
    /// The event is from another case than the events before it.
    #[error("event belongs to a different case than the events before it")]
    WrongCase,
    /// The event does not point at its predecessor.
    #[error("prev_hash does not match the hash of the event before it")]
    PrevHashMismatch,
    /// The event's content was changed after it was hashed.
    #[error("hash does not match its content")]
    HashMismatch,
    /// The content cannot be hashed at all; it was never validly chained.
    #[error("content has no canonical form: {0}")]
    NotCanonical(String),
}

/// Hashes one event: `SHA-256(prev || JCS(body))`.
///
/// `prev` enters as its 32 raw bytes; `body` as the RFC 8785 canonical bytes
/// of the object `{case_id, seq, at_ms, actor, kind, payload}`. The object is
/// built here by hand rather than through `EventBody`'s serde derive, so that
/// a serde attribute added for the HTTP API can never change stored hashes.
pub fn hash_event(prev: &EventHash, body: &EventBody) -> Result<EventHash, CanonicalError> {
    let canonical = hashed_bytes(body)?;
    let mut hasher = Sha256::new();
    hasher.update(prev.0);
    hasher.update(&canonical);
    Ok(EventHash(hasher.finalize().into()))
}

/// The canonical bytes of `body` that [`hash_event`] hashes after `prev`.
fn hashed_bytes(body: &EventBody) -> Result<Vec<u8>, CanonicalError> {
    let mut hashed = Map::new();
    hashed.insert("case_id".into(), Value::from(body.case_id.as_str()));
    hashed.insert("seq".into(), Value::from(body.seq));
    hashed.insert("at_ms".into(), Value::from(body.at_ms));
    hashed.insert("actor".into(), Value::from(body.actor.as_str()));
    hashed.insert("kind".into(), Value::from(body.kind.as_str()));
    hashed.insert("payload".into(), body.payload.clone());
    to_canonical_bytes(&Value::Object(hashed))
}

/// Links `body` after `prev` (or starts a chain when `prev` is `None`).
///
/// The sequence and case are checked here, at write time, so that a chain
/// built only through this function always passes [`verify_chain`].
pub fn chain_next(
    prev: Option<&ChainedEvent>,
    body: EventBody,
) -> Result<ChainedEvent, ChainError> {
    let (expected_seq, prev_hash) = expected_link(prev);
    if body.seq != expected_seq {
        return Err(ChainError::WrongSequence {
            expected: expected_seq,
            got: body.seq,
        });
    }
    if let Some(prev) = prev {
        if prev.body.case_id != body.case_id {
            return Err(ChainError::WrongCase {
                expected: prev.body.case_id.clone(),
                got: body.case_id,
            });
        }
    }
    let hash = hash_event(&prev_hash, &body)?;
    Ok(ChainedEvent {
        body,
        prev_hash,
        hash,
    })
}

/// Verifies a whole chain, `events` in stored (`seq`) order from the first.
///
/// Stops at the first broken event: everything after it is unverifiable
/// anyway, and the first break is what an investigator needs. An empty
/// chain is valid (a case with no events yet).
pub fn verify_chain(events: &[ChainedEvent]) -> Result<(), ChainBreak> {
    let mut prev = None;
    for event in events {
        verify_link(prev, event)?;
        prev = Some(event);
    }
    Ok(())
}

/// Verifies one event against its predecessor (`None` for the first).
///
/// Exposed so a caller holding a trusted earlier event (e.g. an anchored
/// head) can verify only what was appended since, one link at a time.
pub fn verify_link(prev: Option<&ChainedEvent>, event: &ChainedEvent) -> Result<(), ChainBreak> {
    let broken = |reason| ChainBreak {
        seq: event.body.seq,
        reason,
    };
    let (expected_seq, expected_prev_hash) = expected_link(prev);
    if event.body.seq != expected_seq {
        return Err(broken(BreakReason::WrongSequence {
            expected: expected_seq,
        }));
    }
    if prev.is_some_and(|p| p.body.case_id != event.body.case_id) {
        return Err(broken(BreakReason::WrongCase));
    }
    if event.prev_hash != expected_prev_hash {
        return Err(broken(BreakReason::PrevHashMismatch));
    }
    match hash_event(&event.prev_hash, &event.body) {
        Ok(hash) if hash == event.hash => Ok(()),
        Ok(_) => Err(broken(BreakReason::HashMismatch)),
        Err(e) => Err(broken(BreakReason::NotCanonical(e.to_string()))),
    }
}

/// The `seq` and `prev_hash` the event after `prev` must carry. Saturating
/// rather than overflowing: a `seq` that large is refused when hashed anyway.
fn expected_link(prev: Option<&ChainedEvent>) -> (u64, EventHash) {
    match prev {
        None => (1, GENESIS),
        Some(p) => (p.body.seq.saturating_add(1), p.hash),
    }
}

#[cfg(test)]
mod tests;
