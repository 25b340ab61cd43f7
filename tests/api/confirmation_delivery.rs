//! Delivering bundles to a court's endpoint: a stand-in court that fails, hangs past the
//! timeout and answers out of order; a server restarted mid-delivery. Every bundle reaches the
//! court exactly once as new, and the court's signed answers become the case's status.

use super::agreement::Signing;
use super::confirmation::{consent, in_effect, prepare, view, with_court, COURT};
use accord::domain::ids::CaseId;
use accord::record::bundle::verify_bundle;
use accord_tests::court::{
    answer_refusal, post_answer, sign_body, signed_answer, taken_twice, Behaviour, StandInCourt,
};
use accord_tests::{expect, test_config, Backend, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

/// Waits for `condition`, up to a deadline.
async fn eventually<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !condition().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting: {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn file(s: &Signing) {
    assert_eq!(prepare(s, json!({"court_id": COURT})).await.0, 201);
    consent(&s.world.party).await;
    consent(&s.other).await;
    expect(
        s.world
            .mediator
            .post(&s.path("/confirmation/file"), json!({}))
            .await,
        201,
    );
}

async fn failures_and_timeouts_deliver_once_and_answers_arrive_in_any_order(backend: Backend) {
    let court = StandInCourt::start().await;
    court.script(&[Behaviour::Fail, Behaviour::Hang, Behaviour::Fail]);
    let s = in_effect(backend, with_court(Some(court.url.clone()))).await;
    file(&s).await;
    eventually("the delivery", || async {
        view(&s).await["application"]["delivered_at"].is_string()
    })
    .await;

    let application = view(&s).await["application"].clone();
    let sha = application["bundle_sha256"].as_str().unwrap().to_owned();
    assert_eq!(
        court.deliveries(),
        vec![sha.clone(); 4],
        "fail, hang, fail, then taken"
    );
    assert_eq!(
        court.bad_signatures(),
        0,
        "every delivery carries the committee's seal"
    );
    let taken = court.taken();
    assert_eq!(taken.len(), 1, "one bundle, taken once as new");
    assert!(taken_twice(&taken).is_empty());
    assert_eq!(verify_bundle(&taken[0].1).unwrap().bundle_sha256, sha);

    let now = s.world.app.clock.now();
    // A forged answer is refused and changes nothing.
    let (body, _) = signed_answer(
        &json!({"bundle_sha256": sha, "answer": "dismissed", "reason": "x"}),
        now,
    );
    assert_eq!(
        post_answer(&s.world.app.base, COURT, body.clone(), "forged").await,
        401
    );
    let (_, other_court) = signed_answer(&json!({}), now);
    assert_eq!(
        post_answer(&s.world.app.base, "nowhere", body, &other_court).await,
        401
    );

    // The decision overtakes the acceptance; the late acceptance is recorded, not undone.
    let confirmed = json!({"bundle_sha256": sha, "answer": "confirmed", "case_number": "(2026)京0105民特123号"});
    let (body, signature) = signed_answer(&confirmed, now);
    assert_eq!(
        post_answer(&s.world.app.base, COURT, body, &signature).await,
        204
    );
    let (body, signature) = signed_answer(&confirmed, now);
    assert_eq!(
        post_answer(&s.world.app.base, COURT, body, &signature).await,
        204,
        "the same answer again, in a callback of its own"
    );
    let (body, signature) =
        signed_answer(&json!({"bundle_sha256": sha, "answer": "accepted"}), now);
    assert_eq!(
        post_answer(&s.world.app.base, COURT, body, &signature).await,
        204
    );
    let (body, signature) = signed_answer(
        &json!({"bundle_sha256": sha, "answer": "dismissed", "reason": "不自愿"}),
        now,
    );
    assert_eq!(
        post_answer(&s.world.app.base, COURT, body, &signature).await,
        409
    );

    let application = view(&s).await["application"].clone();
    assert_eq!(application["status"], "confirmed");
    // The committee's figures count it as judicially confirmed.
    let figures = expect(
        s.world
            .admin
            .get("/api/statistics?from=2026-01-01&to=2026-12-31")
            .await,
        200,
    );
    assert_eq!(figures["judicially_confirmed"], 1);
    let dossier = expect(s.world.mediator.get(&s.path("/dossier")).await, 200);
    assert_eq!(dossier["items"][10]["present"], true, "{dossier}");
    assert_eq!(application["court_case_number"], "(2026)京0105民特123号");
    let party = expect(s.world.party.get("/api/me/confirmation").await, 200);
    assert_eq!(
        (
            party["status"].as_str(),
            party["court_case_number"].as_str()
        ),
        (Some("confirmed"), Some("(2026)京0105民特123号"))
    );
    let log = expect(s.world.mediator.get(&s.path("/events")).await, 200);
    let kinds: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    let count = |kind: &str| kinds.iter().filter(|k| **k == kind).count();
    assert_eq!(count("judicial_confirmation_filed"), 1);
    assert_eq!(count("court_bundle_delivered"), 1);
    assert_eq!(
        count("court_answered"),
        2,
        "confirmed, then the late acceptance"
    );
    assert_eq!(log["chain_intact"], true);
}

async fn a_restart_in_the_middle_loses_nothing_and_sends_nothing_twice_as_new(backend: Backend) {
    let court = StandInCourt::start().await;
    court.script(&[Behaviour::Fail; 10_000]);
    let s = in_effect(backend, with_court(Some(court.url.clone()))).await;
    file(&s).await;
    eventually("a few failed attempts", || async {
        court.deliveries().len() >= 3
    })
    .await;
    let case = CaseId::parse(&s.world.case).unwrap();
    let database = s.world.app.stop().await;
    let tried = court.deliveries().len();
    court.recover();

    let mut config = test_config(&database);
    with_court(Some(court.url.clone()))(&mut config);
    let app = TestApp::spawn_with(database, config).await;
    eventually("the delivery after the restart", || async {
        app.db
            .application(case)
            .await
            .unwrap()
            .unwrap()
            .delivered_at
            .is_some()
    })
    .await;
    assert!(court.deliveries().len() > tried);
    let taken = court.taken();
    assert_eq!(taken.len(), 1);
    let record = app.db.application(case).await.unwrap().unwrap();
    assert_eq!(
        Some(&taken[0].0),
        record.bundle_sha256.as_ref(),
        "the bundle filed, not a new one"
    );
}

/// The case's event kinds, in order.
async fn event_kinds(s: &Signing) -> Vec<String> {
    let log = expect(s.world.mediator.get(&s.path("/events")).await, 200);
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str().map(str::to_owned))
        .collect()
}

async fn a_replayed_or_stale_callback_is_refused_and_records_nothing(backend: Backend) {
    // A court that downloads its bundle: only a callback can mark it delivered.
    let s = in_effect(backend, with_court(None)).await;
    file(&s).await;
    let sha = view(&s).await["application"]["bundle_sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let base = &s.world.app.base;
    let clock = &s.world.app.clock;
    let answer = |what: &str| match what {
        "confirmed" => {
            json!({"bundle_sha256": sha, "answer": what, "case_number": "(2026)京0105民特7号"})
        }
        _ => json!({"bundle_sha256": sha, "answer": what}),
    };
    let before = event_kinds(&s).await;

    // Signed six minutes ago: stale, and nothing is recorded, not even the delivery.
    let (body, signature) = signed_answer(&answer("accepted"), clock.now().plus_seconds(-360));
    assert_eq!(
        answer_refusal(base, COURT, body, &signature).await,
        (401, Some("stale_callback".into()))
    );
    // No time or nonce under the signature: not an answer.
    let (body, signature) = sign_body(serde_json::to_vec(&answer("accepted")).unwrap());
    assert_eq!(answer_refusal(base, COURT, body, &signature).await.0, 422);
    // A member named twice under a valid signature: refused, not read as the last copy.
    let (body, signature) = sign_body(
        format!(
            r#"{{"bundle_sha256":"{sha}","answer":"dismissed","answer":"accepted","reason":"x",
                "issued_at":"{}","nonce":"duplicate-answer-0001"}}"#,
            clock.now().to_rfc3339()
        )
        .into_bytes(),
    );
    assert_eq!(
        answer_refusal(base, COURT, body, &signature).await,
        (422, Some("duplicate_member".into()))
    );
    assert_eq!(event_kinds(&s).await, before);
    assert!(view(&s).await["application"]["delivered_at"].is_null());

    // The court accepts, then confirms.
    let (accepted, accepted_signature) = signed_answer(&answer("accepted"), clock.now());
    assert_eq!(
        post_answer(base, COURT, accepted.clone(), &accepted_signature).await,
        204
    );
    let (confirmed, confirmed_signature) = signed_answer(&answer("confirmed"), clock.now());
    assert_eq!(
        post_answer(base, COURT, confirmed.clone(), &confirmed_signature).await,
        204
    );
    let recorded = event_kinds(&s).await;
    assert_eq!(
        recorded[before.len()..],
        ["court_bundle_delivered", "court_answered", "court_answered"]
    );

    // Someone who saw those callbacks sends them again: refused, and nothing is recorded (the
    // late acceptance would otherwise be recorded as a new answer).
    for (body, signature) in [
        (accepted.clone(), &accepted_signature),
        (confirmed.clone(), &confirmed_signature),
    ] {
        assert_eq!(
            answer_refusal(base, COURT, body, signature).await,
            (409, Some("replayed_callback".into()))
        );
    }
    // A nonce used once cannot carry another answer either.
    let nonce = serde_json::from_slice::<Value>(&accepted).unwrap()["nonce"].clone();
    let mut reused = answer("accepted");
    reused["issued_at"] = json!(clock.now().to_rfc3339());
    reused["nonce"] = nonce;
    let (body, signature) = sign_body(serde_json::to_vec(&reused).unwrap());
    assert_eq!(
        answer_refusal(base, COURT, body, &signature).await,
        (409, Some("replayed_callback".into()))
    );
    // Later, the captured callbacks are also stale.
    clock.advance(6 * 60 * 1000);
    assert_eq!(
        answer_refusal(base, COURT, accepted, &accepted_signature).await,
        (401, Some("stale_callback".into()))
    );
    assert_eq!(event_kinds(&s).await, recorded);
    assert_eq!(view(&s).await["application"]["status"], "confirmed");
}

on_both_backends!(
    failures_and_timeouts_deliver_once_and_answers_arrive_in_any_order,
    a_restart_in_the_middle_loses_nothing_and_sends_nothing_twice_as_new,
    a_replayed_or_stale_callback_is_refused_and_records_nothing,
);
