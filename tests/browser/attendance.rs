//! Consent 5 in real browsers (PML 20, 23(3)): an observer comes in through their own
//! invitation, consents and device check, and the mediator admits them once every party has
//! agreed to them. When a party withdraws that agreement, the observer's page is back in the
//! waiting room at once, its peer connection closed, saying why; the mediator's page says who
//! withdrew their agreement to whom.

use crate::driver::{one_at_a_time, ChromeDriver, Person};
use crate::party::{check_devices, open_invitation, tick};
use crate::session::{admit, mediator_opens_session};
use crate::world;
use accord_tests::fixtures::{give_required_consents, invite};
use accord_tests::{expect, Backend, Browser, TestApp};
use serde_json::json;

/// The page's state, as the page has it from the server.
const STATE: &str = "window.accordDebug && window.accordDebug.state";

/// A party of the office, signed in through the API (their own pages are not under test here).
async fn party(app: &TestApp, office: &world::Office, participant: &str) -> Browser {
    let mut browser = app.browser();
    let link = invite(&office.mediator, &office.case, participant).await;
    expect(
        browser.redeem(link["link"].as_str().expect("a link")).await,
        200,
    );
    give_required_consents(&browser).await;
    browser
}

/// The observer's way in: the invitation, the consents their role needs, the device check and
/// the waiting room (the party's way, without the party's optional consents).
async fn observer_waits(observer: &Person, office: &world::Office, link: &str) {
    open_invitation(observer, office, link).await;
    observer.click("#join-continue").await;
    let kinds = observer
        .wait_for(
            "the observer's consents",
            "(() => { const cards = [...document.querySelectorAll('accord-consent-card')]; \
             return !document.getElementById('consents-view').hidden && cards.length > 0 \
             && cards.filter((c) => c.dataset.required === 'true').map((c) => c.dataset.kind); })()",
        )
        .await;
    let kinds: Vec<String> = serde_json::from_value(kinds).expect("a list of kinds");
    tick(observer, &kinds).await;
    observer.click("#consents-continue").await;
    check_devices(observer).await;
    observer.click("#check-continue").await;
    observer
        .wait_for(
            "the observer in the waiting room",
            &format!("{STATE} && {STATE}.status === 'waiting'"),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_observer_whose_agreement_is_withdrawn_waits_again_and_is_told_why() {
    let _turn = one_at_a_time().await;
    let driver = ChromeDriver::start().await;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let office = world::set_up(&app).await;
    let added = expect(
        office
            .mediator
            .post(
                &format!("/api/cases/{}/participants", office.case),
                json!({"role": "observer", "name": "周旁听"}),
            )
            .await,
        201,
    );
    let observer_id = added["id"].as_str().expect("an id").to_owned();
    let member = format!("p-{observer_id}");
    let observer_link = world::invite(&app, &office.mediator, &office.case, &observer_id).await;
    let party_b_id = office.party_b_member.trim_start_matches("p-").to_owned();
    let mut parties = Vec::new();
    for participant in [&office.party_a, &party_b_id, &office.party_c] {
        let browser = party(&app, &office, participant).await;
        let listed = expect(browser.get("/api/me/attendees").await, 200);
        let given = json!({"version": listed["version"], "language": "zh-CN"});
        let path = format!("/api/me/attendees/{observer_id}/consent");
        expect(browser.post(&path, given).await, 201);
        parties.push(browser);
    }

    let (mediator, observer) = tokio::join!(
        Person::open(&driver, "mediator", "zh-CN"),
        Person::open(&driver, "observer", "en"),
    );
    tokio::join!(
        mediator_opens_session(&mediator, &app, &office),
        observer_waits(&observer, &office, &observer_link),
    );
    admit(&mediator, &member).await;
    observer.sees_video_of(&office.mediator_member).await;

    // Party B (赵乙) withdraws their agreement on their consents page.
    let path = format!("/api/me/attendees/{observer_id}/withdraw");
    expect(parties[1].post(&path, json!({})).await, 204);
    observer
        .wait_for(
            "the observer back in the waiting room, told why, with no media",
            &format!(
                "{STATE} && {STATE}.status === 'waiting' && window.accordDebug.pc === null \
                 && !document.getElementById('session-waiting').hidden \
                 && document.getElementById('session-room').hidden \
                 && document.getElementById('session-waiting-reason').innerText.includes('withdrawn their agreement')"
            ),
        )
        .await;
    let reason = observer.text_of("#session-waiting-reason").await;
    assert!(
        !reason.contains("赵乙"),
        "the observer is not told which party: {reason}"
    );
    mediator
        .wait_for(
            "the mediator's notice",
            "(() => { const t = document.getElementById('session-withdrawals').innerText; \
             return t.includes('赵乙') && t.includes('周旁听') && t.includes('第二十条'); })()",
        )
        .await;
    mediator
        .wait_for(
            "the observer waiting again on the mediator's page",
            &format!("document.querySelector('#session-queue-list li[data-member=\"{member}\"]') !== null"),
        )
        .await;
    observer.screenshots("observer-returned-to-waiting").await;
    mediator.screenshots("mediator-attendance-withdrawn").await;

    // The mediator then takes the observer off the case: their page is over at once, says
    // why, and the mediator is told.
    let path = format!("/api/cases/{}/participants/{observer_id}", office.case);
    expect(office.mediator.delete(&path).await, 204);
    observer
        .wait_for(
            "the observer's page ended, saying they are no longer a participant",
            "!document.getElementById('session-ended').hidden \
             && document.getElementById('session-view').hidden \
             && document.getElementById('session-ended').innerText.includes('can no longer stay') \
             && document.getElementById('session-ended').innerText.includes('no longer a participant')",
        )
        .await;
    mediator
        .wait_for(
            "the mediator's notice of the eviction",
            "(() => { const t = document.getElementById('session-withdrawals').innerText; \
             return t.includes('周旁听') && t.includes('已被移出本案'); })()",
        )
        .await;
    observer.screenshots("observer-evicted").await;
    for person in [mediator, observer] {
        person.close().await;
    }
}
