//! The courts a committee may apply to for judicial confirmation (PML 33; CPL 205-206), as
//! configured: in the TOML file as `[[courts]]` tables, or in `ACCORD_COURTS` / `--courts` as
//! the same list in JSON. Each court has an id, a name, an endpoint (none: the bundle is only
//! downloaded) and the key that authenticates its callbacks: its Ed25519 public key, or a
//! secret shared with it for HMAC-SHA256. Secrets never reach a log or an API answer.

use crate::record::signature::SealPublicKey;
use crate::secret::Secret;
use serde::Deserialize;

/// One court. `Secret` keeps the shared secret out of `Debug`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourtConfig {
    pub id: String,
    pub name: String,
    /// Where bundles are POSTed; absent for a court that takes them by hand (download).
    pub endpoint: Option<String>,
    /// Base64url Ed25519 public key the court signs its callbacks with.
    pub callback_public_key: Option<String>,
    /// A secret shared with the court; its callbacks carry HMAC-SHA256 of the body.
    pub callback_secret: Option<Secret<String>>,
}

/// The configured courts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Courts(pub Vec<CourtConfig>);

impl std::str::FromStr for Courts {
    type Err = String;

    /// The JSON form, for the environment and the command line.
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        serde_json::from_str(raw).map_err(|e| format!("courts must be a JSON list of courts: {e}"))
    }
}

impl Courts {
    pub fn find(&self, id: &str) -> Option<&CourtConfig> {
        self.0.iter().find(|court| court.id == id)
    }

    /// Every court has a unique id, a name, an http(s) endpoint if any, and a usable key.
    pub fn check(&self) -> Result<(), String> {
        for (n, court) in self.0.iter().enumerate() {
            let at = format!("court {} ({:?})", n + 1, court.id);
            if court.id.trim().is_empty() || court.name.trim().is_empty() {
                return Err(format!("{at}: id and name must not be empty"));
            }
            if self.0.iter().filter(|c| c.id == court.id).count() > 1 {
                return Err(format!("{at}: the id is used twice"));
            }
            if let Some(url) = &court.endpoint {
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(format!("{at}: endpoint must be an http(s) URL"));
                }
            }
            match (&court.callback_public_key, &court.callback_secret) {
                (Some(key), _) => {
                    SealPublicKey::from_base64url(key)
                        .map_err(|e| format!("{at}: callback_public_key: {e}"))?;
                }
                (None, Some(secret)) if secret.expose().len() >= 16 => {}
                (None, Some(_)) => {
                    return Err(format!("{at}: callback_secret must be at least 16 characters"))
                }
                (None, None) => {
                    return Err(format!(
                        "{at}: give callback_public_key or callback_secret, to authenticate its answers"
                    ))
                }
            }
        }
        Ok(())
    }
}
