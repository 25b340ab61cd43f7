//! A party's own way in, in a real browser: the invitation link, the notice of rights and the
//! consents (each read and ticked by hand, none ticked in advance), the camera and microphone
//! check (the preview plays, the level meter moves), and the waiting room. Then the ways it can
//! go otherwise: a party who does not give a required consent cannot go on (not even by opening
//! the session page directly), and may withdraw from the mediation on the consents page; a
//! browser that refuses the camera gets plain help on how to allow it.

use crate::driver::{one_at_a_time, ChromeDriver, Permission, Person};
use crate::world::{self, Office};
use accord_tests::{expect, Backend, TestApp};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;
use tokio::time::Instant;

/// The page's state, as the page has it from the server.
const STATE: &str = "window.accordDebug && window.accordDebug.state";

/// The kinds of the consents the page marks as needed to take part.
const REQUIRED_KINDS: &str = "return [...document.querySelectorAll('accord-consent-card[data-required=\"true\"]')].map((c) => c.dataset.kind);";

/// Opens the invitation link and checks what it says: the committee, the case and the mediator.
pub async fn open_invitation(party: &Person, office: &Office, link: &str) {
    party.goto(link).await;
    party
        .wait_for(
            "the invitation",
            "!document.getElementById('join-view').hidden && document.getElementById('join-committee').textContent !== ''",
        )
        .await;
    assert_eq!(
        party.text_of("#join-committee").await,
        office.committee_name,
        "{}: the invitation names the committee",
        party.name
    );
    assert!(
        party.text_of("#join-mediators").await.contains("王丽"),
        "{}: the invitation names the mediator",
        party.name
    );
    assert!(
        !party.text_of("#join-number").await.is_empty(),
        "{}: the invitation shows the case number",
        party.name
    );
}

/// From the invitation to the consents page, which shows every text and has nothing ticked.
pub async fn open_consents(party: &Person) -> Vec<String> {
    party.click("#join-continue").await;
    party
        .wait_for(
            "the consents",
            "!document.getElementById('consents-view').hidden && document.querySelectorAll('accord-consent-card').length > 0",
        )
        .await;
    let shown = party
        .js(
            "const cards = [...document.querySelectorAll('accord-consent-card')];\n\
             return { cards: cards.length,\n\
                      texts: cards.filter((c) => c.querySelector('.consent-text').textContent.trim().length > 20).length,\n\
                      boxes: cards.filter((c) => c.querySelector('input[type=checkbox]')).length,\n\
                      ticked: cards.filter((c) => { const b = c.querySelector('input[type=checkbox]'); return b && b.checked; }).length,\n\
                      optional: cards.filter((c) => c.dataset.required === 'false').length };",
            vec![],
        )
        .await;
    let count = |key: &str| shown[key].as_u64().unwrap_or(u64::MAX);
    assert_eq!(
        count("texts"),
        count("cards"),
        "{}: every consent shows its text in full: {shown}",
        party.name
    );
    assert_eq!(
        count("boxes"),
        count("cards"),
        "{}: each consent has its own checkbox: {shown}",
        party.name
    );
    assert_eq!(
        count("ticked"),
        0,
        "{}: nothing is ticked in advance",
        party.name
    );
    assert!(
        count("optional") >= 1,
        "{}: the optional consents are shown as optional: {shown}",
        party.name
    );
    let kinds = party.js(REQUIRED_KINDS, vec![]).await;
    let kinds: Vec<String> = serde_json::from_value(kinds).expect("a list of kinds");
    assert!(
        !kinds.is_empty(),
        "{}: some consents are required",
        party.name
    );
    kinds
}

/// Ticks the checkbox of each of `kinds`, by clicking it as a person would.
pub async fn tick(party: &Person, kinds: &[String]) {
    for kind in kinds {
        party.click(&format!("#consent-{kind}")).await;
    }
    let ticked = party
        .js(
            "return arguments[0].every((k) => document.getElementById('consent-' + k).checked);",
            vec![json!(kinds)],
        )
        .await;
    assert_eq!(ticked, json!(true), "{}: the boxes are ticked", party.name);
}

/// The camera and microphone check: the preview plays and the microphone's level meter moves.
pub async fn check_devices(party: &Person) {
    party
        .wait_for(
            "the device check",
            "!document.getElementById('check-view').hidden",
        )
        .await;
    party.click("#check-start").await;
    party
        .wait_for(
            "the camera preview playing",
            "(() => { const v = document.getElementById('check-video'); return !document.getElementById('check-devices').hidden && v.videoWidth > 0 && !v.paused; })()",
        )
        .await;
    // The fake microphone beeps: the meter rises and falls.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = BTreeSet::new();
    loop {
        let value = party
            .js(
                "return document.getElementById('check-level').value;",
                vec![],
            )
            .await;
        // Whole numbers 0-100 (the page rounds them).
        seen.insert(value.as_f64().map_or(-1, |v| v.round() as i64));
        if seen.len() >= 3 && seen.iter().any(|v| *v > 0) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{}: the microphone level meter did not move: {seen:?}\n{}",
            party.name,
            party.diagnosis().await
        );
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
}

/// The whole way in, from the invitation link to the waiting room. With `shots`, screenshots of
/// each page are saved under that prefix.
pub async fn enter_waiting_room(party: &Person, office: &Office, link: &str, shots: Option<&str>) {
    open_invitation(party, office, link).await;
    if let Some(prefix) = shots {
        party.screenshots(&format!("{prefix}-invitation")).await;
    }
    let required = open_consents(party).await;
    if let Some(prefix) = shots {
        party.screenshots(&format!("{prefix}-consents")).await;
    }
    tick(party, &required).await;
    party.click("#consents-continue").await;
    check_devices(party).await;
    if let Some(prefix) = shots {
        party.screenshots(&format!("{prefix}-device-check")).await;
    }
    party.click("#check-continue").await;
    party
        .wait_for(
            "the waiting room",
            &format!("{STATE} && {STATE}.status === 'waiting' && !document.getElementById('session-waiting').hidden"),
        )
        .await;
    // The session page asks for the devices the check used.
    let kept = party
        .js(
            "return JSON.parse(sessionStorage.getItem('accord.devices') || 'null');",
            vec![],
        )
        .await;
    assert!(
        kept["videoDeviceId"].is_string() && kept["video"] == json!(true),
        "{}: the chosen camera is kept for the session page: {kept}",
        party.name
    );
}

/// The case's consents of one participant, as the mediator reads them.
pub async fn consents_of(office: &Office, participant: &str) -> Vec<Value> {
    let all = expect(
        office
            .mediator
            .get(&format!("/api/cases/{}/consents", office.case))
            .await,
        200,
    );
    all.as_array()
        .expect("a list of consents")
        .iter()
        .filter(|c| c["participant_id"] == participant)
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_party_who_does_not_give_a_required_consent_cannot_go_on() {
    let _turn = one_at_a_time().await;
    let driver = ChromeDriver::start().await;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let office = world::set_up(&app).await;
    let party = Person::open(&driver, "party A", "en").await;

    open_invitation(&party, &office, &office.party_a_link).await;
    let required = open_consents(&party).await;
    // Everything but the confidentiality undertaking.
    let refused = "confidentiality";
    assert!(required.iter().any(|k| k == refused));
    let given: Vec<String> = required.iter().filter(|k| *k != refused).cloned().collect();
    tick(&party, &given).await;
    party.click("#consents-continue").await;
    party
        .wait_for(
            "the page saying what is missing",
            &format!("document.querySelector('#consents-summary .is-error') && !document.getElementById('consent-error-{refused}').hidden"),
        )
        .await;
    assert_eq!(
        party.location().await,
        "/consents",
        "the party stays on the consents page"
    );
    let focused = party
        .js(
            "return document.activeElement && document.activeElement.id;",
            vec![],
        )
        .await;
    assert_eq!(
        focused,
        json!(format!("consent-{refused}")),
        "focus goes to what is missing"
    );
    party.screenshots("party-consents-missing").await;
    assert_eq!(
        consents_of(&office, &office.party_a).await,
        Vec::<Value>::new(),
        "nothing is recorded until every required consent is given"
    );

    // Going straight to the session does not help: the server refuses, and the page leads back.
    party
        .goto(&format!("{}/session?case={}", app.base, office.case))
        .await;
    party
        .wait_for(
            "the consents page again, saying why",
            "location.pathname === '/consents' && location.search === '?from=session' && !document.getElementById('consents-from-session').hidden && !document.getElementById('consents-view').hidden",
        )
        .await;

    // Given after all, the party goes on to the device check; then withdraws from the mediation.
    tick(&party, &required).await;
    party.click("#consents-continue").await;
    party
        .wait_for("the device check", "location.pathname === '/device-check'")
        .await;
    let recorded = consents_of(&office, &office.party_a).await;
    assert_eq!(
        recorded.len(),
        required.len(),
        "exactly the ticked consents are recorded: {recorded:?}"
    );
    assert!(recorded
        .iter()
        .all(|c| c["language"] == "en" && c["withdrawn_at"].is_null()));

    party.goto(&format!("{}/consents", app.base)).await;
    party
        .wait_for(
            "the given consents",
            "document.querySelector('button[data-withdraw=\"voluntary_participation\"]')",
        )
        .await;
    party
        .click("button[data-withdraw=\"voluntary_participation\"]")
        .await;
    party
        .wait_for(
            "the withdrawal dialog",
            "document.getElementById('consents-dialog').open",
        )
        .await;
    party.screenshots("party-consents-withdraw-dialog").await;
    party
        .click("#consents-dialog [data-part=\"confirm\"]")
        .await;
    party
        .wait_for(
            "the last page",
            "!document.getElementById('consents-final').hidden && document.getElementById('consents-next-steps').innerText.includes('art. 26')",
        )
        .await;
    let withdrawn = consents_of(&office, &office.party_a).await;
    assert!(
        withdrawn
            .iter()
            .any(|c| c["kind"] == "voluntary_participation" && c["withdrawn_at"].is_string()),
        "the withdrawal is recorded: {withdrawn:?}"
    );
    party.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_party_whose_browser_refuses_the_camera_is_told_how_to_allow_it() {
    let _turn = one_at_a_time().await;
    let driver = ChromeDriver::start().await;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let office = world::set_up(&app).await;
    let party = Person::open_with(&driver, "party B", "zh-CN", Permission::Denied).await;

    open_invitation(&party, &office, &office.party_b_link).await;
    let required = open_consents(&party).await;
    tick(&party, &required).await;
    party.click("#consents-continue").await;
    party
        .wait_for(
            "the device check",
            "!document.getElementById('check-view').hidden",
        )
        .await;
    party.click("#check-start").await;
    party
        .wait_for(
            "the help for a refused permission",
            "!document.getElementById('check-help').hidden && !document.querySelector('#check-help [data-help=\"denied\"]').hidden",
        )
        .await;
    assert_eq!(
        party.text_of("#check-help-heading").await,
        "摄像头和麦克风被禁止使用"
    );
    let help = party.text_of("#check-help").await;
    for words in ["地址栏", "安卓手机", "苹果手机", "微信"] {
        assert!(help.contains(words), "the help covers {words}: {help}");
    }
    let focused = party
        .js(
            "return document.activeElement && document.activeElement.id;",
            vec![],
        )
        .await;
    assert_eq!(
        focused,
        json!("check-help-heading"),
        "focus goes to the help"
    );
    // Trying again is offered, and so is going on without camera and microphone.
    party
        .wait_for(
            "the ways on",
            "!document.getElementById('check-retry').hidden && !document.getElementById('check-continue').hidden",
        )
        .await;
    party.screenshots("party-device-check-denied").await;
    party.close().await;
}
