//! The agenda: kept by the case's assigned mediators, read by its staff and every participant,
//! each change on the case's record, time spent counted by the server's clock, and the members of
//! a live session told when it changes.

use super::world::{add_party, give_required_consents, invite, World};
use accord_tests::live::LiveClient;
use accord_tests::{expect, Backend, Browser};
use serde_json::{json, Value};

fn agenda_of(case: &str) -> String {
    format!("/api/cases/{case}/agenda")
}

async fn add(mediator: &Browser, case: &str, title: &str) -> Value {
    expect(
        mediator
            .post(&agenda_of(case), json!({"title": title}))
            .await,
        201,
    )
}

fn items(agenda: &Value) -> &Vec<Value> {
    agenda["items"].as_array().expect("items")
}

fn titles(agenda: &Value) -> Vec<&str> {
    items(agenda)
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect()
}

fn id_of(agenda: &Value, title: &str) -> String {
    items(agenda)
        .iter()
        .find(|i| i["title"] == title)
        .and_then(|i| i["id"].as_str())
        .unwrap_or_else(|| panic!("no item {title} in {agenda}"))
        .to_owned()
}

fn item<'a>(agenda: &'a Value, id: &str) -> &'a Value {
    items(agenda).iter().find(|i| i["id"] == id).expect("item")
}

async fn step(mediator: &Browser, case: &str, id: &str, step: &str) -> (u16, Value) {
    let (status, body) = mediator
        .post(&format!("{}/{id}/{step}", agenda_of(case)), json!({}))
        .await;
    (status.as_u16(), body)
}

async fn kinds(world: &World) -> Vec<String> {
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
        .filter(|k| k.starts_with("agenda_"))
        .collect()
}

async fn an_agenda_goes_through_a_mediation_and_counts_the_time_spent(backend: Backend) {
    let world = World::build(backend).await;
    let (m, case) = (&world.mediator, world.case.as_str());
    assert_eq!(
        expect(m.get(&agenda_of(case)).await, 200),
        json!({"items": []})
    );

    add(m, case, "核实身份").await;
    add(m, case, "双方陈述").await;
    let agenda = expect(
        m.post(
            &agenda_of(case),
            json!({"title": " 赔偿金额 ", "description": "修缮费用与误工损失"}),
        )
        .await,
        201,
    );
    assert_eq!(titles(&agenda), ["核实身份", "双方陈述", "赔偿金额"]);
    let (identity, statements, amount) = (
        id_of(&agenda, "核实身份"),
        id_of(&agenda, "双方陈述"),
        id_of(&agenda, "赔偿金额"),
    );
    let third = item(&agenda, &amount);
    assert_eq!(
        (third["status"].as_str(), third["seconds_spent"].as_i64()),
        (Some("pending"), Some(0))
    );
    assert_eq!(third["description"], "修缮费用与误工损失");

    let edited = expect(
        m.put(
            &format!("{}/{statements}", agenda_of(case)),
            json!({"title": "双方陈述意见", "description": "先申请人，后被申请人"}),
        )
        .await,
        200,
    );
    assert_eq!(item(&edited, &statements)["title"], "双方陈述意见");
    let reordered = expect(
        m.put(
            &format!("{}/order", agenda_of(case)),
            json!({"items": [amount, identity, statements]}),
        )
        .await,
        200,
    );
    assert_eq!(titles(&reordered), ["赔偿金额", "核实身份", "双方陈述意见"]);

    // The server's clock decides the time spent: 90 s, then 30 s more after a skip.
    let (status, started) = step(m, case, &identity, "start").await;
    assert_eq!(status, 200, "{started}");
    let running = item(&started, &identity);
    assert_eq!(running["status"], "in_progress");
    assert_eq!(running["started_at"], "2026-03-01T00:00:00Z");
    world.app.clock.advance(90_500);
    let (_, skipped) = step(m, case, &identity, "skip").await;
    let once = item(&skipped, &identity);
    assert_eq!(
        (once["status"].as_str(), once["seconds_spent"].as_i64()),
        (Some("skipped"), Some(90))
    );
    assert_eq!(once["started_at"], Value::Null);
    step(m, case, &statements, "start").await;
    world.app.clock.advance(600_000);
    // While it runs, every answer counts it up to the server's now.
    let running = expect(world.party.get("/api/me/agenda").await, 200);
    assert_eq!(item(&running, &statements)["seconds_spent"], 600);
    step(m, case, &statements, "finish").await;
    step(m, case, &identity, "start").await;
    world.app.clock.advance(30_000);
    let (_, finished) = step(m, case, &identity, "finish").await;
    let done = item(&finished, &identity);
    assert_eq!(
        (done["status"].as_str(), done["seconds_spent"].as_i64()),
        (Some("done"), Some(120))
    );
    assert_eq!(item(&finished, &statements)["seconds_spent"], 600);

    let deleted = expect(
        m.delete(&format!("{}/{amount}", agenda_of(case))).await,
        200,
    );
    assert_eq!(titles(&deleted), ["核实身份", "双方陈述意见"]);

    // Parties read the agenda as it is, through their own view.
    let theirs = expect(world.party.get("/api/me/agenda").await, 200);
    assert_eq!(theirs, deleted);
    assert_eq!(
        expect(world.admin.get(&agenda_of(case)).await, 200),
        deleted,
        "the committee's admin reads it too"
    );

    assert_eq!(
        kinds(&world).await,
        [
            "agenda_item_added",
            "agenda_item_added",
            "agenda_item_added",
            "agenda_item_edited",
            "agenda_reordered",
            "agenda_item_started",
            "agenda_item_skipped",
            "agenda_item_started",
            "agenda_item_finished",
            "agenda_item_started",
            "agenda_item_finished",
            "agenda_item_deleted",
        ]
    );
    let log = expect(
        world.admin.get(&format!("/api/cases/{case}/events")).await,
        200,
    );
    let finished: Vec<&Value> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "agenda_item_finished")
        .map(|e| &e["payload"])
        .collect();
    assert_eq!(
        finished[1],
        &json!({"item": identity, "seconds_spent": 120})
    );
}

async fn only_the_assigned_mediators_keep_the_agenda_and_every_participant_reads_it(
    backend: Backend,
) {
    let world = World::build(backend).await;
    let case = world.case.as_str();
    let agenda = add(&world.mediator, case, "核实身份").await;
    let id = id_of(&agenda, "核实身份");
    let new_item = json!({"title": "某议题"});
    let edit = format!("{}/{id}", agenda_of(case));
    let start = format!("{}/{id}/start", agenda_of(case));

    // Staff of the committee: the admin reads but does not keep it; a colleague who is not
    // assigned and the other committee do not see the case at all.
    expect(
        world.admin.post(&agenda_of(case), new_item.clone()).await,
        403,
    );
    expect(world.admin.post(&start, json!({})).await, 403);
    for outsider in [&world.colleague, &world.mediator2, &world.admin2] {
        expect(outsider.get(&agenda_of(case)).await, 404);
        expect(outsider.post(&agenda_of(case), new_item.clone()).await, 404);
        expect(outsider.put(&edit, new_item.clone()).await, 404);
        expect(outsider.delete(&edit).await, 404);
    }
    // The party reads it through their own view only, and changes nothing.
    let party = &world.party;
    expect(party.get(&agenda_of(case)).await, 403);
    expect(party.post(&agenda_of(case), new_item.clone()).await, 403);
    expect(party.put(&edit, new_item.clone()).await, 403);
    expect(party.post(&start, json!({})).await, 403);
    expect(party.delete(&edit).await, 403);
    expect(
        world.party2.post(&agenda_of(case), new_item.clone()).await,
        404,
    );
    assert_eq!(
        titles(&expect(party.get("/api/me/agenda").await, 200)),
        ["核实身份"]
    );
    assert_eq!(
        expect(world.party2.get("/api/me/agenda").await, 200),
        json!({"items": []}),
        "another case's party sees their own case's agenda"
    );
    // So do observers and the other participants.
    let observer = expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{case}/participants"),
                json!({"role": "observer", "name": "旁听人"}),
            )
            .await,
        201,
    );
    let link = invite(&world.mediator, case, observer["id"].as_str().unwrap()).await;
    let mut watching = world.app.browser();
    expect(watching.redeem(link["link"].as_str().unwrap()).await, 200);
    assert_eq!(
        titles(&expect(watching.get("/api/me/agenda").await, 200)),
        ["核实身份"]
    );
    expect(world.app.browser().get("/api/me/agenda").await, 401);

    // Nothing refused reached the record.
    assert_eq!(kinds(&world).await, ["agenda_item_added"]);
}

async fn bad_agenda_input_gets_a_clear_error_and_changes_nothing(backend: Backend) {
    let world = World::build(backend).await;
    let (m, case) = (&world.mediator, world.case.as_str());
    let agenda = add(m, case, "核实身份").await;
    add(m, case, "双方陈述").await;
    let (first, second) = (id_of(&agenda, "核实身份"), {
        let agenda = expect(m.get(&agenda_of(case)).await, 200);
        id_of(&agenda, "双方陈述")
    });

    let (status, body) = m.post_raw(&agenda_of(case), "{\"title\": ").await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (400, Some("invalid_json"))
    );
    for (request, field) in [
        (json!({}), "title"),
        (json!({"title": " "}), "title"),
        (json!({"title": "题".repeat(201)}), "title"),
        (
            json!({"title": "题", "description": "述".repeat(2001)}),
            "description",
        ),
        (json!({"title": "题", "colour": "red"}), "colour"),
    ] {
        // The field at fault is named, in `field` or (when absent or unknown) in the message.
        let refused = expect(m.post(&agenda_of(case), request.clone()).await, 422);
        let detail = &refused["details"][0];
        let named = format!("{} {}", detail["field"], detail["message"]);
        assert!(named.contains(field), "{request}: {refused}");
    }

    let nowhere = uuid::Uuid::now_v7();
    let unknown = expect(
        m.post(&format!("{}/{nowhere}/start", agenda_of(case)), json!({}))
            .await,
        404,
    );
    assert_eq!(unknown["code"], "agenda_item_not_found");
    let unknown = expect(
        m.put(
            &format!("{}/{nowhere}", agenda_of(case)),
            json!({"title": "x"}),
        )
        .await,
        404,
    );
    assert_eq!(unknown["code"], "agenda_item_not_found");
    expect(
        m.post(&format!("{}/not-an-id/start", agenda_of(case)), json!({}))
            .await,
        404,
    );
    expect(
        m.post(&format!("{}/{first}/pause", agenda_of(case)), json!({}))
            .await,
        404,
    );

    let (status, body) = step(m, case, &first, "finish").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("agenda_step_not_allowed"))
    );
    assert_eq!(step(m, case, &first, "start").await.0, 200);
    let (status, body) = step(m, case, &second, "start").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("agenda_item_in_progress"))
    );
    let busy = expect(m.delete(&format!("{}/{first}", agenda_of(case))).await, 409);
    assert_eq!(busy["code"], "agenda_item_in_progress");
    let (status, body) = step(m, case, &first, "start").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("agenda_step_not_allowed"))
    );
    for order in [
        json!([first]),
        json!([first, first]),
        json!([first, second, nowhere]),
    ] {
        let refused = expect(
            m.put(
                &format!("{}/order", agenda_of(case)),
                json!({"items": order}),
            )
            .await,
            422,
        );
        assert_eq!(refused["details"][0]["field"], "items", "{order}");
    }
    // A state change without the CSRF token is refused before anything else.
    let mut forged = m.clone();
    forged.csrf = None;
    let refused = expect(
        forged
            .post(&agenda_of(case), json!({"title": "伪造"}))
            .await,
        403,
    );
    assert_eq!(refused["code"], "csrf_failed");

    let agenda = expect(m.get(&agenda_of(case)).await, 200);
    assert_eq!(titles(&agenda), ["核实身份", "双方陈述"]);
    assert_eq!(
        kinds(&world).await,
        [
            "agenda_item_added",
            "agenda_item_added",
            "agenda_item_started"
        ]
    );
}

async fn the_live_session_hears_when_the_agenda_changes(backend: Backend) {
    let world = World::build(backend).await;
    let case = world.case.as_str();
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

    // A second party waits in the waiting room, not yet admitted.
    let late_id = add_party(&world.mediator, case, "王乙", "respondent").await;
    let mut late_browser = world.app.browser();
    let link = invite(&world.mediator, case, &late_id).await;
    expect(
        late_browser.redeem(link["link"].as_str().unwrap()).await,
        200,
    );
    give_required_consents(&late_browser).await;
    let late_member = format!("p-{late_id}");
    let mut late = LiveClient::connect(&late_browser, case)
        .await
        .expect("late in");
    late.state_where(|s| s["status"] == "waiting").await;

    add(&world.mediator, case, "赔偿金额").await;
    for client in [&mut party, &mut mediator] {
        let notice = client.next_of("record_changed").await.expect("told");
        assert_eq!(notice, json!({"type": "record_changed", "part": "agenda"}));
    }
    // Only the admitted are told: the waiting party, admitted next, had no notice before.
    mediator
        .request(json!({"type": "admit", "member": late_member}))
        .await;
    late.state_where(|s| s["status"] == "admitted").await;
    assert!(
        !late.inbox().iter().any(|m| m["type"] == "record_changed"),
        "{:?}",
        late.inbox()
    );
    // A refused change tells nobody; a good one tells everyone admitted, once. (A request
    // answered after the change went through the session's mailbox behind its notice.)
    let agenda = expect(world.mediator.get(&agenda_of(case)).await, 200);
    let id = id_of(&agenda, "赔偿金额");
    assert_eq!(step(&world.mediator, case, &id, "finish").await.0, 409);
    assert_eq!(step(&world.mediator, case, &id, "start").await.0, 200);
    for client in [&mut late, &mut party] {
        let ack = client
            .request(json!({"type": "raise_hand", "raised": true}))
            .await;
        assert_eq!(ack["type"], "ack");
        let notices = client
            .inbox()
            .iter()
            .filter(|m| m["type"] == "record_changed")
            .count();
        assert_eq!(notices, 1, "{:?}", client.inbox());
    }
    let fetched = expect(late_browser.get("/api/me/agenda").await, 200);
    assert_eq!(item(&fetched, &id)["status"], "in_progress");
}

on_both_backends!(
    an_agenda_goes_through_a_mediation_and_counts_the_time_spent,
    only_the_assigned_mediators_keep_the_agenda_and_every_participant_reads_it,
    bad_agenda_input_gets_a_clear_error_and_changes_nothing,
    the_live_session_hears_when_the_agenda_changes,
);
