//! Checking a bundle offline (`accord verify`): the seal over the manifest, the members against
//! it, then what the members say against each other.

use std::collections::BTreeMap;
use std::io::{Cursor, Read as _};

use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Manifest, SealFile, VerifiedBundle, FORMAT, MANIFEST, MEMBERS, SEAL};
use crate::record::agreement::{verify_package, VerifyError};
use crate::record::chain::{verify_chain, ChainedEvent};
use crate::record::signature::{verify_seal, SealPublicKey, SealSignature};

/// No member of a real bundle comes near this; a larger one is refused before it is read.
const MAX_MEMBER_BYTES: u64 = 64 * 1024 * 1024;

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
    let manifest: Manifest =
        parse(MANIFEST, manifest_bytes).map_err(|e| unusable(e.to_string()))?;
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

/// Every member by name. A name twice is an alteration: which copy would count?
fn read_members(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, VerifyError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| unusable(format!("not a zip archive: {e}")))?;
    let mut members = BTreeMap::new();
    for index in 0..archive.len() {
        let file = archive
            .by_index(index)
            .map_err(|e| invalid(format!("member {index} cannot be read: {e}")))?;
        let name = file.name().to_owned();
        if file.size() > MAX_MEMBER_BYTES {
            return Err(invalid(format!("{name:?} is implausibly large")));
        }
        let mut content = Vec::new();
        // The zip reader checks each member's CRC-32 as it reads: a mismatch is an alteration.
        file.take(MAX_MEMBER_BYTES)
            .read_to_end(&mut content)
            .map_err(|e| invalid(format!("{name:?} was altered: {e}")))?;
        if members.insert(name.clone(), content).is_some() {
            return Err(invalid(format!("{name:?} appears twice")));
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
    for entry in &manifest.members {
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

fn parse<T: DeserializeOwned>(name: &str, bytes: &[u8]) -> Result<T, VerifyError> {
    serde_json::from_slice(bytes).map_err(|e| invalid(format!("{name} is not readable: {e}")))
}
