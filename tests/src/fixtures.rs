//! The office before a session, built through the real API as its staff would: accounts,
//! cases, parties and their invitation links.

use crate::{expect, Browser, TestApp, PASSWORD};
use serde_json::{json, Value};

/// An admin creates a staff account; returns its id.
pub async fn create_user(admin: &Browser, username: &str, role: &str) -> String {
    let body = expect(
        admin
            .post(
                "/api/users",
                json!({"username": username, "display_name": username, "role": role, "password": PASSWORD}),
            )
            .await,
        201,
    );
    body["id"].as_str().expect("a user id").to_owned()
}

/// A browser in which `username` has signed in.
pub async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let mut browser = app.browser();
    expect(browser.login(username, PASSWORD).await, 200);
    browser
}

/// Registers a neighbours' dispute.
pub async fn register_case(staff: &Browser) -> Value {
    expect(
        staff
            .post(
                "/api/cases",
                json!({"dispute_type": "neighbour", "source": "party_application",
                       "summary": "漏水纠纷：楼上漏水损坏楼下天花板", "amount_fen": 120_000}),
            )
            .await,
        201,
    )
}

/// Adds a natural-person party; returns their participant id.
pub async fn add_party(staff: &Browser, case: &str, name: &str, side: &str) -> String {
    let body = expect(
        staff
            .post(
                &format!("/api/cases/{case}/participants"),
                json!({"role": "party", "side": side, "person_kind": "natural", "name": name,
                       "contact": "13800138000", "service_address": "北京市朝阳区某街道1号"}),
            )
            .await,
        201,
    );
    body["id"].as_str().expect("a participant id").to_owned()
}

/// Issues an invitation; the answer holds `invitation` and `link`.
pub async fn invite(staff: &Browser, case: &str, participant: &str) -> Value {
    expect(
        staff
            .post(
                &format!("/api/cases/{case}/participants/{participant}/invitations"),
                json!({}),
            )
            .await,
        201,
    )
}

/// A participant signed in on `browser` gives every consent needed to join a live session, in
/// Chinese, as the party pages would after they read each text.
pub async fn give_required_consents(browser: &Browser) {
    let listed = expect(browser.get("/api/me/consents?lang=zh-CN").await, 200);
    let version = listed["version"].as_str().expect("a version").to_owned();
    for consent in listed["consents"].as_array().expect("consents") {
        if consent["required"] == json!(true) {
            expect(
                browser
                    .post(
                        "/api/me/consents",
                        json!({"kind": consent["kind"], "version": version, "language": "zh-CN"}),
                    )
                    .await,
                201,
            );
        }
    }
}
