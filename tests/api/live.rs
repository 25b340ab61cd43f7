//! Live sessions over the real WebSocket: the waiting room, admission and denial, rooms and
//! chat, resuming after a dropped connection, and bad input.

use super::world::{add_party, invite, World};
use accord_tests::live::LiveClient;
use accord_tests::{expect, Backend, Browser};
use serde_json::{json, Value};
use sha2::Digest as _;
use std::time::Duration;

pub(super) async fn accept(world: &World) {
    let case = &world.case;
    expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{case}/transitions"),
                json!({"transition": "accept"}),
            )
            .await,
        200,
    );
}

/// A second party of case 1, signed in in their own browser.
pub(super) async fn respondent(world: &World) -> (String, Browser) {
    let id = add_party(&world.mediator, &world.case, "王乙", "respondent").await;
    let mut browser = world.app.browser();
    let link = invite(&world.mediator, &world.case, &id).await;
    expect(browser.redeem(link["link"].as_str().unwrap()).await, 200);
    super::world::give_required_consents(&browser).await;
    (format!("p-{id}"), browser)
}

pub(super) async fn join(browser: &Browser, case: &str) -> LiveClient {
    let mut client = LiveClient::connect(browser, case).await.expect("joined");
    let welcome = client.next_of("welcome").await.expect("a welcome");
    assert_eq!(welcome["protocol"], "accord.v1");
    client
}

fn waiting_ids(state: &Value) -> Vec<String> {
    state["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

fn member_ids(state: &Value) -> Vec<String> {
    let mut ids: Vec<String> = state["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

async fn event_kinds(world: &World) -> Vec<String> {
    let log = expect(
        world
            .admin
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    assert_eq!(log["chain_intact"], true);
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn everyone_waits_until_a_mediator_admits_them(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let party_member = format!("p-{}", world.party_id);
    // The party arrives before the mediator: they wait, and see nobody.
    let mut party = join(&world.party, &world.case).await;
    let waiting = party.state_where(|s| s["status"] == "waiting").await;
    assert_eq!(waiting["members"], json!([]));
    assert_eq!(waiting["waiting"], json!([]));
    let refused = party
        .request(json!({"type": "chat", "text": "hello?"}))
        .await;
    assert_eq!(refused["code"], "not_admitted");
    let refused = party.request(json!({"type": "offer", "sdp": "v=0"})).await;
    assert_eq!(refused["code"], "not_admitted");

    let mut mediator = join(&world.mediator, &world.case).await;
    let knocking = mediator
        .state_where(|s| !s["waiting"].as_array().unwrap().is_empty())
        .await;
    assert_eq!(knocking["waiting"][0]["name"], "李甲");
    assert_eq!(knocking["waiting"][0]["role"], "party");
    assert_eq!(knocking["waiting"][0]["side"], "applicant");
    // A party cannot let themself in.
    let refused = party
        .request(json!({"type": "admit", "member": party_member}))
        .await;
    assert_eq!(refused["code"], "not_a_mediator");

    let ack = mediator
        .request(json!({"type": "admit", "member": party_member}))
        .await;
    assert_eq!(ack["type"], "ack");
    let inside = party.state_where(|s| s["status"] == "admitted").await;
    assert_eq!(
        inside["room"],
        json!({"id": 0, "name": "", "private": false})
    );
    assert_eq!(member_ids(&inside), [format!("s-{}", world.mediator_id)]);

    let kinds = event_kinds(&world).await;
    for kind in [
        "session_knocked",
        "session_started",
        "session_joined",
        "session_admitted",
    ] {
        assert!(
            kinds.contains(&kind.to_owned()),
            "{kind} missing from {kinds:?}"
        );
    }
    let case = expect(
        world
            .mediator
            .get(&format!("/api/cases/{}", world.case))
            .await,
        200,
    );
    assert_eq!(
        case["status"], "in_mediation",
        "the first session starts the mediation"
    );
}

async fn a_denied_party_stays_out(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let (member, browser) = respondent(&world).await;
    let mut mediator = join(&world.mediator, &world.case).await;
    let mut party = join(&browser, &world.case).await;
    mediator
        .state_where(|s| waiting_ids(s).contains(&member))
        .await;
    let ack = mediator
        .request(json!({"type": "deny", "member": member, "reason": "请本人参加"}))
        .await;
    assert_eq!(ack["type"], "ack");
    let goodbye = party.next_of("goodbye").await.expect("a goodbye");
    assert_eq!(
        (goodbye["reason"].as_str(), goodbye["message"].as_str()),
        (Some("denied"), Some("请本人参加"))
    );
    assert_eq!(party.closed().await, Some(4403));
    let mut again = LiveClient::connect(&browser, &world.case)
        .await
        .expect("upgrade");
    let goodbye = again.next_of("goodbye").await.expect("turned away");
    assert_eq!(goodbye["reason"], "denied");
    assert_eq!(again.closed().await, Some(4403));
    assert!(event_kinds(&world)
        .await
        .contains(&"session_denied".to_owned()));
}

/// A mediator locks the session: the party who has not knocked yet is turned away and told
/// why; once it is unlocked, they knock as anyone would. Only a mediator locks.
async fn a_locked_session_turns_newcomers_away(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let (member, browser) = respondent(&world).await;
    let mut mediator = join(&world.mediator, &world.case).await;
    // Party A knocks before the lock, and keeps their place.
    let mut first = join(&world.party, &world.case).await;
    let first_member = format!("p-{}", world.party_id);
    mediator
        .state_where(|s| waiting_ids(s).contains(&first_member))
        .await;
    let lock = |locked: bool| json!({"type": "lock", "locked": locked});
    assert_eq!(mediator.request(lock(true)).await["type"], "ack");
    mediator
        .state_where(|s| s["locked"] == true && waiting_ids(s).contains(&first_member))
        .await;

    let mut turned = LiveClient::connect(&browser, &world.case)
        .await
        .expect("upgrade");
    let goodbye = turned.next_of("goodbye").await.expect("turned away");
    assert_eq!(goodbye["reason"], "locked");
    assert_eq!(turned.closed().await, Some(4423));

    // Only a mediator unlocks.
    let refused = first.request(lock(false)).await;
    assert_eq!(refused["type"], "error", "{refused}");

    assert_eq!(mediator.request(lock(false)).await["type"], "ack");
    let _knocking = join(&browser, &world.case).await;
    mediator
        .state_where(|s| s["locked"] == false && waiting_ids(s).contains(&member))
        .await;
    assert!(event_kinds(&world)
        .await
        .contains(&"session_locked".to_owned()));
}

async fn only_the_case_people_may_open_its_session(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let refusal = |r: Result<LiveClient, accord_tests::live::Refused>| {
        r.err().map(|e| (e.status, e.body["code"].clone()))
    };
    assert_eq!(
        refusal(LiveClient::connect(&world.party2, &world.case).await),
        Some((404, json!("not_found")))
    );
    assert_eq!(
        refusal(LiveClient::connect(&world.colleague, &world.case).await),
        Some((404, json!("not_found")))
    );
    assert_eq!(
        refusal(LiveClient::connect(&world.admin, &world.case).await),
        Some((403, json!("forbidden")))
    );
    assert_eq!(
        refusal(LiveClient::connect(&world.app.browser(), &world.case).await),
        Some((401, json!("unauthenticated")))
    );
    // A case that is not (yet) in mediation has no session.
    assert_eq!(
        refusal(LiveClient::connect(&world.party2, &world.case2).await),
        Some((409, json!("case_not_in_mediation")))
    );
    // Without the subprotocol, or from another site, no upgrade.
    let url = accord_tests::live::live_url(&world.mediator, &world.case);
    let cookie = world.mediator.cookie_header().unwrap();
    for (protocol, origin, status) in [
        (None, None, 400),
        (Some("accord.v1"), Some("https://evil.example"), 403),
    ] {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
        let mut request = url.clone().into_client_request().unwrap();
        request
            .headers_mut()
            .insert("cookie", cookie.parse().unwrap());
        if let Some(p) = protocol {
            request
                .headers_mut()
                .insert("sec-websocket-protocol", p.parse().unwrap());
        }
        if let Some(o) = origin {
            request.headers_mut().insert("origin", o.parse().unwrap());
        }
        match tokio_tungstenite::connect_async(request).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status().as_u16(), status);
            }
            other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
        }
    }
}

async fn reconnecting_never_skips_the_waiting_room(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let mut mediator = join(&world.mediator, &world.case).await;
    let party = join(&world.party, &world.case).await;
    party.cut();
    let mut party = join(&world.party, &world.case).await;
    party.state_where(|s| s["status"] == "waiting").await;
    let state = mediator
        .state_where(|s| s["waiting"].as_array().unwrap().len() == 1)
        .await;
    assert_eq!(state["members"], json!([]));
}

async fn a_dropped_connection_resumes_in_its_room(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let member = format!("p-{}", world.party_id);
    let mut mediator = join(&world.mediator, &world.case).await;
    let party = join(&world.party, &world.case).await;
    mediator
        .state_where(|s| waiting_ids(s).contains(&member))
        .await;
    mediator
        .request(json!({"type": "admit", "member": member}))
        .await;
    let created = mediator
        .request(json!({"type": "create_room", "name": "与申请人单独谈话"}))
        .await;
    assert_eq!(created["type"], "ack");
    mediator
        .request(json!({"type": "move", "member": member, "room": 1}))
        .await;
    party.cut();
    mediator
        .state_where(|s| s["members"][0]["connected"] == false)
        .await;

    let mut party = join(&world.party, &world.case).await;
    let state = party.state_where(|s| s["status"] == "admitted").await;
    assert_eq!(
        state["room"],
        json!({"id": 1, "name": "与申请人单独谈话", "private": true})
    );
    assert!(event_kinds(&world)
        .await
        .contains(&"session_resumed".to_owned()));

    // After the grace period, a dropped member has left and must knock again.
    party.cut();
    mediator
        .state_where(|s| s["members"][0]["connected"] == false)
        .await;
    world.app.clock.advance(31_000);
    mediator
        .state_where(|s| s["members"].as_array().unwrap().is_empty())
        .await;
    let mut party = join(&world.party, &world.case).await;
    party.state_where(|s| s["status"] == "waiting").await;
    assert!(event_kinds(&world)
        .await
        .contains(&"session_left".to_owned()));
}

async fn chat_stays_in_its_room(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let (b_member, b_browser) = respondent(&world).await;
    let a_member = format!("p-{}", world.party_id);
    let m_member = format!("s-{}", world.mediator_id);
    let mut m = join(&world.mediator, &world.case).await;
    let mut a = join(&world.party, &world.case).await;
    let mut b = join(&b_browser, &world.case).await;
    m.state_where(|s| waiting_ids(s).len() == 2).await;
    m.request(json!({"type": "admit", "member": a_member}))
        .await;
    m.request(json!({"type": "admit", "member": b_member}))
        .await;
    b.state_where(|s| member_ids(s).len() == 2).await;

    m.request(json!({"type": "chat", "text": "大家好"})).await;
    for client in [&mut m, &mut a, &mut b] {
        let chat = client.next_of("chat").await.expect("joint-room chat");
        assert_eq!(
            (chat["text"].as_str(), chat["room"].as_u64()),
            (Some("大家好"), Some(0))
        );
    }

    m.request(json!({"type": "create_room", "name": "caucus"}))
        .await;
    m.request(json!({"type": "move", "member": a_member, "room": 1}))
        .await;
    m.request(json!({"type": "move", "member": m_member, "room": 1}))
        .await;
    let b_view = b
        .state_where(|s| s["members"].as_array().unwrap().is_empty())
        .await;
    assert_eq!(b_view["room"]["id"], 0);
    a.state_where(|s| s["room"]["private"] == true).await;

    a.request(json!({"type": "chat", "text": "私下说"})).await;
    assert_eq!(m.next_of("chat").await.unwrap()["text"], "私下说");
    assert_eq!(a.next_of("chat").await.unwrap()["text"], "私下说");
    b.request(json!({"type": "chat", "text": "有人吗"})).await;
    assert_eq!(b.next_of("chat").await.unwrap()["text"], "有人吗");
    // Neither side's words reach the other.
    assert!(b
        .next_within(Duration::from_millis(500), |m| m["type"] == "chat")
        .await
        .is_none());
    assert!(a
        .next_within(Duration::from_millis(200), |m| m["type"] == "chat")
        .await
        .is_none());
    assert!(m
        .next_within(Duration::from_millis(200), |m| m["type"] == "chat")
        .await
        .is_none());

    let log = expect(
        world
            .admin
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    let chats: Vec<(String, u64)> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "chat_posted")
        .map(|e| {
            assert!(
                e["payload"].get("text").is_none(),
                "no chat text in the chain: {e}"
            );
            (
                e["payload"]["text_sha256"].as_str().unwrap().to_owned(),
                e["payload"]["room"].as_u64().unwrap(),
            )
        })
        .collect();
    let sha = |text: &str| hex::encode(sha2::Sha256::digest(text.as_bytes()));
    assert_eq!(
        chats,
        [(sha("大家好"), 0), (sha("私下说"), 1), (sha("有人吗"), 0)],
        "the chain commits to each message"
    );
    // The log shows each message beside its commitment, for the staff who read the record.
    let shown: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "chat_posted")
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert_eq!(shown, ["大家好", "私下说", "有人吗"]);
    // The texts themselves are kept beside the chain, per room.
    let kept: Vec<(String, i64)> = sqlx::query_as(
        "SELECT text, room FROM chat_messages WHERE case_id = $1 ORDER BY posted_at, text",
    )
    .bind(&world.case)
    .fetch_all(world.app.db.pool())
    .await
    .unwrap();
    let mut expected = vec![
        ("大家好".to_owned(), 0),
        ("私下说".to_owned(), 1),
        ("有人吗".to_owned(), 0),
    ];
    expected.sort();
    let mut kept_sorted = kept.clone();
    kept_sorted.sort();
    assert_eq!(kept_sorted, expected);
    assert!(event_kinds(&world)
        .await
        .contains(&"session_moved".to_owned()));

    // A kept text edited in the database no longer matches the chain, and the log says so.
    assert_eq!(log["texts_intact"], true);
    sqlx::query(
        "UPDATE chat_messages SET text = '我没说过' WHERE case_id = $1 AND text = '私下说'",
    )
    .bind(&world.case)
    .execute(world.app.db.pool())
    .await
    .unwrap();
    let log = expect(
        world
            .admin
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    assert_eq!(log["texts_intact"], false);
    assert!(log["first_altered_text"]
        .as_str()
        .is_some_and(|what| what.starts_with("chat message")));
}

async fn mediators_mute_remove_and_end(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let (b_member, b_browser) = respondent(&world).await;
    let a_member = format!("p-{}", world.party_id);
    let mut m = join(&world.mediator, &world.case).await;
    let mut a = join(&world.party, &world.case).await;
    let mut b = join(&b_browser, &world.case).await;
    m.state_where(|s| waiting_ids(s).len() == 2).await;
    m.request(json!({"type": "admit", "member": a_member}))
        .await;
    m.request(json!({"type": "admit", "member": b_member}))
        .await;

    m.request(json!({"type": "mute", "member": a_member, "kind": "audio"}))
        .await;
    assert_eq!(a.next_of("muted").await.unwrap()["kind"], "audio");
    a.state_where(|s| s["you"]["audio_muted"] == true).await;
    let refused = a
        .request(json!({"type": "mute", "member": b_member, "kind": "audio"}))
        .await;
    assert_eq!(refused["code"], "not_a_mediator");
    a.request(json!({"type": "mute_self", "kind": "audio", "muted": false}))
        .await;
    m.state_where(|s| {
        s["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == a_member.as_str() && x["audio_muted"] == false)
    })
    .await;
    a.request(json!({"type": "raise_hand", "raised": true}))
        .await;
    m.state_where(|s| {
        s["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["hand_raised"] == true)
    })
    .await;

    m.request(json!({"type": "remove", "member": b_member, "reason": "扰乱秩序"}))
        .await;
    assert_eq!(b.next_of("goodbye").await.unwrap()["reason"], "removed");
    assert_eq!(b.closed().await, Some(4403));
    let mut back = LiveClient::connect(&b_browser, &world.case)
        .await
        .expect("upgrade");
    assert_eq!(back.next_of("goodbye").await.unwrap()["reason"], "removed");

    let refused = a.request(json!({"type": "end_session"})).await;
    assert_eq!(refused["code"], "not_a_mediator");
    m.request(json!({"type": "end_session"})).await;
    assert_eq!(a.next_of("goodbye").await.unwrap()["reason"], "ended");
    assert_eq!(a.closed().await, Some(4410));
    assert_eq!(m.closed().await, Some(4410));
    let kinds = event_kinds(&world).await;
    for kind in ["session_removed", "session_ended"] {
        assert!(kinds.contains(&kind.to_owned()), "{kind} missing");
    }
}

async fn bad_messages_get_errors_and_floods_are_cut_off(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let mut m = join(&world.mediator, &world.case).await;
    m.send_text("{not json").await;
    assert_eq!(m.next_of("error").await.unwrap()["code"], "bad_message");
    m.send_text(r#"{"type":"teleport","id":1}"#).await;
    assert_eq!(m.next_of("error").await.unwrap()["code"], "bad_message");
    m.send_text(r#"{"type":"chat","id":2,"text":"x","extra":true}"#)
        .await;
    assert_eq!(m.next_of("error").await.unwrap()["code"], "bad_message");
    let unknown = m
        .request(json!({"type": "admit", "member": "p-nobody"}))
        .await;
    assert_eq!(unknown["code"], "unknown_member");
    let no_room = m
        .request(json!({"type": "move", "member": format!("s-{}", world.mediator_id), "room": 9}))
        .await;
    assert_eq!(no_room["code"], "unknown_room");
    // The connection is still good.
    assert_eq!(
        m.request(json!({"type": "chat", "text": "still here"}))
            .await["type"],
        "ack"
    );

    // An oversized message closes only that connection.
    let mut party = join(&world.party, &world.case).await;
    party
        .send_text(format!(
            r#"{{"type":"chat","id":1,"text":"{}"}}"#,
            "x".repeat(70_000)
        ))
        .await;
    assert_eq!(party.closed().await, Some(1009));

    // A flood closes only that connection.
    let mut flooder = join(&world.party, &world.case).await;
    for _ in 0..200 {
        flooder
            .send_text(r#"{"type":"raise_hand","id":1,"raised":true}"#)
            .await;
    }
    assert_eq!(flooder.closed().await, Some(1008));
    assert_eq!(
        m.request(json!({"type": "chat", "text": "carry on"})).await["type"],
        "ack"
    );
}

async fn a_second_window_replaces_the_first(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let mut first = join(&world.mediator, &world.case).await;
    let _second = join(&world.mediator, &world.case).await;
    assert_eq!(
        first.next_of("goodbye").await.unwrap()["reason"],
        "replaced"
    );
    assert_eq!(first.closed().await, Some(4409));
}

on_both_backends!(
    everyone_waits_until_a_mediator_admits_them,
    a_denied_party_stays_out,
    a_locked_session_turns_newcomers_away,
    only_the_case_people_may_open_its_session,
    reconnecting_never_skips_the_waiting_room,
    a_dropped_connection_resumes_in_its_room,
    chat_stays_in_its_room,
    mediators_mute_remove_and_end,
    bad_messages_get_errors_and_floods_are_cut_off,
    a_second_window_replaces_the_first,
);
