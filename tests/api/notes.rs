//! The mediation record (调解笔录): the mediator's notes of each sitting, every save a version,
//! the text kept apart from the chain, which holds only its hash, and never shown to parties.

use super::world::World;
use accord_tests::live::LiveClient;
use accord_tests::{expect, Backend, Browser};
use serde_json::{json, Value};
use sha2::Digest as _;

fn sha(text: &str) -> String {
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}

fn notes_of(case: &str, session: &str) -> String {
    format!("/api/cases/{case}/sittings/{session}/notes")
}

/// Accepts case 1 and opens its live session as its mediator: the first sitting.
async fn first_sitting(world: &World) -> (LiveClient, String) {
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
    start_sitting(world).await
}

async fn start_sitting(world: &World) -> (LiveClient, String) {
    let mut client = LiveClient::connect(&world.mediator, &world.case)
        .await
        .expect("the mediator joins");
    client.next_of("welcome").await.expect("welcome");
    let sittings = expect(
        world
            .mediator
            .get(&format!("/api/cases/{}/sittings", world.case))
            .await,
        200,
    );
    let session = sittings[0]["session"]
        .as_str()
        .expect("a sitting")
        .to_owned();
    (client, session)
}

async fn save(mediator: &Browser, path: &str, text: &str, base: u32) -> (u16, Value) {
    let (status, body) = mediator
        .post(path, json!({"text": text, "base_version": base}))
        .await;
    (status.as_u16(), body)
}

fn versions(history: &Value) -> Vec<(u64, &str, bool)> {
    history["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version"].as_u64().unwrap(),
                v["text"].as_str().unwrap(),
                v["intact"].as_bool().unwrap(),
            )
        })
        .collect()
}

async fn notes_are_versioned_per_sitting_and_only_their_hash_is_in_the_chain(backend: Backend) {
    let world = World::build(backend).await;
    let (m, case) = (&world.mediator, world.case.as_str());
    let (mut live, first) = first_sitting(&world).await;
    let sittings = expect(m.get(&format!("/api/cases/{case}/sittings")).await, 200);
    assert_eq!(sittings.as_array().unwrap().len(), 1);
    assert_eq!(sittings[0]["ended_at"], Value::Null);
    assert_eq!(sittings[0]["notes_version"], Value::Null);

    let path = notes_of(case, &first);
    let draft = "申请人陈述：楼上卫生间漏水，损坏天花板。";
    let fuller = "申请人陈述：楼上卫生间漏水，损坏天花板。\n被申请人承认漏水，对金额有异议。";
    let (status, v1) = save(m, &path, draft, 0).await;
    assert_eq!(status, 201, "{v1}");
    assert_eq!(
        (v1["version"].as_u64(), v1["intact"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(v1["saved_by_name"], "mediator");
    assert_eq!(v1["saved_at"], "2026-03-01T00:00:00Z");
    world.app.clock.advance(60_000);
    let (status, v2) = save(m, &path, fuller, 1).await;
    assert_eq!((status, v2["version"].as_u64()), (201, Some(2)));
    // A save made from version 1 after version 2 exists would lose version 2: refused.
    let (status, stale) = save(m, &path, "旧的草稿", 1).await;
    assert_eq!(
        (status, stale["code"].as_str()),
        (409, Some("notes_version_conflict"))
    );

    let history = expect(m.get(&path).await, 200);
    assert_eq!(
        versions(&history),
        [(2, fuller, true), (1, draft, true)],
        "every version kept, newest first"
    );
    assert_eq!(history["versions"][0]["text_sha256"], sha(fuller));
    assert_eq!(history["versions"][1]["saved_at"], "2026-03-01T00:00:00Z");
    assert_eq!(
        expect(world.admin.get(&path).await, 200),
        history,
        "the committee's admin reads the record"
    );

    // The sitting ends; its notes can still be completed. The next sitting has its own.
    live.request(json!({"type": "end_session"})).await;
    let (_live, second) = start_sitting(&world).await;
    assert_ne!(first, second);
    let sittings = expect(m.get(&format!("/api/cases/{case}/sittings")).await, 200);
    assert_eq!(sittings[0]["session"], second.as_str(), "newest first");
    assert_eq!(sittings[1]["session"], first.as_str());
    assert!(sittings[1]["ended_at"].is_string());
    assert_eq!(sittings[1]["notes_version"], 2);
    assert_eq!(sittings[0]["notes_version"], Value::Null);
    assert_eq!(
        save(m, &path, "补记：双方同意下次继续调解。", 2).await.0,
        201
    );
    let (status, other) = save(m, &notes_of(case, &second), "第二次调解。", 0).await;
    assert_eq!((status, other["version"].as_u64()), (201, Some(1)));

    // The chain commits to each version by its hash alone: the exported log has no text.
    let log = expect(
        world.admin.get(&format!("/api/cases/{case}/events")).await,
        200,
    );
    assert_eq!(log["chain_intact"], true);
    let saved: Vec<&Value> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "notes_saved")
        .map(|e| &e["payload"])
        .collect();
    assert_eq!(saved.len(), 4);
    assert_eq!(
        saved[1],
        &json!({"session": first, "version": 2, "text_sha256": sha(fuller)})
    );
    // The chain holds hashes only; the log shows the staff each text beside its hash.
    let chain: String = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["payload"].to_string())
        .collect();
    for secret in ["卫生间漏水", "对金额有异议", "第二次调解"] {
        assert!(!chain.contains(secret), "{secret} leaked into the chain");
    }
    let beside: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "notes_saved")
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert_eq!(beside.len(), 4);
    assert_eq!(beside[1], fuller);

    // Someone with database access rewrites version 1: the chain still holds, but the record
    // shows that text no longer is what was saved.
    sqlx::query("UPDATE session_notes SET text = $1 WHERE session = $2 AND version = 1")
        .bind("申请人陈述：无事发生。")
        .bind(&first)
        .execute(world.app.db.pool())
        .await
        .unwrap();
    let history = expect(m.get(&path).await, 200);
    assert_eq!(
        versions(&history),
        [
            (3, "补记：双方同意下次继续调解。", true),
            (2, fuller, true),
            (1, "申请人陈述：无事发生。", false),
        ]
    );
}

async fn the_notes_are_for_the_case_staff_alone(backend: Backend) {
    let world = World::build(backend).await;
    let case = world.case.as_str();
    let (_live, session) = first_sitting(&world).await;
    let path = notes_of(case, &session);
    let sittings = format!("/api/cases/{case}/sittings");
    assert_eq!(save(&world.mediator, &path, "调解笔录", 0).await.0, 201);
    let note = json!({"text": "伪造的笔录", "base_version": 1});

    for (party, want) in [(&world.party, 403), (&world.party2, 404)] {
        expect(party.get(&sittings).await, want);
        expect(party.get(&path).await, want);
        expect(party.post(&path, note.clone()).await, want);
    }
    for outsider in [&world.colleague, &world.mediator2, &world.admin2] {
        expect(outsider.get(&sittings).await, 404);
        expect(outsider.get(&path).await, 404);
        expect(outsider.post(&path, note.clone()).await, 404);
    }
    expect(world.admin.get(&path).await, 200);
    expect(world.admin.post(&path, note.clone()).await, 403);
    // Nor does the participant's own view of the case carry them.
    let mine = expect(world.party.get("/api/me/case").await, 200);
    assert!(!mine.to_string().contains("调解笔录"));

    let history = expect(world.mediator.get(&path).await, 200);
    assert_eq!(versions(&history), [(1, "调解笔录", true)]);
}

async fn bad_notes_get_a_clear_error_and_save_nothing(backend: Backend) {
    let world = World::build(backend).await;
    let (m, case) = (&world.mediator, world.case.as_str());
    let (_live, session) = first_sitting(&world).await;
    let path = notes_of(case, &session);

    let (status, body) = m.post_raw(&path, "{\"text\": \"未写完").await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (400, Some("invalid_json"))
    );
    let too_long = "录".repeat(16_001);
    let (status, body) = save(m, &path, &too_long, 0).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_input"))
    );
    assert_eq!(
        body["details"][0],
        json!({"field": "text", "message": "must be at most 16000 characters"})
    );
    assert_eq!(
        save(m, &path, &"录".repeat(16_000), 0).await.0,
        201,
        "the limit itself fits"
    );
    let (status, body) = save(m, &path, "  \n ", 1).await;
    assert_eq!(
        (status, body["details"][0]["field"].as_str()),
        (422, Some("text"))
    );
    let missing = expect(m.post(&path, json!({"text": "无版本"})).await, 422);
    let said = missing["details"][0]["message"].as_str().unwrap();
    assert!(said.contains("base_version"), "{missing}");
    let unknown = expect(
        m.post(
            &notes_of(case, &uuid::Uuid::now_v7().to_string()),
            json!({"text": "别处", "base_version": 0}),
        )
        .await,
        404,
    );
    assert_eq!(unknown["code"], "sitting_not_found");
    expect(
        m.get(&notes_of(case, &uuid::Uuid::now_v7().to_string()))
            .await,
        404,
    );
    expect(m.get(&notes_of(case, "not-a-session")).await, 404);
    // Another case's sitting is no sitting of this one.
    expect(m.get(&notes_of(&world.case2, &session)).await, 404);

    let history = expect(m.get(&path).await, 200);
    assert_eq!(history["versions"].as_array().unwrap().len(), 1);
}

on_both_backends!(
    notes_are_versioned_per_sitting_and_only_their_hash_is_in_the_chain,
    the_notes_are_for_the_case_staff_alone,
    bad_notes_get_a_clear_error_and_save_nothing,
);
