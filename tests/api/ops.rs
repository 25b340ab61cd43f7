//! Operations endpoints, the OpenAPI document and the web client's delivery.

use accord_tests::proxy::Proxy;
use accord_tests::{expect, test_config, Backend, TestApp, TestDatabase, PASSWORD};
use std::time::{Duration, Instant};

async fn health_readiness_and_metrics_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = app.browser();
    assert_eq!(expect(browser.get("/healthz").await, 200), "ok");
    assert_eq!(expect(browser.get("/readyz").await, 200)["database"], "ok");
    let metrics = expect(browser.get("/metrics").await, 200);
    let text = metrics.as_str().unwrap();
    assert!(
        text.contains(
            r#"accord_http_requests_total{method="GET",route="/healthz",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains("accord_http_request_duration_seconds_bucket"));
    assert!(text.contains("accord_db_pool_connections"));

    // With the database gone, the process is still alive but no longer ready, and a request
    // that needs the database fails without telling the client why.
    app.db.close().await;
    assert_eq!(
        expect(browser.get("/readyz").await, 503)["database"],
        "unreachable"
    );
    expect(browser.get("/healthz").await, 200);
    let mut login = app.browser();
    let failed = expect(login.login("admin", "whatever it is").await, 503);
    assert_eq!(failed["code"], "unavailable", "{failed}");
}

/// The server reaches PostgreSQL through a proxy that the test cuts: requests and `/readyz`
/// answer 503 within a second (not after a long wait for a connection), and once the database
/// is back the same server answers again, without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_is_a_prompt_503_and_heals_by_itself() {
    let database = TestDatabase::create(Backend::Postgres).await;
    let url = database.url.clone().unwrap();
    // postgres://user@host:port/name: the proxy goes between the server and host:port.
    let (scheme_user, rest) = url.split_once('@').unwrap();
    let (upstream, name) = rest.split_once('/').unwrap();
    let proxy = Proxy::start(upstream.to_owned()).await;
    let mut config = test_config(&database);
    config.database_url = Some(format!("{scheme_user}@{}/{name}", proxy.addr()));
    let app = TestApp::spawn_with(database, config).await;
    let admin = app.set_up().await;
    expect(admin.get("/api/cases").await, 200);

    proxy.cut();
    for path in ["/readyz", "/api/cases", "/api/auth/me", "/readyz"] {
        let started = Instant::now();
        let (status, body) = admin.get(path).await;
        let took = started.elapsed();
        assert_eq!(status, 503, "{path}: {body}");
        assert!(took < Duration::from_secs(1), "{path} took {took:?}");
        if path != "/readyz" {
            assert_eq!(body["code"], "unavailable", "{path}: {body}");
        }
    }
    let mut someone = app.browser();
    expect(someone.login("admin", PASSWORD).await, 503);
    expect(admin.get("/healthz").await, 200);

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(10);
    while admin.get("/readyz").await.0 != 200 {
        assert!(Instant::now() < deadline, "the server did not recover");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    expect(admin.get("/api/cases").await, 200);
    expect(someone.login("admin", PASSWORD).await, 200);
}

/// Made-up methods and paths all share the `other` and `unmatched` labels: a client cannot add
/// series to the server's figures.
async fn metric_labels_are_bounded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = reqwest::Client::new();
    for n in 0..60 {
        let method = reqwest::Method::from_bytes(format!("MADEUP{n}").as_bytes()).unwrap();
        for path in ["/healthz".to_owned(), format!("/api/made-up-{n}")] {
            let response = client
                .request(method.clone(), format!("{}{path}", app.base))
                .send()
                .await
                .unwrap();
            assert!(response.status().is_client_error(), "{method} {path}");
        }
    }
    let metrics = expect(app.browser().get("/metrics").await, 200);
    let text = metrics.as_str().unwrap();
    assert!(!text.contains("MADEUP"), "{text}");
    assert!(!text.contains("made-up"), "{text}");
    let series = text
        .lines()
        .filter(|line| line.starts_with("accord_http_requests_total{"))
        .count();
    assert!(series <= 4, "{series} series:\n{text}");
    assert!(
        text.contains(
            r#"accord_http_requests_total{method="other",route="/healthz",status="405"} 60"#
        ),
        "{text}"
    );
}

/// Every route the server answers is in the document, with its method.
async fn openapi_describes_every_endpoint(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let doc = expect(app.browser().get("/api/openapi.json").await, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected = [
        ("get", "/healthz"),
        ("get", "/readyz"),
        ("get", "/metrics"),
        ("post", "/api/setup"),
        ("post", "/api/auth/login"),
        ("post", "/api/auth/logout"),
        ("get", "/api/auth/me"),
        ("get", "/api/cases"),
        ("post", "/api/cases"),
        ("get", "/api/cases/{case_id}"),
        ("put", "/api/cases/{case_id}"),
        ("post", "/api/cases/{case_id}/transitions"),
        ("put", "/api/cases/{case_id}/mediators"),
        ("get", "/api/cases/{case_id}/events"),
        ("put", "/api/cases/{case_id}/difficulty"),
        ("get", "/api/cases/{case_id}/dossier"),
        ("get", "/api/cases/{case_id}/dossier/export"),
        ("get", "/api/dossiers"),
        ("get", "/api/cases/{case_id}/participants"),
        ("post", "/api/cases/{case_id}/participants"),
        ("put", "/api/cases/{case_id}/participants/{participant_id}"),
        (
            "delete",
            "/api/cases/{case_id}/participants/{participant_id}",
        ),
        (
            "post",
            "/api/cases/{case_id}/participants/{participant_id}/invitations",
        ),
        ("get", "/api/cases/{case_id}/invitations"),
        (
            "post",
            "/api/cases/{case_id}/invitations/{invitation_id}/revoke",
        ),
        (
            "post",
            "/api/cases/{case_id}/invitations/{invitation_id}/reissue",
        ),
        ("post", "/api/invitations/redeem"),
        ("get", "/api/me/case"),
        ("get", "/api/users"),
        ("post", "/api/users"),
        ("post", "/api/users/{user_id}/disable"),
        ("get", "/api/cases/{case_id}/live"),
        ("get", "/api/me/consents"),
        ("post", "/api/me/consents"),
        ("post", "/api/me/consents/{kind}/withdraw"),
        ("get", "/api/cases/{case_id}/consents"),
        ("get", "/api/cases/{case_id}/recording"),
        ("get", "/api/cases/{case_id}/follow-ups"),
        ("post", "/api/cases/{case_id}/follow-ups/{visit_id}"),
        ("get", "/api/follow-ups"),
        ("get", "/api/statistics"),
        ("get", "/api/screenings"),
        ("post", "/api/screenings"),
        ("put", "/api/cases/{case_id}/prevention"),
        ("post", "/api/supervision/login"),
        ("post", "/api/supervision/logout"),
        ("get", "/api/supervision/me"),
        ("get", "/api/supervision/committees"),
        ("get", "/api/supervision/statistics"),
        ("get", "/api/supervision/cases"),
        ("get", "/api/me/attendees"),
        ("post", "/api/me/attendees/{participant_id}/consent"),
        ("post", "/api/me/attendees/{participant_id}/withdraw"),
        ("get", "/api/cases/{case_id}/agreement"),
        ("get", "/api/cases/{case_id}/agreement/versions"),
        ("post", "/api/cases/{case_id}/agreement/versions"),
        ("post", "/api/cases/{case_id}/agreement/finalise"),
        ("post", "/api/cases/{case_id}/agreement/comments"),
        ("put", "/api/cases/{case_id}/agreement/key"),
        (
            "post",
            "/api/cases/{case_id}/participants/{participant_id}/identity",
        ),
        (
            "post",
            "/api/cases/{case_id}/participants/{participant_id}/signing-authority",
        ),
        ("post", "/api/cases/{case_id}/agreement/signatures"),
        ("post", "/api/cases/{case_id}/agreement/paper"),
        ("get", "/api/cases/{case_id}/agreement/package"),
        ("get", "/api/cases/{case_id}/agreement/document.pdf"),
        ("get", "/api/committees/{committee_id}/seal"),
        ("get", "/api/cases/{case_id}/agenda"),
        ("post", "/api/cases/{case_id}/agenda"),
        ("put", "/api/cases/{case_id}/agenda/{item_id}"),
        ("delete", "/api/cases/{case_id}/agenda/{item_id}"),
        ("put", "/api/cases/{case_id}/agenda/order"),
        ("post", "/api/cases/{case_id}/agenda/{item_id}/{step}"),
        ("get", "/api/me/agenda"),
        ("get", "/api/cases/{case_id}/sittings"),
        ("get", "/api/cases/{case_id}/sittings/{session}/notes"),
        ("post", "/api/cases/{case_id}/sittings/{session}/notes"),
        ("get", "/api/cases/{case_id}/termination"),
        ("post", "/api/cases/{case_id}/termination"),
        ("get", "/api/me/termination"),
        ("get", "/api/cases/{case_id}/confirmation"),
        ("post", "/api/cases/{case_id}/confirmation"),
        ("post", "/api/cases/{case_id}/confirmation/file"),
        ("get", "/api/cases/{case_id}/confirmation/bundle"),
        ("get", "/api/me/confirmation"),
        ("post", "/api/me/confirmation/consent"),
        ("get", "/api/courts"),
        ("post", "/api/courts/{court_id}/callback"),
    ];
    let paths = doc["paths"].as_object().unwrap();
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    for (method, path) in expected {
        let operation = &paths
            .get(path)
            .unwrap_or_else(|| panic!("{path} is missing"))[method];
        assert!(operation.is_object(), "{method} {path} is missing");
        assert!(
            operation["responses"].is_object(),
            "{method} {path} has no responses"
        );
    }
    assert_eq!(
        documented,
        expected.len(),
        "the document has endpoints this test does not know"
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    // The document says what the wire carries: snake_case labels, query parameters in the query.
    let dispute_types = &doc["components"]["schemas"]["DisputeType"]["enum"];
    assert_eq!(dispute_types[0], "marriage_family", "{dispute_types}");
    assert_eq!(doc["components"]["schemas"]["Language"]["enum"][0], "zh-CN");
    for parameter in doc["paths"]["/api/cases"]["get"]["parameters"]
        .as_array()
        .unwrap()
    {
        assert_eq!(parameter["in"], "query", "{parameter}");
    }
}

async fn the_web_client_is_served_with_a_content_security_policy(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = reqwest::Client::new();
    for path in ["/", "/setup", "/login", "/join", "/console", "/js/i18n.js"] {
        let response = client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let etag = response.headers()["etag"].clone();
        let again = client
            .get(format!("{}{path}", app.base))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path} revalidates");
    }
    let html = client.get(format!("{}/", app.base)).send().await.unwrap();
    assert!(html.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(
        client
            .get(format!("{}/nope", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        client
            .get(format!("{}/../Cargo.toml", app.base))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let api_404 = expect(app.browser().get("/api/nope").await, 404);
    assert_eq!(api_404["code"], "not_found");
    let wrong_method = expect(app.browser().delete("/healthz").await, 405);
    assert_eq!(wrong_method["code"], "method_not_allowed");
}

on_both_backends!(
    health_readiness_and_metrics_answer,
    metric_labels_are_bounded,
    openapi_describes_every_endpoint,
    the_web_client_is_served_with_a_content_security_policy,
);
