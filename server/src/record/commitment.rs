//! Texts the chain commits to without holding them: chat messages and the mediator's notes. The
//! chain keeps each text's SHA-256 (hex), the text itself is stored apart, so an exported chain
//! proves what was written without revealing it, and a stored text that was changed no longer
//! matches its commitment.

use sha2::{Digest as _, Sha256};

/// The commitment to `text`: its SHA-256 over the UTF-8 bytes, in lowercase hex.
pub fn text_sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_to_the_exact_utf8_bytes() {
        assert_eq!(
            text_sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(
            text_sha256("被申请人同意赔偿 1200 元"),
            text_sha256("被申请人同意赔偿 2100 元")
        );
    }
}
