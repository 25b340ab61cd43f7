//! The office before the session, set up through the real API as its staff would: a committee, a
//! mediator, an accepted case with three parties and an invitation link for each.

use accord_tests::fixtures::{self, add_party};
use accord_tests::{expect, Browser, TestApp, PASSWORD};
use serde_json::json;

#[derive(Debug)]
pub struct Office {
    pub case: String,
    pub committee_name: String,
    pub mediator_username: String,
    /// The mediator's own signed-in API client, to read the case as the tests check it.
    pub mediator: Browser,
    /// `s-<user id>`: the mediator's member id (and media stream id) in the live session.
    pub mediator_member: String,
    /// Party A's participant id (their member id is `p-<id>`).
    pub party_a: String,
    pub party_a_member: String,
    pub party_a_link: String,
    pub party_b_member: String,
    pub party_b_link: String,
    /// A third party, who joins with a Rust WebRTC peer instead of a browser.
    pub party_c: String,
    pub party_c_link: String,
}

fn id(value: &serde_json::Value) -> String {
    value["id"].as_str().expect("an id").to_owned()
}

/// The party's invitation link, on the address the test server really listens on.
pub async fn invite(app: &TestApp, staff: &Browser, case: &str, participant: &str) -> String {
    let issued = fixtures::invite(staff, case, participant).await;
    let link = issued["link"].as_str().expect("a link");
    let token = link.split_once("#t=").expect("a token in the link").1;
    format!("{}/join#t={token}", app.base)
}

pub async fn set_up(app: &TestApp) -> Office {
    let admin = app.set_up().await;
    let mediator_username = "wangli".to_owned();
    let mediator_id = id(&expect(
        admin
            .post(
                "/api/users",
                json!({"username": mediator_username, "display_name": "王丽", "role": "mediator",
                       "password": PASSWORD}),
            )
            .await,
        201,
    ));
    let mut mediator = app.browser();
    expect(mediator.login(&mediator_username, PASSWORD).await, 200);
    let me = expect(mediator.get("/api/auth/me").await, 200);
    let committee_name = me["user"]["committee_name"]
        .as_str()
        .expect("the committee's name")
        .to_owned();
    let case = id(&expect(
        mediator
            .post(
                "/api/cases",
                json!({"dispute_type": "neighbour", "source": "party_application",
                       "summary": "漏水纠纷：楼上漏水损坏楼下天花板", "amount_fen": 120_000}),
            )
            .await,
        201,
    ));
    expect(
        mediator
            .post(
                &format!("/api/cases/{case}/transitions"),
                json!({"transition": "accept"}),
            )
            .await,
        200,
    );
    let party_a = add_party(&mediator, &case, "李甲", "applicant").await;
    let party_b = add_party(&mediator, &case, "赵乙", "respondent").await;
    let party_a_link = invite(app, &mediator, &case, &party_a).await;
    let party_b_link = invite(app, &mediator, &case, &party_b).await;
    let party_c = add_party(&mediator, &case, "孙丙", "respondent").await;
    let party_c_link = invite(app, &mediator, &case, &party_c).await;
    Office {
        case,
        committee_name,
        mediator_username,
        mediator,
        mediator_member: format!("s-{mediator_id}"),
        party_a_member: format!("p-{party_a}"),
        party_a,
        party_a_link,
        party_b_member: format!("p-{party_b}"),
        party_b_link,
        party_c,
        party_c_link,
    }
}
