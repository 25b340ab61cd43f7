//! The agreement signed in real browsers (ESL 13): each party's Chromium makes its own key with
//! WebCrypto and keeps it in IndexedDB; the mediator verifies each party's identity in the
//! session, which binds that key; the mediator drafts the agreement in the editor and freezes
//! it; each party reads exactly what they sign and signs it, then the mediator; the committee's
//! seal goes on. The exported package then passes `accord verify`, and fails it once a byte of
//! the agreement is changed. An agreement on a personal relationship (ESL 3) is signed on
//! paper instead, and the mediator records it with the hash of its scan.

use crate::driver::{one_at_a_time, ChromeDriver, Person};
use crate::party::enter_waiting_room;
use crate::session::{admit, mediator_opens_session};
use crate::world;
use accord_tests::{expect, Backend, TestApp};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use std::path::PathBuf;
use std::process::Command;

/// The mediator confirms a question asked in the page's dialog.
async fn confirm(mediator: &Person) {
    mediator.click("#session-dialog-confirm").await;
}

/// A signer reads the frozen version in the signing dialog and signs it.
async fn read_and_sign(person: &Person, must_show: &str) {
    person.click("#agreement-sign").await;
    person
        .wait_for(
            "the text to sign",
            "document.getElementById('agreement-sign-dialog').open",
        )
        .await;
    let shown = person.text_of("#agreement-sign-document").await;
    assert!(
        shown.contains(must_show) && shown.contains("SHA-256"),
        "{}: the signing dialog shows the agreement: {shown}",
        person.name
    );
    person.click("#agreement-sign-confirm").await;
    person
        .wait_for(
            "the signature recorded",
            "!document.getElementById('agreement-sign-dialog').open && !document.getElementById('agreement-sign')",
        )
        .await;
}

/// The mediator drafts the agreement in the editor (on a personal relationship, ESL 3, if
/// `personal`) and freezes the draft for signing.
async fn draft_and_freeze(mediator: &Person, office: &world::Office, personal: bool) {
    mediator.click("#agreement-edit").await;
    mediator
        .wait_for(
            "the editor",
            "document.getElementById('agreement-editor').open",
        )
        .await;
    let field = |name: &str| format!("#agreement-editor-form-{name}");
    for (name, text) in [
        ("facts", "楼上卫生间漏水，损坏楼下天花板。"),
        ("issues", "维修费用由谁承担。"),
        ("responsibilities", "赵乙对漏水负主要责任。"),
        ("t0-text", "赵乙赔偿李甲天花板维修费。"),
        ("t0-manner", "银行转账"),
        ("t0-amount", "1200"),
    ] {
        mediator.type_into(&field(name), text).await;
    }
    let obligor = office.party_b_member.trim_start_matches("p-");
    mediator.select(&field("t0-obligor"), obligor).await;
    if personal {
        mediator.click("#agreement-editor-personal").await;
    }
    mediator.click("#agreement-editor-save").await;
    mediator.click("#agreement-finalise").await;
    confirm(mediator).await;
}

/// The `accord` binary cargo built beside this test.
fn accord_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the target folder");
    let binary = dir.join("accord");
    assert!(
        binary.exists(),
        "no accord binary at {} (cargo build -p accord builds it)",
        binary.display()
    );
    binary
}

fn accord_verify(package: &[u8]) -> (i32, String) {
    let file = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(file.path(), package).expect("the package written");
    let output = Command::new(accord_binary())
        .arg("verify")
        .arg(file.path())
        .output()
        .expect("accord verify runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_parties_and_the_mediator_sign_in_their_browsers_and_it_verifies_offline() {
    let _turn = one_at_a_time().await;
    let driver = ChromeDriver::start().await;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let office = world::set_up(&app).await;
    // Two parties sign here: the third, who joins the other test as a Rust peer, is removed.
    expect(
        office
            .mediator
            .delete(&format!(
                "/api/cases/{}/participants/{}",
                office.case, office.party_c
            ))
            .await,
        204,
    );
    let (mediator, party_a, party_b) = tokio::join!(
        Person::open(&driver, "mediator", "zh-CN"),
        Person::open(&driver, "party A", "zh-CN"),
        Person::open(&driver, "party B", "en"),
    );
    tokio::join!(
        mediator_opens_session(&mediator, &app, &office),
        enter_waiting_room(&party_a, &office, &office.party_a_link, None),
        enter_waiting_room(&party_b, &office, &office.party_b_link, None),
    );
    admit(&mediator, &office.party_a_member).await;
    admit(&mediator, &office.party_b_member).await;

    // Each party's browser made its key; the mediator checks who they are, which binds it.
    for member in [&office.party_a_member, &office.party_b_member] {
        let verify = format!("#session-agreement li[data-signer=\"{member}\"] button");
        mediator.click(&verify).await;
        confirm(&mediator).await;
        mediator
            .wait_for(
                "the key bound",
                &format!("!document.querySelector('{}')", verify.replace('\'', "\\'")),
            )
            .await;
    }

    // The mediator drafts in the editor and freezes the draft for signing.
    draft_and_freeze(&mediator, &office, false).await;

    // Parties first, each reading exactly what they sign; the mediator last.
    read_and_sign(&party_a, "赵乙赔偿李甲天花板维修费").await;
    party_b.screenshots("agreement-signing").await;
    read_and_sign(&party_b, "1200 yuan").await;
    read_and_sign(&mediator, "赵乙赔偿李甲天花板维修费").await;
    for person in [&mediator, &party_a, &party_b] {
        person
            .wait_for(
                "the agreement in effect",
                "!!document.getElementById('agreement-download')",
            )
            .await;
    }
    party_a.screenshots("agreement-effective").await;

    // The committee follows up (PML 31): a return visit is planned for the term, and the
    // mediator records it on the case page.
    mediator
        .goto(&format!("{}/case?id={}", app.base, office.case))
        .await;
    mediator
        .wait_for(
            "the planned visit",
            "!!document.querySelector('#case-follow-up li[data-visit] select')",
        )
        .await;
    mediator
        .select(
            "#case-follow-up li[data-visit] select[name=\"performance\"]",
            "partly",
        )
        .await;
    mediator
        .click("#case-follow-up li[data-visit] button[type=\"submit\"]")
        .await;
    mediator
        .wait_for(
            "the visit recorded",
            "!!document.querySelector('#case-follow-up li[data-visit] .record-note')",
        )
        .await;

    // The package verifies offline with the real CLI; one changed byte makes it fail.
    let package = expect(
        office
            .mediator
            .get(&format!("/api/cases/{}/agreement/package", office.case))
            .await,
        200,
    );
    assert_eq!(package["signatures"].as_array().map(Vec::len), Some(3));
    let bytes = serde_json::to_vec_pretty(&package).unwrap();
    let (code, report) = accord_verify(&bytes);
    assert_eq!(code, 0, "accord verify: {report}");
    assert!(
        report.contains("李甲") && report.contains("王丽"),
        "{report}"
    );
    let mut altered: Value = package.clone();
    altered["agreement"]["content"]["terms"][0]["amount_fen"] = json!(12_000);
    let (code, report) = accord_verify(&serde_json::to_vec_pretty(&altered).unwrap());
    assert_eq!(code, 1, "an altered amount is caught: {report}");

    for person in [mediator, party_a, party_b] {
        person.close().await;
    }
}

/// ESL 3: an agreement on a personal relationship is signed on paper. The party's page says so
/// and offers no electronic signature; the mediator records the signed, sealed paper with the
/// hash of its scan, computed in the browser (the scan is not uploaded), and it takes effect.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agreement_on_a_personal_relationship_is_recorded_as_signed_on_paper() {
    let _turn = one_at_a_time().await;
    let driver = ChromeDriver::start().await;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let office = world::set_up(&app).await;
    let (mediator, party_a) = tokio::join!(
        Person::open(&driver, "mediator", "zh-CN"),
        Person::open(&driver, "party A", "en"),
    );
    tokio::join!(
        mediator_opens_session(&mediator, &app, &office),
        enter_waiting_room(&party_a, &office, &office.party_a_link, None),
    );
    admit(&mediator, &office.party_a_member).await;
    draft_and_freeze(&mediator, &office, true).await;

    party_a
        .wait_for(
            "how this agreement is signed",
            "!!document.querySelector('#agreement-paper .is-info') && !document.getElementById('agreement-sign')",
        )
        .await;
    let told = party_a.text_of("#agreement-paper").await;
    assert!(told.contains("print it"), "{told}");

    // The scan of the signed, sealed paper, as the committee's scanner made it.
    let scan = std::env::temp_dir().join(format!("accord-paper-scan-{}.pdf", std::process::id()));
    let bytes = b"%PDF-1.4 a scan of the signed and sealed agreement".to_vec();
    std::fs::write(&scan, &bytes).unwrap();
    mediator
        .type_into("#agreement-paper-scan", scan.to_str().unwrap())
        .await;
    mediator.click("#agreement-paper-record").await;
    confirm(&mediator).await;
    for person in [&mediator, &party_a] {
        person
            .wait_for(
                "the agreement in effect, signed on paper",
                "!!document.querySelector('#agreement-paper .is-success') && !document.getElementById('agreement-download')",
            )
            .await;
    }
    let _ = std::fs::remove_file(&scan);
    let log = expect(
        office
            .mediator
            .get(&format!("/api/cases/{}/events", office.case))
            .await,
        200,
    );
    let signed = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "agreement_signed_on_paper")
        .expect("the paper signing recorded");
    assert_eq!(
        signed["payload"]["scan_sha256"],
        hex::encode(Sha256::digest(&bytes)),
        "the hash is of the scan chosen"
    );
    for person in [mediator, party_a] {
        person.close().await;
    }
}

/// A party represented by an agent (代理人): the mediator checks the agent's identity and the
/// power of attorney's special authority in the session, the agent signs for the party in their
/// own browser with their own key, and the agreement takes effect without the party signing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_signs_for_the_party_they_represent() {
    let _turn = one_at_a_time().await;
    let driver = ChromeDriver::start().await;
    let app = TestApp::spawn(Backend::Sqlite).await;
    let office = world::set_up(&app).await;
    let case = |rest: &str| format!("/api/cases/{}{rest}", office.case);
    expect(
        office
            .mediator
            .delete(&case(&format!("/participants/{}", office.party_c)))
            .await,
        204,
    );
    let party_b = office.party_b_member.trim_start_matches("p-");
    let agent_id = expect(
        office
            .mediator
            .post(
                &case("/participants"),
                json!({"role": "agent", "name": "张律师", "represents": party_b,
                       "contact": "13900139000"}),
            )
            .await,
        201,
    )["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let agent_link = world::invite(&app, &office.mediator, &office.case, &agent_id).await;
    let (mediator, party_a, agent) = tokio::join!(
        Person::open(&driver, "mediator", "zh-CN"),
        Person::open(&driver, "party A", "zh-CN"),
        Person::open(&driver, "agent", "en"),
    );
    tokio::join!(
        mediator_opens_session(&mediator, &app, &office),
        enter_waiting_room(&party_a, &office, &office.party_a_link, None),
        enter_waiting_room(&agent, &office, &agent_link, None),
    );
    let agent_member = format!("p-{agent_id}");
    admit(&mediator, &office.party_a_member).await;
    admit(&mediator, &agent_member).await;

    for member in [&office.party_a_member, &agent_member] {
        let verify = format!("[data-verify-of=\"{member}\"]");
        mediator.click(&verify).await;
        confirm(&mediator).await;
        mediator
            .wait_for(
                "the key bound",
                &format!("!document.querySelector('{}')", verify.replace('\'', "\\'")),
            )
            .await;
    }
    let authority = format!("[data-authority-of=\"{agent_member}\"]");
    mediator.click(&authority).await;
    confirm(&mediator).await;
    mediator
        .wait_for(
            "the authority recorded",
            &format!(
                "!document.querySelector('{}')",
                authority.replace('\'', "\\'")
            ),
        )
        .await;

    draft_and_freeze(&mediator, &office, false).await;
    read_and_sign(&party_a, "赵乙赔偿李甲天花板维修费").await;
    read_and_sign(&agent, "1200 yuan").await;
    read_and_sign(&mediator, "赵乙赔偿李甲天花板维修费").await;
    mediator
        .wait_for(
            "the agreement in effect",
            "!!document.getElementById('agreement-download')",
        )
        .await;
    let party_b_row = mediator
        .text_of(&format!(
            "#session-agreement li[data-signer=\"{}\"]",
            office.party_b_member
        ))
        .await;
    assert!(party_b_row.contains("张律师"), "{party_b_row}");
    mediator.screenshots("agreement-signed-by-agent").await;

    let package = expect(office.mediator.get(&case("/agreement/package")).await, 200);
    let roles: Vec<&str> = package["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["party", "agent", "mediator"]);
    let (code, report) = accord_verify(&serde_json::to_vec_pretty(&package).unwrap());
    assert_eq!(code, 0, "accord verify: {report}");
    for person in [mediator, party_a, agent] {
        person.close().await;
    }
}
