//! Steps of a live session that several browser tests take: the mediator signs in and opens
//! the case's session from the console; the mediator admits whoever knocks.

use crate::driver::Person;
use crate::world::Office;
use accord_tests::{TestApp, PASSWORD};

/// The page's state, as the page has it from the server.
const STATE: &str = "window.accordDebug && window.accordDebug.state";

/// The mediator signs in at /login and opens the case's session from the console.
pub async fn mediator_opens_session(mediator: &Person, app: &TestApp, office: &Office) {
    mediator.goto(&format!("{}/login", app.base)).await;
    mediator
        .wait_for(
            "the login form",
            "!document.getElementById('login-submit').disabled",
        )
        .await;
    mediator
        .type_into("#login-username", &office.mediator_username)
        .await;
    mediator.type_into("#login-password", PASSWORD).await;
    mediator.click("#login-submit").await;
    mediator
        .click(&format!("a[data-session=\"{}\"]", office.case))
        .await;
    mediator
        .wait_for(
            "the mediator in the joint room",
            &format!("{STATE} && {STATE}.status === 'admitted' && {STATE}.you.role === 'mediator'"),
        )
        .await;
}

/// The mediator admits someone who knocks.
pub async fn admit(mediator: &Person, member: &str) {
    mediator
        .wait_for(
            &format!("{member} knocking"),
            &format!("document.querySelector('#session-queue-list li[data-member=\"{member}\"]')"),
        )
        .await;
    mediator
        .click(&format!(
            "#session-queue-list button[data-action=\"admit\"][data-member=\"{member}\"]"
        ))
        .await;
}
