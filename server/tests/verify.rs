//! `accord verify FILE` as a court clerk or a party would run it: on a genuine agreement package
//! or judicial-confirmation bundle, altered ones and what is neither, with no database and no
//! configuration.

// A test helper that cannot unwrap has found a failure: panicking is how it reports it.
#![allow(clippy::unwrap_used)]

use accord::record::agreement::{self, PackageSignature, SignerRole};
use accord::record::bundle::{build_bundle, BundleContents};
use accord::record::chain::{chain_next, ChainedEvent, EventBody};
use accord::record::signature::{SealKey, SignerKey};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Command, Output};

#[path = "../src/record/bundle/tests/raw_zip.rs"]
mod raw_zip;

const CASE: &str = "c-0190a3f2-0000-7000-8000-000000000001";

/// Runs `accord verify FILE` where nothing could be configured even if it tried: the
/// configuration it would read, were it to read any, is broken on purpose.
fn verify(file: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_accord"));
    for (key, _) in std::env::vars() {
        if key.starts_with("ACCORD_") || key == "DATABASE_URL" {
            command.env_remove(key);
        }
    }
    let empty = tempfile::tempdir().unwrap();
    command
        .current_dir(empty.path())
        .env("ACCORD_CONFIG", "/nonexistent/accord.toml")
        .env("DATABASE_URL", "mysql://not-a-database")
        .arg("verify")
        .arg(file)
        .output()
        .expect("start accord")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

struct Signer {
    id: &'static str,
    role: SignerRole,
    name: &'static str,
    key: SigningKey,
}

impl Signer {
    fn public(&self) -> SignerKey {
        SignerKey::from(self.key.verifying_key())
    }
}

/// A package as the server would export it: keys bound, signed by two parties and the
/// mediator (ECDSA P-256, r||s, as WebCrypto signs), sealed.
fn genuine_package() -> (Vec<u8>, Vec<Signer>, SealKey) {
    let agreement = json!({
        "case_id": CASE,
        "version": 1,
        "content": {"terms": "乙方于2024年7月1日前归还甲方借款人民币三千元。"}
    });
    let signers = vec![
        signer("p-1", SignerRole::Party, "甲", 11),
        signer("p-2", SignerRole::Party, "乙", 12),
        signer("s-1", SignerRole::Mediator, "调解员丙", 13),
    ];
    let seal = SealKey::from_bytes(&[42; 32]);
    let hash = agreement::agreement_hash(&agreement).unwrap();
    let bytes = agreement::signed_bytes(&agreement).unwrap();
    let mut story: Vec<(String, Value)> = Vec::new();
    for s in &signers {
        let payload = agreement::key_bound_payload(s.id, &s.public());
        story.push((agreement::SIGNER_KEY_BOUND.into(), payload));
    }
    for s in &signers {
        let payload = agreement::signed_payload(s.id, 1, &hash, &s.public());
        story.push((agreement::AGREEMENT_SIGNED.into(), payload));
    }
    let sealed = agreement::sealed_payload(1, &hash, &seal.public_key());
    story.push((agreement::AGREEMENT_SEALED.into(), sealed));
    let signatures = signers
        .iter()
        .map(|s| {
            let signature: Signature = s.key.sign(&bytes);
            PackageSignature {
                signer: s.id.into(),
                role: s.role,
                name: s.name.into(),
                public_key: s.public(),
                signature: signature.to_bytes().to_vec(),
            }
        })
        .collect();
    let package = agreement::build_package(
        &agreement,
        signatures,
        &seal,
        "某某村人民调解委员会",
        chain(story),
    )
    .unwrap();
    (package, signers, seal)
}

fn signer(id: &'static str, role: SignerRole, name: &'static str, n: u8) -> Signer {
    Signer {
        id,
        role,
        name,
        key: SigningKey::from_slice(&[n; 32]).unwrap(),
    }
}

fn chain(story: Vec<(String, Value)>) -> Vec<ChainedEvent> {
    let mut events: Vec<ChainedEvent> = Vec::new();
    for (seq, (kind, payload)) in (1..).zip(story) {
        let body = EventBody {
            case_id: CASE.into(),
            seq,
            at_ms: 1_719_792_000_000 + i64::try_from(seq).unwrap() * 1000,
            actor: "user:mediator".into(),
            kind,
            payload,
        };
        let next = chain_next(events.last(), body).unwrap();
        events.push(next);
    }
    events
}

#[test]
fn a_genuine_package_verifies() {
    let (package, signers, seal) = genuine_package();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agreement.json");
    std::fs::write(&path, &package).unwrap();
    let output = verify(&path);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("VALID"), "{stdout}");
    for s in &signers {
        assert!(stdout.contains(&s.public().thumbprint()), "{stdout}");
        assert!(stdout.contains(s.name), "{stdout}");
    }
    assert!(
        stdout.contains(&seal.public_key().fingerprint()),
        "{stdout}"
    );
    assert!(stdout.contains("7 events, intact"), "{stdout}");
    assert!(
        stdout.contains("covered      by the seal, exactly")
            && stdout.contains("chains events 1 to 7"),
        "{stdout}"
    );
}

#[test]
fn an_altered_package_is_invalid() {
    let (package, _, _) = genuine_package();
    let mut value: Value = serde_json::from_slice(&package).unwrap();
    value["agreement"]["content"]["terms"] =
        json!("乙方于2024年7月1日前归还甲方借款人民币三百元。");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agreement.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
    let output = verify(&path);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("INVALID"), "{stderr}");
    assert!(stderr.contains("the agreement was altered"), "{stderr}");
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
}

#[test]
fn what_is_not_a_package_is_unusable() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.bin");
    std::fs::write(&garbage, b"\x89PNG\r\n\x1a\n not a package").unwrap();
    let output = verify(&garbage);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("not JSON"));

    let other = dir.path().join("other.json");
    std::fs::write(&other, br#"{"format": "accord-bundle/1"}"#).unwrap();
    assert_eq!(verify(&other).status.code(), Some(2));

    let missing = verify(&dir.path().join("missing.json"));
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("cannot read"));
}

/// A bundle around the genuine package, as the server files it.
fn genuine_bundle() -> Vec<u8> {
    let (package, _, seal) = genuine_package();
    let value: Value = serde_json::from_slice(&package).unwrap();
    let contents = BundleContents {
        case_id: CASE.into(),
        application_id: "application-1".into(),
        application: json!({
            "application_id": "application-1",
            "agreement_hash": value["agreement_hash"],
            "court": {"id": "c1", "name": "某某区人民法院"},
            "consents": [{"participant": "p-1"}, {"participant": "p-2"}],
        }),
        package,
        pdf: b"%PDF-1.7".to_vec(),
        identities: json!([]),
        presided: json!({}),
        events: serde_json::from_value(value["events"].clone()).unwrap(),
    };
    build_bundle(&contents, &seal).unwrap()
}

/// The bundle's members, changed by `edit`, in a new archive.
fn rezip(bundle: &[u8], edit: impl Fn(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bundle)).unwrap();
    let mut members: Vec<(String, Vec<u8>)> = (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().to_owned(), content)
        })
        .collect();
    edit(&mut members);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in &members {
        writer
            .start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn exit_code(bytes: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.zip");
    std::fs::write(&path, bytes).unwrap();
    let output = verify(&path);
    (
        output.status.code(),
        text(&output.stdout) + &text(&output.stderr),
    )
}

#[test]
fn a_bundle_verifies_and_any_change_to_it_is_invalid() {
    let bundle = genuine_bundle();
    let (code, out) = exit_code(&bundle);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("judicial-confirmation bundle") && out.contains("某某区人民法院"));
    assert!(
        out.contains("the agreement's 7, then 0 recorded after its seal")
            && out.contains("size of the 6 members it lists"),
        "{out}"
    );

    let changed = rezip(&bundle, |members| {
        let pdf = members
            .iter_mut()
            .find(|(n, _)| n == "agreement.pdf")
            .unwrap();
        pdf.1[2] ^= 1;
    });
    let missing = rezip(&bundle, |members| {
        members.retain(|(n, _)| n != "identities.json")
    });
    let extra = rezip(&bundle, |members| {
        members.push(("extra.txt".into(), b"x".to_vec()));
    });
    let bad_seal = rezip(&bundle, |members| {
        let seal = members.iter_mut().find(|(n, _)| n == "seal.json").unwrap();
        let mut value: Value = serde_json::from_slice(&seal.1).unwrap();
        let other = SealKey::from_bytes(&[43; 32]);
        value["signature"] = json!(accord::record::signature::seal(&other, b"x").to_base64url());
        seal.1 = serde_json::to_vec(&value).unwrap();
    });
    for (what, bytes) in [
        ("changed", changed),
        ("missing", missing),
        ("extra", extra),
        ("bad seal", bad_seal),
    ] {
        let (code, out) = exit_code(&bytes);
        assert_eq!(code, Some(1), "{what}: {out}");
        assert!(out.contains("INVALID"), "{what}: {out}");
    }
    for garbage in [&b"PK\x03\x04 not really"[..], &bundle[..bundle.len() / 2]] {
        let (code, out) = exit_code(garbage);
        assert_eq!(code, Some(2), "{out}");
    }
}

/// The package's events, changed by `edit` and re-chained with every hash recomputed, as
/// someone without the seal key can.
fn rechain(package: &[u8], edit: impl FnOnce(&mut Vec<EventBody>)) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(package).unwrap();
    let events: Vec<ChainedEvent> = serde_json::from_value(value["events"].take()).unwrap();
    let mut bodies: Vec<EventBody> = events.into_iter().map(|e| e.body).collect();
    edit(&mut bodies);
    let mut events: Vec<ChainedEvent> = Vec::new();
    for body in bodies {
        let next = chain_next(events.last(), body).unwrap();
        events.push(next);
    }
    value["events"] = serde_json::to_value(&events).unwrap();
    serde_json::to_vec_pretty(&value).unwrap()
}

fn exit_code_of_package(bytes: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agreement.json");
    std::fs::write(&path, bytes).unwrap();
    let output = verify(&path);
    (
        output.status.code(),
        text(&output.stdout) + &text(&output.stderr),
    )
}

#[test]
fn a_package_with_anything_after_the_seal_or_a_member_twice_is_invalid() {
    let (package, _, _) = genuine_package();
    let revoked = rechain(&package, |bodies| {
        let last = bodies.last().unwrap().clone();
        bodies.push(EventBody {
            seq: last.seq + 1,
            at_ms: last.at_ms + 1000,
            kind: "agreement_revoked".into(),
            payload: json!({"version": 1, "reason": "已撤销"}),
            ..last
        });
    });
    let (code, out) = exit_code_of_package(&revoked);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("event 8 (agreement_revoked) comes after the sealing event 7"),
        "{out}"
    );

    let genuine = String::from_utf8(package).unwrap();
    let terms = "\"terms\": \"乙方于2024年7月1日前归还甲方借款人民币三千元。\"";
    assert!(genuine.contains(terms));
    let twice = genuine.replacen(
        terms,
        &format!("\"terms\": \"乙方于2024年7月1日前归还甲方借款人民币三万元。\", {terms}"),
        1,
    );
    let (code, out) = exit_code_of_package(twice.as_bytes());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("duplicate member \"terms\" in agreement.content"),
        "{out}"
    );
}

#[test]
fn a_bundle_whose_archive_shows_two_readers_two_things_is_invalid() {
    let bundle = genuine_bundle();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bundle)).unwrap();
    let members: Vec<(String, Vec<u8>)> = (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().to_owned(), content)
        })
        .collect();
    let entries = |forged: Option<&'static [u8]>, local_pdf: &'static str| {
        let mut entries = Vec::new();
        for (name, content) in &members {
            if name == "agreement.pdf" {
                if let Some(forged) = forged {
                    entries.push((name.as_str(), name.as_str(), forged));
                }
                entries.push((local_pdf, name.as_str(), content.as_slice()));
            } else {
                entries.push((name.as_str(), name.as_str(), content.as_slice()));
            }
        }
        let raw: Vec<raw_zip::Raw<'_>> = entries
            .into_iter()
            .map(|(local, central, content)| raw_zip::Raw {
                local,
                central,
                content,
            })
            .collect();
        raw_zip::raw_zip(&raw)
    };
    let (code, out) = exit_code(&entries(None, "agreement.pdf"));
    assert_eq!(code, Some(0), "the same members, written by hand: {out}");

    // A forged agreement.pdf first, the genuine one after: a reader keeping the last of a
    // name used to see only the genuine one, and call the bundle VALID.
    let (code, out) = exit_code(&entries(Some(b"%PDF-1.7 forged"), "agreement.pdf"));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("\"agreement.pdf\" appears twice"), "{out}");

    let (code, out) = exit_code(&entries(None, "agreement.pdX"));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("its local header \"agreement.pdX\""), "{out}");

    let mut appended = bundle.clone();
    appended.extend(b"PK hidden");
    let (code, out) = exit_code(&appended);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("belong to no member"), "{out}");
}
