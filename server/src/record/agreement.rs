//! The agreement package: a signed, sealed mediation agreement with the
//! record that proves it, in one file anyone can verify offline.
//!
//! An agreement takes effect when every party and the mediator have signed it
//! and the committee has sealed it (PML 29; OMR 19). The package carries all
//! of that, plus the case's hash-chained event log up to the seal, so that a
//! court, a party or an expert can check — with `accord verify FILE` or their
//! own script — that nothing was changed since (ESL 13(3)-(4)). It needs no
//! server, no database and no network.
//!
//! # Format `accord-agreement/1`
//!
//! One UTF-8 JSON object. Whitespace and member order are free: every hash
//! and signature is over RFC 8785 (JCS) canonical bytes, which a verifier
//! recomputes. Unknown members are refused anywhere outside `agreement` and
//! event payloads, so nothing in a package escapes its hashes and signatures.
//!
//! ```text
//! {
//!   "format": "accord-agreement/1",
//!   "agreement": { "case_id": "…", "version": 2, "content": …, … },
//!   "agreement_hash": "<hex SHA-256 of JCS(agreement)>",
//!   "signatures": [
//!     { "signer": "p-<uuid>", "role": "party", "name": "…",
//!       "public_key": {"kty": "EC", "crv": "P-256", "x": "…", "y": "…"},
//!       "key_thumbprint": "<RFC 7638 SHA-256 thumbprint, base64url>",
//!       "signed_at": "2024-06-01T08:00:00.000Z",
//!       "signature": "<base64url IEEE P1363 r||s, 64 bytes>" }, …
//!   ],
//!   "seal": { "committee": "…", "public_key": "<base64url Ed25519, 32 bytes>",
//!             "sealed_event": "<hex hash of the agreement_sealed event>",
//!             "signature": "<base64url Ed25519, 64 bytes>" },
//!   "events": [ { "case_id", "seq", "at_ms", "actor", "kind", "payload",
//!                 "prev_hash", "hash" }, … ]
//! }
//! ```
//!
//! - `agreement` is the agreement version as drafted (PML 29 fields; opaque
//!   here) and must hold `case_id` (string), `version` (integer ≥ 1) and
//!   `content`. Each signer's browser signs exactly `JCS(agreement)` with
//!   ECDSA P-256 / SHA-256 ([`signed_bytes`]).
//! - `signatures` are in the order the chain recorded them. `role` is
//!   `party`, `agent` or `mediator`; `signed_at` is when the server recorded
//!   the signature (its `agreement_signed` event's `at_ms`, RFC 3339 UTC).
//!   `public_key` holds exactly the members RFC 7638 §3.2 names.
//! - `seal.signature` is Ed25519 (RFC 8032) over `JCS` of
//!   `{"format", "agreement_hash", "committee", "sealed_event", "signatures"}`
//!   with `signatures` the array above, verbatim. Sealing the format name
//!   keeps a seal made for one kind of document from being replayed as
//!   another; sealing `committee` keeps the name shown from being swapped;
//!   sealing `sealed_event` — the hash of the chain's `agreement_sealed`
//!   event — anchors the whole history up to the seal, which a bare hash
//!   chain cannot do for itself (see [`super::chain`]).
//! - `events` is the case's chain from `seq` 1 ([`super::chain`]) up to and
//!   including the sealing event, and nothing after it. It must contain,
//!   for the agreement's `version`: a [`SIGNER_KEY_BOUND`] event binding
//!   each signer to their key's thumbprint before they sign (a later binding
//!   replaces an earlier one; one key never serves two signers, ESL 13(1));
//!   one [`AGREEMENT_SIGNED`] event per signature, in package order, with the
//!   same key and time; then exactly one [`AGREEMENT_SEALED`] event naming
//!   the agreement hash and seal key, which is the last event. The payload
//!   builders below write these events the way the verifier reads them.
//! - No JSON object anywhere in the package names a member twice (RFC 7493
//!   §2.3): readers disagree on which copy counts, so such a package is
//!   refused rather than read one way.
//!
//! # What verification shows, and what it cannot
//!
//! [`verify_package`] checks all of the above. It cannot tell whose keys
//! these are: a forger can make a self-consistent package with keys of their
//! own. The seal key's fingerprint must be compared with the one the
//! committee publishes, which is why [`Verified`] reports it first.
//!
//! What the seal covers is exactly: the agreement (through its hash), the
//! signature objects as listed, the committee's name, and the sealing event's
//! hash, which chains every event before it. A hash chain cannot protect its
//! own end, so events recorded after the seal (a court's answer, a follow-up
//! visit) would be covered by nothing: anyone could drop them, edit them and
//! recompute the hashes, or append a forged one. The package therefore ends
//! at the sealing event, and a package with anything after it is invalid.
//! Later events travel in the judicial-confirmation bundle, under the seal
//! over its manifest ([`super::bundle`]), or in the case's own record.
//!
//! Caution for exporters: `events` is the case's log up to the seal, content
//! and all. Decide what a recipient may see (OMR 29) before handing one out.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::canonical::{to_canonical_bytes, CanonicalError};
use super::chain::EventHash;
use super::signature::{SealPublicKey, SignerKey};

mod build;
mod recorded;
mod report;
mod verify;
mod wire;

pub use build::build_package;
pub use verify::verify_package;

/// The `format` of packages this module writes and reads.
pub const FORMAT: &str = "accord-agreement/1";

/// Event kind: a signer's public key bound to their verified identity.
/// Payload: [`key_bound_payload`].
pub const SIGNER_KEY_BOUND: &str = "signer_key_bound";
/// Event kind: a signature on an agreement version, verified and recorded.
/// Payload: [`signed_payload`].
pub const AGREEMENT_SIGNED: &str = "agreement_signed";
/// Event kind: the committee's seal applied to an agreement version.
/// Payload: [`sealed_payload`].
pub const AGREEMENT_SEALED: &str = "agreement_sealed";

/// In what capacity someone signed (PML 29: every party and the mediator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignerRole {
    /// A party to the dispute.
    Party,
    /// A party's agent, signing under a power of attorney.
    Agent,
    /// The mediator.
    Mediator,
}

impl SignerRole {
    /// The word used in the package.
    pub fn as_str(self) -> &'static str {
        match self {
            SignerRole::Party => "party",
            SignerRole::Agent => "agent",
            SignerRole::Mediator => "mediator",
        }
    }
}

/// One signature to package, as the server holds it after verifying it.
///
/// Its time is not given here: [`build_package`] takes it from the
/// signer's `agreement_signed` event, the record of when it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageSignature {
    /// The signer's id in the case, `p-<participant>` or `s-<staff user>`.
    pub signer: String,
    /// In what capacity they signed.
    pub role: SignerRole,
    /// Their name as shown on the agreement.
    pub name: String,
    /// The key their browser made and the chain binds to them.
    pub public_key: SignerKey,
    /// The 64-byte IEEE P1363 signature over [`signed_bytes`].
    pub signature: Vec<u8>,
}

/// Why a package does not verify, split by what the reader should conclude.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Not a package this verifier can read: not JSON, another format or
    /// version, missing members, malformed keys or encodings. Says nothing
    /// about whether an agreement was altered (`accord verify` exits 2).
    #[error("not a usable agreement package: {0}")]
    Unusable(String),
    /// A readable package in which something does not hold: content,
    /// signatures, keys, the chain or the seal were altered or disagree
    /// (`accord verify` exits 1).
    #[error("the agreement package is INVALID: {0}")]
    Invalid(String),
}

/// Why [`build_package`] refused to produce a package.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// The agreement lacks `case_id`, `version` or `content`, or has no
    /// canonical form.
    #[error("the agreement cannot be packaged: {0}")]
    Agreement(String),
    /// The chain lacks an event the package must point at.
    #[error("the event chain does not record {0}")]
    NotRecorded(String),
    /// The assembled package fails verification: a server bug, never to be
    /// handed out.
    #[error("the assembled package does not verify: {0}")]
    WouldNotVerify(VerifyError),
}

/// What a successful [`verify_package`] established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// The case, as the agreement and every event name it.
    pub case_id: String,
    /// The agreement version signed and sealed.
    pub version: u64,
    /// Hex SHA-256 of the agreement's canonical bytes.
    pub agreement_hash: String,
    /// Everyone who signed, in the order they signed.
    pub signers: Vec<VerifiedSigner>,
    /// The committee's seal.
    pub seal: VerifiedSeal,
    /// Number of events in the chain, all intact, the sealing event last.
    pub chain_length: usize,
    /// Hash of the last event, the sealing event: what the seal signs, and
    /// what to compare with an anchored copy.
    pub chain_head: EventHash,
}

/// One verified signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedSigner {
    /// `p-<participant>` or `s-<staff user>`.
    pub signer: String,
    /// In what capacity.
    pub role: SignerRole,
    /// The name shown.
    pub name: String,
    /// RFC 7638 thumbprint of the key that signed.
    pub key_thumbprint: String,
    /// When the server recorded the signature (RFC 3339).
    pub signed_at: String,
    /// `seq` of the event that bound the key to the signer.
    pub key_bound_in: u64,
    /// `seq` of the event that recorded the signature.
    pub signed_in: u64,
}

/// The verified seal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedSeal {
    /// The committee named in the package (sealed, so not swappable).
    pub committee: String,
    /// The key that sealed; whose it is must be checked against the
    /// committee's published fingerprint.
    pub public_key: SealPublicKey,
    /// Its RFC 7638 / RFC 8037 fingerprint.
    pub fingerprint: String,
    /// `seq` of the `agreement_sealed` event.
    pub sealed_in: u64,
    /// When it was sealed, Unix milliseconds (that event's `at_ms`).
    pub sealed_at_ms: i64,
}

/// The bytes every signer signs: RFC 8785 canonical JSON of the agreement
/// version (what the browser must reproduce before `crypto.subtle.sign`).
pub fn signed_bytes(agreement: &Value) -> Result<Vec<u8>, CanonicalError> {
    to_canonical_bytes(agreement)
}

/// Hex SHA-256 of [`signed_bytes`]: the agreement's identity in events, in
/// the package and on paper.
pub fn agreement_hash(agreement: &Value) -> Result<String, CanonicalError> {
    Ok(hex::encode(Sha256::digest(signed_bytes(agreement)?)))
}

/// Payload of a [`SIGNER_KEY_BOUND`] event. Other members may be added
/// (e.g. how identity was checked); the verifier reads these two.
pub fn key_bound_payload(signer: &str, key: &SignerKey) -> Value {
    json!({"signer": signer, "key_thumbprint": key.thumbprint()})
}

/// Payload of an [`AGREEMENT_SIGNED`] event.
pub fn signed_payload(signer: &str, version: u64, agreement_hash: &str, key: &SignerKey) -> Value {
    json!({
        "signer": signer,
        "version": version,
        "agreement_hash": agreement_hash,
        "key_thumbprint": key.thumbprint(),
    })
}

/// Payload of an [`AGREEMENT_SEALED`] event. Append it before calling
/// [`build_package`]: the seal covers this event's hash.
pub fn sealed_payload(version: u64, agreement_hash: &str, seal_key: &SealPublicKey) -> Value {
    json!({
        "version": version,
        "agreement_hash": agreement_hash,
        "seal_public_key": seal_key.to_base64url(),
    })
}

/// Unix milliseconds as RFC 3339 UTC with milliseconds, the same string as
/// JavaScript's `new Date(ms).toISOString()`; `None` outside years 0-9999.
pub fn rfc3339_from_ms(ms: i64) -> Option<String> {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    if !(0..=9999).contains(&at.year()) {
        return None;
    }
    at.format(&format).ok()
}

#[cfg(test)]
pub(crate) mod tests;
