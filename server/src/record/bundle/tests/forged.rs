//! Archives made by hand the way an attacker would, which general-purpose zip
//! readers accept: a name twice, headers that disagree, bytes outside any
//! member; and JSON members named twice under a genuine seal.

use sha2::{Digest, Sha256};

use super::raw_zip::{raw_zip, Raw};
use super::{genuine, is_invalid, members, rezip};
use crate::record::bundle::{verify_bundle, MANIFEST, SEAL};
use crate::record::signature::{seal, SealKey};

fn honest(members: &[(String, Vec<u8>)]) -> Vec<Raw<'_>> {
    members
        .iter()
        .map(|(name, content)| Raw {
            local: name,
            central: name,
            content,
        })
        .collect()
}

#[test]
fn the_hand_made_archive_of_genuine_members_verifies() {
    let (_, bytes) = genuine();
    let original = members(&bytes);
    assert!(verify_bundle(&raw_zip(&honest(&original))).is_ok());
}

#[test]
fn a_forged_member_before_the_genuine_one_of_the_same_name_is_invalid() {
    let (_, bytes) = genuine();
    let original = members(&bytes);
    let forged = b"%PDF-1.7 forged: 9,990,000 yuan".to_vec();
    let mut entries = honest(&original);
    let at = entries
        .iter()
        .position(|e| e.central == "agreement.pdf")
        .unwrap();
    entries.insert(
        at,
        Raw {
            local: "agreement.pdf",
            central: "agreement.pdf",
            content: &forged,
        },
    );
    let archive = raw_zip(&entries);
    // What made this an attack: a general-purpose reader takes the archive and
    // keeps one copy of the name, the genuine one, so every hash matched.
    let mut reader = zip::ZipArchive::new(std::io::Cursor::new(&archive)).unwrap();
    assert_eq!(reader.len(), original.len());
    assert!(reader.by_name("agreement.pdf").is_ok());
    let reason = is_invalid(&archive);
    assert!(
        reason.contains("\"agreement.pdf\" appears twice"),
        "{reason}"
    );
}

#[test]
fn a_local_header_naming_another_file_is_invalid() {
    let (_, bytes) = genuine();
    let original = members(&bytes);
    let mut entries = honest(&original);
    let pdf = entries
        .iter_mut()
        .find(|e| e.central == "agreement.pdf")
        .unwrap();
    pdf.local = "agreement.pdX";
    let reason = is_invalid(&raw_zip(&entries));
    assert!(
        reason.contains("its local header \"agreement.pdX\""),
        "{reason}"
    );
}

#[test]
fn bytes_that_belong_to_no_member_are_invalid() {
    let (_, bytes) = genuine();
    let mut appended = bytes.clone();
    appended.extend(b"hidden");
    assert!(is_invalid(&appended).contains("6 bytes that belong to no member"));

    let mut prepended = b"hidden".to_vec();
    prepended.extend(&bytes);
    let reason = is_invalid(&prepended);
    assert!(reason.contains("bytes were added"), "{reason}");
}

/// Rewrites the manifest over `members` as given, sealed with the genuine key:
/// what only the committee could do, so only the checks after the seal object.
fn resealed(
    members: &mut Vec<(String, Vec<u8>)>,
    key: &SealKey,
    manifest: impl Fn(String) -> String,
) {
    members.retain(|(n, _)| n != MANIFEST && n != SEAL);
    let lines: Vec<String> = members
        .iter()
        .map(|(name, content)| {
            format!(
                r#"{{"name": "{name}", "sha256": "{}", "size": {}}}"#,
                hex::encode(Sha256::digest(content)),
                content.len()
            )
        })
        .collect();
    let text = manifest(format!(
        r#"{{"format": "accord-confirmation/1", "case_id": "{}", "application_id": "a-1", "members": [{}]}}"#,
        crate::record::agreement::tests::fixture::CASE,
        lines.join(", ")
    ));
    let signature = seal(key, text.as_bytes()).to_base64url();
    let seal_file = format!(
        r#"{{"public_key": "{}", "signature": "{signature}"}}"#,
        key.public_key().to_base64url()
    );
    members.push((MANIFEST.to_owned(), text.into_bytes()));
    members.push((SEAL.to_owned(), seal_file.into_bytes()));
    members.sort();
}

#[test]
fn json_members_named_twice_are_invalid_even_under_the_genuine_seal() {
    let (f, bytes) = genuine();
    let mut same = members(&bytes);
    resealed(&mut same, &f.seal, |m| m);
    assert!(
        verify_bundle(&rezip(&same)).is_ok(),
        "the resealing is right"
    );

    let mut application = members(&bytes);
    let entry = application
        .iter_mut()
        .find(|(n, _)| n == "application.json")
        .unwrap();
    let text = String::from_utf8(entry.1.clone()).unwrap();
    entry.1 = text
        .replacen("\"court\": {", "\"court\": {\"name\": \"某冒名法院\", ", 1)
        .into_bytes();
    resealed(&mut application, &f.seal, |m| m);
    let reason = is_invalid(&rezip(&application));
    assert!(
        reason.contains("application.json: duplicate member \"name\" in court"),
        "{reason}"
    );

    let mut manifest = members(&bytes);
    resealed(&mut manifest, &f.seal, |m| {
        m.replacen("\"case_id\"", "\"case_id\": \"c-other\", \"case_id\"", 1)
    });
    let reason = is_invalid(&rezip(&manifest));
    assert!(
        reason.contains("manifest.json: duplicate member \"case_id\""),
        "{reason}"
    );

    let mut listed_twice = members(&bytes);
    resealed(&mut listed_twice, &f.seal, |m| {
        let first = m.find("{\"name\"").unwrap();
        let end = first + m[first..].find('}').unwrap() + 1;
        let line = m[first..end].to_owned();
        m.replacen(&line, &format!("{line}, {line}"), 1)
    });
    let reason = is_invalid(&rezip(&listed_twice));
    assert!(
        reason.contains("lists \"agreement.json\" twice"),
        "{reason}"
    );
}
