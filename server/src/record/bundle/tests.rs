use super::build::write_zip;
use super::*;
use crate::record::agreement::tests::fixture::{body, chain, fixture, Fixture, CASE};
use crate::record::signature::SealKey;
use serde_json::json;
use std::io::Read as _;

mod forged;
mod raw_zip;

pub(super) fn contents(f: &Fixture) -> BundleContents {
    let mut bodies = f.bodies();
    bodies.push(body(
        "participant:p-1",
        "consent_given",
        json!({"kind": "judicial_confirmation"}),
    ));
    BundleContents {
        case_id: CASE.to_owned(),
        application_id: "a-1".to_owned(),
        package: f.build(),
        pdf: b"%PDF-1.7 stand-in".to_vec(),
        application: json!({
            "application_id": "a-1",
            "agreement_hash": f.hash(),
            "court": {"id": "chaoyang", "name": "北京市朝阳区人民法院"},
            "consents": [{"participant": "p-1"}, {"participant": "p-2"}],
        }),
        identities: json!({"participants": []}),
        presided: json!({"committee": "某调委会"}),
        events: chain(bodies),
    }
}

pub(crate) fn genuine() -> (Fixture, Vec<u8>) {
    let f = fixture();
    let bytes = build_bundle(&contents(&f), &f.seal).expect("builds");
    (f, bytes)
}

pub(super) fn members(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().to_owned(), content)
        })
        .collect()
}

pub(super) fn rezip(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let list: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    write_zip(&list).unwrap()
}

pub(super) fn is_invalid(bytes: &[u8]) -> String {
    match verify_bundle(bytes) {
        Err(VerifyError::Invalid(reason)) => reason,
        other => panic!("expected INVALID, got {other:?}"),
    }
}

#[test]
fn a_genuine_bundle_verifies_and_is_the_same_bytes_every_time() {
    let (f, bytes) = genuine();
    let verified = verify_bundle(&bytes).expect("verifies");
    assert_eq!(verified.members, 8);
    assert_eq!(verified.consents, 2);
    assert_eq!(verified.court, "北京市朝阳区人民法院");
    assert_eq!(verified.agreement.agreement_hash, f.hash());
    assert_eq!(
        build_bundle(&contents(&f), &f.seal).unwrap(),
        bytes,
        "deterministic"
    );
    let report = verified.to_string();
    assert!(report.starts_with("VALID"), "{report}");
    assert!(
        report.contains(
            "events       10, chained: the agreement's 9, then 1 recorded after its seal"
        ),
        "{report}"
    );
}

#[test]
fn a_changed_byte_in_any_member_is_found() {
    let (_, bytes) = genuine();
    let original = members(&bytes);
    for index in 0..original.len() {
        let mut altered = original.clone();
        let content = &mut altered[index].1;
        let middle = content.len() / 2;
        content[middle] ^= 0x01;
        let reason = is_invalid(&rezip(&altered));
        assert!(!reason.is_empty(), "{}", altered[index].0);
    }
    // The same, in place in the archive: the member's CRC no longer matches either.
    let pdf = b"%PDF-1.7 stand-in";
    let at = bytes.windows(pdf.len()).position(|w| w == pdf).unwrap();
    let mut flipped = bytes.clone();
    flipped[at + 3] ^= 0x01;
    is_invalid(&flipped);
}

#[test]
fn a_missing_or_an_extra_member_is_found() {
    let (_, bytes) = genuine();
    let original = members(&bytes);
    for name in MEMBERS.iter().chain([&SEAL]) {
        let fewer: Vec<_> = original
            .iter()
            .filter(|(n, _)| n != name)
            .cloned()
            .collect();
        let reason = is_invalid(&rezip(&fewer));
        assert!(reason.contains("missing"), "{name}: {reason}");
    }
    let mut more = original.clone();
    more.push(("note.txt".to_owned(), b"added later".to_vec()));
    assert!(is_invalid(&rezip(&more)).contains("not listed"));
}

#[test]
fn a_manifest_sealed_by_another_key_or_not_at_all_is_refused() {
    let f = fixture();
    let (_, bytes) = genuine();
    let mut original = members(&bytes);
    // Someone rewrites a member and its manifest line, and seals with their own key.
    let other = build_bundle(&contents(&f), &SealKey::from_bytes(&[8; 32]));
    assert!(
        matches!(other, Err(BundleError::WouldNotVerify(_))),
        "another key than the agreement's"
    );
    let manifest = original.iter_mut().find(|(n, _)| n == MANIFEST).unwrap();
    let text = String::from_utf8(manifest.1.clone()).unwrap();
    manifest.1 = text.replace("\"a-1\"", "\"a-2\"").into_bytes();
    assert!(is_invalid(&rezip(&original)).contains("seal"));
}

#[test]
fn garbage_is_unusable_not_invalid() {
    for bytes in [
        &b""[..],
        b"PK\x03\x04 truncated",
        b"{\"format\": \"accord-agreement/1\"}",
    ] {
        assert!(matches!(
            verify_bundle(bytes),
            Err(VerifyError::Unusable(_))
        ));
    }
    let no_manifest = write_zip(&[("readme.txt", b"hello")]).unwrap();
    assert!(matches!(
        verify_bundle(&no_manifest),
        Err(VerifyError::Unusable(_))
    ));
}
