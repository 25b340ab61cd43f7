//! Is a callback really from the court it names? The court signs the exact body it sends:
//! with its Ed25519 key, or with HMAC-SHA256 under the secret shared with it. The answer's
//! content is read only after this says yes.

use crate::app::courts::CourtConfig;
use crate::record::signature::{decode_base64url, verify_seal, SealPublicKey, SealSignature};
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

/// Header carrying the court's signature over the callback's body, base64url.
pub const COURT_SIGNATURE: &str = "x-court-signature";

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
}
