//! The package as JSON: the serde shapes, parsing them into checked values
//! (every failure here is [`VerifyError::Unusable`]), and the sealed bytes.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{SignerRole, VerifyError, FORMAT};
use crate::record::canonical::{parse_unique, to_canonical_bytes, CanonicalError, JsonError};
use crate::record::chain::{ChainedEvent, EventHash};
use crate::record::signature::{
    check_p1363_encoding, decode_base64url, SealPublicKey, SealSignature, SignerKey,
};

/// The members of a stored event; anything else would be outside its hash.
const EVENT_MEMBERS: [&str; 8] = [
    "case_id",
    "seq",
    "at_ms",
    "actor",
    "kind",
    "payload",
    "prev_hash",
    "hash",
];
/// The members of a public key in a package (RFC 7638 §3.2, EC).
const JWK_MEMBERS: [&str; 4] = ["crv", "kty", "x", "y"];

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WirePackage {
    pub(super) format: String,
    pub(super) agreement: Value,
    pub(super) agreement_hash: String,
    pub(super) signatures: Vec<WireSignature>,
    pub(super) seal: WireSeal,
    pub(super) events: Vec<Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WireSignature {
    pub(super) signer: String,
    pub(super) role: SignerRole,
    pub(super) name: String,
    pub(super) public_key: Value,
    pub(super) key_thumbprint: String,
    pub(super) signed_at: String,
    pub(super) signature: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WireSeal {
    pub(super) committee: String,
    pub(super) public_key: String,
    pub(super) sealed_event: String,
    pub(super) signature: String,
}

/// A package whose every part is well-formed; nothing is verified yet.
#[derive(Debug)]
pub(super) struct Package {
    pub(super) case_id: String,
    pub(super) version: u64,
    /// `JCS(agreement)`, what the signers signed.
    pub(super) signed_bytes: Vec<u8>,
    /// As written in the package.
    pub(super) agreement_hash: String,
    pub(super) signatures: Vec<Entry>,
    /// The signature objects as written, for the sealed bytes.
    pub(super) wire_signatures: Vec<WireSignature>,
    pub(super) seal: Seal,
    pub(super) events: Vec<ChainedEvent>,
}

#[derive(Debug)]
pub(super) struct Entry {
    pub(super) signer: String,
    pub(super) role: SignerRole,
    pub(super) name: String,
    pub(super) key: SignerKey,
    pub(super) key_thumbprint: String,
    pub(super) signed_at: String,
    /// `signed_at` in Unix nanoseconds, to compare with the event's time.
    pub(super) signed_at_ns: i128,
    pub(super) signature: Vec<u8>,
}

#[derive(Debug)]
pub(super) struct Seal {
    pub(super) committee: String,
    pub(super) public_key: SealPublicKey,
    pub(super) sealed_event: EventHash,
    pub(super) signature: SealSignature,
}

fn unusable(reason: impl Into<String>) -> VerifyError {
    VerifyError::Unusable(reason.into())
}

/// Reads `bytes` as an `accord-agreement/1` package.
pub(super) fn parse(bytes: &[u8]) -> Result<Package, VerifyError> {
    let value = parse_unique(bytes).map_err(|e| match e {
        // Our builder never writes a name twice: one reader would check one value and
        // another show the other, so the package was made to deceive.
        JsonError::Duplicate(duplicate) => VerifyError::Invalid(duplicate.to_string()),
        JsonError::Syntax(_) => unusable(e.to_string()),
    })?;
    // The format first, so that another kind of file or a future version is
    // named as such rather than reported as a pile of missing members.
    match value.get("format") {
        Some(Value::String(format)) if format == FORMAT => {}
        Some(Value::String(format)) => {
            return Err(unusable(format!(
                "format {format:?} is not supported; this verifier reads {FORMAT:?}"
            )))
        }
        _ => {
            return Err(unusable(format!(
                "no \"format\" member: not an Accord agreement package ({FORMAT})"
            )))
        }
    }
    let wire: WirePackage = serde_path_to_error::deserialize(value)
        .map_err(|e| unusable(format!("{}: {}", e.path(), e.inner())))?;
    let (case_id, version) = agreement_identity(&wire.agreement)?;
    let signed_bytes =
        to_canonical_bytes(&wire.agreement).map_err(|e| unusable(format!("agreement: {e}")))?;
    if !crate::record::commitment::is_sha256_hex(&wire.agreement_hash) {
        return Err(unusable("agreement_hash: not 64 lowercase hex digits"));
    }
    if wire.signatures.is_empty() {
        return Err(unusable("signatures: there are none"));
    }
    let signatures = wire
        .signatures
        .iter()
        .enumerate()
        .map(|(i, s)| entry(s).map_err(|e| unusable(format!("signatures[{i}]: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let seal = seal(&wire.seal).map_err(|e| unusable(format!("seal: {e}")))?;
    let events = wire
        .events
        .into_iter()
        .enumerate()
        .map(|(i, e)| event(e).map_err(|e| unusable(format!("events[{i}]: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Package {
        case_id,
        version,
        signed_bytes,
        agreement_hash: wire.agreement_hash,
        signatures,
        wire_signatures: wire.signatures,
        seal,
        events,
    })
}

/// The agreement's `case_id` and `version`, and that it has `content`.
pub(super) fn agreement_identity(agreement: &Value) -> Result<(String, u64), VerifyError> {
    let object = agreement
        .as_object()
        .ok_or_else(|| unusable("agreement: not a JSON object"))?;
    let case_id = object
        .get("case_id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| unusable("agreement: no case_id string"))?;
    let version = object
        .get("version")
        .and_then(Value::as_u64)
        .filter(|v| *v >= 1)
        .ok_or_else(|| unusable("agreement: no version integer of at least 1"))?;
    if !object.contains_key("content") {
        return Err(unusable("agreement: no content"));
    }
    Ok((case_id.to_owned(), version))
}

fn entry(wire: &WireSignature) -> Result<Entry, String> {
    if wire.signer.is_empty() {
        return Err("signer: empty".into());
    }
    let who = &wire.signer;
    let members = wire
        .public_key
        .as_object()
        .ok_or_else(|| format!("{who}: public_key: not a JWK object"))?;
    if let Some(extra) = members.keys().find(|k| !JWK_MEMBERS.contains(&k.as_str())) {
        return Err(format!(
            "{who}: public_key: unexpected member {extra:?} (only {JWK_MEMBERS:?})"
        ));
    }
    let key =
        SignerKey::from_jwk(&wire.public_key).map_err(|e| format!("{who}: public_key: {e}"))?;
    let signed_at_ns = nanos_from_rfc3339(&wire.signed_at)
        .ok_or_else(|| format!("{who}: signed_at: not an RFC 3339 time"))?;
    let signature =
        decode_base64url(&wire.signature).map_err(|e| format!("{who}: signature: {e}"))?;
    check_p1363_encoding(&signature).map_err(|e| format!("{who}: signature: {e}"))?;
    Ok(Entry {
        signer: wire.signer.clone(),
        role: wire.role,
        name: wire.name.clone(),
        key,
        key_thumbprint: wire.key_thumbprint.clone(),
        signed_at: wire.signed_at.clone(),
        signed_at_ns,
        signature,
    })
}

fn seal(wire: &WireSeal) -> Result<Seal, String> {
    if wire.committee.is_empty() {
        return Err("committee: empty".into());
    }
    Ok(Seal {
        committee: wire.committee.clone(),
        public_key: SealPublicKey::from_base64url(&wire.public_key)
            .map_err(|e| format!("public_key: {e}"))?,
        sealed_event: EventHash::from_hex(&wire.sealed_event)
            .map_err(|e| format!("sealed_event: {e}"))?,
        signature: SealSignature::from_base64url(&wire.signature)
            .map_err(|e| format!("signature: {e}"))?,
    })
}

fn event(value: Value) -> Result<ChainedEvent, String> {
    let members = value.as_object().ok_or("not a JSON object")?;
    if let Some(extra) = members
        .keys()
        .find(|k| !EVENT_MEMBERS.contains(&k.as_str()))
    {
        return Err(format!(
            "unexpected member {extra:?}, which no hash would cover"
        ));
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// RFC 3339 (any offset, any precision) to Unix nanoseconds.
fn nanos_from_rfc3339(text: &str) -> Option<i128> {
    let at =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    Some(at.unix_timestamp_nanos())
}

/// The bytes the seal signs: `JCS({format, agreement_hash, committee,
/// sealed_event, signatures})`, the signature objects exactly as in the
/// package. Built member by member, like the chain's hashed bytes, so that a
/// serde attribute can never change what a seal covers.
pub(super) fn seal_message(
    agreement_hash: &str,
    committee: &str,
    sealed_event: &EventHash,
    signatures: &[WireSignature],
) -> Result<Vec<u8>, CanonicalError> {
    let signatures = signatures.iter().map(signature_object).collect();
    let mut sealed = Map::new();
    sealed.insert("format".into(), Value::from(FORMAT));
    sealed.insert("agreement_hash".into(), Value::from(agreement_hash));
    sealed.insert("committee".into(), Value::from(committee));
    sealed.insert("sealed_event".into(), Value::from(sealed_event.to_hex()));
    sealed.insert("signatures".into(), Value::Array(signatures));
    to_canonical_bytes(&Value::Object(sealed))
}

fn signature_object(s: &WireSignature) -> Value {
    let mut object = Map::new();
    object.insert("signer".into(), Value::from(s.signer.as_str()));
    object.insert("role".into(), Value::from(s.role.as_str()));
    object.insert("name".into(), Value::from(s.name.as_str()));
    object.insert("public_key".into(), s.public_key.clone());
    object.insert(
        "key_thumbprint".into(),
        Value::from(s.key_thumbprint.as_str()),
    );
    object.insert("signed_at".into(), Value::from(s.signed_at.as_str()));
    object.insert("signature".into(), Value::from(s.signature.as_str()));
    Value::Object(object)
}
