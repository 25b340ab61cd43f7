//! The committee's figures (报表) over a seeded set of cases, against figures worked out by
//! hand: one agreement in effect, one termination, one case merely registered.

use super::agreement::Signing;
use accord_tests::{expect, Backend, Browser};
use serde_json::{json, Value};

async fn register(staff: &Browser, dispute_type: &str, source: &str, fen: i64) -> String {
    let case = expect(
        staff
            .post(
                "/api/cases",
                json!({"dispute_type": dispute_type, "source": source,
                       "summary": "统计用案件", "amount_fen": fen}),
            )
            .await,
        201,
    );
    case["id"].as_str().unwrap().to_owned()
}

async fn step(staff: &Browser, case: &str, transition: &str) {
    let path = format!("/api/cases/{case}/transitions");
    expect(
        staff.post(&path, json!({"transition": transition})).await,
        200,
    );
}

async fn statistics_match_figures_worked_out_by_hand(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    // Case 1 (neighbour, party application, 1,200 yuan): accepted, an oral agreement in effect.
    s.oral_agreement_in_effect().await;
    // Case 2 (medical, court entrustment, 5,000 yuan): accepted, then terminated.
    let medical = register(&w.mediator, "medical", "court_entrustment", 500_000).await;
    step(&w.mediator, &medical, "accept").await;
    let marked = expect(
        w.mediator
            .put(
                &format!("/api/cases/{medical}/difficulty"),
                json!({"difficult": true}),
            )
            .await,
        200,
    );
    assert_eq!(marked["difficult"], true);
    // Its mediation kept it from turning into a criminal case (防止民转刑).
    let prevention = format!("/api/cases/{medical}/prevention");
    let kept = json!({"criminal": true, "mass_petition": false});
    let marked = expect(w.mediator.put(&prevention, kept.clone()).await, 200);
    assert_eq!(marked["prevented"], kept);
    assert_eq!(w.party.put(&prevention, kept.clone()).await.0, 404);
    assert_eq!(w.mediator2.put(&prevention, kept).await.0, 404);
    let unknown = json!({"criminal": true, "riot": true});
    assert_eq!(w.mediator.put(&prevention, unknown).await.0, 422);
    // A party of another case is told this one does not exist.
    let party_tries = w
        .party
        .put(
            &format!("/api/cases/{medical}/difficulty"),
            json!({"difficult": false}),
        )
        .await;
    assert_eq!(party_tries.0, 404);
    let reasons = json!({"reasons": ["no_agreement"], "details": null});
    let path = format!("/api/cases/{medical}/termination");
    expect(w.mediator.post(&path, reasons).await, 201);
    // Case 3: registered only, never accepted: outside every cohort.
    register(&w.mediator, "labour", "party_application", 900_000).await;

    // Screening rounds (矛盾纠纷排查): two in March, one of them finding three disputes.
    for (day, found) in [("2026-02-27", 5), ("2026-02-28", 3), ("2026-03-01", 0)] {
        let round = json!({"held_on": day, "disputes_found": found, "note": "走访小区"});
        expect(w.mediator.post("/api/screenings", round).await, 201);
    }
    let listed = expect(w.admin.get("/api/screenings").await, 200);
    assert_eq!(listed[0]["held_on"], "2026-03-01", "newest first: {listed}");
    assert_eq!(listed.as_array().unwrap().len(), 3);
    let tomorrow = json!({"held_on": "2026-03-02", "disputes_found": 1});
    assert_eq!(w.mediator.post("/api/screenings", tomorrow).await.0, 422);
    let party_round = json!({"held_on": "2026-03-01", "disputes_found": 1});
    assert_eq!(w.party.post("/api/screenings", party_round).await.0, 403);
    assert_eq!(
        expect(w.admin2.get("/api/screenings").await, 200),
        json!([]),
        "each committee its own"
    );

    let url = "/api/statistics?from=2026-03-01&to=2026-03-31";
    let figures = expect(w.admin.get(url).await, 200);
    assert_eq!(figures["accepted"], 2);
    assert_eq!(figures["successful"], 1);
    assert_eq!(figures["terminated"], 1);
    assert_eq!(figures["difficult"], 1);
    assert_eq!(figures["judicially_confirmed"], 0);
    assert_eq!(figures["amount_fen"], 120_000 + 500_000);
    assert_eq!(figures["prevented_criminal"], 1);
    assert_eq!(figures["prevented_mass_petition"], 0);
    assert_eq!(figures["success_rate"], 0.5);
    assert_eq!(figures["by_dispute_type"]["neighbour"]["successful"], 1);
    assert_eq!(figures["by_dispute_type"]["medical"]["terminated"], 1);
    assert_eq!(figures["by_dispute_type"].get("labour"), None);
    assert_eq!(figures["by_source"]["court_entrustment"]["accepted"], 1);
    assert_eq!(figures["performance_rate"], Value::Null);
    assert_eq!(figures["screening_rounds"], 1);
    assert_eq!(figures["disputes_found"], 0);
    let february = expect(
        w.admin
            .get("/api/statistics?from=2026-02-01&to=2026-02-28")
            .await,
        200,
    );
    assert_eq!(
        (
            february["screening_rounds"].as_u64(),
            february["disputes_found"].as_u64()
        ),
        (Some(2), Some(8))
    );
    let later = expect(
        w.admin
            .get("/api/statistics?from=2026-04-01&to=2026-04-30")
            .await,
        200,
    );
    assert_eq!(later["accepted"], 0);

    let (status, csv) = w.admin.get(&format!("{url}&format=csv&lang=en")).await;
    assert_eq!(status, 200);
    let csv = csv.as_str().unwrap();
    assert!(csv.contains("total,,2,1,1,1,0,6200.00,1,0"), "{csv}");
    assert!(
        csv.contains("dispute_type,Medical,1,0,1,1,0,5000.00"),
        "{csv}"
    );
    assert!(csv.contains("success_rate,0.5000"), "{csv}");
    assert!(
        csv.contains("screening_rounds,1\ndisputes_found,0"),
        "{csv}"
    );

    // Figures are the admin's; another committee's admin sees only their own.
    assert_eq!(w.mediator.get(url).await.0, 403);
    assert_eq!(w.party.get(url).await.0, 403);
    assert_eq!(expect(w.admin2.get(url).await, 200)["accepted"], 0);
    assert_eq!(
        w.admin
            .get("/api/statistics?from=2026-03-31&to=2026-03-01")
            .await
            .0,
        422
    );
    assert_eq!(
        w.admin
            .get("/api/statistics?from=March&to=2026-03-01")
            .await
            .0,
        422
    );
}

on_both_backends!(statistics_match_figures_worked_out_by_hand);
