use super::*;
use fixture::*;

mod after_the_seal;
pub(crate) mod fixture;
mod tampering;
mod unusable;

#[track_caller]
fn invalid(bytes: &[u8], expect: &str) {
    match verify_package(bytes) {
        Err(VerifyError::Invalid(reason)) => {
            assert!(reason.contains(expect), "expected {expect:?} in {reason:?}")
        }
        other => panic!("expected Invalid containing {expect:?}, got {other:?}"),
    }
}

#[track_caller]
fn unusable(bytes: &[u8], expect: &str) {
    match verify_package(bytes) {
        Err(VerifyError::Unusable(reason)) => {
            assert!(reason.contains(expect), "expected {expect:?} in {reason:?}")
        }
        other => panic!("expected Unusable containing {expect:?}, got {other:?}"),
    }
}

#[test]
fn a_genuine_package_verifies_and_says_what_holds() {
    let f = fixture();
    let verified = verify_package(&f.build()).unwrap();
    assert_eq!(verified.case_id, CASE);
    assert_eq!(verified.version, 2);
    assert_eq!(verified.agreement_hash, f.hash());
    assert_eq!(verified.chain_length, 9);
    let who: Vec<_> = verified
        .signers
        .iter()
        .map(|s| (s.signer.as_str(), s.role, s.key_bound_in, s.signed_in))
        .collect();
    assert_eq!(
        who,
        [
            ("p-1", SignerRole::Party, 2, 6),
            ("p-2", SignerRole::Party, 3, 7),
            ("s-9", SignerRole::Mediator, 4, 8)
        ]
    );
    assert_eq!(
        verified.signers[0].key_thumbprint,
        f.signers[0].public().thumbprint()
    );
    assert_eq!(verified.signers[0].signed_at, "2024-06-01T08:06:00.000Z");
    assert_eq!(verified.seal.committee, COMMITTEE);
    assert_eq!(verified.seal.public_key, f.seal.public_key());
    assert_eq!(verified.seal.fingerprint, f.seal.public_key().fingerprint());
    assert_eq!(verified.seal.sealed_in, 9);
    let report = verified.to_string();
    for expected in [
        "VALID",
        "王调解 (s-9)",
        COMMITTEE,
        "9 events, intact, ending at the sealing event",
        "covered      by the seal, exactly: the agreement's SHA-256, the 3 signatures as listed",
        "the committee's name, and the hash of event 9, which chains events 1 to 9.",
        "Nothing recorded after the seal is in this package.",
    ] {
        assert!(report.contains(expected), "{expected:?} in\n{report}");
    }
    assert!(report.contains(&verified.seal.fingerprint), "{report}");
}

#[test]
fn layout_is_free_because_verification_is_over_canonical_forms() {
    let f = fixture();
    let package = f.value();
    let compact = serde_json::to_vec(&package).unwrap();
    assert!(verify_package(&compact).is_ok());
    // Building is deterministic (RFC 6979 here, Ed25519 always).
    assert_eq!(f.build(), f.build());
}

#[test]
fn signatures_and_seals_of_other_versions_are_ignored() {
    let f = fixture();
    let mut package = f.value();
    rewrite_events(&mut package, &f.seal, |bodies| {
        // Version 1 was signed by one party, then revised.
        let mut old = f.signed_body(&f.signers[0]);
        old.payload["version"] = json!(1);
        old.payload["agreement_hash"] = json!("00".repeat(32));
        let mut old_seal = f.sealed_body();
        old_seal.payload["version"] = json!(1);
        old_seal.payload["agreement_hash"] = json!("00".repeat(32));
        bodies.insert(5, old);
        bodies.insert(6, old_seal);
    });
    assert!(verify_package(&bytes(&package)).is_ok());
}

#[test]
fn alterations_to_a_genuine_package_are_invalid() {
    let f = fixture();
    for (what, tamper, expect) in tampering::cases(&f) {
        let mut package = f.value();
        tamper(&mut package);
        match verify_package(&bytes(&package)) {
            Err(VerifyError::Invalid(reason)) => {
                assert!(reason.contains(expect), "{what}: {expect:?} in {reason:?}")
            }
            other => panic!("{what}: expected Invalid, got {other:?}"),
        }
    }
}

#[test]
fn sealed_packages_whose_chain_disagrees_are_invalid() {
    let f = fixture();
    for (what, edit, expect) in tampering::story_edits(&f) {
        let mut package = f.value();
        rewrite_events(&mut package, &f.seal, edit);
        match verify_package(&bytes(&package)) {
            Err(VerifyError::Invalid(reason)) => {
                assert!(reason.contains(expect), "{what}: {expect:?} in {reason:?}")
            }
            other => panic!("{what}: expected Invalid, got {other:?}"),
        }
    }
}

#[test]
fn a_sealed_package_without_a_mediator_is_invalid() {
    let f = fixture();
    let mut package = f.value();
    package["signatures"].as_array_mut().unwrap().pop();
    rewrite_events(&mut package, &f.seal, |bodies| {
        let at = find(bodies, AGREEMENT_SIGNED, "s-9");
        bodies.remove(at);
    });
    invalid(&bytes(&package), "no mediator signed");
}

#[test]
fn unreadable_inputs_are_unusable() {
    let f = fixture();
    let genuine = f.build();
    unusable(b"", "not JSON");
    unusable(b"\x00\xffPK\x03\x04", "not JSON");
    unusable(&genuine[..genuine.len() / 2], "not JSON");
    unusable(b"[]", "format");
    unusable(b"{}", "format");
    unusable(br#"{"format": "accord-bundle/1"}"#, "accord-bundle/1");
    unusable(br#"{"format": "accord-agreement/2"}"#, "not supported");
    unusable(br#"{"format": "accord-agreement/1"}"#, "missing field");
    for (what, tamper, expect) in unusable::cases(&f) {
        let mut package = f.value();
        tamper(&mut package);
        match verify_package(&bytes(&package)) {
            Err(VerifyError::Unusable(reason)) => {
                assert!(reason.contains(expect), "{what}: {expect:?} in {reason:?}")
            }
            other => panic!("{what}: expected Unusable, got {other:?}"),
        }
    }
}

#[test]
fn the_builder_refuses_what_would_not_verify() {
    let f = fixture();
    let build = |agreement: &Value, signatures, bodies| {
        build_package(agreement, signatures, &f.seal, COMMITTEE, chain(bodies))
    };
    let mut unsealed = f.bodies();
    unsealed.pop();
    assert!(matches!(
        build(&f.agreement, f.signatures(), unsealed),
        Err(BuildError::NotRecorded(_))
    ));
    let mut unsigned = f.bodies();
    unsigned.remove(find(&unsigned, AGREEMENT_SIGNED, "p-2"));
    assert!(matches!(
        build(&f.agreement, f.signatures(), unsigned),
        Err(BuildError::NotRecorded(_))
    ));
    let mut no_content = f.agreement.clone();
    no_content.as_object_mut().unwrap().remove("content");
    assert!(matches!(
        build(&no_content, f.signatures(), f.bodies()),
        Err(BuildError::Agreement(_))
    ));
    let mut forged = f.signatures();
    forged[1].signature = f.signers[1].sign(b"something else");
    assert!(matches!(
        build(&f.agreement, forged, f.bodies()),
        Err(BuildError::WouldNotVerify(VerifyError::Invalid(_)))
    ));
}

#[test]
fn times_are_written_as_javascript_writes_them() {
    // Expected values from Node: new Date(ms).toISOString().
    assert_eq!(
        rfc3339_from_ms(0).as_deref(),
        Some("1970-01-01T00:00:00.000Z")
    );
    assert_eq!(
        rfc3339_from_ms(1_717_228_800_123).as_deref(),
        Some("2024-06-01T08:00:00.123Z")
    );
    assert_eq!(
        rfc3339_from_ms(-1).as_deref(),
        Some("1969-12-31T23:59:59.999Z")
    );
    assert_eq!(rfc3339_from_ms(i64::MAX), None);
}

#[test]
fn the_report_cannot_be_forged_through_names() {
    let mut f = fixture();
    f.signers[0].name = "张三\n  seal         Someone Else";
    let report = verify_package(&f.build()).unwrap().to_string();
    assert!(report.contains(r"张三\n  seal"), "{report}");
    assert_eq!(
        report.lines().filter(|l| l.starts_with("  seal")).count(),
        1
    );
}
