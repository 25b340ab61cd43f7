//! The committees' seal keys at rest. Whoever holds a committee's Ed25519 secret can seal an
//! agreement in its name, so the database holds each one only wrapped (XChaCha20-Poly1305) under
//! a key kept in a file beside it, not in it: a copy of the database alone (a backup, a dump, a
//! replica) cannot seal. The committee's id is the associated data, so a wrapped key moved to
//! another committee's row does not open.

use super::{StoreError, StoreResult};
use crate::domain::ids::CommitteeId;
use crate::record::signature::decode_base64url;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::path::Path;

/// Marks a wrapped value, and which scheme wrapped it; anything else is a secret stored before
/// wrapping existed, which is wrapped the next time it is read.
const PREFIX: &str = "xc20p1.";

pub struct SealWrapping {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SealWrapping {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealWrapping(..)")
    }
}

/// Whether a stored seal secret is wrapped (or from before wrapping).
pub fn is_wrapped(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

impl SealWrapping {
    pub fn from_key(key: &[u8; 32]) -> SealWrapping {
        SealWrapping {
            cipher: XChaCha20Poly1305::new(key.into()),
        }
    }

    /// Reads the wrapping key from `path` (64 hex digits), or makes one there, readable by this
    /// user only, when `may_create` (there is nothing yet that an older key wrapped).
    pub fn load_or_create(path: &Path, may_create: bool) -> anyhow::Result<SealWrapping> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let key: [u8; 32] = hex::decode(text.trim())
                    .ok()
                    .and_then(|bytes| bytes.try_into().ok())
                    .ok_or_else(|| {
                        anyhow::anyhow!("{} does not hold 64 hex digits", path.display())
                    })?;
                Ok(SealWrapping::from_key(&key))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound && may_create => {
                let key: [u8; 32] = XChaCha20Poly1305::generate_key(&mut OsRng).into();
                write_private(path, &format!("{}\n", hex::encode(key)))?;
                tracing::warn!(
                    file = %path.display(),
                    "made the key that protects the committees' seal keys: back this file up \
                     apart from the database"
                );
                Ok(SealWrapping::from_key(&key))
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
                "the seal key file {} is missing, but the database holds seal keys wrapped \
                 with one: restore the file (see the README, \"Deploy it\")",
                path.display()
            ),
            Err(err) => Err(anyhow::anyhow!("reading {}: {err}", path.display())),
        }
    }

    pub fn wrap(&self, committee: CommitteeId, secret: &[u8; 32]) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = committee.to_string();
        let payload = Payload {
            msg: secret,
            aad: aad.as_bytes(),
        };
        // Encryption fails only for messages beyond the cipher's limit, never for 32 bytes.
        let sealed = self.cipher.encrypt(&nonce, payload).unwrap_or_default();
        format!("{PREFIX}{}{}", hex::encode(nonce), hex::encode(sealed))
    }

    pub fn unwrap(&self, committee: CommitteeId, stored: &str) -> StoreResult<[u8; 32]> {
        let corrupt = || {
            StoreError::Corrupt(
                "a committee's seal key does not open with this seal key file".into(),
            )
        };
        let bytes = stored
            .strip_prefix(PREFIX)
            .and_then(|hex_text| hex::decode(hex_text).ok())
            .ok_or_else(corrupt)?;
        if bytes.len() < 24 {
            return Err(corrupt());
        }
        let (nonce, sealed) = bytes.split_at(24);
        let aad = committee.to_string();
        let payload = Payload {
            msg: sealed,
            aad: aad.as_bytes(),
        };
        self.cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .ok()
            .and_then(|secret| secret.try_into().ok())
            .ok_or_else(corrupt)
    }
}

/// The wrapping of the committees' seal keys, from `path` (made there if nothing is wrapped
/// yet). Refuses to start with a key file that does not open them, rather than fail at the
/// first seal; wraps any secret stored before wrapping existed.
pub(super) async fn open(
    pool: &sqlx::AnyPool,
    path: &std::path::Path,
) -> anyhow::Result<SealWrapping> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT committee_id, secret_key FROM committee_seal_keys")
            .fetch_all(pool)
            .await?;
    let committee_of = |raw: &str| {
        CommitteeId::parse(raw).ok_or_else(|| anyhow::anyhow!("a seal key of no committee"))
    };
    let wrapped = rows.iter().find(|(_, secret)| is_wrapped(secret));
    let wrapping = SealWrapping::load_or_create(path, wrapped.is_none())?;
    if let Some((committee, secret)) = wrapped {
        wrapping
            .unwrap(committee_of(committee)?, secret)
            .map_err(|_| {
                anyhow::anyhow!(
                    "the seal key file {} does not open the committees' seal keys: is it the \
                     one this database was used with?",
                    path.display()
                )
            })?;
    }
    for (committee, secret) in rows.iter().filter(|(_, secret)| !is_wrapped(secret)) {
        let bytes: [u8; 32] = decode_base64url(secret)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| anyhow::anyhow!("a committee's stored seal key is not a key"))?;
        sqlx::query("UPDATE committee_seal_keys SET secret_key = $1 WHERE committee_id = $2")
            .bind(wrapping.wrap(committee_of(committee)?, &bytes))
            .bind(committee)
            .execute(pool)
            .await?;
    }
    Ok(wrapping)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| anyhow::anyhow!("creating {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text).map_err(|e| anyhow::anyhow!("creating {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn committee(n: u128) -> CommitteeId {
        CommitteeId::from_uuid(Uuid::from_u128(n))
    }

    #[test]
    fn a_wrapped_key_opens_for_its_committee_only_and_with_its_key_only() {
        let wrapping = SealWrapping::from_key(&[7; 32]);
        let secret = [42; 32];
        let stored = wrapping.wrap(committee(1), &secret);
        assert!(is_wrapped(&stored));
        assert!(!stored.contains(&hex::encode(secret)));
        assert_eq!(wrapping.unwrap(committee(1), &stored).unwrap(), secret);
        assert!(wrapping.unwrap(committee(2), &stored).is_err());
        let other = SealWrapping::from_key(&[8; 32]);
        assert!(other.unwrap(committee(1), &stored).is_err());
        assert_ne!(
            stored,
            wrapping.wrap(committee(1), &secret),
            "a fresh nonce each time"
        );
        for garbage in ["", "xc20p1.", "xc20p1.zz", "plain"] {
            assert!(wrapping.unwrap(committee(1), garbage).is_err());
        }
    }

    #[test]
    fn the_key_file_is_made_once_and_read_after() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seal.key");
        let missing = SealWrapping::load_or_create(&path, false).unwrap_err();
        assert!(missing.to_string().contains("missing"), "{missing}");
        let made = SealWrapping::load_or_create(&path, true).unwrap();
        let stored = made.wrap(committee(1), &[1; 32]);
        let read = SealWrapping::load_or_create(&path, false).unwrap();
        assert_eq!(read.unwrap(committee(1), &stored).unwrap(), [1; 32]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key").unwrap();
        assert!(SealWrapping::load_or_create(&path, true).is_err());
    }
}
