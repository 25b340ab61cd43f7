//! Consent 5 (PML 20, 23(3)): an invited participant or an observer is admitted to the session
//! only once every party has consented to them, each to the exact text they were shown.

use super::live::{accept, join, respondent};
use super::world::{give_required_consents, invite, World};
use accord_tests::{expect, Backend, Browser};
use serde_json::{json, Value};

/// An observer of case 1, signed in in their own browser with their own consents given.
async fn observer(world: &World) -> (String, Browser) {
    let added = expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{}/participants", world.case),
                json!({"role": "observer", "name": "周旁听"}),
            )
            .await,
        201,
    );
    let id = added["id"].as_str().unwrap().to_owned();
    let mut browser = world.app.browser();
    let link = invite(&world.mediator, &world.case, &id).await;
    expect(browser.redeem(link["link"].as_str().unwrap()).await, 200);
    give_required_consents(&browser).await;
    (id, browser)
}

async fn consent(party: &Browser, attendee: &str, body: Value) -> (u16, Value) {
    let (status, answer) = party
        .post(&format!("/api/me/attendees/{attendee}/consent"), body)
        .await;
    (status.as_u16(), answer)
}

async fn an_observer_waits_until_every_party_has_consented(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let (_, party_b) = respondent(&world).await;
    let (observer_id, observer_browser) = observer(&world).await;
    let listed = expect(world.party.get("/api/me/attendees?lang=en").await, 200);
    assert_eq!(listed["attendees"].as_array().unwrap().len(), 1);
    let item = &listed["attendees"][0];
    assert_eq!(item["name"], "周旁听");
    assert_eq!(item["role"], "observer");
    assert!(item["text"].as_str().unwrap().contains("art. 23(3)"));
    assert_eq!(item["given_at"], Value::Null);
    // Only parties decide; the observer cannot consent to themself.
    assert_eq!(observer_browser.get("/api/me/attendees").await.0, 403);

    let mut mediator = join(&world.mediator, &world.case).await;
    let _observer_live = join(&observer_browser, &world.case).await;
    let member = format!("p-{observer_id}");
    mediator
        .state_where(|s| {
            s["waiting"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["id"] == member.as_str())
        })
        .await;
    let admit = json!({"type": "admit", "member": member});
    let refused = mediator.request(admit.clone()).await;
    assert_eq!(refused["code"], "attendance_not_consented");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("李甲") && message.contains("王乙"),
        "{message}"
    );

    let given = json!({"version": listed["version"], "language": "en"});
    assert_eq!(
        consent(&world.party, &observer_id, given.clone()).await.0,
        201
    );
    assert_eq!(
        consent(&world.party, &observer_id, given.clone()).await.0,
        201
    );
    let refused = mediator.request(admit.clone()).await;
    let message = refused["message"].as_str().unwrap();
    assert!(
        !message.contains("李甲") && message.contains("王乙"),
        "{message}"
    );

    assert_eq!(consent(&party_b, &observer_id, given).await.0, 201);
    assert_eq!(mediator.request(admit).await["type"], "ack");

    let events = expect(
        world
            .mediator
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    assert_eq!(events["chain_intact"], true);
    let consented = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "attendance_consented")
        .count();
    assert_eq!(consented, 2, "one event per party, none for the repeat");
}

async fn attendance_consents_refuse_what_does_not_fit(backend: Backend) {
    let world = World::build(backend).await;
    let (observer_id, _) = observer(&world).await;
    let stale = json!({"version": "1999-01-01", "language": "zh-CN"});
    let (status, answer) = consent(&world.party, &observer_id, stale).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (409, Some("consent_text_outdated"))
    );
    let current = expect(world.party.get("/api/me/attendees").await, 200)["version"].clone();
    let given = json!({"version": current, "language": "zh-CN"});
    // A party is no attendee; another case's observer is not found either.
    assert_eq!(
        consent(&world.party, &world.party_id, given.clone())
            .await
            .0,
        404
    );
    assert_eq!(
        consent(&world.party2, &observer_id, given.clone()).await.0,
        404
    );
    assert_eq!(consent(&world.party, &observer_id, given).await.0, 201);
    let path = format!("/api/me/attendees/{observer_id}/withdraw");
    assert_eq!(world.party.post(&path, json!({})).await.0, 204);
    assert_eq!(world.party.post(&path, json!({})).await.0, 404);
    let listed = expect(world.party.get("/api/me/attendees").await, 200);
    assert_eq!(listed["attendees"][0]["given_at"], Value::Null);
}

on_both_backends!(
    an_observer_waits_until_every_party_has_consented,
    attendance_consents_refuse_what_does_not_fit,
);
