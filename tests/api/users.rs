//! Staff accounts managed by a committee admin.

use super::world::{create_user, signed_in};
use accord_tests::{expect, Backend, TestApp, PASSWORD};
use serde_json::json;

async fn an_admin_manages_the_committee_staff(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.set_up().await;
    let created = expect(
        admin
            .post(
                "/api/users",
                json!({"username": "Li.Ming", "display_name": "李明", "role": "mediator",
                       "is_lawyer": true, "languages": ["zh-CN", "en"], "password": PASSWORD}),
            )
            .await,
        201,
    );
    assert_eq!(created["username"], "li.ming");
    assert_eq!(created["is_lawyer"], true);
    assert_eq!(created["languages"], json!(["zh-CN", "en"]));
    let taken = expect(
        admin
            .post("/api/users", json!({"username": "li.ming", "display_name": "x", "role": "mediator", "password": PASSWORD}))
            .await,
        409,
    );
    assert_eq!(taken["details"][0]["field"], "username");
    let weak = expect(
        admin
            .post("/api/users", json!({"username": "wang", "display_name": "王", "role": "mediator", "password": "123456"}))
            .await,
        422,
    );
    assert_eq!(weak["details"][0]["field"], "password");
    let role = expect(
        admin
            .post("/api/users", json!({"username": "wang", "display_name": "王", "role": "judge", "password": PASSWORD}))
            .await,
        422,
    );
    assert_eq!(role["details"][0]["field"], "role");
    let users = expect(admin.get("/api/users").await, 200);
    assert_eq!(users.as_array().unwrap().len(), 2);

    let me = expect(admin.get("/api/auth/me").await, 200);
    let own = me["user"]["id"].as_str().unwrap();
    let refused = expect(
        admin
            .post(&format!("/api/users/{own}/disable"), json!({}))
            .await,
        422,
    );
    assert_eq!(refused["details"][0]["field"], "user_id");

    let id = create_user(&admin, "zhao", "mediator").await;
    let zhao = signed_in(&app, "zhao").await;
    expect(zhao.get("/api/users").await, 403);
    expect(
        admin
            .post(&format!("/api/users/{id}/disable"), json!({}))
            .await,
        204,
    );
    let listed = expect(admin.get("/api/users").await, 200);
    let zhao_row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "zhao")
        .unwrap()
        .clone();
    assert_eq!(zhao_row["disabled"], true);
}

on_both_backends!(an_admin_manages_the_committee_staff);
