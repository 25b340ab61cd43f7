//! What the fuzz targets in `fuzz/` check: one function per target, taking any bytes, that
//! panics only when a property is broken (a panic is what a fuzzer reports). Each parser that
//! reads input from the network or from a file someone hands us is here: the signalling
//! message, the SDP and ICE candidates a browser sends, canonical JSON, and the verifiers of
//! agreement packages and judicial-confirmation bundles.
//!
//! Compiled for tests and for fuzzing builds only (cargo-fuzz sets `--cfg fuzzing`). The seeds
//! in `fuzz/seeds/<target>/`, and every input a fuzzer once found, run through the same
//! functions as unit tests, so they keep being checked on every test run.

use crate::live::protocol::ClientMessage;
use crate::media::sdp;
use crate::media::IceCandidate;
use crate::record::agreement::{verify_package, VerifyError};
use crate::record::bundle::verify_bundle;
use crate::record::canonical::{to_canonical_bytes, CanonicalError};
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr};
use webrtc::peer_connection::RTCSessionDescription;

/// A fuzz target's checks: any bytes in, a panic out only when a property is broken.
pub type Check = fn(&[u8]);

/// The fuzz targets, by name: `cargo fuzz run <name>` in `fuzz/` runs one.
pub const TARGETS: [(&str, Check); 5] = [
    ("signalling_message", signalling_message),
    ("sdp", sdp),
    ("canonical_json", canonical_json),
    ("agreement_package", agreement_package),
    ("bundle", bundle),
];

/// The address media binds to, and the one it advertises instead (NAT 1:1), as a deployment
/// would configure them.
const BIND: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5));
const ADVERTISED: IpAddr = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7));

/// A text frame on the signalling WebSocket, parsed as the server parses it. A message that
/// parses names the `id` its JSON carries (the client matches our answer by it), and the SDP
/// and candidate it carries go on through what media does with them.
pub fn signalling_message(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // a WebSocket text frame is UTF-8 by definition
    };
    let message = match serde_json::from_str::<ClientMessage>(text) {
        Ok(message) => message,
        Err(err) => {
            // The refusal quotes the parser's reason back to the client.
            let _ = err.to_string();
            return;
        }
    };
    let document: Value = match serde_json::from_str(text) {
        Ok(document) => document,
        Err(err) => panic!("a message parsed, but the same text is no JSON value: {err}"),
    };
    assert_eq!(
        document.get("id").and_then(Value::as_u64),
        Some(message.id()),
        "the message's id is not the one its JSON carries"
    );
    match message {
        ClientMessage::Offer { sdp, .. } | ClientMessage::Answer { sdp, .. } => {
            session_description(&sdp)
        }
        ClientMessage::Candidate { candidate, .. } => ice_candidate(&candidate, ""),
        _ => {}
    }
}

/// An SDP offer or answer from a client, then a trickled candidate that names one of its m-lines.
pub fn sdp(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        session_description(text);
    }
}

fn session_description(text: &str) {
    // The media task parses before touching anything; the parser must refuse, never panic.
    let _ = RTCSessionDescription::offer(text.to_owned());
    let _ = RTCSessionDescription::answer(text.to_owned());

    // Our answer's addresses are rewritten for NAT 1:1: to the same address it is a no-op,
    // and the rewriting never moves, adds or removes an m-line or a mid.
    assert_eq!(
        sdp::rewrite_sdp(text, BIND, BIND),
        text,
        "rewriting to the same address changed the SDP"
    );
    let mids = sdp::media_mids(text);
    assert_eq!(
        sdp::media_mids(&sdp::rewrite_sdp(text, BIND, ADVERTISED)),
        mids,
        "rewriting addresses changed the m-lines"
    );
    // Each candidate line of the SDP, as if it had been trickled for the first m-line.
    for line in text.lines() {
        if let Some(candidate) = line
            .strip_prefix("a=")
            .filter(|c| c.starts_with("candidate:"))
        {
            let trickled = IceCandidate {
                candidate: candidate.to_owned(),
                sdp_mid: mids.first().cloned().flatten(),
                sdp_mline_index: Some(0),
            };
            ice_candidate(&trickled, text);
        }
    }
}

fn ice_candidate(candidate: &IceCandidate, remote_sdp: &str) {
    let text = &candidate.candidate;
    // Only a candidate's type is ever logged.
    let _ = sdp::candidate_type(text);
    assert_eq!(
        sdp::rewrite_candidate(text, BIND, BIND),
        *text,
        "rewriting a candidate to the same address changed it"
    );
    let _ = sdp::rewrite_candidate(text, BIND, ADVERTISED);
    let _ = sdp::candidate_fits(
        remote_sdp,
        candidate.sdp_mid.as_deref(),
        candidate.sdp_mline_index,
    );
}

/// RFC 8785 canonical JSON of any JSON document. When it has a canonical form, that form is
/// JSON, and it is its own canonical form: a verifier who parses a recorded payload and
/// canonicalises it again gets the bytes that were hashed. When it has none, the reason is a
/// number that no double holds exactly.
pub fn canonical_json(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    match to_canonical_bytes(&value) {
        Ok(canonical) => {
            let again: Value = match serde_json::from_slice(&canonical) {
                Ok(again) => again,
                Err(err) => panic!("the canonical form is not JSON: {err}"),
            };
            assert_eq!(
                to_canonical_bytes(&again).as_ref(),
                Ok(&canonical),
                "the canonical form is not its own canonical form"
            );
        }
        Err(CanonicalError::IntegerOutOfRange(_)) => {}
        Err(other) => panic!("a parsed JSON document was refused: {other}"),
    }
}

/// An agreement package handed to `accord verify`. Whatever it holds, the verdict comes back
/// as a value, and a package that verifies still verifies when it is laid out differently
/// (verification is over canonical forms, never over the file's bytes).
pub fn agreement_package(data: &[u8]) {
    match verify_package(data) {
        Ok(verified) => {
            let _ = verified.to_string();
            let Ok(document) = serde_json::from_slice::<Value>(data) else {
                panic!("a package verified that is no JSON document");
            };
            let relaid = format!("{document:#}");
            assert!(
                verify_package(relaid.as_bytes()).is_ok(),
                "a package verified, but not once it was laid out differently"
            );
        }
        Err(VerifyError::Invalid(reason) | VerifyError::Unusable(reason)) => {
            assert!(!reason.is_empty(), "a package was refused without a reason");
        }
    }
}

/// A judicial-confirmation bundle (a zip) handed to `accord verify`: the verdict comes back as a
/// value, with a reason when it is a refusal.
pub fn bundle(data: &[u8]) {
    match verify_bundle(data) {
        Ok(verified) => {
            let _ = verified.to_string();
        }
        Err(VerifyError::Invalid(reason) | VerifyError::Unusable(reason)) => {
            assert!(!reason.is_empty(), "a bundle was refused without a reason");
        }
    }
}

#[cfg(test)]
mod tests;
