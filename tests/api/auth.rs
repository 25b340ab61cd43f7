//! Staff sign-in: passwords, sessions and their expiry, CSRF and Origin checks, backoff and rate
//! limits, disabled accounts.

use super::world::{create_user, signed_in};
use accord_tests::{expect, test_config, Backend, TestApp, TestDatabase, PASSWORD};
use serde_json::json;

async fn sign_in_and_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.set_up().await;
    let mut browser = app.browser();
    let wrong = expect(browser.login("admin", "not the password").await, 401);
    assert_eq!(wrong["code"], "invalid_credentials");
    let unknown = expect(browser.login("nobody", PASSWORD).await, 401);
    assert_eq!(
        unknown["code"], "invalid_credentials",
        "unknown users look like wrong passwords"
    );
    expect(browser.get("/api/auth/me").await, 401);

    let me = expect(browser.login("ADMIN", PASSWORD).await, 200);
    assert_eq!(me["user"]["username"], "admin");
    expect(browser.get("/api/auth/me").await, 200);

    // A state change without the CSRF token is refused, and changes nothing.
    let mut no_csrf = browser.clone();
    no_csrf.csrf = None;
    let refused = expect(no_csrf.post("/api/auth/logout", json!({})).await, 403);
    assert_eq!(refused["code"], "csrf_failed");
    let mut wrong_csrf = browser.clone();
    wrong_csrf.csrf = Some("0".repeat(64));
    expect(wrong_csrf.post("/api/auth/logout", json!({})).await, 403);
    expect(browser.get("/api/auth/me").await, 200);

    expect(browser.post("/api/auth/logout", json!({})).await, 204);
    expect(browser.get("/api/auth/me").await, 401);
}

async fn the_session_cookie_is_http_only_and_strict(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.set_up().await;
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("accord_staff="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http on loopback: {cookie}"
    );
}

async fn cookies_are_secure_behind_tls(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let mut config = test_config(&database);
    config.public_url = Some("https://mediation.example.cn".into());
    let app = TestApp::spawn_with(database, config).await;
    assert!(app
        .setup_link
        .as_deref()
        .unwrap()
        .starts_with("https://mediation.example.cn/setup#t="));
    let response = reqwest::Client::new()
        .post(format!("{}/api/setup", app.base))
        .json(&json!({"token": app.setup_token(),
            "committee": {"name": "委员会名称", "kind": "street_town", "region": "北京市"},
            "admin": {"username": "admin", "display_name": "张", "password": PASSWORD}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert!(response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("; Secure"));
}

async fn cross_origin_state_changes_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.set_up().await;
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/login", app.base))
        .header("origin", "https://evil.example")
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "cross_origin");
    let same_origin = reqwest::Client::new()
        .post(format!("{}/api/auth/login", app.base))
        .header("origin", app.base.clone())
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 200);
}

async fn repeated_failures_lock_the_account_for_a_while(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.set_up().await;
    let mut browser = app.browser();
    for _ in 0..5 {
        expect(browser.login("admin", "wrong password!").await, 401);
    }
    // Locked now: even the right password waits, and the answer says for how long.
    let response = reqwest::Client::new()
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=31).contains(&wait), "{wait}");
    app.clock.advance(31_000);
    expect(browser.login("admin", PASSWORD).await, 200);
    // Success resets the count: one more failure does not lock again.
    let mut other = app.browser();
    expect(other.login("admin", "wrong password!").await, 401);
    expect(other.login("admin", PASSWORD).await, 200);
}

async fn each_address_may_only_try_so_often(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let mut config = test_config(&database);
    config.login_rate_per_minute = 3;
    let app = TestApp::spawn_with(database, config).await;
    app.set_up().await;
    let mut browser = app.browser();
    for _ in 0..3 {
        expect(browser.login("someone", "wrong password!").await, 401);
    }
    let limited = expect(browser.login("admin", PASSWORD).await, 429);
    assert_eq!(limited["code"], "too_many_attempts");
}

async fn sessions_end_when_idle_and_at_their_absolute_limit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.set_up().await;
    let mut idle = app.browser();
    expect(idle.login("admin", PASSWORD).await, 200);
    app.clock.advance(119 * 60_000);
    expect(idle.get("/api/auth/me").await, 200);
    app.clock.advance(120 * 60_000);
    expect(idle.get("/api/auth/me").await, 401);

    let mut busy = app.browser();
    expect(busy.login("admin", PASSWORD).await, 200);
    for _ in 0..11 {
        app.clock.advance(60 * 60_000);
        expect(busy.get("/api/auth/me").await, 200);
    }
    app.clock.advance(60 * 60_000);
    expect(busy.get("/api/auth/me").await, 401);
}

async fn a_disabled_account_is_signed_out_and_cannot_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.set_up().await;
    let id = create_user(&admin, "mediator", "mediator").await;
    let mediator = signed_in(&app, "mediator").await;
    expect(
        admin
            .post(&format!("/api/users/{id}/disable"), json!({}))
            .await,
        204,
    );
    expect(mediator.get("/api/auth/me").await, 401);
    let mut again = app.browser();
    expect(again.login("mediator", PASSWORD).await, 401);
}

on_both_backends!(
    sign_in_and_out,
    the_session_cookie_is_http_only_and_strict,
    cookies_are_secure_behind_tls,
    cross_origin_state_changes_are_refused,
    repeated_failures_lock_the_account_for_a_while,
    each_address_may_only_try_so_often,
    sessions_end_when_idle_and_at_their_absolute_limit,
    a_disabled_account_is_signed_out_and_cannot_sign_in,
);
