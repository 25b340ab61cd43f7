//! Assembling a package from what the server holds.

use serde_json::Value;

use super::wire::{self, WirePackage, WireSeal, WireSignature};
use super::{
    agreement_hash, rfc3339_from_ms, verify_package, BuildError, PackageSignature,
    AGREEMENT_SEALED, AGREEMENT_SIGNED, FORMAT,
};
use crate::record::chain::ChainedEvent;
use crate::record::signature::{encode_base64url, seal, SealKey};

/// Builds the `accord-agreement/1` package (format: [`super`]) as pretty JSON.
///
/// `agreement` is the version everyone signed; `signatures` are in the order
/// they were recorded; `events` is the case's whole chain, which must
/// already hold the key bindings, one `agreement_signed` event per signature
/// and the `agreement_sealed` event naming `seal`'s public key (use the
/// payload builders in [`super`]). The package keeps the chain up to that
/// event and leaves out what follows. Each signature's `signed_at` is taken
/// from its event. The result is verified before it is returned, so a package
/// this function hands out always passes [`verify_package`].
pub fn build_package(
    agreement: &Value,
    signatures: Vec<PackageSignature>,
    seal: &SealKey,
    committee: &str,
    events: Vec<ChainedEvent>,
) -> Result<Vec<u8>, BuildError> {
    let package = assemble(agreement, &signatures, seal, committee, events)?;
    let bytes = serde_json::to_vec_pretty(&package)
        .map_err(|e| BuildError::Agreement(format!("cannot be written as JSON: {e}")))?;
    verify_package(&bytes).map_err(BuildError::WouldNotVerify)?;
    Ok(bytes)
}

/// Everything [`build_package`] does but the final check.
fn assemble(
    agreement: &Value,
    signatures: &[PackageSignature],
    seal_key: &SealKey,
    committee: &str,
    events: Vec<ChainedEvent>,
) -> Result<WirePackage, BuildError> {
    let (_, version) =
        wire::agreement_identity(agreement).map_err(|e| BuildError::Agreement(e.to_string()))?;
    let hash = agreement_hash(agreement).map_err(|e| BuildError::Agreement(e.to_string()))?;
    let is_for_version = |event: &ChainedEvent, kind: &str| {
        event.body.kind == kind
            && event.body.payload.get("version").and_then(Value::as_u64) == Some(version)
    };
    let sealed_at = events
        .iter()
        .rposition(|e| is_for_version(e, AGREEMENT_SEALED))
        .ok_or_else(|| {
            BuildError::NotRecorded(format!("an {AGREEMENT_SEALED} event for version {version}"))
        })?;
    // The seal covers the chain up to its own event and nothing after: later events are left
    // out rather than handed out looking as protected as the rest (the bundle carries them
    // under a seal of its own).
    let events = &events[..=sealed_at];
    let sealed = &events[sealed_at];
    let entries = signatures
        .iter()
        .map(|s| {
            let recorded = events
                .iter()
                .find(|e| {
                    is_for_version(e, AGREEMENT_SIGNED)
                        && e.body.payload.get("signer").and_then(Value::as_str)
                            == Some(s.signer.as_str())
                })
                .ok_or_else(|| {
                    BuildError::NotRecorded(format!(
                        "an {AGREEMENT_SIGNED} event of version {version} by {}",
                        s.signer
                    ))
                })?;
            let signed_at = rfc3339_from_ms(recorded.body.at_ms).ok_or_else(|| {
                BuildError::NotRecorded(format!("a usable time in event {}", recorded.body.seq))
            })?;
            Ok(WireSignature {
                signer: s.signer.clone(),
                role: s.role,
                name: s.name.clone(),
                public_key: s.public_key.to_jwk(),
                key_thumbprint: s.public_key.thumbprint(),
                signed_at,
                signature: encode_base64url(&s.signature),
            })
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    let message = wire::seal_message(&hash, committee, &sealed.hash, &entries)
        .map_err(|e| BuildError::Agreement(e.to_string()))?;
    let seal_signature = seal(seal_key, &message);
    let wire_seal = WireSeal {
        committee: committee.to_owned(),
        public_key: seal_key.public_key().to_base64url(),
        sealed_event: sealed.hash.to_hex(),
        signature: seal_signature.to_base64url(),
    };
    let events = events
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| BuildError::Agreement(format!("an event cannot be written: {e}")))?;
    Ok(WirePackage {
        format: FORMAT.to_owned(),
        agreement: agreement.clone(),
        agreement_hash: hash,
        signatures: entries,
        seal: wire_seal,
        events,
    })
}
