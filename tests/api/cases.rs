//! Cases through their life: numbering, listing with filters, the lifecycle, and archiving.

use super::world::{create_user, register_case, signed_in, World};
use accord_tests::{expect, Backend};
use serde_json::json;

async fn transition(
    staff: &accord_tests::Browser,
    case: &str,
    step: &str,
) -> (u16, serde_json::Value) {
    let (status, body) = staff
        .post(
            &format!("/api/cases/{case}/transitions"),
            json!({"transition": step}),
        )
        .await;
    (status.as_u16(), body)
}

async fn cases_are_numbered_per_committee_and_year(backend: Backend) {
    let world = World::build(backend).await;
    // World registered one case in each committee: each committee starts at 1.
    let first = expect(
        world
            .mediator
            .get(&format!("/api/cases/{}", world.case))
            .await,
        200,
    );
    assert_eq!(first["number"], "(2026) 人调字第 1 号");
    let second = expect(
        world
            .admin2
            .get(&format!("/api/cases/{}", world.case2))
            .await,
        200,
    );
    assert_eq!(second["number"], "(2026) 人调字第 1 号");
    assert_eq!(
        register_case(&world.mediator).await["number"],
        "(2026) 人调字第 2 号"
    );
    let carried = json!({"dispute_type": "contract", "source": "party_application", "summary": "旧案", "number_seq": 7});
    assert_eq!(
        expect(world.admin.post("/api/cases", carried).await, 201)["seq"],
        7
    );
    assert_eq!(
        register_case(&world.mediator).await["seq"],
        8,
        "automatic numbers continue after a carried one"
    );
    // The next calendar year (in China) starts again at 1.
    world.app.clock.advance(310 * 24 * 3_600_000);
    let mediator = signed_in(&world.app, "mediator").await;
    assert_eq!(
        register_case(&mediator).await["number"],
        "(2027) 人调字第 1 号"
    );
}

async fn lists_show_each_staff_member_their_cases_with_filters(backend: Backend) {
    let world = World::build(backend).await;
    let admin_case = expect(
        world
            .admin
            .post("/api/cases", json!({"dispute_type": "medical", "source": "police_referral", "summary": "医疗纠纷"}))
            .await,
        201,
    );
    assert_eq!(
        admin_case["mediators"],
        json!([]),
        "an admin who registers is not assigned"
    );
    let all = expect(world.admin.get("/api/cases").await, 200);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let mine = expect(world.mediator.get("/api/cases").await, 200);
    assert_eq!(
        mine.as_array().unwrap().len(),
        1,
        "a mediator sees the cases assigned to them"
    );
    assert_eq!(mine[0]["mediators"][0]["display_name"], "mediator");
    let none = expect(world.colleague.get("/api/cases").await, 200);
    assert_eq!(none, json!([]));
    let medical = expect(
        world.admin.get("/api/cases?dispute_type=medical").await,
        200,
    );
    assert_eq!(medical.as_array().unwrap().len(), 1);
    let by_mediator = expect(
        world
            .admin
            .get(&format!("/api/cases?mediator={}", world.mediator_id))
            .await,
        200,
    );
    assert_eq!(by_mediator[0]["id"], world.case.as_str());
    let accepted = expect(world.admin.get("/api/cases?status=accepted").await, 200);
    assert_eq!(accepted, json!([]));
}

async fn a_case_goes_through_its_life_and_is_frozen_when_archived(backend: Backend) {
    let world = World::build(backend).await;
    let case = &world.case;
    assert_eq!(
        transition(&world.mediator, case, "start_mediation").await.0,
        409
    );
    let (status, body) = transition(&world.mediator, case, "accept").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("accepted")));
    assert_eq!(
        transition(&world.mediator, case, "start_mediation").await.1["status"],
        "in_mediation"
    );
    let by_hand = transition(&world.mediator, case, "take_effect").await;
    assert_eq!(by_hand.0, 422, "{}", by_hand.1);
    let elsewhere = transition(&world.mediator, case, "terminate").await;
    assert_eq!(
        (elsewhere.0, elsewhere.1["details"][0]["field"].as_str()),
        (422, Some("transition")),
        "termination has its own endpoint, with the notice of PML 26"
    );
    expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{case}/termination"),
                json!({"reasons": ["no_agreement"]}),
            )
            .await,
        201,
    );
    assert_eq!(
        transition(&world.mediator, case, "archive").await.0,
        403,
        "archiving is the admin's"
    );
    assert_eq!(
        transition(&world.admin, case, "archive").await.1["status"],
        "archived"
    );

    let frozen = expect(
        world
            .mediator
            .put(&format!("/api/cases/{case}"), json!({"dispute_type": "neighbour", "source": "party_application", "summary": "改"}))
            .await,
        409,
    );
    assert_eq!(frozen["code"], "case_archived");
    expect(
        world
            .mediator
            .post(
                &format!("/api/cases/{case}/participants"),
                json!({"role": "observer", "name": "某"}),
            )
            .await,
        409,
    );
    expect(
        world
            .mediator
            .post(
                &format!(
                    "/api/cases/{case}/participants/{}/invitations",
                    world.party_id
                ),
                json!({}),
            )
            .await,
        409,
    );
    assert_eq!(transition(&world.admin, case, "accept").await.0, 409);
    let log = expect(
        world.admin.get(&format!("/api/cases/{case}/events")).await,
        200,
    );
    assert_eq!(log["chain_intact"], true);
    let statuses: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "status_changed")
        .map(|e| e["payload"]["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["accepted", "in_mediation", "terminated", "archived"]
    );
}

async fn mediation_waits_for_an_assigned_mediator(backend: Backend) {
    let world = World::build(backend).await;
    let case = register_case(&world.admin).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    transition(&world.admin, &case, "accept").await;
    let (status, body) = transition(&world.admin, &case, "start_mediation").await;
    assert_eq!((status, body["code"].as_str()), (409, Some("no_mediator")));
    let assigned = expect(
        world
            .admin
            .put(
                &format!("/api/cases/{case}/mediators"),
                json!({"mediators": [world.mediator_id]}),
            )
            .await,
        200,
    );
    assert_eq!(assigned["mediators"][0]["id"], world.mediator_id.as_str());
    assert_eq!(
        transition(&world.mediator, &case, "start_mediation")
            .await
            .0,
        200
    );
    // Staff of another committee, a disabled account or nobody at all cannot be assigned.
    let outsider = world.mediator2_id.clone();
    let refused = expect(
        world
            .admin
            .put(
                &format!("/api/cases/{case}/mediators"),
                json!({"mediators": [outsider]}),
            )
            .await,
        422,
    );
    assert_eq!(refused["details"][0]["field"], "mediators");
    expect(
        world
            .admin
            .put(
                &format!("/api/cases/{case}/mediators"),
                json!({"mediators": []}),
            )
            .await,
        422,
    );
    let leaver = create_user(&world.admin, "leaver", "mediator").await;
    signed_in(&world.app, "leaver").await;
    expect(
        world
            .admin
            .post(&format!("/api/users/{leaver}/disable"), json!({}))
            .await,
        204,
    );
    expect(
        world
            .admin
            .put(
                &format!("/api/cases/{case}/mediators"),
                json!({"mediators": [leaver]}),
            )
            .await,
        422,
    );
}

on_both_backends!(
    cases_are_numbered_per_committee_and_year,
    lists_show_each_staff_member_their_cases_with_filters,
    a_case_goes_through_its_life_and_is_frozen_when_archived,
    mediation_waits_for_an_assigned_mediator,
);
