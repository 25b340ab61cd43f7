//! Does the chain tell the same story as the package?
//!
//! The chain is already known to be intact when this runs; what is checked
//! here is that it *records* what the package claims: each key bound to its
//! signer before use, each signature at the time and with the key the package
//! shows, nothing signed that the package leaves out, and one seal, last: the
//! package ends at the sealing event, the last thing its seal covers.

use std::collections::HashMap;

use serde_json::Value;

use super::wire::Package;
use super::{VerifyError, AGREEMENT_SEALED, AGREEMENT_SIGNED, SIGNER_KEY_BOUND};
use crate::record::chain::{ChainedEvent, EventHash};

/// Where the chain records one signature of the package.
#[derive(Debug, Clone, Copy)]
pub(super) struct SignerFacts {
    pub(super) key_bound_in: u64,
    pub(super) signed_in: u64,
}

/// Where the chain records the seal.
#[derive(Debug, Clone, Copy)]
pub(super) struct SealFacts {
    pub(super) sealed_in: u64,
    pub(super) sealed_at_ms: i64,
}

/// An `agreement_signed` event for the package's version.
#[derive(Debug)]
struct Signed<'a> {
    seq: u64,
    at_ms: i64,
    signer: &'a str,
    thumbprint: &'a str,
    key_bound_in: u64,
}

#[derive(Debug)]
struct Sealed {
    seq: u64,
    at_ms: i64,
    hash: EventHash,
}

fn invalid(reason: String) -> VerifyError {
    VerifyError::Invalid(reason)
}

/// A string member of an event's payload. Its absence is `Unusable`: the
/// chain is intact, so the event was recorded like that, in a shape this
/// verifier does not know.
fn text<'a>(event: &'a ChainedEvent, name: &str) -> Result<&'a str, VerifyError> {
    event
        .body
        .payload
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| unusable_payload(event, name, "string"))
}

fn number(event: &ChainedEvent, name: &str) -> Result<u64, VerifyError> {
    event
        .body
        .payload
        .get(name)
        .and_then(Value::as_u64)
        .ok_or_else(|| unusable_payload(event, name, "integer"))
}

fn unusable_payload(event: &ChainedEvent, name: &str, what: &str) -> VerifyError {
    VerifyError::Unusable(format!(
        "event {} ({}): payload has no {what} {name:?}",
        event.body.seq, event.body.kind
    ))
}

/// Checks the chain against the package; returns, per package signature,
/// where it is recorded, and where the seal is.
pub(super) fn check(package: &Package) -> Result<(Vec<SignerFacts>, SealFacts), VerifyError> {
    let events = &package.events;
    let first = events
        .first()
        .ok_or_else(|| invalid("the package contains no events".into()))?;
    if first.body.case_id != package.case_id {
        return Err(invalid(format!(
            "the events are of case {:?}, the agreement of case {:?}",
            first.body.case_id, package.case_id
        )));
    }
    // Signer → (thumbprint, seq) of their latest binding; thumbprint → signer.
    let mut bound: HashMap<&str, (&str, u64)> = HashMap::new();
    let mut owner: HashMap<&str, &str> = HashMap::new();
    let mut signed: Vec<Signed<'_>> = Vec::new();
    let mut sealed: Option<Sealed> = None;
    for event in events {
        let seq = event.body.seq;
        match event.body.kind.as_str() {
            SIGNER_KEY_BOUND => {
                let signer = text(event, "signer")?;
                let thumbprint = text(event, "key_thumbprint")?;
                match owner.insert(thumbprint, signer) {
                    Some(other) if other != signer => {
                        return Err(invalid(format!(
                            "event {seq} binds key {thumbprint} to {signer}, but it was already \
                             bound to {other}: a signing key belongs to one signer alone (ESL 13(1))"
                        )))
                    }
                    _ => {}
                }
                bound.insert(signer, (thumbprint, seq));
            }
            AGREEMENT_SIGNED => {
                if number(event, "version")? != package.version {
                    continue;
                }
                let signer = text(event, "signer")?;
                let thumbprint = text(event, "key_thumbprint")?;
                if let Some(sealed) = &sealed {
                    return Err(invalid(format!(
                        "event {seq} records a signature by {signer} after the seal (event {})",
                        sealed.seq
                    )));
                }
                if text(event, "agreement_hash")? != package.agreement_hash {
                    return Err(invalid(format!(
                        "event {seq} records {signer}'s signature of version {} over another \
                         agreement hash than this agreement's",
                        package.version
                    )));
                }
                let Some(&(bound_key, key_bound_in)) = bound.get(signer) else {
                    return Err(invalid(format!(
                        "event {seq}: {signer} signed before any key was bound to them"
                    )));
                };
                if bound_key != thumbprint {
                    return Err(invalid(format!(
                        "event {seq}: {signer} signed with key {thumbprint}, but the key bound \
                         to them (event {key_bound_in}) is {bound_key}"
                    )));
                }
                if signed.iter().any(|s| s.signer == signer) {
                    return Err(invalid(format!(
                        "event {seq} records a second signature by {signer} of version {}",
                        package.version
                    )));
                }
                signed.push(Signed {
                    seq,
                    at_ms: event.body.at_ms,
                    signer,
                    thumbprint,
                    key_bound_in,
                });
            }
            AGREEMENT_SEALED => {
                if number(event, "version")? != package.version {
                    continue;
                }
                if let Some(earlier) = &sealed {
                    return Err(invalid(format!(
                        "event {seq} seals version {} a second time (first: event {})",
                        package.version, earlier.seq
                    )));
                }
                if text(event, "agreement_hash")? != package.agreement_hash {
                    return Err(invalid(format!(
                        "event {seq} seals another agreement hash than this agreement's"
                    )));
                }
                let key = text(event, "seal_public_key")?;
                if key != package.seal.public_key.to_base64url() {
                    return Err(invalid(format!(
                        "event {seq} records seal key {key}, but the package is sealed with {}",
                        package.seal.public_key
                    )));
                }
                sealed = Some(Sealed {
                    seq,
                    at_ms: event.body.at_ms,
                    hash: event.hash,
                });
            }
            _ => {}
        }
    }
    let sealed = sealed.ok_or_else(|| {
        invalid(format!(
            "the chain records no {AGREEMENT_SEALED} event for version {}",
            package.version
        ))
    })?;
    // The seal signs the sealing event's hash, which chains everything before it and nothing
    // after: an event past it could be dropped, edited or forged (an `agreement_revoked`, say)
    // with every hash recomputed, and no signature would notice. So a package ends there.
    if let Some(after) = events.iter().find(|e| e.body.seq > sealed.seq) {
        return Err(invalid(format!(
            "event {} ({}) comes after the sealing event {}: the seal covers the record up to \
             the sealing event and nothing after it, so a package ends there and this event \
             was added",
            after.body.seq,
            after.body.kind.escape_debug(),
            sealed.seq
        )));
    }
    if sealed.hash != package.seal.sealed_event {
        return Err(invalid(format!(
            "the seal names {} as the sealing event, but the chain's is {} (event {})",
            package.seal.sealed_event, sealed.hash, sealed.seq
        )));
    }
    let facts = match_signatures(package, &signed)?;
    Ok((
        facts,
        SealFacts {
            sealed_in: sealed.seq,
            sealed_at_ms: sealed.at_ms,
        },
    ))
}

/// Pairs each package signature with its event, and requires the two lists
/// to be the same, in the same order.
fn match_signatures(
    package: &Package,
    signed: &[Signed<'_>],
) -> Result<Vec<SignerFacts>, VerifyError> {
    let mut facts = Vec::with_capacity(package.signatures.len());
    for (index, entry) in package.signatures.iter().enumerate() {
        let who = &entry.signer;
        let Some(position) = signed.iter().position(|s| s.signer == who) else {
            return Err(invalid(format!(
                "the signature of {who} is not recorded in the chain (no {AGREEMENT_SIGNED} \
                 event for version {})",
                package.version
            )));
        };
        let record = &signed[position];
        if record.thumbprint != entry.key_thumbprint {
            return Err(invalid(format!(
                "{who} signed with key {} in the package, but event {} records key {}",
                entry.key_thumbprint, record.seq, record.thumbprint
            )));
        }
        if i128::from(record.at_ms) * 1_000_000 != entry.signed_at_ns {
            return Err(invalid(format!(
                "{who}'s signed_at {} is not the time event {} recorded",
                entry.signed_at, record.seq
            )));
        }
        if position != index {
            return Err(invalid(format!(
                "the package lists {who}'s signature as number {}, the chain as number {}",
                index + 1,
                position + 1
            )));
        }
        facts.push(SignerFacts {
            key_bound_in: record.key_bound_in,
            signed_in: record.seq,
        });
    }
    if let Some(extra) = signed.get(package.signatures.len()) {
        return Err(invalid(format!(
            "event {} records a signature by {} that the package leaves out",
            extra.seq, extra.signer
        )));
    }
    Ok(facts)
}
