//! Consent 5 (PML 20, 23(3)): an invited participant or an observer is admitted to the session
//! only once every party has consented to them, each to the exact text they were shown, and
//! goes back to the waiting room as soon as one of them withdraws.

use super::live::{accept, join, respondent};
use super::world::{add_party, give_required_consents, invite, World};
use accord_tests::{expect, Backend, Browser};
use serde_json::{json, Value};

/// An observer of case 1, signed in in their own browser with their own consents given.
pub(super) async fn observer(world: &World) -> (String, Browser) {
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

/// Every one of `parties` consents to `attendee`, to the current text.
pub(super) async fn consented_by(parties: &[&Browser], attendee: &str) {
    for party in parties {
        let version = expect(party.get("/api/me/attendees").await, 200)["version"].clone();
        let given = json!({"version": version, "language": "zh-CN"});
        assert_eq!(consent(party, attendee, given).await.0, 201);
    }
}

/// A party withdraws their consent to `attendee`.
pub(super) async fn withdrawn_by(party: &Browser, attendee: &str) {
    let path = format!("/api/me/attendees/{attendee}/withdraw");
    expect(party.post(&path, json!({})).await, 204);
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

/// Whether `member` is among the `state`'s `key` (`members` or `waiting`).
fn lists(state: &Value, key: &str, member: &str) -> bool {
    state[key]
        .as_array()
        .is_some_and(|list| list.iter().any(|m| m["id"] == member))
}

async fn a_withdrawn_consent_sends_the_observer_back_to_wait(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let (b_member, party_b) = respondent(&world).await;
    let (observer_id, observer_browser) = observer(&world).await;
    consented_by(&[&world.party, &party_b], &observer_id).await;
    let member = format!("p-{observer_id}");
    let admit = json!({"type": "admit", "member": member});

    // The observer is let in, and follows the mediator into a caucus.
    let mut mediator = join(&world.mediator, &world.case).await;
    let mut observer = join(&observer_browser, &world.case).await;
    mediator.state_where(|s| lists(s, "waiting", &member)).await;
    assert_eq!(mediator.request(admit.clone()).await["type"], "ack");
    mediator
        .request(json!({"type": "create_room", "name": "单独谈话"}))
        .await;
    for who in [member.clone(), format!("s-{}", world.mediator_id)] {
        let moved = mediator
            .request(json!({"type": "move", "member": who, "room": 1}))
            .await;
        assert_eq!(moved["type"], "ack");
    }
    observer
        .state_where(|s| s["room"]["id"] == 1 && s["members"].as_array().unwrap().len() == 1)
        .await;

    // Party B withdraws on their consents page: the observer is out of every room at once.
    withdrawn_by(&party_b, &observer_id).await;
    let told = observer
        .next_of("returned_to_waiting")
        .await
        .expect("the observer is told why");
    assert_eq!(
        told,
        json!({"type": "returned_to_waiting", "reason": "attendance_withdrawn"}),
        "the observer is not told which party withdrew"
    );
    let waiting = observer.state_where(|s| s["status"] == "waiting").await;
    assert_eq!(waiting["members"], json!([]), "they see no one");
    assert!(waiting.get("room").is_none());
    let notice = mediator
        .next_of("attendance_withdrawn")
        .await
        .expect("the mediator is told");
    assert_eq!(
        (
            notice["member"].as_str(),
            notice["name"].as_str(),
            notice["party"].as_str(),
            notice["party_name"].as_str(),
        ),
        (
            Some(member.as_str()),
            Some("周旁听"),
            Some(b_member.as_str()),
            Some("王乙")
        )
    );
    mediator
        .state_where(|s| lists(s, "waiting", &member) && !lists(s, "members", &member))
        .await;
    // Nothing reaches them, nor goes from them: no chat, no media.
    let chat = observer
        .request(json!({"type": "chat", "text": "我还能听到吗"}))
        .await;
    assert_eq!(chat["code"], "not_admitted");
    let offer = observer
        .request(json!({"type": "offer", "sdp": "v=0"}))
        .await;
    assert_eq!(offer["code"], "not_admitted");

    // Not again until party B agrees again; then as anyone waiting, to the joint room.
    let refused = mediator.request(admit.clone()).await;
    assert_eq!(refused["code"], "attendance_not_consented");
    let message = refused["message"].as_str().unwrap();
    assert!(
        message.contains("王乙") && !message.contains("李甲"),
        "{message}"
    );
    consented_by(&[&party_b], &observer_id).await;
    assert_eq!(mediator.request(admit).await["type"], "ack");
    let back = observer.state_where(|s| s["status"] == "admitted").await;
    assert_eq!(back["room"]["id"], 0);

    let log = expect(
        world
            .admin
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    assert_eq!(log["chain_intact"], true);
    let returned: Vec<&Value> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "session_returned_to_waiting")
        .collect();
    assert_eq!(returned.len(), 1, "the departure is on the record");
    assert_eq!(returned[0]["payload"]["member"], member.as_str());
    assert_eq!(
        returned[0]["actor"],
        format!("participant:{}", b_member.trim_start_matches("p-")),
        "caused by the party who withdrew"
    );
}

/// A party added to the case mid-session has agreed to nobody attending yet: the observer in
/// the joint room goes back to wait until that party agrees too; the record names the mediator
/// who added the party as the cause.
async fn a_new_party_sends_the_observer_back_to_wait(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let (observer_id, observer_browser) = observer(&world).await;
    consented_by(&[&world.party], &observer_id).await;
    let member = format!("p-{observer_id}");
    let admit = json!({"type": "admit", "member": member});
    let mut mediator = join(&world.mediator, &world.case).await;
    let mut observer = join(&observer_browser, &world.case).await;
    mediator.state_where(|s| lists(s, "waiting", &member)).await;
    assert_eq!(mediator.request(admit.clone()).await["type"], "ack");
    observer.state_where(|s| s["status"] == "admitted").await;

    let newcomer = add_party(&world.mediator, &world.case, "孙丙", "respondent").await;
    let told = observer
        .next_of("returned_to_waiting")
        .await
        .expect("the observer is told why");
    assert_eq!(
        told,
        json!({"type": "returned_to_waiting", "reason": "party_added"})
    );
    observer.state_where(|s| s["status"] == "waiting").await;
    let notice = mediator
        .next_of("attendance_withdrawn")
        .await
        .expect("the mediator is told");
    assert_eq!(notice["reason"], "party_added");
    assert_eq!(notice["party"], format!("p-{newcomer}"));
    assert_eq!(notice["party_name"], "孙丙");
    let refused = mediator.request(admit.clone()).await;
    assert_eq!(refused["code"], "attendance_not_consented");
    assert!(refused["message"].as_str().unwrap().contains("孙丙"));

    // Once the new party agrees, the observer may come back.
    let mut newcomer_browser = world.app.browser();
    let link = invite(&world.mediator, &world.case, &newcomer).await;
    expect(
        newcomer_browser
            .redeem(link["link"].as_str().unwrap())
            .await,
        200,
    );
    give_required_consents(&newcomer_browser).await;
    consented_by(&[&newcomer_browser], &observer_id).await;
    assert_eq!(mediator.request(admit).await["type"], "ack");

    let log = expect(
        world
            .admin
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    let returned = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "session_returned_to_waiting")
        .expect("the departure is on the record");
    assert_eq!(returned["actor"], format!("user:{}", world.mediator_id));
}

/// A consent withdrawn while the observer is only waiting, or while no session runs, changes
/// nobody's place; the mediators in a session are still told why admitting them is refused.
async fn a_withdrawal_while_waiting_only_tells_the_mediator(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let (_, party_b) = respondent(&world).await;
    let (observer_id, observer_browser) = observer(&world).await;
    consented_by(&[&world.party, &party_b], &observer_id).await;
    withdrawn_by(&world.party, &observer_id).await;
    consented_by(&[&world.party], &observer_id).await;

    let member = format!("p-{observer_id}");
    let mut mediator = join(&world.mediator, &world.case).await;
    let mut observer = join(&observer_browser, &world.case).await;
    mediator.state_where(|s| lists(s, "waiting", &member)).await;
    withdrawn_by(&world.party, &observer_id).await;
    let notice = mediator
        .next_of("attendance_withdrawn")
        .await
        .expect("the mediator is told");
    assert_eq!(notice["party_name"], "李甲");
    assert!(observer
        .next_within(std::time::Duration::from_millis(300), |m| {
            m["type"] == "returned_to_waiting"
        })
        .await
        .is_none());
    let refused = mediator
        .request(json!({"type": "admit", "member": member}))
        .await;
    assert_eq!(refused["code"], "attendance_not_consented");
}

on_both_backends!(
    an_observer_waits_until_every_party_has_consented,
    attendance_consents_refuse_what_does_not_fit,
    a_withdrawn_consent_sends_the_observer_back_to_wait,
    a_withdrawal_while_waiting_only_tells_the_mediator,
    a_new_party_sends_the_observer_back_to_wait,
);
