//! Invitation links: redeemed once, expiring, revocable; what a participant then sees.

use super::world::{add_party, invite, signed_in, World};
use accord_tests::{expect, Backend};
use serde_json::json;
use sqlx::Row as _;

async fn a_party_redeems_once_and_sees_only_their_case(backend: Backend) {
    let world = World::build(backend).await;
    let me = expect(world.party.get("/api/auth/me").await, 200);
    assert_eq!(me["kind"], "participant");
    assert_eq!(me["participant"]["name"], "李甲");
    let case = expect(world.party.get("/api/me/case").await, 200);
    assert_eq!(case["number"], "(2026) 人调字第 1 号");
    assert_eq!(case["committee_name"], "朝阳区人民调解委员会");
    assert_eq!(case["mediators"], json!(["mediator"]));
    assert!(case["summary"].as_str().unwrap().contains("漏水"));
    assert!(
        !case.to_string().contains("13800138000"),
        "no contact details: {case}"
    );
    assert!(!case.to_string().contains("某街道"), "no addresses: {case}");

    // The same link a second time, in another browser, is refused.
    let link = invite(&world.mediator, &world.case, &world.party_id).await["link"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut first = world.app.browser();
    expect(first.redeem(&link).await, 200);
    let mut second = world.app.browser();
    let used = expect(second.redeem(&link).await, 410);
    assert_eq!(used["code"], "invitation_used");
    expect(second.get("/api/me/case").await, 401);

    let mut forger = world.app.browser();
    let forged = expect(
        forger
            .redeem("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            .await,
        404,
    );
    assert_eq!(forged["code"], "invitation_invalid");
    let malformed = expect(
        forger
            .post("/api/invitations/redeem", json!({"token": 42}))
            .await,
        422,
    );
    assert_eq!(malformed["details"][0]["field"], "token");
}

async fn observers_do_not_see_the_summary(backend: Backend) {
    let world = World::build(backend).await;
    let observer = expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{}/participants", world.case),
                json!({"role": "observer", "name": "旁听人"}),
            )
            .await,
        201,
    );
    let link = invite(
        &world.mediator,
        &world.case,
        observer["id"].as_str().unwrap(),
    )
    .await;
    let mut browser = world.app.browser();
    let me = expect(browser.redeem(link["link"].as_str().unwrap()).await, 200);
    assert_eq!(me["case"]["summary"], serde_json::Value::Null);
    assert_eq!(me["participant"]["role"], "observer");
}

async fn invitations_expire(backend: Backend) {
    let world = World::build(backend).await;
    let link = invite(&world.mediator, &world.case, &world.party_id).await;
    assert_eq!(link["invitation"]["state"], "pending");
    world.app.clock.advance(168 * 3_600_000);
    let mut late = world.app.browser();
    let expired = expect(late.redeem(link["link"].as_str().unwrap()).await, 410);
    assert_eq!(expired["code"], "invitation_expired");
    let mediator = signed_in(&world.app, "mediator").await;
    let listed = expect(
        mediator
            .get(&format!("/api/cases/{}/invitations", world.case))
            .await,
        200,
    );
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["state"] == "expired"));
}

async fn revoking_stops_the_link_and_signs_out_whoever_used_it(backend: Backend) {
    let world = World::build(backend).await;
    let case = &world.case;
    let pending = invite(&world.mediator, case, &world.party_id).await;
    let id = pending["invitation"]["id"].as_str().unwrap();
    expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{case}/invitations/{id}/revoke"),
                json!({}),
            )
            .await,
        204,
    );
    let mut browser = world.app.browser();
    let revoked = expect(browser.redeem(pending["link"].as_str().unwrap()).await, 410);
    assert_eq!(revoked["code"], "invitation_revoked");
    expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{case}/invitations/{id}/revoke"),
                json!({}),
            )
            .await,
        404,
    );

    // Re-issue: the old link dies, the new one works, and the browser that used the old one
    // is signed out.
    let mut holder = world.app.browser();
    let issued = invite(&world.mediator, case, &world.party_id).await;
    expect(holder.redeem(issued["link"].as_str().unwrap()).await, 200);
    let old = issued["invitation"]["id"].as_str().unwrap();
    let fresh = expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{case}/invitations/{old}/reissue"),
                json!({}),
            )
            .await,
        201,
    );
    assert_ne!(fresh["link"], issued["link"]);
    expect(holder.get("/api/me/case").await, 401);
    let mut new_holder = world.app.browser();
    expect(
        new_holder.redeem(fresh["link"].as_str().unwrap()).await,
        200,
    );
}

async fn removing_a_participant_signs_them_out(backend: Backend) {
    let world = World::build(backend).await;
    let case = &world.case;
    let respondent = add_party(&world.mediator, case, "王丙", "respondent").await;
    let link = invite(&world.mediator, case, &respondent).await;
    let mut browser = world.app.browser();
    expect(browser.redeem(link["link"].as_str().unwrap()).await, 200);
    expect(
        world
            .mediator
            .delete(&format!("/api/cases/{case}/participants/{respondent}"))
            .await,
        204,
    );
    expect(browser.get("/api/me/case").await, 401);
    let participants = expect(
        world
            .mediator
            .get(&format!("/api/cases/{case}/participants"))
            .await,
        200,
    );
    assert!(participants
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["id"] != respondent.as_str()));
    expect(
        world
            .mediator
            .delete(&format!("/api/cases/{case}/participants/{respondent}"))
            .await,
        404,
    );
}

async fn only_a_hash_of_the_token_is_stored(backend: Backend) {
    let world = World::build(backend).await;
    let issued = invite(&world.mediator, &world.case, &world.party_id).await;
    let token = issued["link"]
        .as_str()
        .unwrap()
        .split_once("#t=")
        .unwrap()
        .1
        .to_owned();
    assert!(token.len() >= 22, "at least 128 bits: {token}");
    let rows = sqlx::query("SELECT token_hash FROM invitations")
        .fetch_all(world.app.db.pool())
        .await
        .unwrap();
    for row in rows {
        let stored: String = row.get("token_hash");
        assert!(!stored.contains(&token));
        assert_eq!(stored.len(), 64, "a SHA-256 in hex");
    }
    let events = expect(
        world
            .mediator
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    assert!(!events.to_string().contains(&token));
}

on_both_backends!(
    a_party_redeems_once_and_sees_only_their_case,
    observers_do_not_see_the_summary,
    invitations_expire,
    revoking_stops_the_link_and_signs_out_whoever_used_it,
    removing_a_participant_signs_them_out,
    only_a_hash_of_the_token_is_stored,
);
