//! Consents: given to the exact text served, recorded with its hash, required before a live
//! session, and withdrawable — which, for taking part at all, ends the participation.

use super::world::{add_party, invite, World};
use accord_tests::live::LiveClient;
use accord_tests::{expect, Backend, Browser};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

async fn fresh_party(world: &World) -> (String, Browser) {
    let id = add_party(&world.mediator, &world.case, "钱丁", "respondent").await;
    let mut browser = world.app.browser();
    let link = invite(&world.mediator, &world.case, &id).await;
    expect(browser.redeem(link["link"].as_str().unwrap()).await, 200);
    (id, browser)
}

fn kinds_where(listed: &Value, required: bool) -> Vec<String> {
    listed["consents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["required"] == json!(required))
        .map(|c| c["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn consents_record_the_exact_text_shown(backend: Backend) {
    let world = World::build(backend).await;
    let (id, party) = fresh_party(&world).await;
    let listed = expect(party.get("/api/me/consents?lang=en").await, 200);
    assert_eq!(
        kinds_where(&listed, true),
        [
            "voluntary_participation",
            "rights_notice",
            "online_mode",
            "mediator_acceptance",
            "confidentiality",
            "identity_verification",
            "personal_information"
        ]
    );
    assert_eq!(
        kinds_where(&listed, false),
        ["service_address", "electronic_signature", "recording"]
    );
    let acceptance = listed["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "mediator_acceptance")
        .unwrap()
        .clone();
    assert!(
        acceptance["text"].as_str().unwrap().contains("mediator"),
        "the mediator is named"
    );
    assert_eq!(acceptance["given_at"], Value::Null);

    let version = listed["version"].as_str().unwrap();
    let give = json!({"kind": "mediator_acceptance", "version": version, "language": "en"});
    expect(party.post("/api/me/consents", give.clone()).await, 201);
    expect(party.post("/api/me/consents", give).await, 201);
    let after = expect(party.get("/api/me/consents?lang=en").await, 200);
    assert!(after["consents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["kind"] == "mediator_acceptance" && c["given_at"].is_string()));

    let recorded = expect(
        world
            .mediator
            .get(&format!("/api/cases/{}/consents", world.case))
            .await,
        200,
    );
    let mine: Vec<&Value> = recorded
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["participant_id"] == id.as_str())
        .collect();
    assert_eq!(
        mine.len(),
        1,
        "giving the same consent twice records it once"
    );
    let shown = format!(
        "{}\n\n{}",
        acceptance["title"].as_str().unwrap(),
        acceptance["text"].as_str().unwrap()
    );
    assert_eq!(
        mine[0]["text_hash"],
        hex::encode(Sha256::digest(shown.as_bytes()))
    );
    assert_eq!(
        (mine[0]["language"].as_str(), mine[0]["channel"].as_str()),
        (Some("en"), Some("web"))
    );

    let log = expect(
        world
            .admin
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    assert!(log["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "consent_given"));
    assert_eq!(log["chain_intact"], true);

    // Outdated texts, strange kinds and malformed requests are refused and recorded nowhere.
    let outdated = expect(
        party
            .post(
                "/api/me/consents",
                json!({"kind": "recording", "version": "1999-01-01", "language": "en"}),
            )
            .await,
        409,
    );
    assert_eq!(outdated["code"], "consent_text_outdated");
    let strange = expect(
        party
            .post(
                "/api/me/consents",
                json!({"kind": "everything", "version": version, "language": "en"}),
            )
            .await,
        422,
    );
    assert_eq!(strange["details"][0]["field"], "kind");
    expect(
        party
            .post("/api/me/consents", json!({"kind": "recording"}))
            .await,
        422,
    );
    expect(
        party
            .post("/api/me/consents/recording/withdraw", json!({}))
            .await,
        404,
    );
    let recorded = expect(
        world
            .mediator
            .get(&format!("/api/cases/{}/consents", world.case))
            .await,
        200,
    );
    assert_eq!(
        recorded
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["participant_id"] == id.as_str())
            .count(),
        1
    );
}

async fn observers_are_asked_only_what_concerns_them(backend: Backend) {
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
    expect(browser.redeem(link["link"].as_str().unwrap()).await, 200);
    let listed = expect(browser.get("/api/me/consents").await, 200);
    assert_eq!(
        listed["language"], "zh-CN",
        "Chinese unless asked otherwise"
    );
    assert_eq!(
        kinds_where(&listed, true),
        ["online_mode", "confidentiality", "personal_information"]
    );
    let version = listed["version"].as_str().unwrap();
    let refused = expect(
        browser
            .post(
                "/api/me/consents",
                json!({"kind": "voluntary_participation", "version": version, "language": "zh-CN"}),
            )
            .await,
        422,
    );
    assert_eq!(refused["details"][0]["field"], "kind");
}

async fn a_session_needs_the_consents_and_withdrawing_ends_the_participation(backend: Backend) {
    let world = World::build(backend).await;
    expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{}/transitions", world.case),
                json!({"transition": "accept"}),
            )
            .await,
        200,
    );
    let (id, party) = fresh_party(&world).await;
    let member = format!("p-{id}");
    let refused = LiveClient::connect(&party, &world.case)
        .await
        .expect_err("refused");
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (409, Some("consents_missing"))
    );
    assert_eq!(refused.body["details"].as_array().unwrap().len(), 7);

    super::world::give_required_consents(&party).await;
    let mut mediator = LiveClient::connect(&world.mediator, &world.case)
        .await
        .expect("mediator in");
    let mut client = LiveClient::connect(&party, &world.case)
        .await
        .expect("party in");
    mediator
        .state_where(|s| {
            s["waiting"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["id"] == member.as_str())
        })
        .await;
    mediator
        .request(json!({"type": "admit", "member": member}))
        .await;
    client.state_where(|s| s["status"] == "admitted").await;

    // Withdrawing consent to take part, from the consent page, sends them out at once.
    expect(
        party
            .post(
                "/api/me/consents/voluntary_participation/withdraw",
                json!({}),
            )
            .await,
        204,
    );
    assert_eq!(
        client.next_of("goodbye").await.unwrap()["reason"],
        "withdrew"
    );
    let notice = mediator
        .next_of("withdrawn")
        .await
        .expect("the mediator is told");
    assert_eq!(
        (notice["member"].as_str(), notice["name"].as_str()),
        (Some(member.as_str()), Some("钱丁"))
    );
    let again = LiveClient::connect(&party, &world.case)
        .await
        .expect_err("refused");
    assert_eq!(again.body["code"], "consents_missing");
    assert_eq!(again.body["details"][0]["field"], "voluntary_participation");

    // Consenting again lets them back (through the waiting room); leaving with "withdraw"
    // from the session records the same.
    super::world::give_required_consents(&party).await;
    let mut client = LiveClient::connect(&party, &world.case)
        .await
        .expect("party back");
    client.state_where(|s| s["status"] == "waiting").await;
    mediator
        .request(json!({"type": "admit", "member": member}))
        .await;
    client.state_where(|s| s["status"] == "admitted").await;
    let ack = client
        .request(json!({"type": "leave", "withdraw": true}))
        .await;
    assert_eq!(ack["type"], "ack");
    assert_eq!(
        client.next_of("goodbye").await.unwrap()["reason"],
        "withdrew"
    );
    mediator.next_of("withdrawn").await.expect("told again");
    let mediator_cannot = mediator
        .request(json!({"type": "leave", "withdraw": true}))
        .await;
    assert_eq!(mediator_cannot["code"], "not_a_party");

    let recorded = expect(
        world
            .mediator
            .get(&format!("/api/cases/{}/consents", world.case))
            .await,
        200,
    );
    let withdrawn = recorded
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["participant_id"] == id.as_str() && c["kind"] == "voluntary_participation")
        .filter(|c| c["withdrawn_at"].is_string())
        .count();
    assert_eq!(withdrawn, 2, "each withdrawal is on the record");
    let log = expect(
        world
            .admin
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    let kinds: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "consent_withdrawn").count(),
        2
    );
}

/// OMR 22: recording needs every party's consent; one withdrawal turns it off again.
async fn recording_needs_every_party(backend: Backend) {
    let world = World::build(backend).await;
    let (other, other_browser) = fresh_party(&world).await;
    let path = format!("/api/cases/{}/recording", world.case);
    let before = expect(world.mediator.get(&path).await, 200);
    assert_eq!(before["allowed"], false);
    assert_eq!(before["missing"].as_array().unwrap().len(), 2);
    let version = expect(world.party.get("/api/me/consents").await, 200)["version"].clone();
    let recording = json!({"kind": "recording", "version": version, "language": "zh-CN"});
    expect(
        world
            .party
            .post("/api/me/consents", recording.clone())
            .await,
        201,
    );
    let half = expect(world.mediator.get(&path).await, 200);
    assert_eq!(half["missing"], json!([other]));
    expect(other_browser.post("/api/me/consents", recording).await, 201);
    assert_eq!(
        expect(world.mediator.get(&path).await, 200)["allowed"],
        true
    );
    expect(
        world
            .party
            .post("/api/me/consents/recording/withdraw", json!({}))
            .await,
        204,
    );
    assert_eq!(
        expect(world.mediator.get(&path).await, 200)["allowed"],
        false
    );
    assert_eq!(world.party.get(&path).await.0, 403);
    assert_eq!(world.mediator2.get(&path).await.0, 404);
}

on_both_backends!(
    recording_needs_every_party,
    consents_record_the_exact_text_shown,
    observers_are_asked_only_what_concerns_them,
    a_session_needs_the_consents_and_withdrawing_ends_the_participation,
);
