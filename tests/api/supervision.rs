//! Supervisors (监督): accounts made by the operator's `accord admin`, a login of their own, and a
//! read-only view of their region's committees: figures and case progress, no confidential
//! content, nothing of any other region, and no door into the committees' or parties' API.

use super::agreement::Signing;
use accord::app::admin::{run, AdminCommand};
use accord_tests::{expect, Backend, Browser, TestApp, PASSWORD};
use serde_json::{json, Value};

/// Runs `accord admin` as the operator would, with `PASSWORD` on standard input.
async fn admin(app: &TestApp, command: AdminCommand) -> anyhow::Result<String> {
    let mut input = std::io::Cursor::new(format!("{PASSWORD}\n"));
    let mut out = Vec::new();
    run(command, &app.db, app.clock.now(), &mut input, &mut out).await?;
    Ok(String::from_utf8(out).unwrap())
}

async fn create_supervisor(app: &TestApp, username: &str, region: &str) {
    let command = AdminCommand::CreateSupervisor {
        region: region.into(),
        username: username.into(),
        display_name: "司法局监督员".into(),
    };
    admin(app, command).await.unwrap();
}

async fn supervisor(app: &TestApp, username: &str) -> Browser {
    let mut browser = app.browser();
    let me = expect(
        browser
            .post(
                "/api/supervision/login",
                json!({"username": username, "password": PASSWORD}),
            )
            .await,
        200,
    );
    browser.csrf = me["csrf_token"].as_str().map(str::to_owned);
    browser
}

const MARCH: &str = "from=2026-03-01&to=2026-03-31";
/// The summary the fixtures register each case with: a fact of the dispute.
const SUMMARY: &str = "漏水纠纷";

fn names(committees: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = committees
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    names
}

async fn a_supervisor_follows_the_committees_of_their_region_only(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    // 朝阳: the world's case, accepted, its oral agreement in effect. 海淀: accepted, going on.
    s.oral_agreement_in_effect().await;
    let accept = json!({"transition": "accept"});
    let path = format!("/api/cases/{}/transitions", w.case2);
    expect(w.mediator2.post(&path, accept).await, 200);
    let app = &w.app;
    create_supervisor(app, "chaoyang", "北京市朝阳区").await;
    create_supervisor(app, "beijing", "北京市").await;
    create_supervisor(app, "tianjin", "天津市").await;
    let (chaoyang, beijing, tianjin) = (
        supervisor(app, "chaoyang").await,
        supervisor(app, "beijing").await,
        supervisor(app, "tianjin").await,
    );

    let own = expect(chaoyang.get("/api/supervision/committees").await, 200);
    assert_eq!(names(&own), ["朝阳区人民调解委员会"]);
    let all = expect(beijing.get("/api/supervision/committees").await, 200);
    assert_eq!(
        names(&all),
        ["朝阳区人民调解委员会", "海淀区医疗纠纷人民调解委员会"]
    );
    assert_eq!(
        names(&expect(
            tianjin.get("/api/supervision/committees").await,
            200
        ))
        .len(),
        0
    );
    let haidian = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["region"] == "北京市海淀区")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Figures: each region counts its own committees, as their admins' reports do.
    let url = format!("/api/supervision/statistics?{MARCH}");
    let district = expect(chaoyang.get(&url).await, 200);
    assert_eq!(
        (district["accepted"].clone(), district["successful"].clone()),
        (json!(1), json!(1))
    );
    let city = expect(beijing.get(&url).await, 200);
    assert_eq!(city["region"], "北京市");
    assert_eq!(
        (city["accepted"].clone(), city["successful"].clone()),
        (json!(2), json!(1))
    );
    assert_eq!(city["success_rate"], 0.5);
    assert_eq!(city["by_committee_kind"]["street_town"]["successful"], 1);
    assert_eq!(
        city["by_committee_kind"]["industry_professional"]["accepted"],
        1
    );
    assert_eq!(city["by_committee"].as_array().unwrap().len(), 2);
    let one = expect(
        beijing.get(&format!("{url}&committee={haidian}")).await,
        200,
    );
    assert_eq!(
        (one["accepted"].clone(), one["successful"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(expect(tianjin.get(&url).await, 200)["accepted"], 0);
    // Another region's committee, or no committee at all, is not found.
    assert_eq!(
        chaoyang.get(&format!("{url}&committee={haidian}")).await.0,
        404
    );
    let nowhere = "00000000-0000-7000-8000-000000000000";
    assert_eq!(
        beijing.get(&format!("{url}&committee={nowhere}")).await.0,
        404
    );
    let (status, csv) = beijing.get(&format!("{url}&format=csv&lang=en")).await;
    assert_eq!(status, 200);
    let csv = csv.as_str().unwrap();
    assert!(csv.contains("total,,2,1,0,0,0,"), "{csv}");
    assert!(
        csv.contains("committee_kind,Industry or professional committee,1,0,"),
        "{csv}"
    );
    assert!(
        csv.contains("committee,\"海淀区医疗纠纷人民调解委员会\",1,0,"),
        "{csv}"
    );

    // Progress, forty days on: 海淀's mediation has run beyond the month it should take.
    // (Their sessions have long ended by then: they sign in again.)
    w.app.clock.advance(40 * 24 * 3600 * 1000);
    let (chaoyang, beijing, tianjin) = (
        supervisor(app, "chaoyang").await,
        supervisor(app, "beijing").await,
        supervisor(app, "tianjin").await,
    );
    let cases = expect(beijing.get("/api/supervision/cases").await, 200);
    let list = cases["cases"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{cases}");
    assert_eq!(cases["truncated"], false);
    let late = expect(
        beijing
            .get("/api/supervision/cases?beyond_one_month=true")
            .await,
        200,
    );
    let late = late["cases"].as_array().unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0]["committee_name"], "海淀区医疗纠纷人民调解委员会");
    assert_eq!(late[0]["status"], "accepted");
    assert_eq!(late[0]["days_in_mediation"], 40);
    assert!(late[0]["number"].as_str().unwrap().contains("人调字第"));
    let done = expect(
        chaoyang
            .get("/api/supervision/cases?status=effective")
            .await,
        200,
    );
    let done = &done["cases"][0];
    assert_eq!(done["concluded_on"], done["accepted_on"]);
    assert_eq!(done["beyond_one_month"], false);
    assert_eq!(
        expect(tianjin.get("/api/supervision/cases").await, 200)["cases"],
        json!([])
    );
    assert_eq!(
        chaoyang
            .get(&format!("/api/supervision/cases?committee={haidian}"))
            .await
            .0,
        404
    );
    assert_eq!(
        beijing.get("/api/supervision/cases?status=asleep").await.0,
        422
    );

    // Nothing confidential: no party's name, no summary of the dispute, no agreement's words.
    let everything = format!("{cases}{city}");
    for secret in ["李甲", "赵乙", SUMMARY, "summary", "content"] {
        assert!(
            !everything.contains(secret),
            "{secret} shown to a supervisor"
        );
    }
}

async fn a_supervisor_has_no_door_into_cases_and_staff_none_into_supervision(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    let app = &w.app;
    create_supervisor(app, "chaoyang", "北京市朝阳区").await;
    let taken = AdminCommand::CreateSupervisor {
        region: "北京市".into(),
        username: "chaoyang".into(),
        display_name: "另一个".into(),
    };
    let err = admin(app, taken).await.unwrap_err();
    assert!(err.to_string().contains("taken"), "{err}");
    let listed = admin(app, AdminCommand::ListSupervisors).await.unwrap();
    assert!(
        listed.contains("chaoyang\tactive\t北京市朝阳区"),
        "{listed}"
    );

    let wrong = app
        .browser()
        .post(
            "/api/supervision/login",
            json!({"username": "chaoyang", "password": "not the password at all"}),
        )
        .await;
    assert_eq!(wrong.0, 401);
    // A committee's admin is not a supervisor, and the staff login knows no supervisor.
    let admin_tries = app
        .browser()
        .post(
            "/api/supervision/login",
            json!({"username": "admin", "password": PASSWORD}),
        )
        .await;
    assert_eq!(admin_tries.0, 401);
    assert_eq!(app.browser().login("chaoyang", PASSWORD).await.0, 401);

    let chaoyang = supervisor(app, "chaoyang").await;
    let me = expect(chaoyang.get("/api/supervision/me").await, 200);
    assert_eq!(me["supervisor"]["region"], "北京市朝阳区");
    let case = format!("/api/cases/{}", w.case);
    for path in [
        "/api/auth/me",
        "/api/cases",
        case.as_str(),
        &format!("{case}/events"),
        &format!("{case}/agreement"),
        "/api/statistics?from=2026-03-01&to=2026-03-31",
        "/api/dossiers",
        "/api/me/case",
    ] {
        assert_eq!(chaoyang.get(path).await.0, 401, "{path}");
    }
    for staff_or_party in [&w.admin, &w.mediator, &w.party] {
        for path in ["/api/supervision/me", "/api/supervision/cases"] {
            assert_eq!(staff_or_party.get(path).await.0, 401, "{path}");
        }
    }

    // Signing out needs the page's CSRF token, like every state-changing request.
    let mut no_token = chaoyang.clone();
    no_token.csrf = None;
    assert_eq!(
        no_token.post("/api/supervision/logout", json!({})).await.0,
        403
    );
    assert_eq!(
        chaoyang.post("/api/supervision/logout", json!({})).await.0,
        204
    );
    assert_eq!(chaoyang.get("/api/supervision/me").await.0, 401);

    // The operator resets a password and disables the account; each ends its sessions.
    let again = supervisor(app, "chaoyang").await;
    let reset = AdminCommand::ResetPassword {
        username: "chaoyang".into(),
        supervisor: true,
    };
    admin(app, reset).await.unwrap();
    assert_eq!(again.get("/api/supervision/me").await.0, 401);
    let again = supervisor(app, "chaoyang").await;
    let disable = AdminCommand::DisableUser {
        username: "chaoyang".into(),
        supervisor: true,
    };
    admin(app, disable).await.unwrap();
    assert_eq!(again.get("/api/supervision/me").await.0, 401);
    let after = app
        .browser()
        .post(
            "/api/supervision/login",
            json!({"username": "chaoyang", "password": PASSWORD}),
        )
        .await;
    assert_eq!(after.0, 401);
    // The committee's account of the same kind of command is untouched.
    assert_eq!(app.browser().login("admin", PASSWORD).await.0, 200);
}

on_both_backends!(
    a_supervisor_follows_the_committees_of_their_region_only,
    a_supervisor_has_no_door_into_cases_and_staff_none_into_supervision,
);
