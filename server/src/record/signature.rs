//! Signatures on the agreement: the signers' own, and the committee's seal.
//!
//! **Signers** (parties, agents, the mediator) sign in their own browser with
//! WebCrypto: an ECDSA P-256 key pair made there, non-extractable, so that the
//! signature-creation data belong to the signer alone and only the signer
//! controls them when signing (ESL 13(1)-(2)). The browser hands us two
//! things, both in WebCrypto's own encodings, and this module accepts exactly
//! those:
//!
//! - the public key as a JWK, `{"kty":"EC","crv":"P-256","x":…,"y":…}`
//!   (RFC 7517/7518), parsed into a [`SignerKey`] whose RFC 7638 thumbprint is
//!   the key's fingerprint shown to people and recorded in the case's chain;
//! - signatures from `sign({name:'ECDSA', hash:'SHA-256'}, …)`, which are
//!   IEEE P1363 `r || s` (64 bytes), *not* the DER that OpenSSL and most
//!   server libraries produce; [`verify_p1363`] refuses DER with an error
//!   that says so, because mixing the two up is the classic integration bug.
//!   WebCrypto does not normalise `s` to the lower half of the group order,
//!   so high-S signatures are valid here.
//!
//! **The committee seal** (OMR 19: the organisation applies an e-seal) is an
//! Ed25519 key (RFC 8032) held by the server: [`SealKey`], its published
//! [`SealPublicKey`], [`seal`] and [`verify_seal`]. Its fingerprint is the
//! RFC 7638 thumbprint of its RFC 8037 JWK, so both kinds of key are
//! fingerprinted the same way.
//!
//! Binary values travel as unpadded base64url (RFC 4648 §5), as in JWKs; the
//! decoder is strict (no padding, no stray bits) so that every value has
//! exactly one spelling in a record.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

mod seal;

pub use seal::{seal, verify_seal, SealKey, SealPublicKey, SealSignature, SEAL_SIGNATURE_LEN};

/// Length of an IEEE P1363 P-256 signature: `r` and `s`, 32 bytes each.
pub const P1363_LEN: usize = 64;

/// Why a key or a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// Not unpadded base64url (RFC 4648 §5), or not its only spelling.
    #[error("not unpadded base64url (RFC 4648 §5)")]
    Base64,
    /// The public key is not a JSON object.
    #[error("the public key is not a JWK (a JSON object)")]
    JwkNotObject,
    /// A required JWK member is absent or not a string.
    #[error("the JWK has no string member {0:?}")]
    JwkMember(&'static str),
    /// `kty` is not `EC`.
    #[error("the JWK has key type {0:?}; only \"EC\" P-256 keys, as WebCrypto exports them, are accepted")]
    UnsupportedKeyType(String),
    /// `crv` is not `P-256`.
    #[error("the JWK is on curve {0:?}; only \"P-256\" is accepted")]
    UnsupportedCurve(String),
    /// The JWK carries the private scalar `d`.
    #[error(
        "the JWK contains a private key (\"d\"): signature-creation data must stay with \
         the signer alone (ESL 13(1)); treat this key as compromised"
    )]
    PrivateKeyIncluded,
    /// `x` or `y` is not 32 bytes of base64url (RFC 7518 §6.2.1.2-3).
    #[error("the JWK coordinate {0:?} is not 32 bytes of unpadded base64url (RFC 7518 §6.2.1)")]
    BadCoordinate(&'static str),
    /// `(x, y)` is not a point of P-256 (or is the identity).
    #[error("the JWK's point is not on the P-256 curve")]
    NotOnCurve,
    /// A DER (ASN.1) ECDSA signature where P1363 was expected.
    #[error(
        "the signature is DER-encoded; WebCrypto ECDSA signatures are IEEE P1363 \
         (r||s, 64 bytes) and only those are accepted"
    )]
    DerEncoded,
    /// A signature of the wrong size for its algorithm.
    #[error("the signature is {got} bytes; expected {expected}")]
    WrongLength {
        /// The size the algorithm's signatures have.
        expected: usize,
        /// The size given.
        got: usize,
    },
    /// `r` or `s` is zero or not below the group order: no key made this.
    #[error("the signature's r or s is out of range, so it cannot be a P-256 signature")]
    ScalarOutOfRange,
    /// Well-formed, but not made by this key over this message.
    #[error("the signature does not verify with this key over this message")]
    Mismatch,
    /// Not an Ed25519 public key, or a small-order (weak) one.
    #[error("not a usable Ed25519 public key")]
    BadSealKey,
}

/// Encodes as unpadded base64url (RFC 4648 §5), the JWK alphabet.
pub fn encode_base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded base64url, refusing padding, the standard alphabet and
/// non-zero trailing bits, so one value has exactly one accepted spelling.
pub fn decode_base64url(text: &str) -> Result<Vec<u8>, SignatureError> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| SignatureError::Base64)
}

/// A signer's ECDSA P-256 public key, as exported from WebCrypto.
///
/// Only constructed from a point known to be on the curve, so holding one
/// means the key is usable. Compares equal by the point.
#[derive(Clone, PartialEq, Eq)]
pub struct SignerKey {
    key: VerifyingKey,
    x: [u8; 32],
    y: [u8; 32],
}

impl SignerKey {
    /// Parses a public JWK as `crypto.subtle.exportKey('jwk', publicKey)`
    /// gives it.
    ///
    /// Requires `kty` `EC` and `crv` `P-256`, and `x`/`y` of exactly 32 bytes
    /// each (RFC 7518 §6.2.1) naming a point on the curve. Refuses a JWK with
    /// `d`: a private key outside the signer's browser breaks ESL 13(1), and
    /// accepting it silently would hide that. Other members WebCrypto adds
    /// (`ext`, `key_ops`) are ignored; nothing of them enters the thumbprint.
    pub fn from_jwk(jwk: &Value) -> Result<Self, SignatureError> {
        let object = jwk.as_object().ok_or(SignatureError::JwkNotObject)?;
        let member = |name: &'static str| {
            object
                .get(name)
                .and_then(Value::as_str)
                .ok_or(SignatureError::JwkMember(name))
        };
        if object.contains_key("d") {
            return Err(SignatureError::PrivateKeyIncluded);
        }
        let kty = member("kty")?;
        if kty != "EC" {
            return Err(SignatureError::UnsupportedKeyType(kty.to_owned()));
        }
        let crv = member("crv")?;
        if crv != "P-256" {
            return Err(SignatureError::UnsupportedCurve(crv.to_owned()));
        }
        let x = coordinate(member("x")?, "x")?;
        let y = coordinate(member("y")?, "y")?;
        Self::from_coordinates(x, y)
    }

    /// The key from its affine coordinates, big-endian, checked on the curve.
    pub fn from_coordinates(x: [u8; 32], y: [u8; 32]) -> Result<Self, SignatureError> {
        let point = p256::EncodedPoint::from_affine_coordinates(&x.into(), &y.into(), false);
        // Decoding an uncompressed point checks the curve equation, and a
        // P-256 point in affine form is never the identity.
        let key =
            VerifyingKey::from_encoded_point(&point).map_err(|_| SignatureError::NotOnCurve)?;
        Ok(Self { key, x, y })
    }

    /// The public JWK with exactly the members RFC 7638 §3.2 requires for an
    /// EC key, which is also what an agreement package stores.
    pub fn to_jwk(&self) -> Value {
        json!({
            "kty": "EC",
            "crv": "P-256",
            "x": encode_base64url(&self.x),
            "y": encode_base64url(&self.y),
        })
    }

    /// The RFC 7638 JWK thumbprint: SHA-256 of the required members in
    /// lexicographic order without whitespace, as unpadded base64url.
    ///
    /// This is the key's fingerprint: shown to the signer and the mediator
    /// when the key is bound to a verified identity, and recorded in the
    /// chain, so a person can compare it with what their browser shows.
    pub fn thumbprint(&self) -> String {
        // RFC 7638 §3.2-3.3: {"crv","kty","x","y"} in that order. Every value
        // is ASCII without characters JSON escapes, so this is exact.
        let members = format!(
            r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
            encode_base64url(&self.x),
            encode_base64url(&self.y),
        );
        encode_base64url(&Sha256::digest(members.as_bytes()))
    }
}

fn coordinate(text: &str, name: &'static str) -> Result<[u8; 32], SignatureError> {
    let bytes = decode_base64url(text).map_err(|_| SignatureError::BadCoordinate(name))?;
    bytes
        .try_into()
        .map_err(|_| SignatureError::BadCoordinate(name))
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignerKey({})", self.thumbprint())
    }
}

impl From<&VerifyingKey> for SignerKey {
    fn from(key: &VerifyingKey) -> Self {
        let point = key.to_encoded_point(false);
        let mut x = [0u8; 32];
        let mut y = [0u8; 32];
        // An uncompressed, non-identity point always has both coordinates.
        if let (Some(px), Some(py)) = (point.x(), point.y()) {
            x.copy_from_slice(px);
            y.copy_from_slice(py);
        }
        Self { key: *key, x, y }
    }
}

/// Serialises as the minimal public JWK ([`SignerKey::to_jwk`]).
impl Serialize for SignerKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_jwk().serialize(serializer)
    }
}

/// Deserialises a public JWK through [`SignerKey::from_jwk`].
impl<'de> Deserialize<'de> for SignerKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let jwk = Value::deserialize(deserializer)?;
        Self::from_jwk(&jwk).map_err(serde::de::Error::custom)
    }
}

/// Verifies a WebCrypto ECDSA P-256 / SHA-256 signature: `signature` is the
/// 64-byte IEEE P1363 `r || s` over `message` (hashed here with SHA-256, as
/// WebCrypto does; pass the message, not its digest).
///
/// DER signatures are refused with [`SignatureError::DerEncoded`]. High-S
/// signatures are accepted: WebCrypto does not normalise them, and ECDSA
/// itself does not require it.
pub fn verify_p1363(
    key: &SignerKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    check_p1363_encoding(signature)?;
    let signature =
        Signature::from_slice(signature).map_err(|_| SignatureError::ScalarOutOfRange)?;
    key.key
        .verify(message, &signature)
        .map_err(|_| SignatureError::Mismatch)
}

/// Checks only the shape of a signature: 64 bytes, as WebCrypto gives them.
///
/// For refusing a malformed upload early, before there is anything to verify
/// it against; [`verify_p1363`] does this check itself.
pub fn check_p1363_encoding(signature: &[u8]) -> Result<(), SignatureError> {
    if signature.len() == P1363_LEN {
        Ok(())
    } else if looks_like_der(signature) {
        Err(SignatureError::DerEncoded)
    } else {
        Err(SignatureError::WrongLength {
            expected: P1363_LEN,
            got: signature.len(),
        })
    }
}

/// An ASN.1 `SEQUENCE { INTEGER r, INTEGER s }` as DER writes it for P-256
/// (8 to 72 bytes, short-form lengths only). A 64-byte input is always read
/// as P1363, so this only serves to explain a refusal.
fn looks_like_der(bytes: &[u8]) -> bool {
    let integer = |at: usize| -> Option<usize> {
        let (&tag, &len) = (bytes.get(at)?, bytes.get(at + 1)?);
        (tag == 0x02 && (1..=33).contains(&len)).then_some(at + 2 + usize::from(len))
    };
    let well_formed = || -> Option<bool> {
        let (&tag, &len) = (bytes.first()?, bytes.get(1)?);
        let after_s = integer(2).and_then(integer)?;
        Some(tag == 0x30 && usize::from(len) + 2 == bytes.len() && after_s == bytes.len())
    };
    well_formed().unwrap_or(false)
}

#[cfg(test)]
mod tests;
