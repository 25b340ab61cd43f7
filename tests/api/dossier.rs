//! The dossier (卷宗): its numbered items built from the record, what is missing, archiving
//! freezing the case, the search of archived dossiers, and the dossier as one file.

use super::agreement::Signing;
use accord_tests::{expect, Backend};
use serde_json::{json, Value};

fn present(dossier: &Value, number: u64) -> bool {
    dossier["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["number"] == number)
        .map(|i| i["present"] == true)
        .unwrap()
}

async fn a_dossier_is_built_archived_found_and_exported(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    s.oral_agreement_in_effect().await;
    let dossier = expect(w.mediator.get(&s.path("/dossier")).await, 200);
    assert!(present(&dossier, 1) && present(&dossier, 2) && present(&dossier, 8));
    assert!(!present(&dossier, 3), "no identity verified yet");
    assert_eq!(dossier["complete"], false);
    assert_eq!(dossier["missing"], json!([3, 7, 10, 12]));
    assert_eq!(w.party.get(&s.path("/dossier")).await.0, 403);
    assert_eq!(w.mediator2.get(&s.path("/dossier")).await.0, 404);

    // The admin archives the case: it takes no more writes (409).
    let archive = json!({"transition": "archive"});
    expect(w.admin.post(&s.path("/transitions"), archive).await, 200);
    let late = w
        .mediator
        .put(&s.path("/difficulty"), json!({"difficult": true}))
        .await;
    assert_eq!(
        (late.0.as_u16(), late.1["code"].as_str()),
        (409, Some("case_archived"))
    );
    let dossier = expect(w.mediator.get(&s.path("/dossier")).await, 200);
    assert!(
        present(&dossier, 12),
        "the back cover goes on when archived"
    );

    // Found by number, party, type, date, mediator and outcome; not by another committee.
    let case = expect(w.mediator.get(&s.path("")).await, 200);
    let number = case["number"].as_str().unwrap();
    let found = |query: String| {
        let admin = w.admin.clone();
        async move {
            let list = expect(admin.get(&format!("/api/dossiers?{query}")).await, 200);
            list.as_array().unwrap().len()
        }
    };
    let encoded: String = number.bytes().map(|b| format!("%{b:02X}")).collect();
    assert_eq!(found(format!("number={encoded}")).await, 1);
    assert_eq!(found("number=999".into()).await, 0);
    assert_eq!(found("party=%E6%9D%8E".into()).await, 1); // 李
    assert_eq!(found("dispute_type=medical".into()).await, 0);
    assert_eq!(
        found("dispute_type=neighbour&outcome=agreement".into()).await,
        1
    );
    assert_eq!(found("outcome=terminated".into()).await, 0);
    assert_eq!(found("from=2026-03-01&to=2026-03-01".into()).await, 1);
    assert_eq!(found("from=2026-03-02".into()).await, 0);
    assert_eq!(found(format!("mediator={}", w.mediator_id)).await, 1);
    assert_eq!(w.admin.get("/api/dossiers?outcome=lost").await.0, 422);
    let theirs = expect(w.admin2.get("/api/dossiers").await, 200);
    assert_eq!(theirs, json!([]));
    assert_eq!(w.party.get("/api/dossiers").await.0, 403);

    let file = expect(w.admin.get(&s.path("/dossier/export")).await, 200);
    assert_eq!(file["format"], "accord-dossier/1");
    assert_eq!(file["dossier"]["number"], number);
    assert!(file["events"].as_array().unwrap().len() > 10);
    assert_eq!(file["participants"].as_array().unwrap().len(), 2);
}

on_both_backends!(a_dossier_is_built_archived_found_and_exported);
