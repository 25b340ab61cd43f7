use super::*;
use serde_json::json;

fn body(seq: u64) -> EventBody {
    EventBody {
        case_id: "case-42".into(),
        seq,
        at_ms: 1_700_000_000_000 + i64::try_from(seq).unwrap() * 1000,
        actor: format!("party:p-{}", seq % 2 + 1),
        kind: "statement.added".into(),
        payload: json!({"text": format!("statement {seq}"), "n": seq, "tags": ["a", "ü"]}),
    }
}

fn chain(len: u64) -> Vec<ChainedEvent> {
    let mut events: Vec<ChainedEvent> = Vec::new();
    for seq in 1..=len {
        let next = chain_next(events.last(), body(seq)).unwrap();
        events.push(next);
    }
    events
}

fn brk(seq: u64, reason: BreakReason) -> Result<(), ChainBreak> {
    Err(ChainBreak { seq, reason })
}

const LEN: u64 = 6;

#[test]
fn valid_chains_verify() {
    assert_eq!(verify_chain(&[]), Ok(()));
    for len in 1..=LEN {
        assert_eq!(verify_chain(&chain(len)), Ok(()), "length {len}");
    }
    let events = chain(LEN);
    assert_eq!(events[0].prev_hash, GENESIS);
    for pair in events.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
        assert_ne!(pair[1].hash, pair[0].hash);
    }
}

/// Every single-field change of every event is caught at that event —
/// except a changed `case_id` on the first event, which has nothing to
/// disagree with and so shows as a hash mismatch, which is still that event.
#[test]
fn any_single_field_change_is_caught_at_that_event() {
    type Tamper = fn(&mut ChainedEvent);
    let tampers: &[(&str, Tamper)] = &[
        ("payload value", |e| {
            e.body.payload["text"] = json!("something else")
        }),
        ("payload number", |e| e.body.payload["n"] = json!(99)),
        ("payload key", |e| {
            let text = e.body.payload["text"].take();
            e.body.payload["Text"] = text;
        }),
        ("at_ms", |e| e.body.at_ms += 1),
        ("actor", |e| e.body.actor.push('x')),
        ("kind", |e| e.body.kind = "agreement.signed".into()),
        ("case_id", |e| e.body.case_id = "case-43".into()),
        ("seq", |e| e.body.seq += 10),
        ("prev_hash", |e| e.prev_hash.0[31] ^= 1),
        ("hash", |e| e.hash.0[0] ^= 0x80),
    ];
    let original = chain(LEN);
    for (field, tamper) in tampers {
        for at in 1..=LEN {
            let mut events = original.clone();
            let index = usize::try_from(at - 1).unwrap();
            tamper(&mut events[index]);
            let expected = match *field {
                "seq" => brk(at + 10, BreakReason::WrongSequence { expected: at }),
                "case_id" if at > 1 => brk(at, BreakReason::WrongCase),
                "prev_hash" => brk(at, BreakReason::PrevHashMismatch),
                _ => brk(at, BreakReason::HashMismatch),
            };
            assert_eq!(verify_chain(&events), expected, "{field} of event {at}");
        }
    }
}

#[test]
fn rehashing_a_changed_event_moves_the_break_to_its_successor() {
    let mut events = chain(LEN);
    events[2].body.payload = json!({"text": "rewritten"});
    events[2].hash = hash_event(&events[2].prev_hash, &events[2].body).unwrap();
    assert_eq!(verify_chain(&events), brk(4, BreakReason::PrevHashMismatch));
}

#[test]
fn deleting_an_event_is_caught() {
    for removed in 0..LEN - 1 {
        let mut events = chain(LEN);
        events.remove(usize::try_from(removed).unwrap());
        // The event after the gap claims seq removed+2 where removed+1 is due.
        let expected = BreakReason::WrongSequence {
            expected: removed + 1,
        };
        assert_eq!(
            verify_chain(&events),
            brk(removed + 2, expected),
            "removed #{}",
            removed + 1
        );
    }
}

/// Documents the limit in the module docs: dropping the newest events
/// leaves a valid chain, which only an anchored head hash can expose.
#[test]
fn truncation_is_not_visible_to_the_chain_alone() {
    let mut events = chain(LEN);
    events.pop();
    assert_eq!(verify_chain(&events), Ok(()));
}

#[test]
fn reordering_or_duplicating_events_is_caught() {
    let mut swapped = chain(LEN);
    swapped.swap(2, 3);
    assert_eq!(
        verify_chain(&swapped),
        brk(4, BreakReason::WrongSequence { expected: 3 })
    );

    let mut rotated = chain(LEN);
    rotated.rotate_right(1);
    assert_eq!(
        verify_chain(&rotated),
        brk(LEN, BreakReason::WrongSequence { expected: 1 })
    );

    let mut duplicated = chain(LEN);
    duplicated.insert(2, duplicated[1].clone());
    assert_eq!(
        verify_chain(&duplicated),
        brk(2, BreakReason::WrongSequence { expected: 3 })
    );
}

#[test]
fn renumbering_after_a_deletion_is_caught_by_the_links() {
    let mut events = chain(LEN);
    events.remove(2);
    for (i, event) in events.iter_mut().enumerate().skip(2) {
        event.body.seq = u64::try_from(i).unwrap() + 1;
    }
    // Renumbered, but the event now at 3 still points at the removed one.
    assert_eq!(verify_chain(&events), brk(3, BreakReason::PrevHashMismatch));
    // Re-pointing it too changes its content under its hash.
    events[2].prev_hash = events[1].hash;
    assert_eq!(verify_chain(&events), brk(3, BreakReason::HashMismatch));
}

#[test]
fn events_from_another_case_are_caught() {
    let mut events = chain(3);
    let mut other = body(4);
    other.case_id = "case-7".into();
    // Correctly hashed and linked, but for a different case.
    let hash = hash_event(&events[2].hash, &other).unwrap();
    events.push(ChainedEvent {
        body: other,
        prev_hash: events[2].hash,
        hash,
    });
    assert_eq!(verify_chain(&events), brk(4, BreakReason::WrongCase));
}

#[test]
fn uncanonical_content_is_reported_not_panicked_on() {
    let mut events = chain(3);
    events[1].body.payload = json!({"too_big": u64::MAX});
    let err = verify_chain(&events).unwrap_err();
    assert_eq!(err.seq, 2);
    assert!(
        matches!(err.reason, BreakReason::NotCanonical(ref m) if m.contains("2^53")),
        "{err}"
    );
}

#[test]
fn chain_next_enforces_sequence_and_case() {
    let first = chain_next(None, body(1)).unwrap();
    assert_eq!(first.prev_hash, GENESIS);
    assert_eq!(
        chain_next(None, body(2)),
        Err(ChainError::WrongSequence {
            expected: 1,
            got: 2
        })
    );
    assert_eq!(
        chain_next(Some(&first), body(3)),
        Err(ChainError::WrongSequence {
            expected: 2,
            got: 3
        })
    );
    assert_eq!(
        chain_next(Some(&first), body(1)),
        Err(ChainError::WrongSequence {
            expected: 2,
            got: 1
        })
    );
    let mut elsewhere = body(2);
    elsewhere.case_id = "case-1".into();
    assert_eq!(
        chain_next(Some(&first), elsewhere),
        Err(ChainError::WrongCase {
            expected: "case-42".into(),
            got: "case-1".into()
        })
    );
    let mut huge = body(2);
    huge.payload = json!([i64::MIN]);
    assert!(matches!(
        chain_next(Some(&first), huge),
        Err(ChainError::Canonical(CanonicalError::IntegerOutOfRange(_)))
    ));
    let second = chain_next(Some(&first), body(2)).unwrap();
    assert_eq!(second.prev_hash, first.hash);
    assert_eq!(verify_link(Some(&first), &second), Ok(()));
}

#[test]
fn chain_next_does_not_overflow_on_absurd_sequence_numbers() {
    let mut last = chain_next(None, body(1)).unwrap();
    last.body.seq = u64::MAX;
    let mut next = body(1);
    next.seq = u64::MAX;
    // Saturates to u64::MAX, which then has no canonical form.
    assert!(matches!(
        chain_next(Some(&last), next),
        Err(ChainError::Canonical(_))
    ));
}

/// Pins the hash format. The expected bytes and digests were computed outside
/// this code: the canonical JSON with Node's `JSON.stringify` and default key
/// sort (UTF-16 order), the digests with
/// `{ head -c 32 /dev/zero; cat body1.json; } | sha256sum` and, for the
/// second event, the first digest's raw bytes in place of the zeros.
/// If this test fails, stored records no longer verify: do not "fix" the
/// expected values.
#[test]
fn known_answer() {
    let first = EventBody {
        case_id: "case-0001".into(),
        seq: 1,
        at_ms: 1_700_000_000_000,
        actor: "mediator:m-1".into(),
        kind: "case.opened".into(),
        payload: json!({
            "title": "Nachbarschaftsstreit – Zaun",
            "parties": ["p-1", "p-2"],
            "amount": 1250.5,
            "note": "line1\nline2",
            "\u{1f600}": true,
            "\u{fb33}": -0.0,
        }),
    };
    let second = EventBody {
        case_id: "case-0001".into(),
        seq: 2,
        at_ms: 1_700_000_060_000,
        actor: "party:p-1".into(),
        kind: "statement.added".into(),
        payload: json!({"text": "Ich bin einverstanden.", "ratio": 1e-7}),
    };
    let canonical = hashed_bytes(&first).unwrap();
    assert_eq!(
        String::from_utf8(canonical).unwrap(),
        "{\"actor\":\"mediator:m-1\",\"at_ms\":1700000000000,\"case_id\":\"case-0001\",\
         \"kind\":\"case.opened\",\"payload\":{\"amount\":1250.5,\"note\":\"line1\\nline2\",\
         \"parties\":[\"p-1\",\"p-2\"],\"title\":\"Nachbarschaftsstreit – Zaun\",\
         \"\u{1f600}\":true,\"\u{fb33}\":0},\"seq\":1}"
    );
    let e1 = chain_next(None, first).unwrap();
    assert_eq!(
        e1.hash.to_hex(),
        "6e1587ee222ae780cb4387a62277341b49148f70b40553b16c6c67c2befbb725"
    );
    let e2 = chain_next(Some(&e1), second).unwrap();
    assert_eq!(
        e2.hash.to_hex(),
        "4dfe7e916ff254da304640cad52d091eb4d3b1bdd5d43be749b461ac20784c83"
    );
    assert_eq!(verify_chain(&[e1, e2]), Ok(()));
}

#[test]
fn stored_json_is_flat_with_hex_hashes_and_round_trips() {
    let events = chain(2);
    let stored = serde_json::to_value(&events[1]).unwrap();
    assert_eq!(
        stored,
        json!({
            "case_id": "case-42",
            "seq": 2,
            "at_ms": 1_700_000_002_000_i64,
            "actor": "party:p-1",
            "kind": "statement.added",
            "payload": {"text": "statement 2", "n": 2, "tags": ["a", "ü"]},
            "prev_hash": events[0].hash.to_hex(),
            "hash": events[1].hash.to_hex(),
        })
    );
    let text = serde_json::to_string(&events).unwrap();
    let back: Vec<ChainedEvent> = serde_json::from_str(&text).unwrap();
    assert_eq!(back, events);
    assert_eq!(verify_chain(&back), Ok(()));

    let mut bad = stored;
    bad["hash"] = json!("ABCD");
    assert!(serde_json::from_value::<ChainedEvent>(bad).is_err());
}

/// Verification runs on events read back from storage as JSON text; floats
/// must come back as the same doubles or legitimate chains stop verifying
/// (needs serde_json's `float_roundtrip` feature, see the canonical tests).
#[test]
fn float_payloads_survive_a_json_text_round_trip() {
    let mut events = Vec::new();
    for (seq, x) in [
        (1, 1.947700395895162e-169),
        (2, 6.162599865641032e+196),
        (3, 1.0 / 3.0),
    ] {
        let mut b = body(seq);
        b.payload = json!({"x": x, "neg": -x, "sum": 0.1 + 0.2});
        let next = chain_next(events.last(), b).unwrap();
        events.push(next);
    }
    let text = serde_json::to_string(&events).unwrap();
    let back: Vec<ChainedEvent> = serde_json::from_str(&text).unwrap();
    assert_eq!(verify_chain(&back), Ok(()));
}

#[test]
fn event_hash_hex_forms() {
    let zeros = "0".repeat(64);
    assert_eq!(GENESIS.to_hex(), zeros);
    assert_eq!(GENESIS.to_string(), zeros);
    assert_eq!(format!("{GENESIS:?}"), format!("EventHash({zeros})"));
    let mut bytes = [0u8; 32];
    bytes[0] = 0xab;
    bytes[31] = 0x0f;
    let hash = EventHash(bytes);
    let hex = hash.to_hex();
    assert_eq!(&hex[..2], "ab");
    assert_eq!(&hex[62..], "0f");
    assert_eq!(EventHash::from_hex(&hex), Ok(hash));
    for bad in [
        "",
        "ab",
        &hex.to_uppercase(),
        &format!("{hex}0"),
        &format!("{}g", &hex[..63]),
    ] {
        assert_eq!(
            EventHash::from_hex(bad),
            Err(ChainError::InvalidHash),
            "{bad:?}"
        );
    }
    // Multi-byte characters must not slip past the length check.
    assert!(EventHash::from_hex(&"é".repeat(32)).is_err());
}

#[test]
fn break_messages_name_the_event() {
    let cases = [
        (
            BreakReason::HashMismatch,
            "event 7: hash does not match its content",
        ),
        (
            BreakReason::WrongSequence { expected: 6 },
            "event 7: sequence number is out of order, expected 6",
        ),
        (
            BreakReason::PrevHashMismatch,
            "event 7: prev_hash does not match the hash of the event before it",
        ),
        (
            BreakReason::WrongCase,
            "event 7: event belongs to a different case than the events before it",
        ),
    ];
    for (reason, message) in cases {
        assert_eq!(ChainBreak { seq: 7, reason }.to_string(), message);
    }
}
