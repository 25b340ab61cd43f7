//! Values that must never reach a log: tokens, passwords. Wrapping them makes a careless
//! `?token` in a `tracing` call print `[redacted]` instead of the secret.

use base64::Engine as _;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};
use std::fmt;

#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself: every call site is a place where it is deliberately used.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A bearer token as handed to a browser: 256 random bits, base64url without padding. The server
/// keeps only [`TokenHash`] of it, so a copy of the database opens no session and no invitation.
#[derive(Debug, Clone)]
pub struct Token(Secret<String>);

impl Token {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(Secret::new(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        ))
    }

    pub fn from_presented(raw: &str) -> Self {
        Self(Secret::new(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(hex::encode(Sha256::digest(self.expose().as_bytes())))
    }

    /// The CSRF token that goes with a session token. Derived rather than stored: it proves the
    /// page could read a response of ours, which a cross-site form cannot.
    pub fn csrf(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(b"accord csrf v1\0");
        hasher.update(self.expose().as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// SHA-256 of a token, hex: what the database stores and looks up. A plain hash suffices (no
/// salt, no stretching) because the token carries 256 bits of entropy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHash(String);

impl TokenHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let token = Token::from_presented("s3cr3t-value");
        assert!(!format!("{token:?}").contains("s3cr3t"));
        assert!(!format!("{:?}", Secret::new("hunter2")).contains("hunter2"));
    }

    #[test]
    fn tokens_are_long_random_and_hash_stably() {
        let a = Token::generate();
        let b = Token::generate();
        assert_ne!(a.expose(), b.expose());
        assert_eq!(a.expose().len(), 43);
        assert_eq!(a.hash(), Token::from_presented(a.expose()).hash());
        assert_ne!(a.hash(), b.hash());
        assert_ne!(a.csrf(), b.csrf());
    }
}
