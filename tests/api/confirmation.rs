//! Judicial confirmation through the API (PML 33; CPL 205-206): who may prepare and file the
//! joint application, the consents it needs, the 30-day rule and the eligibility rules, and the
//! bundle for a court that takes it by hand.

use super::agreement::Signing;
use super::world::{signed_in, World};
use accord::app::courts::{CourtConfig, Courts};
use accord::app::Config;
use accord::record::bundle::verify_bundle;
use accord::secret::Secret;
use accord_tests::court::SECRET;
use accord_tests::{expect, Backend, Browser};
use serde_json::{json, Value};

pub(crate) const COURT: &str = "chaoyang";
const DAY_MS: i64 = 24 * 3_600_000;

/// One court, delivering to `endpoint` (or downloads only), with retry delays in milliseconds.
pub(crate) fn with_court(endpoint: Option<String>) -> impl FnOnce(&mut Config) {
    move |config: &mut Config| {
        config.courts = Courts(vec![CourtConfig {
            id: COURT.into(),
            name: "北京市朝阳区人民法院".into(),
            endpoint,
            callback_public_key: None,
            callback_secret: Some(Secret::new(SECRET.to_owned())),
        }]);
        config.court_retry_base_ms = 20;
        config.court_retry_max_ms = 200;
        config.court_timeout_ms = 500;
    }
}

/// A case whose agreement is in effect, on a server configured by `configure`.
pub(crate) async fn in_effect(backend: Backend, configure: impl FnOnce(&mut Config)) -> Signing {
    let s = Signing::build_with(World::build_with(backend, configure).await).await;
    s.make_effective().await;
    s
}

pub(crate) async fn prepare(s: &Signing, body: Value) -> (u16, Value) {
    let (status, answer) = s.world.mediator.post(&s.path("/confirmation"), body).await;
    (status.as_u16(), answer)
}

/// The party reads the application's text and consents to it.
pub(crate) async fn consent(party: &Browser) {
    let mine = expect(party.get("/api/me/confirmation?lang=en").await, 200);
    assert!(mine["text"]
        .as_str()
        .unwrap()
        .contains("北京市朝阳区人民法院"));
    let body = json!({"application_id": mine["application_id"], "language": "en",
                      "text_hash": mine["text_hash"]});
    expect(party.post("/api/me/confirmation/consent", body).await, 201);
}

pub(crate) async fn view(s: &Signing) -> Value {
    expect(s.world.mediator.get(&s.path("/confirmation")).await, 200)
}

async fn without_courts_the_feature_says_so(backend: Backend) {
    let s = in_effect(backend, |_| {}).await;
    let courts = expect(s.world.mediator.get("/api/courts").await, 200);
    assert_eq!(courts["configured"], false);
    assert_eq!(view(&s).await["courts_configured"], false);
    let refused = prepare(&s, json!({"court_id": COURT})).await;
    assert_eq!(
        (refused.0, refused.1["code"].as_str()),
        (409, Some("no_courts_configured"))
    );
}

async fn eligibility_and_the_thirty_days_are_enforced(backend: Backend) {
    let s = in_effect(backend, with_court(None)).await;
    let w = &s.world;
    let courts = expect(w.mediator.get("/api/courts").await, 200);
    assert_eq!(courts["courts"][0]["delivers"], false);
    assert!(
        !courts.to_string().contains(SECRET),
        "no secret in an answer"
    );

    // Ownership of property is never confirmed (SPC CPL interpretation 2022, art. 355(5)).
    let owned = prepare(&s, json!({"court_id": COURT, "ownership": true})).await;
    assert_eq!(
        (owned.0, owned.1["code"].as_str()),
        (422, Some("property_ownership"))
    );
    assert!(owned.1["message"].as_str().unwrap().contains("355(5)"));
    let unknown = prepare(&s, json!({"court_id": "elsewhere"})).await;
    assert_eq!(unknown.0, 422);

    // Only the case's mediator prepares and files; the parties consent on their own page.
    assert_eq!(
        w.party
            .post(&s.path("/confirmation"), json!({"court_id": COURT}))
            .await
            .0,
        403
    );
    assert_eq!(
        w.colleague
            .post(&s.path("/confirmation"), json!({"court_id": COURT}))
            .await
            .0,
        404
    );
    assert_eq!(w.party.get(&s.path("/confirmation")).await.0, 403);
    assert_eq!(
        w.party2.get("/api/me/confirmation").await.1["application_id"],
        Value::Null
    );

    // The deadline and its warnings (PML 33): 7 and 2 days before.
    let fresh = view(&s).await;
    assert_eq!(fresh["warning"], "none");
    assert!(fresh["deadline"].is_string());
    assert_eq!(prepare(&s, json!({"court_id": COURT})).await.0, 201);
    let filed_early = w
        .mediator
        .post(&s.path("/confirmation/file"), json!({}))
        .await;
    assert_eq!(filed_early.1["code"], "consents_missing");
    consent(&w.party).await;
    assert!(view(&s).await["application"]["consents"][0]["given_at"].is_string());
    consent(&s.other).await;
    // Staff sessions do not outlive the days the clock moves: sign in afresh each time.
    let later = |days: i64| {
        w.app.clock.advance(days * DAY_MS);
        signed_in(&w.app, "mediator")
    };
    let warning = |who: Browser| {
        let path = s.path("/confirmation");
        async move { expect(who.get(&path).await, 200)["warning"].clone() }
    };
    assert_eq!(warning(later(24).await).await, "soon");
    assert_eq!(warning(later(5).await).await, "urgent");
    let mediator = later(2).await;
    assert_eq!(warning(mediator.clone()).await, "expired");
    let late = mediator
        .post(&s.path("/confirmation/file"), json!({}))
        .await;
    assert_eq!(
        (late.0.as_u16(), late.1["code"].as_str()),
        (422, Some("deadline_passed"))
    );
    assert!(late.1["message"].as_str().unwrap().contains("PML 33"));
    let again = mediator
        .post(&s.path("/confirmation"), json!({"court_id": COURT}))
        .await;
    assert_eq!(again.1["code"], "deadline_passed");
}

async fn a_filed_bundle_is_downloaded_and_verifies(backend: Backend) {
    let s = in_effect(backend, with_court(None)).await;
    let w = &s.world;
    assert_eq!(w.mediator.get(&s.path("/confirmation/bundle")).await.0, 404);
    assert_eq!(prepare(&s, json!({"court_id": COURT})).await.0, 201);
    consent(&w.party).await;
    consent(&s.other).await;
    expect(
        w.mediator
            .post(&s.path("/confirmation/file"), json!({}))
            .await,
        201,
    );
    let again = w
        .mediator
        .post(&s.path("/confirmation/file"), json!({}))
        .await;
    assert_eq!(again.1["code"], "already_filed");

    let url = format!("{}{}", w.app.base, s.path("/confirmation/bundle"));
    let cookie = w.admin.cookie_header().unwrap();
    let response = w
        .admin
        .http
        .get(&url)
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let verified = verify_bundle(&bytes).expect("the bundle verifies");
    assert_eq!(verified.consents, 2);
    let application = view(&s).await["application"].clone();
    assert_eq!(application["status"], "filed");
    assert_eq!(
        application["bundle_sha256"],
        verified.bundle_sha256.as_str()
    );
    assert_eq!(
        application["delivered_at"],
        Value::Null,
        "no endpoint: it waits for download"
    );
    assert_eq!(w.party.get(&s.path("/confirmation/bundle")).await.0, 403);
    let party = expect(w.party.get("/api/me/confirmation").await, 200);
    assert_eq!(party["status"], "filed");
}

on_both_backends!(
    without_courts_the_feature_says_so,
    eligibility_and_the_thirty_days_are_enforced,
    a_filed_bundle_is_downloaded_and_verifies,
);
