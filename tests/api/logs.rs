//! Secrets and personal details stay out of the logs, at the most verbose levels an operator
//! would use.

use super::world::{add_party, invite};
use accord_tests::{expect, logs, Backend, TestApp, PASSWORD};

async fn no_secret_or_personal_detail_reaches_the_logs(backend: Backend) {
    logs::capture();
    let app = TestApp::spawn(backend).await;
    let setup_token = app.setup_token();
    let admin = app.set_up().await;
    let mut wrong = app.browser();
    expect(wrong.login("admin", "a wrong password").await, 401);
    let case = expect(
        admin
            .post("/api/cases", serde_json::json!({"dispute_type": "neighbour", "source": "party_application", "summary": "噪音纠纷"}))
            .await,
        201,
    );
    let case = case["id"].as_str().unwrap();
    expect(
        admin.put(&format!("/api/cases/{case}/mediators"), serde_json::json!({"mediators": [expect(admin.get("/api/auth/me").await, 200)["user"]["id"]]})).await,
        200,
    );
    let party = add_party(&admin, case, "陈秘密", "applicant").await;
    let link = invite(&admin, case, &party).await["link"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = link.split_once("#t=").unwrap().1.to_owned();
    let mut browser = app.browser();
    expect(browser.redeem(&link).await, 200);

    let text = logs::text();
    assert!(text.contains("login failed"), "the capture works");
    assert!(text.contains("invitation redeemed"));
    for secret in [
        PASSWORD,
        "a wrong password",
        &setup_token,
        &token,
        admin.csrf.as_deref().unwrap(),
        "13800138000",
        "陈秘密",
        "某街道",
    ] {
        assert!(!text.contains(secret), "{secret:?} leaked into the logs");
    }
}

on_both_backends!(no_secret_or_personal_detail_reaches_the_logs);
