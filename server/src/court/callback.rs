//! Is a callback really from the court it names, and is it new? The court signs the exact body
//! it sends: with its Ed25519 key, or with HMAC-SHA256 under the secret shared with it. The
//! answer's content is read only after this says yes. A signature alone proves origin, not
//! freshness: anyone who once saw a signed callback could send it again. So the signed body also
//! carries when it was signed (`issued_at`) and a nonce; a callback outside the time window is
//! refused here, and the store records each nonce once, refusing a second use.

use crate::app::courts::CourtConfig;
use crate::domain::confirmation::CALLBACK_WINDOW_MS;
use crate::domain::Timestamp;
use crate::record::signature::{decode_base64url, verify_seal, SealPublicKey, SealSignature};
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

/// Header carrying the court's signature over the callback's body, base64url.
pub const COURT_SIGNATURE: &str = "x-court-signature";

/// The shortest and longest nonce taken: long enough to be unguessable, short enough to store.
const NONCE_CHARS: std::ops::RangeInclusive<usize> = 16..=128;

/// A callback's proof of being new, read from its signed body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freshness {
    pub issued_at: Timestamp,
    pub nonce: String,
}

/// Why a signed callback is not taken as new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotFresh {
    #[error("issued_at must be an RFC 3339 time, e.g. 2026-03-01T08:00:00Z")]
    Time,
    #[error("nonce must be 16 to 128 characters, each a letter, a digit, '-' or '_'")]
    Nonce,
    #[error(
        "issued_at is more than five minutes from the server's time: a callback is sent when it \
         is signed, so this one is stale or replayed"
    )]
    Stale,
}

/// Reads `issued_at` and `nonce`, and checks the time against `now` ([`CALLBACK_WINDOW_MS`]).
pub fn freshness(issued_at: &str, nonce: &str, now: Timestamp) -> Result<Freshness, NotFresh> {
    let at = time::OffsetDateTime::parse(issued_at, &time::format_description::well_known::Rfc3339)
        .map_err(|_| NotFresh::Time)?;
    let ms = i64::try_from(at.unix_timestamp_nanos() / 1_000_000).map_err(|_| NotFresh::Time)?;
    let usable = NONCE_CHARS.contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !usable {
        return Err(NotFresh::Nonce);
    }
    if ms.abs_diff(now.millis()) > CALLBACK_WINDOW_MS.unsigned_abs() {
        return Err(NotFresh::Stale);
    }
    Ok(Freshness {
        issued_at: Timestamp::from_millis(ms),
        nonce: nonce.to_owned(),
    })
}

/// Checks `signature` (base64url) over `body` with the key configured for `court`.
pub fn authentic(court: &CourtConfig, body: &[u8], signature: &str) -> bool {
    if let Some(key) = &court.callback_public_key {
        let (Ok(key), Ok(signature)) = (
            SealPublicKey::from_base64url(key),
            SealSignature::from_base64url(signature),
        ) else {
            return false;
        };
        return verify_seal(&key, body, &signature).is_ok();
    }
    let (Some(secret), Ok(tag)) = (&court.callback_secret, decode_base64url(signature)) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()) else {
        return false;
    };
    mac.update(body);
    // Constant time: a forger learns nothing from how fast a wrong tag is refused.
    mac.verify_slice(&tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::signature::{encode_base64url, seal, SealKey};
    use crate::secret::Secret;

    fn court(key: Option<String>, secret: Option<&str>) -> CourtConfig {
        CourtConfig {
            id: "c".into(),
            name: "某法院".into(),
            endpoint: None,
            callback_public_key: key,
            callback_secret: secret.map(|s| Secret::new(s.to_owned())),
        }
    }

    #[test]
    fn only_the_courts_own_key_or_secret_passes() {
        let body = br#"{"answer":"accepted"}"#;
        let key = SealKey::from_bytes(&[5; 32]);
        let signed = court(Some(key.public_key().to_base64url()), None);
        let good = seal(&key, body).to_base64url();
        assert!(authentic(&signed, body, &good));
        assert!(!authentic(&signed, b"{\"answer\":\"dismissed\"}", &good));
        let other = seal(&SealKey::from_bytes(&[6; 32]), body).to_base64url();
        assert!(!authentic(&signed, body, &other));
        assert!(!authentic(&signed, body, "not base64!"));

        let shared = court(None, Some("a secret of sixteen+"));
        let mut mac = Hmac::<Sha256>::new_from_slice(b"a secret of sixteen+").unwrap();
        mac.update(body);
        let tag = encode_base64url(&mac.finalize().into_bytes());
        assert!(authentic(&shared, body, &tag));
        assert!(!authentic(&shared, b"other", &tag));
        assert!(!authentic(&shared, body, ""));
    }

    #[test]
    fn a_callback_is_new_only_within_the_window_and_with_a_usable_nonce() {
        // 2026-03-01T08:00:00Z.
        let now = Timestamp::from_millis(1_772_352_000_000);
        let nonce = "0190a3f2-7c4e-7d1a";
        let fresh = freshness("2026-03-01T08:00:00Z", nonce, now).unwrap();
        assert_eq!(fresh.issued_at, now);
        assert_eq!(fresh.nonce, nonce);
        for (at, ok) in [
            ("2026-03-01T08:05:00Z", true),
            ("2026-03-01T07:55:00Z", true),
            ("2026-03-01T16:04:59+08:00", true),
            ("2026-03-01T08:05:00.001Z", false),
            ("2026-03-01T07:54:59.999Z", false),
            ("2025-03-01T08:00:00Z", false),
        ] {
            let result = freshness(at, nonce, now);
            assert_eq!(result.is_ok(), ok, "{at}: {result:?}");
            if !ok {
                assert_eq!(result, Err(NotFresh::Stale), "{at}");
            }
        }
        for at in ["", "yesterday", "2026-03-01 08:00:00", "1772352000000"] {
            assert_eq!(freshness(at, nonce, now), Err(NotFresh::Time), "{at:?}");
        }
        let long = "n".repeat(129);
        for bad in [
            "",
            "short",
            "has a space in it!",
            "ünïcödé-nonce-123",
            long.as_str(),
        ] {
            assert_eq!(
                freshness("2026-03-01T08:00:00Z", bad, now),
                Err(NotFresh::Nonce),
                "{bad:?}"
            );
        }
    }
}
