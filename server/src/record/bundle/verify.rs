//! Checking a bundle offline (`accord verify`): the seal over the manifest, the members against
//! it, then what the members say against each other.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::archive;
use super::{Manifest, SealFile, VerifiedBundle, FORMAT, MANIFEST, MEMBERS, SEAL};
use crate::record::agreement::{verify_package, VerifyError};
use crate::record::canonical::{parse_unique, JsonError};
use crate::record::chain::{verify_chain, ChainedEvent};
use crate::record::signature::{verify_seal, SealPublicKey, SealSignature};

fn unusable(reason: impl Into<String>) -> VerifyError {
    VerifyError::Unusable(reason.into())
}

fn invalid(reason: impl Into<String>) -> VerifyError {
    VerifyError::Invalid(reason.into())
}

/// Verifies a bundle. `Unusable` when the bytes are no zip or carry no `accord-confirmation/1`
/// manifest; `Invalid` when anything in a readable bundle was altered, removed or added.
pub fn verify_bundle(bytes: &[u8]) -> Result<VerifiedBundle, VerifyError> {
    let members = read_members(bytes)?;
    let manifest_bytes = members
        .get(MANIFEST)
        .ok_or_else(|| unusable("the archive has no manifest.json: it is not a bundle"))?;
    // A manifest that is no manifest makes this no bundle; one with a name twice was altered.
    let manifest: Manifest = match parse_unique(manifest_bytes) {
        Err(JsonError::Duplicate(duplicate)) => {
            return Err(invalid(format!("{MANIFEST}: {duplicate}")))
        }
        Err(JsonError::Syntax(e)) => return Err(unusable(format!("{MANIFEST}: {e}"))),
        Ok(value) => serde_json::from_value(value)
            .map_err(|e| unusable(format!("{MANIFEST} is not a bundle manifest: {e}")))?,
    };
    if manifest.format != FORMAT {
        return Err(unusable(format!(
            "format {:?} is not {FORMAT}",
            manifest.format
        )));
    }
    let seal_file: SealFile = parse(
        SEAL,
        members
            .get(SEAL)
            .ok_or_else(|| invalid("seal.json, the seal over the manifest, is missing"))?,
    )?;
    let key = SealPublicKey::from_base64url(&seal_file.public_key)
        .map_err(|e| invalid(format!("seal.json: the seal key is not usable: {e}")))?;
    let signature = SealSignature::from_base64url(&seal_file.signature)
        .map_err(|e| invalid(format!("seal.json: the signature is not usable: {e}")))?;
    verify_seal(&key, manifest_bytes, &signature)
        .map_err(|_| invalid("the seal does not match the manifest: the manifest was altered"))?;
    check_members(&manifest, &members)?;
    let member = |name: &str| members.get(name).map(Vec::as_slice).unwrap_or_default();

    let agreement = verify_package(member("agreement.json")).map_err(|e| match e {
        VerifyError::Invalid(reason) | VerifyError::Unusable(reason) => {
            invalid(format!("agreement.json: {reason}"))
        }
    })?;
    if agreement.seal.public_key != key {
        return Err(invalid(
            "the agreement was sealed with another key than the bundle",
        ));
    }
    if agreement.case_id != manifest.case_id {
        return Err(invalid("the agreement belongs to another case"));
    }
    let events: Vec<ChainedEvent> = parse("events.json", member("events.json"))?;
    verify_chain(&events).map_err(|broken| {
        invalid(format!(
            "events.json: the chain is broken at event {}: {}",
            broken.seq, broken.reason
        ))
    })?;
    let package: Value = parse("agreement.json", member("agreement.json"))?;
    let package_events: Vec<ChainedEvent> =
        serde_json::from_value(package["events"].clone()).map_err(|e| invalid(e.to_string()))?;
    if !events.starts_with(&package_events) {
        return Err(invalid(
            "events.json does not continue the chain the agreement records",
        ));
    }
    if events.iter().any(|e| e.body.case_id != manifest.case_id) {
        return Err(invalid("events.json holds events of another case"));
    }
    let application: Value = parse("application.json", member("application.json"))?;
    if application["agreement_hash"].as_str() != Some(agreement.agreement_hash.as_str())
        || application["application_id"].as_str() != Some(manifest.application_id.as_str())
    {
        return Err(invalid(
            "application.json does not name this agreement and this application",
        ));
    }
    let consents = application["consents"].as_array().map_or(0, Vec::len);
    Ok(VerifiedBundle {
        case_id: manifest.case_id,
        application_id: manifest.application_id,
        court: application["court"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        bundle_sha256: hex::encode(Sha256::digest(bytes)),
        members: members.len(),
        consents,
        chain_length: events.len(),
        agreement,
    })
}

/// Every member by name, read strictly ([`archive`]): a name twice, or a local header that
/// names another file than the central directory, is an alteration.
fn read_members(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, VerifyError> {
    let mut members = BTreeMap::new();
    for member in archive::read(bytes)? {
        // The archive reader refuses a name twice already; this keeps the map honest regardless.
        if members
            .insert(member.name.clone(), member.content.to_vec())
            .is_some()
        {
            return Err(invalid(format!("{:?} appears twice", member.name)));
        }
    }
    Ok(members)
}

/// Exactly the listed members, each with its hash and size, and every member a bundle needs.
fn check_members(
    manifest: &Manifest,
    members: &BTreeMap<String, Vec<u8>>,
) -> Result<(), VerifyError> {
    for required in MEMBERS {
        if !manifest.members.iter().any(|m| m.name == required) {
            return Err(invalid(format!("the manifest does not list {required}")));
        }
    }
    for (index, entry) in manifest.members.iter().enumerate() {
        if manifest.members[..index]
            .iter()
            .any(|earlier| earlier.name == entry.name)
        {
            return Err(invalid(format!(
                "the manifest lists {:?} twice",
                entry.name
            )));
        }
        let content = members
            .get(&entry.name)
            .ok_or_else(|| invalid(format!("{} is missing", entry.name)))?;
        let sha256 = hex::encode(Sha256::digest(content));
        if sha256 != entry.sha256 || content.len() as u64 != entry.size {
            return Err(invalid(format!(
                "{} was altered: its SHA-256 is {sha256}, the manifest records {}",
                entry.name, entry.sha256
            )));
        }
    }
    if let Some(extra) = members.keys().find(|name| {
        name.as_str() != MANIFEST
            && name.as_str() != SEAL
            && !manifest.members.iter().any(|m| &m.name == *name)
    }) {
        return Err(invalid(format!(
            "{extra:?} is not listed in the manifest: something was added"
        )));
    }
    Ok(())
}

/// A JSON member, refusing a member name twice in any object: the manifest seals bytes, and
/// bytes that two readers read as two different values prove nothing.
fn parse<T: DeserializeOwned>(name: &str, bytes: &[u8]) -> Result<T, VerifyError> {
    let value = parse_unique(bytes).map_err(|e| match e {
        JsonError::Duplicate(duplicate) => invalid(format!("{name}: {duplicate}")),
        JsonError::Syntax(e) => invalid(format!("{name} is not readable: {e}")),
    })?;
    serde_json::from_value(value).map_err(|e| invalid(format!("{name} is not readable: {e}")))
}
