//! Termination (PML 26): the mediator ends a failed mediation with its reasons and the notice of
//! the parties' other routes; the case is terminated, its live session ends, and the parties read
//! the termination and the notice in their language.

use super::world::World;
use accord_tests::live::LiveClient;
use accord_tests::{expect, Backend};
use serde_json::{json, Value};
use sha2::Digest as _;

fn termination_of(case: &str) -> String {
    format!("/api/cases/{case}/termination")
}

async fn accept(world: &World) {
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
}

async fn case_status(world: &World) -> String {
    let case = expect(
        world.admin.get(&format!("/api/cases/{}", world.case)).await,
        200,
    );
    case["status"].as_str().unwrap().to_owned()
}

async fn events(world: &World) -> Vec<Value> {
    let log = expect(
        world
            .admin
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    assert_eq!(log["chain_intact"], true);
    log["events"].as_array().unwrap().clone()
}

async fn a_failed_mediation_ends_with_the_notice_of_other_routes(backend: Backend) {
    let world = World::build(backend).await;
    let case = world.case.as_str();
    accept(&world).await;
    let member = format!("p-{}", world.party_id);
    let mut mediator = LiveClient::connect(&world.mediator, case)
        .await
        .expect("mediator in");
    let mut party = LiveClient::connect(&world.party, case)
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
    party.state_where(|s| s["status"] == "admitted").await;
    expect(world.party.get("/api/me/termination").await, 404);

    let terminated = expect(
        world
            .mediator
            .post(
                &termination_of(case),
                json!({"reasons": ["no_agreement", "party_refused", "no_agreement"],
                       "details": "被申请人不同意任何赔偿方案。"}),
            )
            .await,
        201,
    );
    assert_eq!(
        terminated["reasons"],
        json!(["party_refused", "no_agreement"])
    );
    assert_eq!(terminated["details"], "被申请人不同意任何赔偿方案。");
    assert_eq!(terminated["terminated_at"], "2026-03-01T00:00:00Z");
    let notices = terminated["notices"].as_array().unwrap();
    let languages: Vec<&str> = notices
        .iter()
        .map(|n| n["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages, ["zh-CN", "en"]);
    assert!(notices[0]["text"]
        .as_str()
        .unwrap()
        .contains("朝阳区人民调解委员会"));
    assert_eq!(case_status(&world).await, "terminated");

    // The live session ends for everyone in it, and nobody comes back: it is no longer mediated.
    for client in [&mut party, &mut mediator] {
        let goodbye = client.next_of("goodbye").await.expect("a goodbye");
        assert_eq!(goodbye["reason"], "ended");
        assert_eq!(client.closed().await, Some(4410));
    }
    let refused = LiveClient::connect(&world.party, case)
        .await
        .expect_err("refused");
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (409, Some("case_not_in_mediation"))
    );

    // The record: the status change, the termination with a hash of each notice as given, and
    // the end of the sitting by the mediator who terminated.
    let events = events(&world).await;
    let tail: Vec<&str> = events[events.len() - 3..]
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        tail,
        ["status_changed", "mediation_terminated", "session_ended"]
    );
    let changed = &events[events.len() - 3]["payload"];
    assert_eq!(
        changed,
        &json!({"transition": "terminate", "from": "in_mediation", "to": "terminated"})
    );
    let recorded = &events[events.len() - 2]["payload"];
    assert_eq!(recorded["reasons"], terminated["reasons"]);
    for (given, notice) in recorded["notices"].as_array().unwrap().iter().zip(notices) {
        let shown = format!(
            "{}\n\n{}",
            notice["title"].as_str().unwrap(),
            notice["text"].as_str().unwrap()
        );
        assert_eq!(given["language"], notice["language"]);
        assert_eq!(given["version"], terminated["notice_version"]);
        assert_eq!(
            given["text_sha256"],
            hex::encode(sha2::Sha256::digest(shown.as_bytes()))
        );
    }
    let ended = &events[events.len() - 1];
    assert_eq!(ended["payload"]["by"], format!("s-{}", world.mediator_id));
    assert_eq!(ended["actor"], format!("user:{}", world.mediator_id));

    // The party reads it in their language: Chinese unless they ask for English.
    let theirs = expect(world.party.get("/api/me/termination").await, 200);
    assert_eq!(theirs["notice"]["language"], "zh-CN");
    assert!(theirs["notice"]["text"]
        .as_str()
        .unwrap()
        .contains("第二十六条"));
    assert_eq!(theirs["reasons"], terminated["reasons"]);
    assert_eq!(theirs["details"], "被申请人不同意任何赔偿方案。");
    let english = expect(world.party.get("/api/me/termination?lang=en").await, 200);
    assert_eq!(english["notice"]["title"], "Notice of your other routes");
    assert!(english["notice"]["text"]
        .as_str()
        .unwrap()
        .contains("Arbitration"));
    expect(world.party.get("/api/me/termination?lang=fr").await, 422);
    let mine = expect(world.party.get("/api/me/case").await, 200);
    assert_eq!(mine["status"], "terminated");
    assert_eq!(
        expect(world.admin.get(&termination_of(case)).await, 200),
        terminated,
        "the committee reads what the mediator recorded"
    );
    expect(world.party2.get("/api/me/termination").await, 404);
}

async fn a_termination_sends_away_even_those_still_waiting(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    // The party arrives before any mediator: the session has not started.
    let mut party = LiveClient::connect(&world.party, &world.case)
        .await
        .expect("waiting");
    party.state_where(|s| s["status"] == "waiting").await;
    expect(
        world
            .mediator
            .post(
                &termination_of(&world.case),
                json!({"reasons": ["party_withdrew"]}),
            )
            .await,
        201,
    );
    assert_eq!(
        party.next_of("goodbye").await.expect("a goodbye")["reason"],
        "ended"
    );
    assert_eq!(case_status(&world).await, "terminated");
    let kinds: Vec<String> = events(&world)
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !kinds
            .iter()
            .any(|k| k == "session_started" || k == "session_ended"),
        "a session nobody started is no sitting: {kinds:?}"
    );
}

async fn termination_is_refused_to_others_from_other_states_and_for_bad_input(backend: Backend) {
    let world = World::build(backend).await;
    let (m, case) = (&world.mediator, world.case.as_str());
    let path = termination_of(case);
    let good = json!({"reasons": ["no_agreement"]});

    // Registered, not yet accepted: there is no mediation to terminate (a refusal is PML 17's).
    let early = expect(m.post(&path, good.clone()).await, 409);
    assert_eq!(early["code"], "transition_not_allowed");
    accept(&world).await;

    expect(world.party.post(&path, good.clone()).await, 403);
    expect(world.party.get(&path).await, 403);
    expect(world.admin.post(&path, good.clone()).await, 403);
    for outsider in [
        &world.colleague,
        &world.mediator2,
        &world.admin2,
        &world.party2,
    ] {
        expect(outsider.post(&path, good.clone()).await, 404);
    }
    expect(world.admin.get(&path).await, 404);

    let (status, body) = m.post_raw(&path, "{\"reasons\": [").await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (400, Some("invalid_json"))
    );
    for (request, field) in [
        (json!({"reasons": []}), "reasons"),
        (json!({"reasons": ["other"]}), "details"),
        (json!({"reasons": ["other"], "details": "   "}), "details"),
        (
            json!({"reasons": ["no_agreement"], "details": "理".repeat(2001)}),
            "details",
        ),
        (json!({"reasons": ["bored"]}), "reasons[0]"),
        (json!({}), ""),
    ] {
        let refused = expect(m.post(&path, request.clone()).await, 422);
        assert_eq!(
            refused["details"][0]["field"], field,
            "{request}: {refused}"
        );
    }
    assert_eq!(
        case_status(&world).await,
        "accepted",
        "nothing was terminated"
    );

    expect(
        m.post(
            &path,
            json!({"reasons": ["other"], "details": "申请人已向人民法院起诉。"}),
        )
        .await,
        201,
    );
    let again = expect(m.post(&path, good.clone()).await, 409);
    assert_eq!(again["code"], "transition_not_allowed");
    let terminations = events(&world)
        .await
        .iter()
        .filter(|e| e["kind"] == "mediation_terminated")
        .count();
    assert_eq!(terminations, 1);

    // Once archived, the dossier takes nothing more: no termination, agenda or notes.
    expect(
        world
            .admin
            .post(
                &format!("/api/cases/{case}/transitions"),
                json!({"transition": "archive"}),
            )
            .await,
        200,
    );
    assert_eq!(
        expect(m.post(&path, good).await, 409)["code"],
        "case_archived"
    );
    let agenda = expect(
        m.post(
            &format!("/api/cases/{case}/agenda"),
            json!({"title": "晚了"}),
        )
        .await,
        409,
    );
    assert_eq!(agenda["code"], "case_archived");
    assert_eq!(
        expect(world.party.get("/api/me/termination").await, 200)["details"],
        "申请人已向人民法院起诉。"
    );
}

on_both_backends!(
    a_failed_mediation_ends_with_the_notice_of_other_routes,
    a_termination_sends_away_even_those_still_waiting,
    termination_is_refused_to_others_from_other_states_and_for_bad_input,
);
