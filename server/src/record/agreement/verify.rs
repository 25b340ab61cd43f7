//! Offline verification of a package, in the order that names the most
//! fundamental problem first: the chain, the agreement's bytes, each
//! signature, the seal, then whether the chain records what the package says.

use sha2::{Digest, Sha256};

use super::recorded;
use super::wire::{self, Package};
use super::{SignerRole, Verified, VerifiedSeal, VerifiedSigner, VerifyError};
use crate::record::chain::verify_chain;
use crate::record::signature::{verify_p1363, verify_seal, SignatureError};

fn invalid(reason: String) -> VerifyError {
    VerifyError::Invalid(reason)
}

/// Verifies an `accord-agreement/1` package (format: [`super`]).
///
/// `Ok` means: the chain is intact; the agreement hashes to
/// `agreement_hash`; each signature verifies over the agreement with a key
/// whose thumbprint is the one shown, bound to its signer in the chain
/// before they signed; the chain records exactly these signatures, then the
/// seal; the seal verifies over all of it; a party (or agent) and the
/// mediator signed (PML 29). Which committee owns the seal key is for the
/// reader to check against the published fingerprint.
pub fn verify_package(bytes: &[u8]) -> Result<Verified, VerifyError> {
    let package = wire::parse(bytes)?;
    verify_chain(&package.events).map_err(|broken| {
        invalid(format!(
            "the event chain is broken at event {}: {}",
            broken.seq, broken.reason
        ))
    })?;
    let computed = hex::encode(Sha256::digest(&package.signed_bytes));
    if computed != package.agreement_hash {
        return Err(invalid(format!(
            "the agreement was altered: its SHA-256 is {computed}, the package records {}",
            package.agreement_hash
        )));
    }
    verify_signatures(&package)?;
    verify_the_seal(&package)?;
    let (signer_facts, seal_facts) = recorded::check(&package)?;
    require_signers(&package)?;
    let signers = package
        .signatures
        .iter()
        .zip(signer_facts)
        .map(|(entry, facts)| VerifiedSigner {
            signer: entry.signer.clone(),
            role: entry.role,
            name: entry.name.clone(),
            key_thumbprint: entry.key_thumbprint.clone(),
            signed_at: entry.signed_at.clone(),
            key_bound_in: facts.key_bound_in,
            signed_in: facts.signed_in,
        })
        .collect();
    let chain_head = package
        .events
        .last()
        .map(|e| e.hash)
        .ok_or_else(|| invalid("the package contains no events".into()))?;
    Ok(Verified {
        case_id: package.case_id,
        version: package.version,
        agreement_hash: package.agreement_hash,
        signers,
        seal: VerifiedSeal {
            committee: package.seal.committee,
            public_key: package.seal.public_key,
            fingerprint: package.seal.public_key.fingerprint(),
            sealed_in: seal_facts.sealed_in,
            sealed_at_ms: seal_facts.sealed_at_ms,
        },
        chain_length: package.events.len(),
        chain_head,
    })
}

/// ESL 13(3)-(4): each signature is over these exact bytes, by the key shown.
fn verify_signatures(package: &Package) -> Result<(), VerifyError> {
    for entry in &package.signatures {
        let who = &entry.signer;
        let thumbprint = entry.key.thumbprint();
        if thumbprint != entry.key_thumbprint {
            return Err(invalid(format!(
                "{who}'s key has thumbprint {thumbprint}, but the package shows {}",
                entry.key_thumbprint
            )));
        }
        match verify_p1363(&entry.key, &package.signed_bytes, &entry.signature) {
            Ok(()) => {}
            Err(e @ (SignatureError::DerEncoded | SignatureError::WrongLength { .. })) => {
                // Parsing already refuses these; kept exhaustive on purpose.
                return Err(VerifyError::Unusable(format!("{who}'s signature: {e}")));
            }
            Err(e) => {
                return Err(invalid(format!(
                    "the signature of {who} ({}) does not verify over the agreement: {e}",
                    entry.name
                )))
            }
        }
    }
    Ok(())
}

fn verify_the_seal(package: &Package) -> Result<(), VerifyError> {
    let seal = &package.seal;
    let message = wire::seal_message(
        &package.agreement_hash,
        &seal.committee,
        &seal.sealed_event,
        &package.wire_signatures,
    )
    .map_err(|e| VerifyError::Unusable(format!("signatures: {e}")))?;
    verify_seal(&seal.public_key, &message, &seal.signature).map_err(|_| {
        invalid(format!(
            "the committee seal (key {}) does not verify: the sealed signatures, committee \
             or sealing event were altered, or another key sealed them",
            seal.public_key.fingerprint()
        ))
    })
}

/// PML 29: an agreement takes effect only once the parties and the mediator
/// have signed. Which parties exist is beyond this package, so at least one
/// party (or agent) and one mediator are required.
fn require_signers(package: &Package) -> Result<(), VerifyError> {
    let signed_as = |roles: &[SignerRole]| {
        package
            .signatures
            .iter()
            .any(|entry| roles.contains(&entry.role))
    };
    if !signed_as(&[SignerRole::Party, SignerRole::Agent]) {
        return Err(invalid(
            "no party or agent signed, yet PML 29 requires every party's signature".into(),
        ));
    }
    if !signed_as(&[SignerRole::Mediator]) {
        return Err(invalid(
            "no mediator signed, yet PML 29 requires the mediator's signature".into(),
        ));
    }
    Ok(())
}
