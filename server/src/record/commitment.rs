//! Texts the chain commits to without holding them: chat messages and the mediator's notes. The
//! chain keeps each text's SHA-256 (hex), the text itself is stored apart, so an exported chain
//! proves what was written without revealing it, and a stored text that was changed no longer
//! matches its commitment. [`check_kept_texts`] closes the loop over every such row: the chain
//! itself can hold while a stored text was edited, and this is where that shows.

use super::chain::ChainedEvent;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

/// The commitment to `text`: its SHA-256 over the UTF-8 bytes, in lowercase hex.
pub fn text_sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Is `text` a SHA-256 as records write one: 64 lowercase hex digits? Uppercase is refused so
/// that one hash has exactly one spelling.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// One stored text, and how to find the event that commits to it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptText {
    /// What it is, for the report: "chat message 3", "agreement version 2".
    pub what: String,
    /// The kind of the event that records its hash.
    pub kind: &'static str,
    /// The payload member holding the hex SHA-256.
    pub hash_member: &'static str,
    /// Payload members that name this text among others of the same kind (e.g. `version`).
    pub identity: Vec<(&'static str, Value)>,
    pub text: String,
}

/// Does `event` commit to `text` as stored?
fn commits_to(event: &ChainedEvent, text: &KeptText) -> bool {
    let payload = &event.body.payload;
    event.body.kind == text.kind
        && payload.get(text.hash_member).and_then(Value::as_str)
            == Some(text_sha256(&text.text).as_str())
        && text
            .identity
            .iter()
            .all(|(member, value)| payload.get(*member) == Some(value))
}

/// The stored text `event` commits to, if it commits to one and the stored text still matches:
/// what a log reader shows beside the hash.
pub fn committed_text<'a>(event: &ChainedEvent, kept: &'a [KeptText]) -> Option<&'a str> {
    kept.iter()
        .find(|text| commits_to(event, text))
        .map(|text| text.text.as_str())
}

/// `Err` names the first text that no event of `events` commits to as stored.
pub fn check_kept_texts(events: &[ChainedEvent], kept: &[KeptText]) -> Result<(), String> {
    for text in kept {
        let committed = events.iter().any(|event| commits_to(event, text));
        if !committed {
            return Err(format!(
                "{}: the stored text is not the one the chain recorded",
                text.what
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::chain::{hash_event, EventBody, EventHash, GENESIS};
    use serde_json::json;

    fn event(kind: &str, payload: Value) -> ChainedEvent {
        let body = EventBody {
            case_id: "c".into(),
            seq: 1,
            at_ms: 0,
            actor: "system".into(),
            kind: kind.into(),
            payload,
        };
        let prev: EventHash = GENESIS;
        let hash = hash_event(&prev, &body).unwrap();
        ChainedEvent {
            body,
            prev_hash: prev,
            hash,
        }
    }

    fn version(n: u64, text: &str) -> KeptText {
        KeptText {
            what: format!("agreement version {n}"),
            kind: "agreement_drafted",
            hash_member: "agreement_hash",
            identity: vec![("version", json!(n))],
            text: text.into(),
        }
    }

    #[test]
    fn texts_the_chain_recorded_pass() {
        let events = [event(
            "agreement_drafted",
            json!({"version": 1, "agreement_hash": text_sha256("{\"a\":1}")}),
        )];
        assert_eq!(
            check_kept_texts(&events, &[version(1, "{\"a\":1}")]),
            Ok(())
        );
        assert_eq!(check_kept_texts(&[], &[]), Ok(()));
    }

    #[test]
    fn an_edited_or_misplaced_text_is_named() {
        let events = [event(
            "agreement_drafted",
            json!({"version": 1, "agreement_hash": text_sha256("{\"a\":1}")}),
        )];
        let edited = check_kept_texts(&events, &[version(1, "{\"a\":2}")]);
        assert_eq!(
            edited,
            Err("agreement version 1: the stored text is not the one the chain recorded".into())
        );
        // The right text under another version's name is caught too.
        assert!(check_kept_texts(&events, &[version(2, "{\"a\":1}")]).is_err());
    }

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
