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

/// The status of the admin's login sent with this `Origin` (and `Host`, if given).
async fn login_from(app: &TestApp, origin: String, host: Option<String>) -> u16 {
    let mut request = reqwest::Client::new()
        .post(format!("{}/api/auth/login", app.base))
        .header("origin", origin)
        .json(&json!({"username": "admin", "password": PASSWORD}));
    if let Some(host) = host {
        request = request.header("host", host);
    }
    request.send().await.unwrap().status().as_u16()
}

/// The Origin check compares scheme, host and port with public_url, and never trusts the
/// request's own Host header, which a rebinding site controls.
async fn the_origin_must_be_the_public_url(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let mut config = test_config(&database);
    config.public_url = Some("https://mediation.example.cn".into());
    let app = TestApp::spawn_with(database, config).await;
    app.set_up().await;
    let port = app.base.rsplit(':').next().unwrap().to_owned();
    let login = |origin: String, host: Option<String>| login_from(&app, origin, host);
    for accepted in [
        "https://mediation.example.cn",
        "https://MEDIATION.example.cn:443",
    ] {
        assert_eq!(login(accepted.into(), None).await, 200, "{accepted}");
    }
    for refused in [
        app.base.clone(),
        "http://mediation.example.cn".into(),
        "https://mediation.example.cn:8443".into(),
        "https://mediation.example.cn.evil.example".into(),
        "null".into(),
    ] {
        assert_eq!(login(refused.clone(), None).await, 403, "{refused}");
    }
    // A rebinding site: its name resolves to this server, so Origin and Host agree, and are
    // both its own.
    let evil = format!("evil.example:{port}");
    assert_eq!(login(format!("http://{evil}"), Some(evil)).await, 403);

    // Without a public_url, a server on loopback is its address or localhost, and nothing else.
    let app = TestApp::spawn(backend).await;
    app.set_up().await;
    let port = app.base.rsplit(':').next().unwrap().to_owned();
    let login = |origin: String, host: Option<String>| login_from(&app, origin, host);
    assert_eq!(login(app.base.clone(), None).await, 200);
    assert_eq!(login(format!("http://localhost:{port}"), None).await, 200);
    let evil = format!("evil.example:{port}");
    assert_eq!(login(format!("http://{evil}"), Some(evil)).await, 403);
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

/// What one login attempt answers: status, body and Retry-After.
async fn attempt(
    client: &reqwest::Client,
    app: &TestApp,
    name: &str,
    password: &str,
) -> (u16, serde_json::Value, Option<String>) {
    let response = client
        .post(format!("{}/api/auth/login", app.base))
        .json(&json!({"username": name, "password": password}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, response.json().await.unwrap(), retry)
}

/// A client on another loopback address, as another person's browser would be.
fn client_from(ip: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(ip))
        .build()
        .unwrap()
}

/// A locked, a missing, a disabled and a wrongly typed account all answer alike, attempt after
/// attempt; and an attacker who locks a name locks only themselves out of it.
async fn failed_logins_answer_alike_and_lock_only_the_guesser(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.set_up().await;
    let id = create_user(&admin, "mediator", "mediator").await;
    expect(
        admin
            .post(&format!("/api/users/{id}/disable"), json!({}))
            .await,
        204,
    );
    let attacker = client_from([127, 0, 0, 1]);
    let mut answers = Vec::new();
    for (name, password) in [
        ("admin", "wrong password!"),
        ("nobody", "wrong password!"),
        ("mediator", PASSWORD),
    ] {
        let mut seen = Vec::new();
        for _ in 0..7 {
            seen.push(attempt(&attacker, &app, name, password).await);
        }
        answers.push((name, seen));
    }
    let (_, first) = &answers[0];
    assert_eq!(first[0].0, 401);
    assert_eq!(first[6].0, 429, "the guesser is made to wait: {first:?}");
    for (name, seen) in &answers[1..] {
        assert_eq!(seen, first, "{name} answers unlike a locked account");
    }

    // The real user, elsewhere, signs in at once; the guesser still waits, even with the right
    // password.
    let user = client_from([127, 0, 0, 2]);
    assert_eq!(attempt(&user, &app, "admin", PASSWORD).await.0, 200);
    assert_eq!(attempt(&attacker, &app, "admin", PASSWORD).await.0, 429);
    // Their own mistakes elsewhere count only there.
    assert_eq!(
        attempt(&user, &app, "admin", "wrong password!").await.0,
        401
    );
    assert_eq!(attempt(&user, &app, "admin", PASSWORD).await.0, 200);
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
    the_origin_must_be_the_public_url,
    repeated_failures_lock_the_account_for_a_while,
    failed_logins_answer_alike_and_lock_only_the_guesser,
    each_address_may_only_try_so_often,
    sessions_end_when_idle_and_at_their_absolute_limit,
    a_disabled_account_is_signed_out_and_cannot_sign_in,
);
