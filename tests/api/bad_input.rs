//! Bad input of every kind gets a clear error in the one error shape, and writes nothing.

use super::world::World;
use accord_tests::{expect, Backend};
use serde_json::{json, Value};

async fn case_count(world: &World) -> usize {
    expect(world.admin.get("/api/cases").await, 200)
        .as_array()
        .unwrap()
        .len()
}

async fn event_count(world: &World) -> usize {
    let log = expect(
        world
            .admin
            .get(&format!("/api/cases/{}/events", world.case))
            .await,
        200,
    );
    log["events"].as_array().unwrap().len()
}

async fn raw(world: &World, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let response = world
        .admin
        .http
        .post(format!("{}/api/cases", world.app.base))
        .header("x-csrf-token", world.admin.csrf.clone().unwrap())
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn fields(body: &Value) -> Vec<String> {
    body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap().to_owned())
        .collect()
}

async fn malformed_requests_are_refused_and_write_nothing(backend: Backend) {
    let world = World::build(backend).await;
    let cases = case_count(&world).await;

    let (status, body) = raw(&world, "application/json", b"{\"dispute_type\": ".to_vec()).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_json")));

    let (status, body) = raw(&world, "text/plain", b"{}".to_vec()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );

    let huge = format!("{{\"summary\": \"{}\"}}", "纠".repeat(40_000));
    let (status, body) = raw(&world, "application/json", huge.into_bytes()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("payload_too_large"))
    );

    let (status, body) = raw(&world, "application/json", b"{} trailing".to_vec()).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_json")));

    let base =
        json!({"dispute_type": "neighbour", "source": "party_application", "summary": "漏水"});
    let shapes: [(Value, &str); 6] = [
        (
            json!({"dispute_type": "divorce", "source": "party_application", "summary": "x"}),
            "dispute_type",
        ),
        (
            json!({"dispute_type": "neighbour", "source": "party_application", "summary": 5}),
            "summary",
        ),
        (
            json!({"dispute_type": "neighbour", "source": "party_application", "summary": "x", "amount_fen": -1}),
            "amount_fen",
        ),
        (
            json!({"dispute_type": "neighbour", "source": "party_application", "summary": "x", "amount_fen": 1.5}),
            "amount_fen",
        ),
        (
            json!({"dispute_type": "neighbour", "source": "party_application", "summary": "x", "colour": "red"}),
            "colour",
        ),
        (
            json!({"dispute_type": "neighbour", "source": "party_application", "summary": "   "}),
            "summary",
        ),
    ];
    for (body, field) in shapes {
        let refused = expect(world.admin.post("/api/cases", body.clone()).await, 422);
        assert_eq!(refused["code"], "invalid_input", "{body}");
        assert_eq!(fields(&refused), [field], "{body}: {refused}");
    }
    let missing = expect(
        world
            .admin
            .post("/api/cases", json!({"summary": "x"}))
            .await,
        422,
    );
    assert_eq!(missing["code"], "invalid_input");
    let wrong_type = expect(world.admin.post("/api/cases", json!([base])).await, 422);
    assert_eq!(wrong_type["code"], "invalid_input");

    assert_eq!(case_count(&world).await, cases, "nothing was registered");
}

async fn a_duplicate_case_number_is_a_conflict(backend: Backend) {
    let world = World::build(backend).await;
    let body = json!({"dispute_type": "labour", "source": "court_entrustment", "summary": "欠薪", "number_seq": 40});
    let first = expect(world.admin.post("/api/cases", body.clone()).await, 201);
    assert_eq!(first["number"], "(2026) 人调字第 40 号");
    let cases = case_count(&world).await;
    let again = expect(world.admin.post("/api/cases", body).await, 409);
    assert_eq!(again["code"], "already_exists");
    assert_eq!(fields(&again), ["number_seq"]);
    let zero = expect(
        world
            .admin
            .post("/api/cases", json!({"dispute_type": "labour", "source": "court_entrustment", "summary": "欠薪", "number_seq": 0}))
            .await,
        422,
    );
    assert_eq!(fields(&zero), ["number_seq"]);
    assert_eq!(case_count(&world).await, cases);
}

async fn bad_participants_and_ids_are_refused(backend: Backend) {
    let world = World::build(backend).await;
    let events = event_count(&world).await;
    let case = &world.case;
    let path = format!("/api/cases/{case}/participants");
    let no_side = expect(
        world
            .mediator
            .post(&path, json!({"role": "party", "name": "某"}))
            .await,
        422,
    );
    assert_eq!(fields(&no_side), ["side", "person_kind"]);
    let stranger = uuid::Uuid::new_v4();
    let agent = expect(
        world
            .mediator
            .post(
                &path,
                json!({"role": "agent", "name": "律师", "represents": stranger}),
            )
            .await,
        422,
    );
    assert_eq!(fields(&agent), ["represents"]);
    // An agent cannot represent a party of another case either.
    let other_party = world.party2_id.clone();
    expect(
        world
            .mediator
            .post(
                &path,
                json!({"role": "agent", "name": "律师", "represents": other_party}),
            )
            .await,
        422,
    );
    let agent_ok = json!({"role": "agent", "name": "律师", "represents": world.party_id});
    expect(world.mediator.post(&path, agent_ok).await, 201);
    assert_eq!(
        event_count(&world).await,
        events + 1,
        "only the valid agent was recorded"
    );

    expect(world.mediator.get("/api/cases/not-a-uuid").await, 404);
    expect(
        world
            .mediator
            .get(&format!("/api/cases/{}", uuid::Uuid::new_v4()))
            .await,
        404,
    );
    let bad_query = expect(world.mediator.get("/api/cases?status=lost").await, 422);
    assert_eq!(bad_query["code"], "invalid_input");
}

async fn the_chain_catches_an_edited_row(backend: Backend) {
    let world = World::build(backend).await;
    let path = format!("/api/cases/{}/events", world.case);
    let log = expect(world.admin.get(&path).await, 200);
    assert_eq!(log["chain_intact"], true);
    let kinds: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds[..5],
        [
            "case_registered",
            "mediators_assigned",
            "participant_added",
            "invitation_issued",
            "invitation_redeemed"
        ]
    );
    assert!(
        kinds[5..].iter().all(|k| *k == "consent_given"),
        "{kinds:?}"
    );
    // Someone with database access rewrites what was registered.
    sqlx::query("UPDATE case_events SET payload = REPLACE(payload, '漏水', '火灾') WHERE case_id = $1 AND seq = 1")
        .bind(&world.case)
        .execute(world.app.db.pool())
        .await
        .unwrap();
    let log = expect(world.admin.get(&path).await, 200);
    assert_eq!(log["chain_intact"], false);
    assert_eq!(
        log["first_break"],
        "event 1: hash does not match its content"
    );
}

/// A NUL character is refused wherever text comes in (a JSON string or key, a query string, a
/// path), with the same 422 on both backends, where PostgreSQL would otherwise fail (500).
async fn nul_characters_are_refused_everywhere(backend: Backend) {
    let world = World::build(backend).await;
    let cases = case_count(&world).await;
    let bodies = [
        (
            r#"{"dispute_type": "neighbour", "source": "party_application", "summary": "a\u0000b"}"#,
            "summary",
        ),
        (
            r#"{"dispute_type": "neighbour", "source": "party_application", "summary": "x", "note\u0000": 1}"#,
            "note",
        ),
    ];
    for (body, field) in bodies {
        let (status, refused) = raw(&world, "application/json", body.as_bytes().to_vec()).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (422, Some("invalid_input")),
            "{body}"
        );
        assert_eq!(fields(&refused), [field], "{body}");
    }
    let mut stranger = world.app.browser();
    let login = stranger.login("ad\u{0}min", "pass\u{0}word").await;
    assert_eq!(
        (login.0.as_u16(), login.1["code"].as_str()),
        (422, Some("invalid_input"))
    );

    let queries = [
        "/api/dossiers?party=%00",
        "/api/dossiers?party=%E6%9D%8E%00",
        "/api/dossiers?number=1%00",
        "/api/cases?q=%00",
    ];
    for query in queries {
        let refused = expect(world.admin.get(query).await, 422);
        assert_eq!(refused["code"], "invalid_input", "{query}");
        assert_eq!(fields(&refused), ["query"], "{query}");
    }
    let case = &world.case;
    for path in [
        "/api/cases/%00".to_owned(),
        format!("/api/cases/{case}%00/events"),
        "/api/courts/a%00b/callback".to_owned(),
    ] {
        let refused = expect(world.admin.get(&path).await, 422);
        assert_eq!(fields(&refused), ["path"], "{path}");
    }
    // The search still works without one.
    expect(world.admin.get("/api/dossiers?party=%E6%9D%8E").await, 200);
    assert_eq!(case_count(&world).await, cases, "nothing was registered");
}

on_both_backends!(
    nul_characters_are_refused_everywhere,
    malformed_requests_are_refused_and_write_nothing,
    a_duplicate_case_number_is_a_conflict,
    bad_participants_and_ids_are_refused,
    the_chain_catches_an_edited_row,
);
