//! The supervisors' page in a real browser: a judicial bureau supervisor, whose account the
//! operator made with `accord admin`, signs in at /supervision, reads the figures of the
//! committees of their region and where each case stands, in Chinese, and sees no party's name
//! and nothing of the dispute; signing out brings the login back.
//!
//! Screenshots at phone and desktop sizes go to `tests/artifacts/screenshots/supervision-*.png`.

use crate::driver::{one_at_a_time, ChromeDriver, Person};
use crate::world;
use accord::app::admin::{run, AdminCommand};
use accord_tests::{Backend, TestApp, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_reads_the_figures_and_progress_of_their_region() {
    let _turn = one_at_a_time().await;
    let driver = ChromeDriver::start().await;
    let app = TestApp::spawn(Backend::Sqlite).await;
    // An accepted case with three parties, in a committee of 北京市朝阳区.
    world::set_up(&app).await;
    let command = AdminCommand::CreateSupervisor {
        region: "北京市".into(),
        username: "zhao".into(),
        display_name: "赵监督".into(),
    };
    let mut password = std::io::Cursor::new(format!("{PASSWORD}\n"));
    run(
        command,
        &app.db,
        app.clock.now(),
        &mut password,
        &mut Vec::new(),
    )
    .await
    .expect("the operator makes the account");

    let supervisor = Person::open(&driver, "supervisor", "zh-CN").await;
    supervisor.goto(&format!("{}/supervision", app.base)).await;
    supervisor
        .wait_for("the login", "!document.getElementById('sup-login').hidden")
        .await;
    supervisor.type_into("#sup-username", "zhao").await;
    supervisor.type_into("#sup-password", PASSWORD).await;
    supervisor.click("#sup-login-submit").await;
    supervisor
        .wait_for(
            "the figures and the case",
            "!document.getElementById('sup-figures').hidden \
             && document.querySelector('#sup-committees [data-code]') !== null \
             && document.querySelector('#sup-types [data-code=\"neighbour\"]') !== null \
             && document.querySelectorAll('#sup-cases tbody tr').length === 1",
        )
        .await;
    let heading = supervisor.text_of("#sup-heading").await;
    assert!(
        heading.contains("北京市") && heading.contains("赵监督"),
        "{heading}"
    );
    let row = supervisor.text_of("#sup-cases tbody tr").await;
    assert!(
        row.contains("人调字第") && row.contains("已受理") && row.contains("邻里"),
        "{row}"
    );
    let page = supervisor.text_of("main").await;
    for secret in ["李甲", "赵乙", "漏水"] {
        assert!(!page.contains(secret), "{secret} shown to a supervisor");
    }
    supervisor.screenshots("supervision").await;

    supervisor.click("#sup-logout").await;
    supervisor
        .wait_for(
            "the login again",
            "!document.getElementById('sup-login').hidden && document.getElementById('sup-view').hidden",
        )
        .await;
}
