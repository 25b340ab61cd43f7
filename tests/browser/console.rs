//! The staff console in a real browser, as a committee's staff use it: the admin signs in and
//! creates a mediator at /users; the mediator registers a case through the form (the amount typed
//! in yuan arrives in fen), accepts it, adds two parties and an agent, issues an invitation link
//! and reads it off the page, revokes it, issues a new one and re-issues another party's; a party
//! opens the new link in a browser of their own, and the mediator's page shows it opened; the
//! mediator edits the summary, marks the dispute as kept from a mass petition, and the case's
//! record shows every step, its hash chain intact.
//! Then the admin finds the case by the mediator filter, joins its mediators, takes up an agenda
//! item, ends the mediation with its reasons (PML 26), which the party then reads on their page
//! with the notice of other routes, and archives the case, which is then read only.
//!
//! Screenshots of the case list, the registration form, the case page and the staff page, at
//! phone and desktop sizes, go to `tests/artifacts/screenshots/console-*.png`.

use crate::driver::{one_at_a_time, ChromeDriver, Person, DESKTOP};
use accord_tests::{expect, Backend, Browser, TestApp, PASSWORD};
use fantoccini::Locator;
use serde_json::{json, Value};
use std::path::PathBuf;

/// Replaces what a field holds with `text`, as a person selecting it all and typing would.
async fn fill(person: &Person, css: &str, text: &str) {
    let element = person
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{}: no {css}: {e}", person.name));
    element
        .clear()
        .await
        .unwrap_or_else(|e| panic!("{}: cannot clear {css}: {e}", person.name));
    element
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("{}: cannot type into {css}: {e}", person.name));
}

/// The text the page shows in the first element matching `css` ('' if there is none).
async fn shown_text(person: &Person, css: &str) -> String {
    person
        .js(
            "const el = document.querySelector(arguments[0]); return el ? el.innerText : '';",
            vec![json!(css)],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// A JavaScript expression: whether an element matching `css` exists.
fn exists(css: &str) -> String {
    format!("document.querySelector({}) !== null", json!(css))
}

/// A JavaScript expression: whether an element matching `css` exists and is shown.
fn shown(css: &str) -> String {
    format!(
        "(() => {{ const el = document.querySelector({}); return el !== null && el.getClientRects().length > 0; }})()",
        json!(css)
    )
}

/// Signs in at /login and waits for the console's case list.
async fn sign_in(person: &Person, app: &TestApp, username: &str) {
    person.goto(&format!("{}/login", app.base)).await;
    person
        .wait_for(
            "the login form",
            "!document.getElementById('login-submit').disabled",
        )
        .await;
    person.type_into("#login-username", username).await;
    person.type_into("#login-password", PASSWORD).await;
    person.click("#login-submit").await;
    person
        .wait_for(
            "the console",
            "location.pathname === '/console' && !document.getElementById('console-view').hidden \
             && document.getElementById('console-cases').getAttribute('aria-busy') === null \
             && document.getElementById('staff-logout') !== null",
        )
        .await;
}

async fn sign_out(person: &Person) {
    person.click("#staff-logout").await;
    person
        .wait_for("the login page", "location.pathname === '/login'")
        .await;
}

/// The id of the participant whose card is headed `name`.
async fn participant_id(person: &Person, name: &str) -> String {
    let script = format!(
        "const li = [...document.querySelectorAll('#participant-list li[data-participant]')]\n\
         .find((li) => li.querySelector('h3').textContent === {});\n\
         return li ? li.dataset.participant : null;",
        json!(name)
    );
    person
        .wait_for(
            &format!("{name}'s card"),
            &format!("(() => {{ {script} }})()"),
        )
        .await
        .as_str()
        .expect("a participant id")
        .to_owned()
}

/// Clicks a participant's "create link" button and reads the new link and its invitation's id
/// off the page.
async fn issue_link(person: &Person, participant: &str) -> (String, String) {
    person
        .click(&format!(
            "button[data-action=\"issue\"][data-participant=\"{participant}\"]"
        ))
        .await;
    read_issued_link(person, participant).await
}

async fn read_issued_link(person: &Person, participant: &str) -> (String, String) {
    let input = format!("input[data-issued-link=\"{participant}\"]");
    person
        .wait_for(
            "the new link",
            &format!(
                "{} && document.activeElement === document.querySelector({})",
                exists(&input),
                json!(input)
            ),
        )
        .await;
    let read = person
        .js(
            "const el = document.querySelector(arguments[0]); return [el.value, el.dataset.invitation];",
            vec![json!(input)],
        )
        .await;
    let link = read[0].as_str().expect("a link").to_owned();
    let invitation = read[1].as_str().expect("an invitation id").to_owned();
    assert!(link.contains("/join#t="), "not an invitation link: {link}");
    (link, invitation)
}

/// An invitation link on the address the test server really listens on (the server builds links
/// from its configured public address, which for a server on port 0 names port 0).
fn reachable(app: &TestApp, link: &str) -> String {
    let token = link.split_once("#t=").expect("a token in the link").1;
    format!("{}/join#t={token}", app.base)
}

fn invitation_in_state(invitation: &str, state: &str) -> String {
    exists(&format!(
        "li[data-invitation=\"{invitation}\"][data-state=\"{state}\"]"
    ))
}

/// Saves screenshots at phone and desktop size with the element `css` scrolled to the top.
async fn screenshots_of(person: &Person, name: &str, css: &str) {
    let folder = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/artifacts/screenshots"
    ));
    std::fs::create_dir_all(&folder).expect("the screenshots folder");
    for (width, height) in [(360, 780), DESKTOP] {
        person.set_viewport(width, height).await;
        person
            .js(
                "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' }); return true;",
                vec![json!(css)],
            )
            .await;
        let png = person
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("{}: no screenshot: {e}", person.name));
        std::fs::write(folder.join(format!("{name}-{width}x{height}.png")), png)
            .expect("write the screenshot");
    }
    person
        .js("window.scrollTo(0, 0); return true;", vec![])
        .await;
}

/// Saves screenshots at phone and desktop size of the page from its top.
async fn screenshots_from_top(person: &Person, name: &str) {
    person
        .js("window.scrollTo(0, 0); return true;", vec![])
        .await;
    person.screenshots(name).await;
}

/// The case as the API has it, read by `staff`.
async fn case_via_api(staff: &Browser, case: &str) -> Value {
    expect(staff.get(&format!("/api/cases/{case}")).await, 200)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_run_a_case_from_registration_to_archive_in_the_console() {
    let _turn = one_at_a_time().await;
    let driver = ChromeDriver::start().await;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin_api = app.set_up().await;
    let staff = Person::open(&driver, "staff", "zh-CN").await;
    let party = Person::open(&driver, "party", "en").await;

    // ---- The admin creates a mediator at /users ----
    sign_in(&staff, &app, "admin").await;
    staff.click("#staff-nav-users").await;
    staff
        .wait_for(
            "the staff page",
            &format!(
                "!document.getElementById('users-view').hidden && {}",
                exists("li[data-username=\"admin\"]")
            ),
        )
        .await;
    staff.type_into("#users-display-name", "王丽").await;
    staff.type_into("#users-username", "wangli").await;
    staff.click("#users-lawyer").await;
    staff.click("#users-lang-en").await;
    staff.type_into("#users-password", PASSWORD).await;
    staff
        .type_into("#users-password-confirm", "not the same password")
        .await;
    staff.click("#users-submit").await;
    staff
        .wait_for(
            "the confirmation refused",
            &shown("#users-password-confirm-error"),
        )
        .await;
    fill(&staff, "#users-password-confirm", PASSWORD).await;
    staff.click("#users-submit").await;
    staff
        .wait_for(
            "the new mediator in the list",
            &exists("li[data-username=\"wangli\"]"),
        )
        .await;
    let users = expect(admin_api.get("/api/users").await, 200);
    let wangli = users
        .as_array()
        .and_then(|all| all.iter().find(|u| u["username"] == "wangli"))
        .expect("the mediator's account")
        .clone();
    assert_eq!(wangli["role"], "mediator");
    assert_eq!(wangli["is_lawyer"], true);
    assert_eq!(wangli["languages"], json!(["zh-CN", "en"]));
    assert_eq!(wangli["display_name"], "王丽");
    let wangli_id = wangli["id"].as_str().expect("an id").to_owned();
    // An admin cannot disable their own account: the page offers no button for it.
    let admin_card = "li[data-username=\"admin\"] button[data-action=\"disable\"]";
    assert_eq!(
        staff
            .js(&format!("return {};", exists(admin_card)), vec![])
            .await,
        json!(false)
    );
    screenshots_from_top(&staff, "console-users").await;
    sign_out(&staff).await;

    // ---- The mediator registers a case through the form ----
    sign_in(&staff, &app, "wangli").await;
    assert_eq!(
        staff
            .js(
                "return document.getElementById('console-filter-mediator-field').hidden \
                 && document.getElementById('staff-nav-users').closest('li').hidden;",
                vec![]
            )
            .await,
        json!(true),
        "a mediator has neither the mediator filter nor the staff page"
    );
    staff.click("#console-register").await;
    staff
        .wait_for(
            "the registration form",
            "location.pathname === '/case-new' && !document.getElementById('casenew-form').hidden",
        )
        .await;
    staff.select("#casenew-type", "neighbour").await;
    staff.select("#casenew-source", "court_entrustment").await;
    staff
        .type_into(
            "#casenew-summary",
            "漏水纠纷：楼上漏水损坏楼下天花板，双方对赔偿金额有争议。",
        )
        .await;
    staff.type_into("#casenew-amount", "1234.567").await;
    staff.click("#casenew-submit").await;
    staff
        .wait_for("too many decimals refused", &shown("#casenew-amount-error"))
        .await;
    staff.screenshots("console-register").await;
    fill(&staff, "#casenew-amount", "1234.50").await;
    staff.click("#casenew-submit").await;
    staff
        .wait_for(
            "the new case's page",
            "location.pathname === '/case' && !document.getElementById('case-view').hidden",
        )
        .await;
    let case = staff
        .js(
            "return new URLSearchParams(location.search).get('id');",
            vec![],
        )
        .await
        .as_str()
        .expect("the case id in the address")
        .to_owned();
    let mut mediator_api = app.browser();
    expect(mediator_api.login("wangli", PASSWORD).await, 200);
    let registered = case_via_api(&mediator_api, &case).await;
    assert_eq!(
        registered["amount_fen"], 123_450,
        "1234.50 yuan is 123450 fen"
    );
    assert_eq!(registered["dispute_type"], "neighbour");
    assert_eq!(registered["source"], "court_entrustment");
    assert_eq!(registered["status"], "registered");
    assert_eq!(registered["mediators"][0]["id"], wangli_id.as_str());
    assert!(
        shown_text(&staff, "#case-amount")
            .await
            .contains("1,234.50"),
        "the page shows the amount in yuan"
    );

    // ---- Accepts it ----
    staff.click("button[data-transition=\"accept\"]").await;
    staff
        .wait_for(
            "the case accepted",
            &exists("#case-status-badge[data-status=\"accepted\"]"),
        )
        .await;
    assert_eq!(
        case_via_api(&mediator_api, &case).await["status"],
        "accepted"
    );
    assert!(
        staff
            .js(&format!("return {};", shown("#case-session-link")), vec![])
            .await
            == json!(true),
        "an accepted case offers its session"
    );

    // ---- Adds two parties and an agent ----
    staff.click("#participant-add-open").await;
    staff.select("#participant-role", "party").await;
    staff.click("#participant-side-applicant").await;
    staff.click("#participant-kind-natural").await;
    staff.type_into("#participant-name", "李甲").await;
    staff.type_into("#participant-contact", "13800138000").await;
    staff
        .type_into("#participant-address", "北京市朝阳区某街道1号")
        .await;
    screenshots_of(&staff, "console-participant-form", "#participant-form").await;
    staff.click("#participant-submit").await;
    let party_a = participant_id(&staff, "李甲").await;

    // A party needs a side: the form says so before anything is sent.
    staff.type_into("#participant-name", "某物业公司").await;
    staff.click("#participant-submit").await;
    staff
        .wait_for("the missing side", &shown("#participant-side-error"))
        .await;
    staff.click("#participant-side-respondent").await;
    staff.click("#participant-kind-legal").await;
    staff.click("#participant-submit").await;
    let party_b = participant_id(&staff, "某物业公司").await;

    staff.select("#participant-role", "agent").await;
    staff
        .wait_for("the represented party", &shown("#participant-represents"))
        .await;
    staff.select("#participant-represents", &party_a).await;
    staff.type_into("#participant-name", "赵律师").await;
    staff.click("#participant-submit").await;
    let agent = participant_id(&staff, "赵律师").await;
    let participants = expect(
        mediator_api
            .get(&format!("/api/cases/{case}/participants"))
            .await,
        200,
    );
    let by_id = |id: &str| {
        participants
            .as_array()
            .and_then(|all| all.iter().find(|p| p["id"] == id))
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(by_id(&party_a)["side"], "applicant");
    assert_eq!(by_id(&party_a)["person_kind"], "natural");
    assert_eq!(by_id(&party_a)["service_address"], "北京市朝阳区某街道1号");
    assert_eq!(by_id(&party_b)["side"], "respondent");
    assert_eq!(by_id(&party_b)["person_kind"], "legal");
    assert_eq!(by_id(&agent)["role"], "agent");
    assert_eq!(by_id(&agent)["represents"], party_a.as_str());
    staff.click("#participant-cancel").await;

    // ---- Issues a link, revokes it, issues a new one ----
    let (first_link, first) = issue_link(&staff, &party_a).await;
    staff
        .click(".issued-link button[data-action=\"copy\"]")
        .await;
    staff
        .wait_for(
            "the copy acknowledged",
            &exists(".issued-link .live .message"),
        )
        .await;
    staff
        .wait_for("the link pending", &invitation_in_state(&first, "pending"))
        .await;
    staff
        .click(&format!(
            "button[data-action=\"revoke\"][data-invitation=\"{first}\"]"
        ))
        .await;
    staff
        .wait_for("the link revoked", &invitation_in_state(&first, "revoked"))
        .await;
    assert_eq!(
        shown_text(&staff, &format!("li[data-invitation=\"{first}\"] .badge")).await,
        "已撤回"
    );
    assert_eq!(
        staff
            .js(
                &format!("return {};", exists("input[data-issued-link]")),
                vec![]
            )
            .await,
        json!(false),
        "a revoked link is no longer offered for copying"
    );
    let (second_link, second) = issue_link(&staff, &party_a).await;
    assert_ne!(first_link, second_link);
    staff
        .wait_for(
            "the new link pending",
            &invitation_in_state(&second, "pending"),
        )
        .await;
    assert_eq!(
        shown_text(&staff, &format!("li[data-invitation=\"{second}\"] .badge")).await,
        "未使用"
    );
    screenshots_of(
        &staff,
        "console-invitation-link",
        &format!("li[data-participant=\"{party_a}\"]"),
    )
    .await;
    staff
        .click(&format!(
            "[data-invitations-of=\"{party_a}\"] .issued-link button:not([data-action])"
        ))
        .await;

    // The other party's link is re-issued in one step: the old one is revoked with it.
    let (old_b_link, old_b) = issue_link(&staff, &party_b).await;
    staff
        .click(&format!(
            "button[data-action=\"reissue\"][data-invitation=\"{old_b}\"]"
        ))
        .await;
    staff
        .wait_for(
            "B's old link revoked",
            &invitation_in_state(&old_b, "revoked"),
        )
        .await;
    let (new_b_link, new_b) = read_issued_link(&staff, &party_b).await;
    assert_ne!(old_b_link, new_b_link);
    assert_ne!(old_b, new_b);
    staff
        .wait_for(
            "B's new link pending",
            &invitation_in_state(&new_b, "pending"),
        )
        .await;

    // The revoked links open nothing; the server says so to whoever tries.
    for revoked in [&first_link, &old_b_link] {
        let mut stranger = app.browser();
        let (status, body) = stranger.redeem(&reachable(&app, revoked)).await;
        assert_eq!(status.as_u16(), 410, "{body}");
        assert_eq!(body["code"], "invitation_revoked");
    }

    // ---- The party opens the new link in their own browser ----
    party.goto(&reachable(&app, &second_link)).await;
    let me = party
        .js_async(
            "for (let i = 0; i < 150; i += 1) {\n\
               const answer = await fetch('/api/auth/me', { credentials: 'same-origin' });\n\
               if (answer.ok) { const me = await answer.json(); if (me.kind === 'participant') return me; }\n\
               await new Promise((r) => setTimeout(r, 100));\n\
             }\n\
             return null;",
            vec![],
        )
        .await;
    assert_eq!(
        me["participant"]["id"],
        party_a.as_str(),
        "the party's browser is signed in as 李甲: {me}"
    );
    staff
        .client
        .refresh()
        .await
        .expect("the mediator reloads the page");
    staff
        .wait_for(
            "the link shown as opened",
            &invitation_in_state(&second, "redeemed"),
        )
        .await;
    assert_eq!(
        shown_text(&staff, &format!("li[data-invitation=\"{second}\"] .badge")).await,
        "已打开"
    );

    // ---- Corrects the agent's contact, then removes them ----
    staff
        .click(&format!(
            "button[data-action=\"edit\"][data-participant=\"{agent}\"]"
        ))
        .await;
    let contact = format!("#participant-edit-{agent}-contact");
    staff
        .wait_for("the agent's details to edit", &shown(&contact))
        .await;
    fill(&staff, &contact, "zhao@example.cn").await;
    staff
        .click(&format!(
            "li[data-participant=\"{agent}\"] form button[type=\"submit\"]"
        ))
        .await;
    staff
        .wait_for(
            "the new contact shown",
            &format!(
                "document.querySelector('li[data-participant=\"{agent}\"]').innerText.includes('zhao@example.cn')"
            ),
        )
        .await;
    staff
        .click(&format!(
            "button[data-action=\"remove\"][data-participant=\"{agent}\"]"
        ))
        .await;
    staff.click("#console-dialog-confirm").await;
    staff
        .wait_for(
            "the agent gone",
            &format!("!{}", exists(&format!("li[data-participant=\"{agent}\"]"))),
        )
        .await;
    // The row may leave the page (a re-render) a moment before the removal is stored.
    let mut participants = Value::Null;
    for _ in 0..50 {
        participants = expect(
            mediator_api
                .get(&format!("/api/cases/{case}/participants"))
                .await,
            200,
        );
        if participants.as_array().map(Vec::len) == Some(2) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        participants.as_array().map(Vec::len),
        Some(2),
        "only the parties remain: {participants}"
    );

    // ---- The mediator edits the summary ----
    staff.click("#case-edit").await;
    staff
        .wait_for("the edit form", &shown("#case-edit-summary"))
        .await;
    assert_eq!(
        staff
            .js(
                "return document.getElementById('case-edit-amount').value;",
                vec![]
            )
            .await,
        json!("1234.50"),
        "the form shows the amount in yuan"
    );
    fill(
        &staff,
        "#case-edit-summary",
        "漏水纠纷：楼上漏水损坏楼下天花板。物业公司对维修责任有异议。",
    )
    .await;
    staff.click("#case-edit-save").await;
    staff
        .wait_for(
            "the new summary",
            "document.getElementById('case-facts').innerText.includes('物业公司对维修责任有异议') \
             && document.getElementById('case-edit-form').hidden",
        )
        .await;
    let edited = case_via_api(&mediator_api, &case).await;
    assert_eq!(
        edited["summary"],
        "漏水纠纷：楼上漏水损坏楼下天花板。物业公司对维修责任有异议。"
    );
    assert_eq!(edited["amount_fen"], 123_450, "the amount is kept");

    // The mediation kept the dispute from turning into a mass petition: a figure of the report.
    staff.click("#case-prevented-mass-petition").await;
    staff
        .wait_for(
            "the mark saved",
            "document.getElementById('case-prevented-mass-petition').checked \
             && !document.getElementById('case-prevented-mass-petition').disabled",
        )
        .await;
    let marked = case_via_api(&mediator_api, &case).await;
    assert_eq!(
        marked["prevented"],
        json!({"criminal": false, "mass_petition": true})
    );

    // ---- The record shows each step, its chain intact ----
    staff
        .wait_for(
            "the edit in the record",
            &exists("#timeline-list li[data-kind=\"details_edited\"]"),
        )
        .await;
    let kinds = staff
        .js(
            "return [...document.querySelectorAll('#timeline-list li')].map((li) => li.dataset.kind);",
            vec![],
        )
        .await;
    let count = |kind: &str| {
        kinds
            .as_array()
            .map(|all| all.iter().filter(|k| *k == kind).count())
            .unwrap_or(0)
    };
    assert_eq!(count("case_registered"), 1, "{kinds}");
    assert_eq!(count("status_changed"), 1, "{kinds}");
    assert_eq!(count("participant_added"), 3, "{kinds}");
    assert_eq!(count("invitation_issued"), 4, "{kinds}");
    assert_eq!(count("invitation_revoked"), 2, "{kinds}");
    assert_eq!(count("invitation_redeemed"), 1, "{kinds}");
    assert_eq!(count("details_edited"), 1, "{kinds}");
    assert_eq!(count("participant_edited"), 1, "{kinds}");
    assert_eq!(count("participant_removed"), 1, "{kinds}");
    assert_eq!(
        staff
            .js(
                &format!(
                    "return {};",
                    exists("#timeline-chain [data-chain-intact=\"true\"]")
                ),
                vec![]
            )
            .await,
        json!(true),
        "the page says the chain holds"
    );
    let record = shown_text(&staff, "#case-record").await;
    for text in [
        "案件登记",
        "已登记 → 已受理",
        "邀请链接被打开",
        "操作人：王丽",
        "李甲",
    ] {
        assert!(record.contains(text), "the record lacks {text}:\n{record}");
    }
    screenshots_from_top(&staff, "console-case").await;
    screenshots_of(&staff, "console-case-participants", "#case-participants").await;
    screenshots_of(&staff, "console-case-record", "#case-record").await;

    // In English too: labels and dates follow the language switch.
    staff.click(".lang-switch").await;
    staff
        .wait_for(
            "the page in English",
            "document.documentElement.lang === 'en' && document.getElementById('case-lifecycle-heading').textContent === 'Where the case stands'",
        )
        .await;
    assert!(shown_text(&staff, "#case-record")
        .await
        .contains("Invitation link opened"));
    screenshots_from_top(&staff, "console-case-en").await;
    staff.click(".lang-switch").await;
    staff
        .wait_for(
            "the page in Chinese",
            "document.documentElement.lang === 'zh-CN'",
        )
        .await;

    // ---- A case carried over from a paper register keeps its number; a taken one is refused ----
    staff.click("#staff-nav-cases").await;
    staff.click("#console-register").await;
    staff
        .wait_for(
            "the registration form",
            "location.pathname === '/case-new' && !document.getElementById('casenew-form').hidden",
        )
        .await;
    staff.select("#casenew-type", "labour").await;
    staff
        .select("#casenew-source", "government_assignment")
        .await;
    staff
        .type_into("#casenew-summary", "拖欠工资纠纷（纸质登记簿转入）。")
        .await;
    staff.type_into("#casenew-seq", "1").await;
    staff.click("#casenew-submit").await;
    staff
        .wait_for("the number refused", &shown("#casenew-seq-error"))
        .await;
    assert!(
        shown_text(&staff, "#casenew-seq-error")
            .await
            .contains("已有使用此序号的案件"),
        "the page says the number is taken"
    );
    fill(&staff, "#casenew-seq", "7").await;
    staff.click("#casenew-submit").await;
    staff
        .wait_for(
            "the carried-over case",
            "location.pathname === '/case' && document.getElementById('case-number').textContent === '(2026) 人调字第 7 号'",
        )
        .await;
    assert!(
        shown_text(&staff, "#case-facts")
            .await
            .contains("未涉及或未填写"),
        "no amount given"
    );

    // The case list: the case with its session link, and the filters.
    staff.click("#staff-nav-cases").await;
    staff
        .wait_for(
            "the case in the list",
            &exists(&format!("a[data-session=\"{case}\"]")),
        )
        .await;
    let listed = shown_text(&staff, &format!("li[data-case=\"{case}\"]")).await;
    for text in ["已受理", "邻里", "王丽", "漏水纠纷"] {
        assert!(listed.contains(text), "the list lacks {text}:\n{listed}");
    }
    screenshots_from_top(&staff, "console-cases").await;
    staff.select("#console-filter-status", "refused").await;
    staff
        .wait_for(
            "no refused cases",
            &format!(
                "location.search === '?status=refused' && {} && !{}",
                exists("#console-cases-status .message"),
                exists(&format!("li[data-case=\"{case}\"]"))
            ),
        )
        .await;
    staff.click("#console-filters-clear").await;
    staff
        .wait_for(
            "the case back",
            &format!(
                "location.search === '' && {}",
                exists(&format!("li[data-case=\"{case}\"]"))
            ),
        )
        .await;
    sign_out(&staff).await;

    // ---- The admin finds it by its mediator, joins in, ends the mediation and archives it ----
    sign_in(&staff, &app, "admin").await;
    staff
        .wait_for(
            "the mediator filter",
            &format!(
                "{} && {}",
                shown("#console-filter-mediator"),
                exists(&format!(
                    "#console-filter-mediator option[value=\"{wangli_id}\"]"
                ))
            ),
        )
        .await;
    staff.select("#console-filter-mediator", &wangli_id).await;
    staff
        .wait_for(
            "王丽's case",
            &format!(
                "location.search === '?mediator={wangli_id}' && {}",
                exists(&format!("li[data-case=\"{case}\"]"))
            ),
        )
        .await;
    screenshots_from_top(&staff, "console-cases-admin").await;

    // The figures page counts the case accepted this year.
    staff.click("a[href=\"/statistics\"]").await;
    staff
        .wait_for(
            "the figures",
            "!document.getElementById('stats-view').hidden && document.querySelector('#stats-types [data-code=\"neighbour\"]')",
        )
        .await;
    // A screening round (矛盾纠纷排查) recorded there is counted at once.
    // The server's clock is the tests' (2026-03-01), not the browser's.
    staff
        .js(
            "document.getElementById('screening-day').value = '2026-03-01'; return true;",
            vec![],
        )
        .await;
    fill(&staff, "#screening-found", "2").await;
    fill(&staff, "#screening-note", "走访朝阳小区").await;
    staff.click("#screening-form button[type=\"submit\"]").await;
    staff
        .wait_for(
            "the round listed and counted",
            "document.querySelectorAll('#screening-list li').length === 1 \
             && document.getElementById('stats-totals').innerText.includes('排查次数')",
        )
        .await;
    screenshots_from_top(&staff, "statistics").await;
    staff
        .goto(&format!("{}/console?mediator={wangli_id}", app.base))
        .await;
    staff.click(&format!("a[data-case-link=\"{case}\"]")).await;
    staff
        .wait_for(
            "the case page, without links for an admin who does not mediate it",
            &format!(
                "!document.getElementById('case-view').hidden && {} && !{}",
                shown("#case-invitations-note"),
                exists("[data-invitations-of]")
            ),
        )
        .await;
    staff.click("#case-mediators-change").await;
    staff
        .click("input[type=\"checkbox\"][id^=\"case-mediator-\"]:not(:checked)")
        .await;
    staff.click("#case-mediators-save").await;
    staff
        .wait_for(
            "the admin among the mediators, with the links",
            &format!(
                "{} && {}",
                exists("[data-invitations-of]"),
                exists(&format!("li[data-invitation=\"{second}\"]"))
            ),
        )
        .await;
    let mediators = case_via_api(&admin_api, &case).await["mediators"].clone();
    assert_eq!(mediators.as_array().map(Vec::len), Some(2), "{mediators}");

    // ---- Now a mediator of the case, the admin keeps its agenda and ends the mediation ----
    fill(
        &staff,
        "#case-agenda-list .agenda-form input[data-field=\"title\"]",
        "核实身份",
    )
    .await;
    staff
        .click("#case-agenda-list .agenda-form button[type=\"submit\"]")
        .await;
    staff
        .click("#case-agenda-list button[data-action=\"start\"]")
        .await;
    staff
        .wait_for(
            "the item in progress, its time running",
            &format!(
                "{} && {}",
                exists("#case-agenda-list li[data-status=\"in_progress\"]"),
                shown("#case-agenda-list .agenda-time")
            ),
        )
        .await;
    let agenda = expect(
        admin_api.get(&format!("/api/cases/{case}/agenda")).await,
        200,
    );
    assert_eq!(agenda["items"][0]["status"], "in_progress", "{agenda}");

    staff.click("button[data-transition=\"terminate\"]").await;
    staff
        .wait_for(
            "the termination dialog",
            "document.getElementById('termination-dialog').open",
        )
        .await;
    // Nothing chosen: the dialog says what is missing and records nothing.
    staff.click("#termination-confirm").await;
    staff
        .wait_for("a reason asked for", &shown("#termination-reasons-error"))
        .await;
    staff.click("#termination-reason-no_agreement").await;
    fill(&staff, "#termination-details", "双方对赔偿金额分歧过大。").await;
    screenshots_from_top(&staff, "console-terminate").await;
    staff.click("#termination-confirm").await;
    staff
        .wait_for(
            "the mediation ended, with the notice the parties were given",
            &format!(
                "{} && {} && document.getElementById('case-termination').innerText.includes('第二十六条')",
                exists("#case-status-badge[data-status=\"terminated\"]"),
                shown("#case-termination")
            ),
        )
        .await;
    screenshots_of(&staff, "console-case-terminated", "#case-termination").await;
    // The party reads it on their page, in their language (English here).
    party.goto(&format!("{}/join", app.base)).await;
    party
        .wait_for(
            "the termination on the party's page",
            "(() => { const el = document.getElementById('join-termination'); \
             return el && !el.hidden && el.innerText.includes('Arbitration') \
             && el.innerText.includes('双方对赔偿金额分歧过大'); })()",
        )
        .await;
    screenshots_from_top(&party, "party-terminated").await;
    staff.click("button[data-transition=\"archive\"]").await;
    staff.click("#console-dialog-confirm").await;
    staff
        .wait_for(
            "the case archived and read only",
            &format!(
                "{} && {} && !{} && !{} && !{} && !{}",
                exists("#case-status-badge[data-status=\"archived\"]"),
                shown("#case-archived-note"),
                shown("#case-edit"),
                shown("#participant-add-open"),
                exists("#case-transitions button"),
                exists("#participant-list button"),
            ),
        )
        .await;
    assert_eq!(case_via_api(&admin_api, &case).await["status"], "archived");
    screenshots_of(&staff, "console-case-archived", "#case-lifecycle").await;
    // Its dossier shows its numbered items, the back cover now among them.
    staff
        .wait_for(
            "the dossier with its back cover",
            "!!document.querySelector('#case-dossier-list li[data-item=\"12\"].is-present')",
        )
        .await;

    // The archive finds it by the party's name.
    staff.click("a[href=\"/archive\"]").await;
    staff.type_into("#archive-party", "李").await;
    staff.click("#archive-form button[type=\"submit\"]").await;
    staff
        .wait_for(
            "the dossier found in the archive",
            &exists(&format!("#archive-list li[data-case=\"{case}\"]")),
        )
        .await;

    for person in [staff, party] {
        person.close().await;
    }
}
