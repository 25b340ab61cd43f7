//! The permission matrix: every role against every endpoint, on a case of their own committee
//! (target 1) and of the other committee (target 2), with every answer asserted.
//!
//! Roles: anonymous; admin of committee 1; the mediator assigned to case 1; a colleague of
//! committee 1 not assigned to it; admin of committee 2; the party of case 1; the party of
//! case 2. Requests that would change what later rows see act on resources made just for them.

use super::world::{create_user, World};
use accord_tests::{Backend, Browser};
use reqwest::Method;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    ListCases,
    RegisterCase,
    GetCase,
    EditCase,
    StartMediation,
    Archive,
    AssignMediators,
    Events,
    ListParticipants,
    AddParticipant,
    EditParticipant,
    RemoveParticipant,
    IssueInvitation,
    ListInvitations,
    RevokeInvitation,
    ReissueInvitation,
    MyCase,
    ListUsers,
    CreateUser,
    DisableUser,
    Me,
    JoinLive,
    MyConsents,
    CaseConsents,
    Agenda,
    AddAgendaItem,
    MyAgenda,
    Sittings,
    Terminate,
    MyTermination,
}

use Endpoint::*;

/// Expected statuses, one `target1/target2` pair per role in the order
/// anonymous, admin, mediator, colleague, admin2, party, party2.
#[rustfmt::skip]
const MATRIX: &[(Endpoint, &str)] = &[
    (ListCases,         "401/401 200/200 200/200 200/200 200/200 403/403 403/403"),
    (RegisterCase,      "401/401 201/201 201/201 201/201 201/201 403/403 403/403"),
    (GetCase,           "401/401 200/404 200/404 404/404 404/200 403/404 404/403"),
    (EditCase,          "401/401 200/404 200/404 404/404 404/200 403/404 404/403"),
    (StartMediation,    "401/401 409/404 409/404 404/404 404/409 403/404 404/403"),
    (Archive,           "401/401 409/404 403/404 404/404 404/409 403/404 404/403"),
    (AssignMediators,   "401/401 200/404 403/404 404/404 404/200 403/404 404/403"),
    (Events,            "401/401 200/404 200/404 404/404 404/200 403/404 404/403"),
    (ListParticipants,  "401/401 200/404 200/404 404/404 404/200 403/404 404/403"),
    (AddParticipant,    "401/401 201/404 201/404 404/404 404/201 403/404 404/403"),
    (EditParticipant,   "401/401 200/404 200/404 404/404 404/200 403/404 404/403"),
    (RemoveParticipant, "401/401 204/404 204/404 404/404 404/204 403/404 404/403"),
    (IssueInvitation,   "401/401 403/404 201/404 404/404 404/403 403/404 404/403"),
    (ListInvitations,   "401/401 403/404 200/404 404/404 404/403 403/404 404/403"),
    (RevokeInvitation,  "401/401 403/404 204/404 404/404 404/403 403/404 404/403"),
    (ReissueInvitation, "401/401 403/404 201/404 404/404 404/403 403/404 404/403"),
    (MyCase,            "401/401 401/401 401/401 401/401 401/401 200/200 200/200"),
    (ListUsers,         "401/401 200/200 403/403 403/403 200/200 403/403 403/403"),
    (CreateUser,        "401/401 201/201 403/403 403/403 201/201 403/403 403/403"),
    (DisableUser,       "401/401 204/404 403/403 403/403 404/204 403/403 403/403"),
    (Me,                "401/401 200/200 200/200 200/200 200/200 200/200 200/200"),
    // Not a WebSocket request: those let in get as far as the case's status (not in mediation).
    (JoinLive,          "401/401 403/404 409/404 404/404 404/403 409/404 404/409"),
    (MyConsents,        "401/401 401/401 401/401 401/401 401/401 200/200 200/200"),
    (CaseConsents,      "401/401 200/404 200/404 404/404 404/200 403/404 404/403"),
    (Agenda,            "401/401 200/404 200/404 404/404 404/200 403/404 404/403"),
    (AddAgendaItem,     "401/401 403/404 201/404 404/404 404/403 403/404 404/403"),
    (MyAgenda,          "401/401 401/401 401/401 401/401 401/401 200/200 200/200"),
    (Sittings,          "401/401 200/404 200/404 404/404 404/200 403/404 404/403"),
    // Only the assigned mediators terminate (PML 26), and not a case still registered.
    (Terminate,         "401/401 403/404 409/404 404/404 404/403 403/404 404/403"),
    // Nothing was terminated: 404 `not_terminated`, for the participants alone.
    (MyTermination,     "401/401 401/401 401/401 401/401 401/401 404/404 404/404"),
];

const ROLES: &[&str] = &[
    "anonymous",
    "admin",
    "mediator",
    "colleague",
    "admin2",
    "party",
    "party2",
];

struct Target<'a> {
    case: &'a str,
    party: &'a str,
    mediator_id: &'a str,
    /// Staff who may prepare resources on this target's case.
    runner: &'a Browser,
    admin: &'a Browser,
}

fn target(world: &World, which: usize) -> Target<'_> {
    if which == 1 {
        Target {
            case: &world.case,
            party: &world.party_id,
            mediator_id: &world.mediator_id,
            runner: &world.mediator,
            admin: &world.admin,
        }
    } else {
        Target {
            case: &world.case2,
            party: &world.party2_id,
            mediator_id: &world.mediator2_id,
            runner: &world.mediator2,
            admin: &world.admin2,
        }
    }
}

/// A participant made for a request that removes one.
async fn fresh_participant(t: &Target<'_>) -> String {
    let (_, body) = t
        .runner
        .post(
            &format!("/api/cases/{}/participants", t.case),
            json!({"role": "observer", "name": "旁听人"}),
        )
        .await;
    body["id"].as_str().expect("observer id").to_owned()
}

/// An invitation made for a request that revokes or re-issues one.
async fn fresh_invitation(t: &Target<'_>) -> String {
    let (_, body) = t
        .runner
        .post(
            &format!("/api/cases/{}/participants/{}/invitations", t.case, t.party),
            json!({}),
        )
        .await;
    body["invitation"]["id"]
        .as_str()
        .expect("invitation id")
        .to_owned()
}

async fn call(who: &Browser, endpoint: Endpoint, t: &Target<'_>, n: usize) -> u16 {
    let case = t.case;
    let (method, path, body): (Method, String, Option<Value>) = match endpoint {
        ListCases => (Method::GET, "/api/cases".into(), None),
        RegisterCase => (
            Method::POST,
            "/api/cases".into(),
            Some(
                json!({"dispute_type": "contract", "source": "party_application", "summary": "合同纠纷"}),
            ),
        ),
        GetCase => (Method::GET, format!("/api/cases/{case}"), None),
        EditCase => (
            Method::PUT,
            format!("/api/cases/{case}"),
            Some(
                json!({"dispute_type": "neighbour", "source": "party_application", "summary": "漏水纠纷", "amount_fen": 120_000}),
            ),
        ),
        StartMediation | Archive => (
            Method::POST,
            format!("/api/cases/{case}/transitions"),
            Some(
                json!({"transition": if endpoint == Archive { "archive" } else { "start_mediation" }}),
            ),
        ),
        AssignMediators => (
            Method::PUT,
            format!("/api/cases/{case}/mediators"),
            Some(json!({"mediators": [t.mediator_id]})),
        ),
        Events => (Method::GET, format!("/api/cases/{case}/events"), None),
        ListParticipants => (Method::GET, format!("/api/cases/{case}/participants"), None),
        AddParticipant => (
            Method::POST,
            format!("/api/cases/{case}/participants"),
            Some(json!({"role": "invited", "name": "邻居王某"})),
        ),
        EditParticipant => (
            Method::PUT,
            format!("/api/cases/{case}/participants/{}", t.party),
            Some(json!({"name": "当事人", "contact": "13800138000"})),
        ),
        RemoveParticipant => {
            let id = fresh_participant(t).await;
            (
                Method::DELETE,
                format!("/api/cases/{case}/participants/{id}"),
                None,
            )
        }
        IssueInvitation => (
            Method::POST,
            format!("/api/cases/{case}/participants/{}/invitations", t.party),
            Some(json!({})),
        ),
        ListInvitations => (Method::GET, format!("/api/cases/{case}/invitations"), None),
        RevokeInvitation | ReissueInvitation => {
            let id = fresh_invitation(t).await;
            let verb = if endpoint == RevokeInvitation {
                "revoke"
            } else {
                "reissue"
            };
            (
                Method::POST,
                format!("/api/cases/{case}/invitations/{id}/{verb}"),
                Some(json!({})),
            )
        }
        MyCase => (Method::GET, "/api/me/case".into(), None),
        ListUsers => (Method::GET, "/api/users".into(), None),
        CreateUser => (
            Method::POST,
            "/api/users".into(),
            Some(
                json!({"username": format!("user{n}"), "display_name": "新调解员", "role": "mediator", "password": accord_tests::PASSWORD}),
            ),
        ),
        DisableUser => {
            let id = create_user(t.admin, &format!("victim{n}"), "mediator").await;
            (
                Method::POST,
                format!("/api/users/{id}/disable"),
                Some(json!({})),
            )
        }
        Me => (Method::GET, "/api/auth/me".into(), None),
        JoinLive => (Method::GET, format!("/api/cases/{case}/live"), None),
        MyConsents => (Method::GET, "/api/me/consents".into(), None),
        CaseConsents => (Method::GET, format!("/api/cases/{case}/consents"), None),
        Agenda => (Method::GET, format!("/api/cases/{case}/agenda"), None),
        AddAgendaItem => (
            Method::POST,
            format!("/api/cases/{case}/agenda"),
            Some(json!({"title": "核实身份"})),
        ),
        MyAgenda => (Method::GET, "/api/me/agenda".into(), None),
        Sittings => (Method::GET, format!("/api/cases/{case}/sittings"), None),
        Terminate => (
            Method::POST,
            format!("/api/cases/{case}/termination"),
            Some(json!({"reasons": ["no_agreement"]})),
        ),
        MyTermination => (Method::GET, "/api/me/termination".into(), None),
    };
    who.send(method, &path, body).await.0.as_u16()
}

async fn every_role_gets_exactly_its_answer_from_every_endpoint(backend: Backend) {
    let world = World::build(backend).await;
    let anonymous = world.app.browser();
    let browsers: [&Browser; 7] = [
        &anonymous,
        &world.admin,
        &world.mediator,
        &world.colleague,
        &world.admin2,
        &world.party,
        &world.party2,
    ];
    let mut wrong = Vec::new();
    let mut n = 0;
    for (endpoint, row) in MATRIX {
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cells.len(), ROLES.len(), "{endpoint:?}: one pair per role");
        for ((role, browser), cell) in ROLES.iter().zip(browsers).zip(cells) {
            for (which, want) in cell.split('/').enumerate() {
                n += 1;
                let t = target(&world, which + 1);
                let got = call(browser, *endpoint, &t, n).await;
                if got.to_string() != want {
                    wrong.push(format!(
                        "{endpoint:?} as {role} on target {}: got {got}, want {want}",
                        which + 1
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the matrix disagrees:\n{}",
        wrong.join("\n")
    );
}

on_both_backends!(every_role_gets_exactly_its_answer_from_every_endpoint);
