//! The committee's electronic seal: Ed25519 (RFC 8032).
//!
//! The seal goes on last, once every party and the mediator have signed
//! (PML 29; OMR 19). The server holds the key; the public key is published
//! by the committee so that anyone holding an agreement can check that the
//! seal on it is that committee's. Ed25519 is deterministic (RFC 8032 §5.1.6),
//! so sealing the same bytes twice gives the same seal.

use std::fmt;

use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{decode_base64url, encode_base64url, SignatureError};

/// Length of an Ed25519 signature (RFC 8032 §5.1.6).
pub const SEAL_SIGNATURE_LEN: usize = 64;

/// A committee's seal key: the Ed25519 secret.
///
/// Not `Clone` and never printed: [`fmt::Debug`] shows only the public
/// fingerprint. The secret is wiped from memory when dropped (by
/// `ed25519-dalek`).
pub struct SealKey(SigningKey);

impl SealKey {
    /// A new key from `rng`, which must be a cryptographic generator (e.g.
    /// `rand::rngs::OsRng`); taking it as an argument keeps this module free
    /// of ambient randomness and lets tests be reproducible.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        Self(SigningKey::generate(rng))
    }

    /// The key from its 32-byte secret (RFC 8032 §5.1.5), as stored.
    pub fn from_bytes(secret: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(secret))
    }

    /// The 32-byte secret, for storing the key. Handle with care: whoever
    /// holds these bytes can seal in the committee's name.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The public half, to publish and to record with each seal.
    pub fn public_key(&self) -> SealPublicKey {
        SealPublicKey(self.0.verifying_key())
    }
}

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealKey")
            .field("public", &self.public_key().fingerprint())
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A committee's published seal key: 32 bytes (RFC 8032 §5.1.5), written as
/// unpadded base64url — the `x` of its RFC 8037 JWK.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SealPublicKey(VerifyingKey);

impl SealPublicKey {
    /// Parses the 32-byte encoding, refusing non-points and small-order
    /// ("weak") keys, for which a seal would prove nothing.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, SignatureError> {
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| SignatureError::BadSealKey)?;
        if key.is_weak() {
            return Err(SignatureError::BadSealKey);
        }
        Ok(Self(key))
    }

    /// The 32-byte encoding.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Parses the form [`SealPublicKey::to_base64url`] writes.
    pub fn from_base64url(text: &str) -> Result<Self, SignatureError> {
        let bytes: [u8; 32] = decode_base64url(text)?
            .try_into()
            .map_err(|_| SignatureError::BadSealKey)?;
        Self::from_bytes(&bytes)
    }

    /// Unpadded base64url of the 32 bytes.
    pub fn to_base64url(&self) -> String {
        encode_base64url(&self.to_bytes())
    }

    /// The public key as an RFC 8037 §2 JWK (`kty` `OKP`, `crv` `Ed25519`).
    pub fn to_jwk(&self) -> Value {
        json!({"kty": "OKP", "crv": "Ed25519", "x": self.to_base64url()})
    }

    /// The RFC 7638 thumbprint of [`SealPublicKey::to_jwk`] (RFC 8037 §2
    /// names `crv`, `kty`, `x` as its required members): the fingerprint a
    /// committee publishes and a verifier compares.
    pub fn fingerprint(&self) -> String {
        let members = format!(
            r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
            self.to_base64url()
        );
        encode_base64url(&Sha256::digest(members.as_bytes()))
    }
}

impl fmt::Debug for SealPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealPublicKey({})", self.to_base64url())
    }
}

impl fmt::Display for SealPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64url())
    }
}

impl Serialize for SealPublicKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base64url())
    }
}

impl<'de> Deserialize<'de> for SealPublicKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_base64url(&text).map_err(serde::de::Error::custom)
    }
}

/// An Ed25519 seal: 64 bytes (RFC 8032 §5.1.6), written as unpadded base64url.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SealSignature([u8; SEAL_SIGNATURE_LEN]);

impl SealSignature {
    /// Wraps 64 bytes; whether they are a valid seal is [`verify_seal`]'s call.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SignatureError> {
        let bytes: [u8; SEAL_SIGNATURE_LEN] =
            bytes.try_into().map_err(|_| SignatureError::WrongLength {
                expected: SEAL_SIGNATURE_LEN,
                got: bytes.len(),
            })?;
        Ok(Self(bytes))
    }

    /// The 64 bytes.
    pub fn to_bytes(&self) -> [u8; SEAL_SIGNATURE_LEN] {
        self.0
    }

    /// Parses the form [`SealSignature::to_base64url`] writes.
    pub fn from_base64url(text: &str) -> Result<Self, SignatureError> {
        Self::from_bytes(&decode_base64url(text)?)
    }

    /// Unpadded base64url of the 64 bytes.
    pub fn to_base64url(&self) -> String {
        encode_base64url(&self.0)
    }
}

impl fmt::Debug for SealSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SealSignature({})", self.to_base64url())
    }
}

/// Seals `message` with the committee's key (pure Ed25519, RFC 8032 §5.1.6).
pub fn seal(key: &SealKey, message: &[u8]) -> SealSignature {
    SealSignature(key.0.sign(message).to_bytes())
}

/// Checks a seal, strictly: besides the RFC 8032 §5.1.7 equation, refuses
/// non-canonical `S` and small-order components (`verify_strict`), so that
/// no second, different-looking seal can pass for the same message.
pub fn verify_seal(
    key: &SealPublicKey,
    message: &[u8],
    signature: &SealSignature,
) -> Result<(), SignatureError> {
    let signature = ed25519_dalek::Signature::from_bytes(&signature.0);
    key.0
        .verify_strict(message, &signature)
        .map_err(|_| SignatureError::Mismatch)
}
