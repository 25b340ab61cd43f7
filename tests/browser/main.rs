//! A mediation in real browsers: headless Chromium with a fake camera and microphone, one
//! browser per person, against the real server on port 0. The mediator signs in at /login and
//! opens the session from the console; the parties open their invitation links, read and give
//! their consents, check their camera and microphone, and wait until the mediator admits them;
//! everyone sees everyone in the joint room; a caucus takes one party and the mediator away from
//! the other, whose page stops showing them and decodes no frames of theirs until everyone is
//! back. A Rust WebRTC peer joins the same session as a third party (turned away while the
//! mediator has locked the session) and exchanges media with the browsers. The mediator keeps
//! the agenda, which the parties' pages follow live, and takes notes only the mediator's page
//! shows. At the end one party withdraws from the mediation (PML 23): the mediator is told, and
//! the case's record shows it; the mediator ends the session, then the mediation (PML 26), and
//! the other party, coming back, reads why and the notice of other routes.
//!
//! Needs Debian's `chromium` and `chromium-driver`; fails (never skips) without them.
//! Screenshots of the key screens go to `tests/artifacts/screenshots/`.

mod attendance;
mod console;
mod driver;
mod page;
mod party;
mod session;
mod signing;
mod supervision;
mod world;

use accord_tests::fixtures::give_required_consents;
use accord_tests::live::LiveClient;
use accord_tests::session::MediaMember;
use accord_tests::{expect, Backend, TestApp};
use driver::{one_at_a_time, ChromeDriver, Person};
use party::enter_waiting_room;
use serde_json::json;
use session::admit;
use std::time::Duration;
use tokio::time::Instant;

/// The page's state, as the page has it from the server.
const STATE: &str = "window.accordDebug && window.accordDebug.state";

fn chat_has(text: &str) -> String {
    format!(
        "document.getElementById('session-chat-log').innerText.includes({})",
        json!(text)
    )
}

fn tile_gone(member: &str) -> String {
    format!("!document.querySelector('accord-video-tile[data-member=\"{member}\"]')")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mediation_with_a_caucus_in_three_browsers_and_a_rust_peer() {
    let _turn = one_at_a_time().await;
    let began = Instant::now();
    let driver = ChromeDriver::start().await;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let office = world::set_up(&app).await;
    let (m_id, a_id, b_id) = (
        office.mediator_member.as_str(),
        office.party_a_member.as_str(),
        office.party_b_member.as_str(),
    );
    let (mediator, party_a, party_b) = tokio::join!(
        Person::open(&driver, "mediator", "zh-CN"),
        Person::open(&driver, "party A", "zh-CN"),
        Person::open(&driver, "party B", "en"),
    );
    let ready = began.elapsed();

    // The mediator signs in and opens the case's session from the console, while party A
    // arrives in the waiting room.
    let mediator_enters = async {
        session::mediator_opens_session(&mediator, &app, &office).await;
    };
    let a_waits = async {
        enter_waiting_room(&party_a, &office, &office.party_a_link, Some("party")).await;
        party_a
            .wait_for(
                "party A's own camera in the waiting room",
                "(() => { const v = document.querySelector('#session-waiting-preview video'); return v && v.videoWidth > 0; })()",
            )
            .await;
    };
    tokio::join!(mediator_enters, a_waits);
    // Waiting shows nobody else: no remote media, no one's tile.
    let waiting = party_a.js(&format!("return {STATE};"), vec![]).await;
    assert_eq!(
        waiting["members"],
        json!([]),
        "the waiting room shows no one"
    );
    assert_eq!(
        party_a
            .js("return window.accordDebug.pc === null;", vec![])
            .await,
        json!(true),
        "no peer connection while waiting"
    );
    party_a.screenshots("waiting-room-party").await;

    mediator
        .wait_for(
            "party A knocking",
            &format!("document.querySelector('#session-queue-list li[data-member=\"{a_id}\"]')"),
        )
        .await;
    mediator.screenshots("mediator-knock").await;

    // Admitted: each sees the other's camera, and its frames keep coming.
    let admitted = Instant::now();
    admit(&mediator, a_id).await;
    let (m_sees_a, a_sees_m) =
        tokio::join!(mediator.sees_video_of(a_id), party_a.sees_video_of(m_id));
    let first_pair = admitted.elapsed();

    // Party B comes too.
    let b_loads = Instant::now();
    enter_waiting_room(&party_b, &office, &office.party_b_link, None).await;
    admit(&mediator, b_id).await;
    let b_admitted = Instant::now();
    let (b_sees_a, b_sees_m, _, _) = tokio::join!(
        party_b.sees_video_of(a_id),
        party_b.sees_video_of(m_id),
        mediator.sees_video_of(b_id),
        party_a.sees_video_of(b_id),
    );
    let b_first_frames = b_admitted.elapsed();
    let b_load_to_frames = b_loads.elapsed();

    // The mediator keeps the agenda on this page, and the parties' pages follow it as it
    // changes; the mediator's notes of the sitting stay on the mediator's page alone.
    mediator
        .type_into(
            "#session-agenda-list .agenda-form input[data-field=\"title\"]",
            "双方陈述",
        )
        .await;
    mediator
        .click("#session-agenda-list .agenda-form button[type=\"submit\"]")
        .await;
    mediator
        .click("#session-agenda-list button[data-action=\"start\"]")
        .await;
    for party in [&party_a, &party_b] {
        party
            .wait_for(
                "the agenda item in progress on a party's page, without controls",
                "(() => { const li = document.querySelector('#session-agenda-list li[data-status=\"in_progress\"]'); \
                 return li !== null && li.innerText.includes('双方陈述') && li.querySelector('button') === null; })()",
            )
            .await;
    }
    mediator
        .type_into("#session-notes-editor textarea", "申请人陈述漏水经过。")
        .await;
    mediator
        .click("#session-notes-editor button[type=\"submit\"]")
        .await;
    mediator
        .wait_for(
            "the first version of the notes",
            "document.querySelector('#session-notes-editor li[data-version=\"1\"]') !== null",
        )
        .await;
    for party in [&party_a, &party_b] {
        let hidden = party
            .js(
                "return document.getElementById('session-notes').hidden;",
                vec![],
            )
            .await;
        assert_eq!(hidden, json!(true), "{} sees no notes", party.name);
    }
    party_b.screenshots("joint-room-party").await;
    mediator.screenshots("joint-room-mediator").await;

    // The mediator's page shows who is speaking: party A's fake microphone beeps, and A's tile
    // gets the speaking cue.
    let listening = Instant::now();
    mediator
        .wait_for(
            "party A marked as speaking on the mediator's page",
            &format!(
                "window.accordDebug.speaking().includes('{a_id}') && \
                 document.querySelector('accord-video-tile[data-member=\"{a_id}\"]').classList.contains('is-speaking')"
            ),
        )
        .await;
    let a_speaking = listening.elapsed();

    // A Rust WebRTC peer joins as a third party: it receives the browsers' media, and their
    // pages receive its own; then it leaves. While the mediator has locked the session, it is
    // turned away; unlocked, it knocks.
    let mut c_browser = app.browser();
    expect(c_browser.redeem(&office.party_c_link).await, 200);
    give_required_consents(&c_browser).await;
    mediator.click("#session-lock").await;
    mediator
        .wait_for(
            "the session locked",
            "document.getElementById('session-lock').getAttribute('aria-pressed') === 'true'",
        )
        .await;
    let mut locked_out = LiveClient::connect(&c_browser, &office.case)
        .await
        .expect("upgrade");
    let goodbye = locked_out.next_of("goodbye").await.expect("turned away");
    assert_eq!(goodbye["reason"], "locked");
    mediator.click("#session-lock").await;
    mediator
        .wait_for(
            "the session unlocked",
            "document.getElementById('session-lock').getAttribute('aria-pressed') === 'false'",
        )
        .await;
    let mut party_c = MediaMember::join(&c_browser, &office.case).await;
    admit(&mediator, &party_c.member).await;
    party_c.state_where(|s| s["status"] == "admitted").await;
    party_c.publish().await;
    for publisher in [m_id, a_id, b_id] {
        assert!(
            party_c
                .peer
                .wait_for_media_from(publisher, Duration::from_secs(10))
                .await,
            "the Rust peer receives nothing from {publisher}'s Chromium"
        );
    }
    mediator.receives_from(&party_c.member).await;
    party_a.receives_from(&party_c.member).await;
    let left = party_c.request(json!({"type": "leave"})).await;
    assert_eq!(left["type"], "ack");
    party_b
        .wait_for("C gone from B's page", &tile_gone(&party_c.member))
        .await;
    party_c.cut().await;

    // A caucus: the mediator takes party A aside.
    mediator
        .type_into("#session-room-name-input", "与李甲单独谈话")
        .await;
    mediator
        .click("#session-room-form button[type=\"submit\"]")
        .await;
    mediator
        .wait_for("the new room", &format!("{STATE}.rooms.length === 2"))
        .await;
    let caucus_room = mediator
        .js(
            &format!("return {STATE}.rooms.find((r) => r.id !== 0).id;"),
            vec![],
        )
        .await;
    let caucus_room = caucus_room.as_u64().expect("a room id").to_string();
    mediator
        .select(&format!("select[data-member=\"{a_id}\"]"), &caucus_room)
        .await;
    mediator
        .wait_for(
            "party A in the caucus",
            &format!("{STATE}.members.some((m) => m.id === '{a_id}' && m.room === {caucus_room})"),
        )
        .await;
    mediator
        .select(&format!("select[data-member=\"{m_id}\"]"), &caucus_room)
        .await;
    mediator
        .wait_for(
            "the mediator in the caucus",
            &format!("{STATE}.you.room === {caucus_room}"),
        )
        .await;

    // Party B's page drops both at once: no tile, no frozen last frame.
    party_b
        .wait_for(
            "A's and the mediator's tiles gone from B's page",
            &format!("{} && {}", tile_gone(a_id), tile_gone(m_id)),
        )
        .await;
    let b_state = party_b.js(&format!("return {STATE};"), vec![]).await;
    assert_eq!(
        b_state["members"],
        json!([]),
        "B is alone in the joint room"
    );
    assert_eq!(b_state["room"]["private"], json!(false));
    // And decodes no new frame of A's: what was on the wire when the move was announced has
    // drained after a few hundred milliseconds (the server stopped forwarding before it told
    // anyone); from then on, nothing.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let before = party_b.frames_from(a_id).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = party_b.frames_from(a_id).await;
    assert_eq!(
        after,
        before,
        "B decoded {} frames of A's while A was in the caucus",
        after.saturating_sub(before)
    );

    // Chat stays in its room too: what A says in the caucus reaches the mediator, not B.
    party_a
        .wait_for(
            "the chat open in the caucus",
            "!document.getElementById('session-chat-input').disabled",
        )
        .await;
    party_a
        .type_into("#session-chat-input", "我想单独说明一下情况")
        .await;
    party_a
        .click("#session-chat-form button[type=\"submit\"]")
        .await;
    mediator
        .wait_for(
            "A's caucus message at the mediator",
            &chat_has("我想单独说明一下情况"),
        )
        .await;
    party_b
        .type_into("#session-chat-input", "Is anyone there?")
        .await;
    party_b
        .click("#session-chat-form button[type=\"submit\"]")
        .await;
    party_b
        .wait_for("B's own message", &chat_has("Is anyone there?"))
        .await;
    for (person, text) in [
        (&party_b, "我想单独说明一下情况"),
        (&party_a, "Is anyone there?"),
        (&mediator, "Is anyone there?"),
    ] {
        let seen = person
            .js(&format!("return {};", chat_has(text)), vec![])
            .await;
        assert_eq!(
            seen,
            json!(false),
            "{} read a message from another room: {text}",
            person.name
        );
    }

    // Party A, in the caucus, sees the banner and the mediator, and no longer B.
    party_a
        .wait_for(
            "the private-room banner",
            "!document.getElementById('session-private-banner').hidden",
        )
        .await;
    party_a
        .wait_for("B's tile gone from A's page", &tile_gone(b_id))
        .await;
    party_a.sees_video_of(m_id).await;
    party_a.screenshots("private-room-party").await;
    mediator.screenshots("private-room-mediator").await;

    // Everyone back: B sees A again, and A's frames come again.
    mediator.click("#session-return-all").await;
    party_b.sees_video_of(a_id).await;
    party_b.sees_video_of(m_id).await;
    assert!(party_b.has_tile(a_id).await && party_b.has_tile(m_id).await);

    // B's connection drops: the page says so, reconnects by itself within the grace period and
    // is back in the joint room (no knocking again) with a new peer connection.
    let old_pc = party_b
        .js(
            "window.__oldPc = window.accordDebug.pc; return true;",
            vec![],
        )
        .await;
    assert_eq!(old_pc, json!(true));
    party_b
        .js("window.accordDebug.dropConnection(); return true;", vec![])
        .await;
    party_b
        .wait_for(
            "the reconnecting indicator",
            "window.accordDebug.connection === 'reconnecting' && document.getElementById('session-connection').classList.contains('is-reconnecting')",
        )
        .await;
    let dropped = Instant::now();
    party_b
        .wait_for(
            "B back in the joint room",
            &format!("window.accordDebug.connection === 'open' && {STATE}.status === 'admitted' && window.accordDebug.pc && window.accordDebug.pc !== window.__oldPc"),
        )
        .await;
    party_b.sees_video_of(a_id).await;
    let resumed = dropped.elapsed();

    // Party A leaves, and withdraws from the mediation (PML 23): A's page says what happens
    // next, the mediator is told at once, and the case's record shows the withdrawal.
    party_a.click("#session-leave").await;
    party_a
        .wait_for(
            "the leave dialog",
            "document.getElementById('session-leave-dialog').open",
        )
        .await;
    party_a.screenshots("party-leave-dialog").await;
    party_a.click("#session-leave-withdraw").await;
    party_a.click("#session-leave-confirm").await;
    party_a
        .wait_for(
            "A's last page",
            "!document.getElementById('session-ended').hidden && !document.getElementById('session-next-steps').hidden && document.getElementById('session-next-steps').innerText.includes('第二十六条')",
        )
        .await;
    let last_page = party_a.text_of("#session-next-steps").await;
    for words in [
        office.committee_name.as_str(),
        "不收取任何费用",
        "仲裁",
        "诉讼",
        "王丽",
    ] {
        assert!(
            last_page.contains(words),
            "A's last page says {words}: {last_page}"
        );
    }
    mediator
        .wait_for(
            "the withdrawal notice",
            "document.getElementById('session-withdrawals').innerText.includes('李甲')",
        )
        .await;
    mediator
        .wait_for(
            "A gone from the session",
            &format!("(() => {{ const s = {STATE}; return s && !s.members.some((m) => m.id === '{a_id}'); }})()"),
        )
        .await;
    party_b
        .wait_for("A's tile gone from B's page", &tile_gone(a_id))
        .await;
    let withdrawn = party::consents_of(&office, &office.party_a).await;
    assert!(
        withdrawn
            .iter()
            .any(|c| c["kind"] == "voluntary_participation" && c["withdrawn_at"].is_string()),
        "A's withdrawal is in the case's record: {withdrawn:?}"
    );
    party_a.screenshots("party-last-page").await;
    mediator.screenshots("mediator-withdrawal-notice").await;

    // The mediator ends the session: everyone left gets the final screen.
    mediator.click("#session-end").await;
    mediator.click("#session-dialog-confirm").await;
    for person in [&mediator, &party_b] {
        person
            .wait_for(
                "the final screen",
                "!document.getElementById('session-ended').hidden && document.getElementById('session-view').hidden",
            )
            .await;
    }

    party_b.screenshots("session-ended-party").await;

    // Later the mediator ends the mediation from the case page (PML 26). B, opening the session
    // page again, is not let in and reads why, and the notice of other routes, in English.
    mediator
        .goto(&format!("{}/case?id={}", app.base, office.case))
        .await;
    mediator
        .click("button[data-transition=\"terminate\"]")
        .await;
    mediator.click("#termination-reason-no_agreement").await;
    mediator.click("#termination-confirm").await;
    mediator
        .wait_for(
            "the case terminated",
            "document.querySelector('#case-status-badge[data-status=\"terminated\"]') !== null",
        )
        .await;
    party_b.goto(&format!("{}/session", app.base)).await;
    party_b
        .wait_for(
            "the termination on B's last page",
            "(() => { const el = document.getElementById('session-termination'); \
             return el !== null && !el.hidden && el.innerText.includes('Arbitration') \
             && el.innerText.includes('No agreement could be reached'); })()",
        )
        .await;
    party_b.screenshots("session-terminated-party").await;

    eprintln!(
        "browser test timings: browsers ready {ready:?}; admit → first frame: mediator sees A \
         {m_sees_a:?}, A sees the mediator {a_sees_m:?} (both, plus a second of frames growing: \
         {first_pair:?}); party B admitted → first frame of A {b_sees_a:?}, of the mediator \
         {b_sees_m:?} (all four new streams, plus a second of growth: {b_first_frames:?}); \
         B's invitation link (through consents and the device check) → every stream decoding {b_load_to_frames:?}; A marked as speaking on the \
         mediator's page after {a_speaking:?}; B's dropped connection → A's video again {resumed:?}; whole test {:?}",
        began.elapsed()
    );
    for person in [mediator, party_a, party_b] {
        person.close().await;
    }
}
