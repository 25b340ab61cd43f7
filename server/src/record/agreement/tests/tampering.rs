//! The alterations the verifier must catch, each with a phrase its reason
//! must contain.

use serde_json::{json, Value};

use super::fixture::{find, signer, Fixture};
use crate::record::agreement::{SignerRole, AGREEMENT_SEALED, AGREEMENT_SIGNED, SIGNER_KEY_BOUND};
use crate::record::chain::EventBody;
use crate::record::signature::{decode_base64url, encode_base64url, SealKey};

pub(super) type Tamper<'a> = Box<dyn Fn(&mut Value) + 'a>;
type StoryEdit<'a> = Box<dyn FnOnce(&mut Vec<EventBody>) + 'a>;

pub(super) fn t<'a>(tamper: impl Fn(&mut Value) + 'a) -> Tamper<'a> {
    Box::new(tamper)
}

fn e<'a>(edit: impl FnOnce(&mut Vec<EventBody>) + 'a) -> StoryEdit<'a> {
    Box::new(edit)
}

pub(super) fn text(value: &Value) -> &str {
    value.as_str().unwrap()
}

fn flip_bit(encoded: &Value, bit: usize) -> Value {
    let mut bytes = decode_base64url(text(encoded)).unwrap();
    bytes[bit / 8] ^= 1 << (bit % 8);
    json!(encode_base64url(&bytes))
}

/// Changes made to a genuine package by someone without the seal key.
pub(super) fn cases(f: &Fixture) -> Vec<(&'static str, Tamper<'_>, &'static str)> {
    let intruder = signer("p-1", SignerRole::Party, "张三", 8);
    let altered = "the agreement was altered";
    let seal = "committee seal";
    vec![
        (
            "a character of the terms",
            t(|p| {
                let terms = text(&p["agreement"]["content"]["terms"]).replace('五', "六");
                p["agreement"]["content"]["terms"] = json!(terms);
            }),
            altered,
        ),
        (
            "the amount",
            t(|p| p["agreement"]["content"]["amount_fen"] = json!(5_000_000)),
            altered,
        ),
        (
            "the version",
            t(|p| p["agreement"]["version"] = json!(3)),
            altered,
        ),
        (
            "the case",
            t(|p| p["agreement"]["case_id"] = json!("c-other")),
            altered,
        ),
        (
            "the agreement hash",
            t(|p| p["agreement_hash"] = json!("ab".repeat(32))),
            altered,
        ),
        (
            "a signature byte",
            t(|p| {
                p["signatures"][1]["signature"] = flip_bit(&p["signatures"][1]["signature"], 77);
            }),
            "the signature of p-2",
        ),
        (
            "a signer's key swapped",
            t(move |p| {
                p["signatures"][0]["public_key"] = intruder.public().to_jwk();
                p["signatures"][0]["key_thumbprint"] = json!(intruder.public().thumbprint());
            }),
            "the signature of p-1",
        ),
        (
            "a key swapped and the agreement re-signed",
            t(|p| {
                let intruder = signer("p-1", SignerRole::Party, "张三", 8);
                let bytes = crate::record::agreement::signed_bytes(&p["agreement"]).unwrap();
                p["signatures"][0]["public_key"] = intruder.public().to_jwk();
                p["signatures"][0]["key_thumbprint"] = json!(intruder.public().thumbprint());
                p["signatures"][0]["signature"] = json!(encode_base64url(&intruder.sign(&bytes)));
            }),
            seal,
        ),
        (
            "a thumbprint",
            t(move |p| {
                p["signatures"][0]["key_thumbprint"] = json!(f.signers[1].public().thumbprint());
            }),
            "thumbprint",
        ),
        (
            "a name",
            t(|p| p["signatures"][0]["name"] = json!("王五")),
            seal,
        ),
        (
            "a role",
            t(|p| p["signatures"][0]["role"] = json!("agent")),
            seal,
        ),
        (
            "a signing time",
            t(|p| {
                p["signatures"][0]["signed_at"] = json!("2024-06-01T08:05:00.000Z");
            }),
            seal,
        ),
        (
            "two signatures swapped",
            t(|p| {
                p["signatures"].as_array_mut().unwrap().swap(0, 1);
            }),
            seal,
        ),
        (
            "a signature removed",
            t(|p| {
                p["signatures"].as_array_mut().unwrap().remove(1);
            }),
            seal,
        ),
        (
            "the seal",
            t(|p| p["seal"]["signature"] = flip_bit(&p["seal"]["signature"], 3)),
            seal,
        ),
        (
            "the committee",
            t(|p| p["seal"]["committee"] = json!("另一个调解委员会")),
            seal,
        ),
        (
            "the seal key",
            t(|p| {
                p["seal"]["public_key"] =
                    json!(SealKey::from_bytes(&[8; 32]).public_key().to_base64url());
            }),
            seal,
        ),
        (
            "the sealing event named",
            t(|p| {
                p["seal"]["sealed_event"] = p["events"][7]["hash"].clone();
            }),
            seal,
        ),
        (
            "an event payload",
            t(|p| p["events"][0]["payload"]["summary"] = json!("无")),
            "broken at event 1",
        ),
        (
            "the key in a signed event",
            t(move |p| {
                p["events"][5]["payload"]["key_thumbprint"] =
                    json!(f.signers[1].public().thumbprint());
            }),
            "broken at event 6",
        ),
        (
            "an event's time",
            t(|p| {
                let at = p["events"][6]["at_ms"].as_i64().unwrap();
                p["events"][6]["at_ms"] = json!(at + 1);
            }),
            "broken at event 7",
        ),
        (
            "a binding event removed",
            t(|p| {
                p["events"].as_array_mut().unwrap().remove(2);
            }),
            "broken at event 4",
        ),
        (
            "the sealing event removed",
            t(|p| {
                p["events"].as_array_mut().unwrap().pop();
            }),
            "no agreement_sealed event",
        ),
        (
            "the seal re-made by another key",
            t(|p| {
                super::fixture::reseal(p, &SealKey::from_bytes(&[8; 32]));
            }),
            "records seal key",
        ),
    ]
}

/// Histories re-chained and re-sealed, so that every hash and signature holds
/// and only the cross-checks between chain and package can object.
pub(super) fn story_edits(f: &Fixture) -> Vec<(&'static str, StoryEdit<'_>, &'static str)> {
    let p1 = &f.signers[0];
    let p2 = &f.signers[1];
    let other = signer("p-3", SignerRole::Party, "赵六", 8);
    let bind = |who: &str, key: &crate::record::signature::SignerKey| {
        let payload = crate::record::agreement::key_bound_payload(who, key);
        super::fixture::body("user:mediator", SIGNER_KEY_BOUND, payload)
    };
    let other_bind_p1 = bind("p-1", &other.public());
    let other_bind_p1_again = bind("p-1", &other.public());
    let p1_key_to_p2 = bind("p-2", &p1.public());
    let bind_p3 = bind("p-3", &other.public());
    let signed_p3 = f.signed_body(&other);
    let second_seal = f.sealed_body();
    let revoked = super::fixture::body(
        "user:admin",
        "agreement_revoked",
        json!({"version": 2, "reason": "双方已另行和解"}),
    );
    vec![
        (
            "a forged revocation appended after the seal, every hash recomputed",
            e(move |b| b.push(revoked)),
            "comes after the sealing event 9",
        ),
        (
            "a key never bound",
            e(|b| {
                b.remove(find(b, SIGNER_KEY_BOUND, "p-2"));
            }),
            "signed before any key was bound",
        ),
        (
            "a key bound only after signing",
            e(|b| {
                let binding = b.remove(find(b, SIGNER_KEY_BOUND, "p-2"));
                let signed = find(b, AGREEMENT_SIGNED, "p-2");
                b.insert(signed + 1, binding);
            }),
            "signed before any key was bound",
        ),
        (
            "a signer re-bound to a new key before signing",
            e(move |b| {
                b.insert(4, other_bind_p1);
            }),
            "but the key bound to them",
        ),
        (
            "one key bound to two signers",
            e(move |b| {
                b.insert(4, p1_key_to_p2);
            }),
            "one signer alone",
        ),
        (
            "a signature not recorded",
            e(|b| {
                b.remove(find(b, AGREEMENT_SIGNED, "p-2"));
            }),
            "not recorded in the chain",
        ),
        (
            "a recorded signature left out of the package",
            e(move |b| {
                let at = b.len() - 1;
                b.insert(at, signed_p3);
                b.insert(1, bind_p3);
            }),
            "leaves out",
        ),
        (
            "a signature recorded over another agreement",
            e(|b| {
                let at = find(b, AGREEMENT_SIGNED, "p-2");
                b[at].payload["agreement_hash"] = json!("11".repeat(32));
            }),
            "another agreement hash",
        ),
        (
            "a signature recorded with another key",
            e(move |b| {
                let at = find(b, AGREEMENT_SIGNED, "p-1");
                b[at].payload["key_thumbprint"] =
                    other_bind_p1_again.payload["key_thumbprint"].clone();
                b.insert(at, other_bind_p1_again);
            }),
            "records key",
        ),
        (
            "a signature recorded after the seal",
            e(|b| {
                let signed = b.remove(find(b, AGREEMENT_SIGNED, "p-2"));
                b.push(signed);
            }),
            "after the seal",
        ),
        (
            "a signature recorded twice",
            e(|b| {
                let again = b[find(b, AGREEMENT_SIGNED, "p-1")].clone();
                let at = b.len() - 1;
                b.insert(at, again);
            }),
            "second signature",
        ),
        (
            "signatures recorded in another order",
            e(|b| {
                let (first, second) = (
                    find(b, AGREEMENT_SIGNED, "p-1"),
                    find(b, AGREEMENT_SIGNED, "p-2"),
                );
                b.swap(first, second);
            }),
            "the chain as number",
        ),
        (
            "a signing time that is not the recorded one",
            e(|b| {
                let at = find(b, AGREEMENT_SIGNED, "p-2");
                b[at].at_ms += 1000;
            }),
            "is not the time event 7 recorded",
        ),
        (
            "sealed twice",
            e(move |b| b.push(second_seal)),
            "second time",
        ),
        (
            "the seal recorded with another key",
            e(|b| {
                let last = b.len() - 1;
                b[last].payload["seal_public_key"] =
                    json!(SealKey::from_bytes(&[8; 32]).public_key().to_base64url());
            }),
            "records seal key",
        ),
        (
            "the seal recorded over another agreement",
            e(|b| {
                let last = b.len() - 1;
                b[last].payload["agreement_hash"] = json!("22".repeat(32));
            }),
            "seals another agreement hash",
        ),
        (
            "never sealed",
            e(|b| {
                b.retain(|e| e.kind != AGREEMENT_SEALED);
            }),
            "no agreement_sealed event",
        ),
        (
            "the history of another case",
            e(|b| {
                for e in b.iter_mut() {
                    e.case_id = "c-other".into();
                }
            }),
            "of case",
        ),
        (
            "a signed event kept, its signer's binding pointing elsewhere",
            e(move |b| {
                let at = find(b, SIGNER_KEY_BOUND, "p-2");
                b[at].payload["key_thumbprint"] = json!(format!("{}x", p2.public().thumbprint()));
            }),
            "but the key bound to them",
        ),
    ]
}
