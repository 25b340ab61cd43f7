//! The judicial-confirmation bundle: everything a court needs to confirm a mediation agreement
//! (PML 33; CPL 205-206; SPC CPL interpretation 2022, arts. 351-358), in one zip file whose
//! every member is listed with its SHA-256 in a manifest the committee seals.
//!
//! # Format `accord-confirmation/1`
//!
//! A zip archive of stored (uncompressed) members, written in name order with a fixed time, so
//! that the same contents always give the same bytes:
//!
//! | member | what |
//! |---|---|
//! | `agreement.json` | the `accord-agreement/1` package: the agreement, every signature, the seal and the chain up to the seal ([`super::agreement`]) |
//! | `agreement.pdf` | the agreement as printed (人民调解协议书) |
//! | `application.json` | the joint application: the court, the agreement's hash, and each party's consent (consent 11) with the exact text consented to and its SHA-256 |
//! | `identities.json` | the participants' identity records, redacted or in full as the committee chose |
//! | `presided.json` | proof that the committee presided: its name, its seal's fingerprint, the mediators |
//! | `events.json` | the case's hash-chained event log up to the filing |
//! | `manifest.json` | `{"format", "case_id", "application_id", "members": [{"name", "sha256", "size"}]}` |
//! | `seal.json` | `{"public_key", "signature"}`: Ed25519 (the committee's seal key) over the exact bytes of `manifest.json` |
//!
//! [`verify_bundle`] checks, offline: the archive as written, read by hand (each name once,
//! every local header agreeing with the central directory, no byte outside a member), so that
//! no other zip reader can be shown other contents; the seal over the manifest; that the
//! archive holds exactly the members the manifest lists, each with its hash; no JSON member
//! named twice; the agreement package on its own terms and sealed by the same key; the event
//! chain, which must extend the package's; and that the application names the agreement in the
//! package. As with the package, a forger can
//! build a consistent bundle with a key of their own: the seal's fingerprint must be compared
//! with the one the committee publishes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::agreement::{Verified, VerifyError};
use super::chain::ChainedEvent;

mod archive;
mod build;
mod verify;

pub use build::build_bundle;
pub use verify::verify_bundle;

/// The `format` of the bundles this module writes and reads.
pub const FORMAT: &str = "accord-confirmation/1";

/// The members every bundle carries besides the manifest and its seal, in the order written.
pub const MEMBERS: [&str; 6] = [
    "agreement.json",
    "agreement.pdf",
    "application.json",
    "events.json",
    "identities.json",
    "presided.json",
];
/// The manifest's name in the archive.
pub const MANIFEST: &str = "manifest.json";
/// The seal over the manifest.
pub const SEAL: &str = "seal.json";

/// What goes into a bundle. The JSON members are written as given (pretty-printed).
#[derive(Debug, Clone)]
pub struct BundleContents {
    pub case_id: String,
    pub application_id: String,
    /// The `accord-agreement/1` package, as exported.
    pub package: Vec<u8>,
    pub pdf: Vec<u8>,
    pub application: Value,
    pub identities: Value,
    pub presided: Value,
    pub events: Vec<ChainedEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: String,
    case_id: String,
    application_id: String,
    members: Vec<ManifestEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestEntry {
    name: String,
    /// Hex SHA-256 of the member's bytes.
    sha256: String,
    size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealFile {
    /// Base64url Ed25519 public key.
    public_key: String,
    /// Base64url Ed25519 signature over `manifest.json`'s bytes.
    signature: String,
}

/// Why [`build_bundle`] refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("the bundle cannot be written: {0}")]
    Write(String),
    /// The assembled bundle fails verification: a bug or an altered record, never handed out.
    #[error("the assembled bundle does not verify: {0}")]
    WouldNotVerify(VerifyError),
}

/// What a successful [`verify_bundle`] established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedBundle {
    pub case_id: String,
    pub application_id: String,
    /// The court the application is addressed to, as the application names it.
    pub court: String,
    /// Hex SHA-256 of the whole bundle: the idempotency key it is delivered under.
    pub bundle_sha256: String,
    pub members: usize,
    /// The parties whose consent to apply (consent 11) the application carries.
    pub consents: usize,
    /// Length of the event chain in `events.json`.
    pub chain_length: usize,
    /// The agreement package inside, verified on its own.
    pub agreement: Verified,
}

impl std::fmt::Display for VerifiedBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "VALID: nothing in this judicial-confirmation bundle has been altered."
        )?;
        writeln!(f, "  format       {FORMAT}")?;
        writeln!(f, "  bundle       SHA-256 {}", self.bundle_sha256)?;
        writeln!(
            f,
            "  application  {} to {}",
            self.application_id.escape_debug(),
            self.court.escape_debug()
        )?;
        writeln!(
            f,
            "  members      {}, each as the sealed manifest lists it",
            self.members
        )?;
        writeln!(
            f,
            "  consents     {} parties applied jointly",
            self.consents
        )?;
        writeln!(
            f,
            "  events       {}, chained: the agreement's {}, then {} recorded after its seal",
            self.chain_length,
            self.agreement.chain_length,
            self.chain_length
                .saturating_sub(self.agreement.chain_length)
        )?;
        // Every member but the manifest and its seal is listed in the manifest.
        writeln!(
            f,
            "  covered      by the seal, exactly: manifest.json, which fixes the SHA-256 and size of the {} \
             members it lists;",
            self.members.saturating_sub(2)
        )?;
        writeln!(
            f,
            "               the events after the agreement's seal are covered by this seal alone"
        )?;
        writeln!(f, "The agreement inside:")?;
        write!(f, "{}", self.agreement)
    }
}

#[cfg(test)]
pub(crate) mod tests;
