//! The human report `accord verify` prints.
//!
//! Names and ids come from the package, which may be a forgery: they are
//! printed with control characters escaped, so that no value can forge a
//! line of the report or drive the terminal.

use std::fmt;

use super::{rfc3339_from_ms, Verified, FORMAT};

impl fmt::Display for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "VALID: nothing in this agreement package has been altered."
        )?;
        writeln!(f, "  format       {FORMAT}")?;
        writeln!(
            f,
            "  case         {}, agreement version {}",
            self.case_id.escape_debug(),
            self.version
        )?;
        writeln!(f, "  agreement    SHA-256 {}", self.agreement_hash)?;
        writeln!(
            f,
            "  signatures   {}, each over the agreement's exact bytes, by a key bound to its \
             signer in the record",
            self.signers.len()
        )?;
        for (n, signer) in self.signers.iter().enumerate() {
            writeln!(
                f,
                "    {}. {:<9} {} ({})",
                n + 1,
                signer.role.as_str(),
                signer.name.escape_debug(),
                signer.signer.escape_debug()
            )?;
            writeln!(
                f,
                "       key {}  signed {} (event {}; key bound in event {})",
                signer.key_thumbprint, signer.signed_at, signer.signed_in, signer.key_bound_in
            )?;
        }
        let seal = &self.seal;
        let sealed_at =
            rfc3339_from_ms(seal.sealed_at_ms).unwrap_or_else(|| seal.sealed_at_ms.to_string());
        writeln!(f, "  seal         {}", seal.committee.escape_debug())?;
        writeln!(
            f,
            "               Ed25519 key fingerprint {}  (event {}, {sealed_at})",
            seal.fingerprint, seal.sealed_in
        )?;
        writeln!(
            f,
            "               Compare this fingerprint with the one the committee publishes:"
        )?;
        writeln!(
            f,
            "               the package alone cannot show whose key it is."
        )?;
        writeln!(
            f,
            "  event chain  {} events, intact, ending at the sealing event (hash {})",
            self.chain_length, self.chain_head
        )?;
        writeln!(
            f,
            "  covered      by the seal, exactly: the agreement's SHA-256, the {} signatures as listed,",
            self.signers.len()
        )?;
        writeln!(
            f,
            "               the committee's name, and the hash of event {}, which chains events 1 to {}.",
            seal.sealed_in, seal.sealed_in
        )?;
        write!(
            f,
            "               Nothing recorded after the seal is in this package."
        )
    }
}
