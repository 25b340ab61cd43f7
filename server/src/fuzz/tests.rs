use super::*;
use crate::record::agreement::tests::fixture::fixture;
use std::path::PathBuf;

fn seeds(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/seeds")
        .join(target)
}

/// Every seed, and every input a fuzzer found and someone kept, passes its target's checks.
#[test]
fn every_seed_passes_its_targets_checks() {
    for (target, check) in TARGETS {
        let dir = seeds(target);
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect::<Vec<_>>();
        assert!(entries.len() >= 3, "{target}: too few seeds");
        for path in entries {
            let bytes = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&bytes));
            assert!(outcome.is_ok(), "{}: a check failed", path.display());
        }
    }
}

/// The verifiers' fuzzers start from genuine documents, or they would hardly get past the first
/// refusal. These are the documents the record's unit tests build (deterministic: RFC 6979 and
/// Ed25519); after a change of format, `ACCORD_WRITE_SEEDS=1 cargo test -p accord fuzz::`
/// writes them anew.
#[test]
fn the_verifiers_seeds_are_the_genuine_documents_of_today() {
    let package = fixture().build();
    let (_, bundle) = crate::record::bundle::tests::genuine();
    assert!(verify_package(&package).is_ok() && verify_bundle(&bundle).is_ok());
    for (target, name, bytes) in [
        ("agreement_package", "genuine.json", package),
        ("bundle", "genuine.zip", bundle),
    ] {
        let path = seeds(target).join(name);
        if std::env::var_os("ACCORD_WRITE_SEEDS").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        let seed = std::fs::read(&path).unwrap_or_default();
        assert!(
            seed == bytes,
            "{} is not what the fixture builds today: ACCORD_WRITE_SEEDS=1 writes it anew",
            path.display()
        );
    }
}
