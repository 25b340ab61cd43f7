//! Packages that are not readable as what they claim to be, each with a
//! phrase the reason must contain.

use p256::ecdsa::Signature;
use serde_json::json;

use super::fixture::{find, rewrite_events, Fixture};
use super::tampering::{t, text, Tamper};
use crate::record::agreement::AGREEMENT_SIGNED;
use crate::record::signature::{decode_base64url, encode_base64url};

/// Packages that are not readable as what they claim to be.
pub(super) fn cases(f: &Fixture) -> Vec<(&'static str, Tamper<'_>, &'static str)> {
    vec![
        (
            "an unknown member",
            t(|p| p["note"] = json!("x")),
            "unknown field",
        ),
        (
            "no seal",
            t(|p| {
                p.as_object_mut().unwrap().remove("seal");
            }),
            "missing field `seal`",
        ),
        (
            "an unknown member in a signature",
            t(|p| p["signatures"][0]["extra"] = json!(1)),
            "signatures[0]",
        ),
        (
            "an unknown role",
            t(|p| p["signatures"][0]["role"] = json!("witness")),
            "unknown variant",
        ),
        (
            "no signatures",
            t(|p| p["signatures"] = json!([])),
            "there are none",
        ),
        (
            "a private key",
            t(|p| p["signatures"][0]["public_key"]["d"] = json!("AAAA")),
            "unexpected member \"d\"",
        ),
        (
            "WebCrypto's extra JWK members",
            t(|p| p["signatures"][0]["public_key"]["ext"] = json!(true)),
            "unexpected member",
        ),
        (
            "another curve",
            t(|p| p["signatures"][1]["public_key"]["crv"] = json!("P-384")),
            "P-384",
        ),
        (
            "a point off the curve",
            t(|p| {
                p["signatures"][1]["public_key"]["x"] = json!(encode_base64url(&[5; 32]));
            }),
            "not on the P-256 curve",
        ),
        (
            "a DER signature",
            t(|p| {
                let raw = decode_base64url(text(&p["signatures"][2]["signature"])).unwrap();
                let der = Signature::from_slice(&raw).unwrap().to_der();
                p["signatures"][2]["signature"] = json!(encode_base64url(der.as_bytes()));
            }),
            "DER",
        ),
        (
            "padded base64",
            t(|p| {
                let padded = format!("{}==", text(&p["signatures"][0]["signature"]));
                p["signatures"][0]["signature"] = json!(padded);
            }),
            "base64url",
        ),
        (
            "a signing time that is not a time",
            t(|p| p["signatures"][0]["signed_at"] = json!("yesterday")),
            "signed_at",
        ),
        (
            "a sealing event that is not a hash",
            t(|p| p["seal"]["sealed_event"] = json!("xyz")),
            "sealed_event",
        ),
        (
            "a seal key that is not base64url",
            t(|p| p["seal"]["public_key"] = json!("!!")),
            "seal: public_key",
        ),
        (
            "a short seal",
            t(|p| p["seal"]["signature"] = json!(encode_base64url(&[1; 63]))),
            "63 bytes",
        ),
        (
            "an agreement without version",
            t(|p| {
                p["agreement"].as_object_mut().unwrap().remove("version");
            }),
            "version",
        ),
        (
            "version 0",
            t(|p| p["agreement"]["version"] = json!(0)),
            "version",
        ),
        (
            "an agreement without content",
            t(|p| {
                p["agreement"].as_object_mut().unwrap().remove("content");
            }),
            "content",
        ),
        (
            "an agreement that is not an object",
            t(|p| p["agreement"] = json!("协议")),
            "not a JSON object",
        ),
        (
            "a number JSON cannot carry exactly",
            t(|p| {
                p["agreement"]["content"]["amount_fen"] = json!(1_u64 << 60);
            }),
            "2^53",
        ),
        (
            "an uppercase agreement hash",
            t(|p| {
                let upper = text(&p["agreement_hash"]).to_uppercase();
                p["agreement_hash"] = json!(upper);
            }),
            "agreement_hash",
        ),
        (
            "an event with a member no hash covers",
            t(|p| p["events"][0]["note"] = json!("x")),
            "events[0]",
        ),
        (
            "an event hash that is not hex",
            t(|p| p["events"][3]["hash"] = json!("zz")),
            "events[3]",
        ),
        (
            "a recorded signature without its signer",
            t(move |p| {
                rewrite_events(p, &f.seal, |b| {
                    let at = find(b, AGREEMENT_SIGNED, "p-1");
                    b[at].payload.as_object_mut().unwrap().remove("signer");
                });
            }),
            "payload has no string \"signer\"",
        ),
    ]
}
