//! The committees' seal keys at rest: whoever holds one can seal an agreement in the
//! committee's name, so the database keeps each only wrapped, under a key file kept beside it.
//! A copy of the database alone cannot seal; a server given the wrong file will not start; a
//! secret stored before wrapping existed is wrapped at the next start and keeps sealing.

use super::agreement::Signing;
use accord::record::signature::{encode_base64url, SealKey};
use accord::store::Db;
use accord_tests::{expect, test_config, Backend, TestApp};
use std::time::Duration;

async fn stored_secrets(db: &Db) -> Vec<(String, String)> {
    sqlx::query_as("SELECT committee_id, secret_key FROM committee_seal_keys")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

async fn seal_keys_are_wrapped_at_rest_and_open_with_their_key_file_only(backend: Backend) {
    let s = Signing::build(backend).await;
    s.make_effective().await;
    let me = expect(s.world.admin2.get("/api/auth/me").await, 200);
    let committee2 = me["user"]["committee_id"].as_str().unwrap().to_owned();
    let stored = stored_secrets(&s.world.app.db).await;
    assert_eq!(
        stored.len(),
        1,
        "the sealing committee's key, made on first use"
    );
    assert!(stored[0].1.starts_with("xc20p1."), "{}", stored[0].1);

    // Before wrapping existed, a secret was stored as it is: say committee 2's was.
    let legacy = SealKey::from_bytes(&[9; 32]);
    sqlx::query(
        "INSERT INTO committee_seal_keys (committee_id, secret_key, public_key, created_at) \
         VALUES ($1, $2, $3, 0)",
    )
    .bind(&committee2)
    .bind(encode_base64url(&legacy.to_bytes()))
    .bind(legacy.public_key().to_base64url())
    .execute(s.world.app.db.pool())
    .await
    .unwrap();
    let database = s.world.app.stop().await;
    let data = database.data_path();

    // Without its key file, or with another, the database does not open: no seal can be made.
    for (file, says) in [("missing.key", "missing"), ("other.key", "does not open")] {
        if file == "other.key" {
            std::fs::write(data.join(file), format!("{}\n", "ab".repeat(32))).unwrap();
        }
        let refused = Db::open(
            database.url.as_deref(),
            &data,
            &data.join(file),
            2,
            Duration::from_secs(10),
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(refused.contains(says), "{refused}");
    }

    // With its own file, the server starts, wraps the old secret and seals with it as before.
    let config = test_config(&database);
    let app = TestApp::spawn_with(database, config).await;
    let secrets = stored_secrets(&app.db).await;
    assert!(secrets
        .iter()
        .all(|(_, secret)| secret.starts_with("xc20p1.")));
    let published = expect(
        app.browser()
            .get(&format!("/api/committees/{committee2}/seal"))
            .await,
        200,
    );
    assert_eq!(published["public_key"], legacy.public_key().to_base64url());
}

on_both_backends!(seal_keys_are_wrapped_at_rest_and_open_with_their_key_file_only);
