//! The first start: the one-time setup link, and data that survives a restart.

use accord_tests::{expect, test_config, Backend, TestApp, PASSWORD};
use serde_json::json;

fn setup_body(token: &str) -> serde_json::Value {
    json!({
        "token": token,
        "committee": {"name": "朝阳区人民调解委员会", "kind": "street_town", "region": "北京市朝阳区"},
        "admin": {"username": "admin", "display_name": "张管理", "password": PASSWORD},
    })
}

async fn the_setup_link_works_once_and_the_data_survives_a_restart(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let link = app
        .setup_link
        .clone()
        .expect("an empty database prints a setup link");
    assert!(
        link.starts_with(&format!("{}/setup#t=", app.base)),
        "{link}"
    );

    let admin = app.set_up().await;
    let me = expect(admin.get("/api/auth/me").await, 200);
    assert_eq!(me["kind"], "staff");
    assert_eq!(me["user"]["role"], "admin");
    assert_eq!(me["user"]["committee_name"], "朝阳区人民调解委员会");

    let again = expect(
        app.browser()
            .post("/api/setup", setup_body(&app.setup_token()))
            .await,
        404,
    );
    assert_eq!(again["code"], "setup_token_invalid");

    // Restart on the same database: no new setup link, and the admin can sign in.
    let database = app.stop().await;
    let config = test_config(&database);
    let restarted = TestApp::spawn_with(database, config).await;
    assert_eq!(restarted.setup_link, None);
    let mut browser = restarted.browser();
    expect(browser.login("admin", PASSWORD).await, 200);
}

async fn an_expired_setup_link_creates_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.clock.advance(24 * 3_600_000);
    let refused = expect(
        app.browser()
            .post("/api/setup", setup_body(&app.setup_token()))
            .await,
        410,
    );
    assert_eq!(refused["code"], "setup_token_expired");
    assert_eq!(app.db.user_count().await.unwrap(), 0);
}

async fn bad_setup_input_names_each_field_and_keeps_the_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = json!({
        "token": app.setup_token(),
        "committee": {"name": " ", "kind": "street_town", "region": "北京市朝阳区"},
        "admin": {"username": "a", "display_name": "张管理", "password": "short"},
    });
    let refused = expect(app.browser().post("/api/setup", body).await, 422);
    let fields: Vec<&str> = refused["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["committee.name", "admin.username", "admin.password"]
    );
    let unknown_kind = expect(
        app.browser()
            .post(
                "/api/setup",
                json!({"token": "x", "committee": {"name": "委员会", "kind": "county", "region": "某地"},
                       "admin": {"username": "admin", "display_name": "张", "password": PASSWORD}}),
            )
            .await,
        422,
    );
    assert_eq!(unknown_kind["details"][0]["field"], "committee.kind");
    assert_eq!(app.db.user_count().await.unwrap(), 0);
    // The link was not used up by the failed attempts.
    app.set_up().await;
}

async fn a_forged_setup_token_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let refused = expect(
        app.browser()
            .post("/api/setup", setup_body("forged-token"))
            .await,
        404,
    );
    assert_eq!(refused["code"], "setup_token_invalid");
    assert_eq!(app.db.user_count().await.unwrap(), 0);
}

on_both_backends!(
    the_setup_link_works_once_and_the_data_survives_a_restart,
    an_expired_setup_link_creates_nothing,
    bad_setup_input_names_each_field_and_keeps_the_link,
    a_forged_setup_token_is_refused,
);
