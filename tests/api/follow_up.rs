//! Return visits (回访): planned on each term's deadline when the agreement takes effect,
//! listed as they fall due, recorded once, and kept in the record like the other texts.

use super::agreement::Signing;
use accord_tests::{expect, Backend};
use serde_json::json;

async fn visits_are_planned_on_the_deadlines_and_recorded_once(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    // An oral agreement takes effect when recorded (PML 30): the quickest way to one in effect.
    let body = json!({"form": "oral", "content": s.content()});
    expect(
        w.mediator.post(&s.path("/agreement/versions"), body).await,
        201,
    );
    assert!(expect(w.mediator.get(&s.path("/follow-ups")).await, 200)
        .as_array()
        .unwrap()
        .is_empty());
    expect(
        w.mediator
            .post(&s.path("/agreement/finalise"), json!({"version": 1}))
            .await,
        204,
    );
    let visits = expect(w.mediator.get(&s.path("/follow-ups")).await, 200);
    assert_eq!(visits.as_array().unwrap().len(), 1);
    let visit = &visits[0];
    assert_eq!(
        (visit["term"].as_u64(), visit["due_on"].as_str()),
        (Some(0), Some("2026-12-31"))
    );
    let id = visit["id"].as_str().unwrap().to_owned();

    // Due lists: by date, per committee, and not for parties.
    let due = |by: &str| format!("/api/follow-ups?due_by={by}");
    assert_eq!(
        expect(w.mediator.get(&due("2027-01-01")).await, 200)[0]["id"],
        id.as_str()
    );
    assert_eq!(
        expect(w.admin.get(&due("2027-01-01")).await, 200)[0]["id"],
        id.as_str()
    );
    assert_eq!(
        expect(w.mediator.get(&due("2026-12-30")).await, 200),
        json!([])
    );
    assert_eq!(
        expect(w.mediator2.get(&due("2027-01-01")).await, 200),
        json!([])
    );
    assert_eq!(
        expect(w.colleague.get(&due("2027-01-01")).await, 200),
        json!([])
    );
    assert_eq!(w.mediator.get(&due("31/12/2026")).await.0, 422);
    assert_eq!(w.party.get(&due("2027-01-01")).await.0, 403);

    let path = s.path(&format!("/follow-ups/{id}"));
    let found = json!({"performance": "partly", "satisfaction": "basically_satisfied",
                       "note": "已付一半，余款约定下月付清。"});
    assert_eq!(w.party.post(&path, found.clone()).await.0, 403);
    assert_eq!(w.colleague.post(&path, found.clone()).await.0, 404);
    let bad = json!({"performance": "mostly", "satisfaction": "satisfied"});
    assert_eq!(w.mediator.post(&path, bad).await.0, 422);
    let long =
        json!({"performance": "performed", "satisfaction": "satisfied", "note": "长".repeat(2001)});
    assert_eq!(w.mediator.post(&path, long).await.0, 422);
    expect(w.mediator.post(&path, found.clone()).await, 204);
    let again = w.mediator.post(&path, found).await;
    assert_eq!(
        (again.0.as_u16(), again.1["code"].as_str()),
        (409, Some("already_recorded"))
    );
    let visits = expect(w.mediator.get(&s.path("/follow-ups")).await, 200);
    assert_eq!(visits[0]["performance"], "partly");
    assert_eq!(
        expect(w.mediator.get(&due("2027-01-01")).await, 200),
        json!([])
    );

    // The note is kept beside the chain: the chain holds its hash, and an edit shows.
    let log = expect(w.mediator.get(&s.path("/events")).await, 200);
    assert_eq!(log["texts_intact"], true);
    let recorded = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "follow_up_recorded")
        .unwrap()
        .clone();
    assert!(recorded["payload"]["note_sha256"].is_string());
    assert!(recorded["payload"].get("note").is_none());
    sqlx::query("UPDATE follow_up_visits SET note = '已全部付清。' WHERE id = $1")
        .bind(&id)
        .execute(w.app.db.pool())
        .await
        .unwrap();
    let log = expect(w.mediator.get(&s.path("/events")).await, 200);
    assert_eq!(log["texts_intact"], false);
}

on_both_backends!(visits_are_planned_on_the_deadlines_and_recorded_once);
