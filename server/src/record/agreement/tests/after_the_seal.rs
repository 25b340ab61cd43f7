//! What the seal does not cover is not in a package: events recorded after
//! it are left out by the builder and refused by the verifier, and neither
//! reads a JSON member named twice.

use serde_json::json;

use super::fixture::{body, bytes, chain, fixture, rewrite_events, COMMITTEE};
use super::{invalid, tampering::text};
use crate::record::agreement::{build_package, verify_package};
use crate::record::chain::{chain_next, ChainedEvent};

#[test]
fn the_builder_leaves_out_what_follows_the_seal() {
    let f = fixture();
    let mut bodies = f.bodies();
    bodies.push(body(
        "system",
        "court_answered",
        json!({"answer": "confirmed"}),
    ));
    bodies.push(body("user:mediator", "case_closed", json!({})));
    let whole = chain(bodies);
    let package = build_package(
        &f.agreement,
        f.signatures(),
        &f.seal,
        COMMITTEE,
        whole.clone(),
    )
    .unwrap();
    let verified = verify_package(&package).unwrap();
    assert_eq!(verified.chain_length, 9);
    assert_eq!(verified.seal.sealed_in, 9);
    assert_eq!(verified.chain_head, whole[8].hash);
    let value: serde_json::Value = serde_json::from_slice(&package).unwrap();
    let kinds: Vec<&str> = value["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| text(&e["kind"]))
        .collect();
    assert_eq!(kinds.last(), Some(&"agreement_sealed"));
    assert_eq!(
        package,
        f.build(),
        "the same package as before those events"
    );
}

/// A package as exported before packages ended at the seal: with events
/// after it, which nothing signs.
fn with_events_after_the_seal() -> serde_json::Value {
    let f = fixture();
    let mut package = f.value();
    rewrite_events(&mut package, &f.seal, |bodies| {
        bodies.push(body(
            "system",
            "court_answered",
            json!({"answer": "confirmed"}),
        ));
        bodies.push(body("user:mediator", "case_closed", json!({})));
    });
    package
}

#[test]
fn events_after_the_seal_are_refused_however_they_were_changed() {
    let genuine = with_events_after_the_seal();
    invalid(
        &bytes(&genuine),
        "event 10 (court_answered) comes after the sealing event 9",
    );

    // One edited, and the chain's hashes recomputed from there on.
    let mut edited = genuine.clone();
    let mut events: Vec<ChainedEvent> = serde_json::from_value(edited["events"].take()).unwrap();
    let mut tail: Vec<_> = events.split_off(9).into_iter().map(|e| e.body).collect();
    tail[0].payload = json!({"answer": "dismissed", "reason": "不自愿"});
    for body in tail {
        let next = chain_next(events.last(), body).unwrap();
        events.push(next);
    }
    edited["events"] = serde_json::to_value(&events).unwrap();
    invalid(&bytes(&edited), "comes after the sealing event");

    // Dropping them gives back exactly what the seal covers, which is valid.
    let mut dropped = genuine;
    dropped["events"].as_array_mut().unwrap().truncate(9);
    assert!(verify_package(&bytes(&dropped)).is_ok());
}

#[test]
fn a_member_named_twice_is_invalid_wherever_it_is() {
    let f = fixture();
    let genuine = String::from_utf8(f.build()).unwrap();
    assert!(genuine.contains("\"amount_fen\": 500000"));
    // The forged amount first: a reader that keeps the last copy would verify
    // the genuine one and another reader would show the forgery.
    let amount = genuine.replacen(
        "\"amount_fen\": 500000",
        "\"amount_fen\": 99900000, \"amount_fen\": 500000",
        1,
    );
    invalid(
        amount.as_bytes(),
        "duplicate member \"amount_fen\" in agreement.content",
    );
    let committee = genuine.replacen(
        "\"committee\": ",
        "\"committee\": \"某某冒名调委会\", \"committee\": ",
        1,
    );
    invalid(
        committee.as_bytes(),
        "duplicate member \"committee\" in seal",
    );
    let payload = genuine.replacen("\"summary\": ", "\"summary\": \"x\", \"summary\": ", 1);
    invalid(payload.as_bytes(), "in events[0].payload");
    let top = genuine.replacen("{", "{\"format\": \"accord-agreement/1\",", 1);
    invalid(top.as_bytes(), "in the top-level object");
}
