//! ESL 3: an agreement on a personal relationship cannot be signed electronically. Its parties
//! and mediator sign it on paper, the committee seals the paper, and the mediator records that;
//! the agreement is then in effect like any other, and only its mediator can say so.

use super::agreement::{Signing, TestKey};
use accord_tests::{expect, Backend, Browser};
use serde_json::{json, Value};

const SCAN: &str = "5f2b0c8e7d41a6093e1c4b2a7f8d90e3c6b5a4f1e2d3c4b5a6978877665544ab";

async fn draft_and_freeze(s: &Signing, personal_relationship: bool) -> Value {
    let mut content = s.content();
    content["personal_relationship"] = json!(personal_relationship);
    let mediator = &s.world.mediator;
    let body = json!({"form": "written", "content": content});
    let drafted = expect(
        mediator.post(&s.path("/agreement/versions"), body).await,
        201,
    );
    let finalise = json!({"version": drafted["version"]});
    expect(
        mediator
            .post(&s.path("/agreement/finalise"), finalise)
            .await,
        204,
    );
    s.latest(mediator).await["latest"].clone()
}

async fn on_paper(s: &Signing, who: &Browser, latest: &Value, scan: &str) -> (u16, String) {
    let body = json!({"version": latest["version"], "agreement_hash": latest["agreement_hash"],
                      "scan_sha256": scan});
    let (status, answer) = who.post(&s.path("/agreement/paper"), body).await;
    let code = answer["code"].as_str().unwrap_or_default().to_owned();
    (status.as_u16(), code)
}

async fn an_agreement_on_a_personal_relationship_is_signed_on_paper(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;

    // An ordinary agreement is signed in the browser: no paper route for it.
    let ordinary = draft_and_freeze(&s, false).await;
    assert_eq!(
        on_paper(&s, &w.mediator, &ordinary, SCAN).await,
        (409, "sign_electronically".into())
    );

    // One on a personal relationship refuses electronic signatures (ESL 3)...
    let personal = draft_and_freeze(&s, true).await;
    let key = TestKey::new(1);
    let body = json!({"public_key": key.jwk()});
    expect(w.party.put(&s.path("/agreement/key"), body).await, 204);
    s.verify_identity(&w.party_id).await;
    let refused = s.sign(&w.party, &key).await;
    assert_eq!(
        (refused.0, refused.1["code"].as_str()),
        (409, Some("sign_on_paper"))
    );

    // ...and only its mediator records the paper signing, for the text printed.
    assert_eq!(on_paper(&s, &w.party, &personal, SCAN).await.0, 403);
    assert_eq!(on_paper(&s, &w.admin, &personal, SCAN).await.0, 403);
    assert_eq!(on_paper(&s, &w.colleague, &personal, SCAN).await.0, 404);
    assert_eq!(on_paper(&s, &w.mediator2, &personal, SCAN).await.0, 404);
    assert_eq!(
        on_paper(&s, &w.mediator, &ordinary, SCAN).await,
        (409, "not_this_version".into())
    );
    for bad in ["", "XYZ", &SCAN.to_uppercase()] {
        assert_eq!(on_paper(&s, &w.mediator, &personal, bad).await.0, 422);
    }
    assert_eq!(s.status().await, "agreed");

    assert_eq!(
        on_paper(&s, &w.mediator, &personal, SCAN).await,
        (204, String::new())
    );
    assert_eq!(s.status().await, "effective");
    let agreement = s.latest(&w.party).await;
    assert_eq!(agreement["latest"]["stage"], "effective");
    assert!(agreement["latest"]["effective_at"].is_string());
    // The return visit on the term's deadline is planned, as for any agreement in effect.
    let visits = expect(w.mediator.get(&s.path("/follow-ups")).await, 200);
    assert_eq!(visits.as_array().map(Vec::len), Some(1), "{visits}");
    let log = expect(w.mediator.get(&s.path("/events")).await, 200);
    let signed = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "agreement_signed_on_paper")
        .expect("the paper signing is in the record");
    assert_eq!(signed["payload"]["scan_sha256"], SCAN);
    assert_eq!(
        signed["payload"]["agreement_hash"],
        personal["agreement_hash"]
    );
    // Its PDF is the form it was signed on: blank lines, and no electronic seal claimed.
    let text = super::agreement::pdf_text(&w.party, &s.path("/agreement/document.pdf")).await;
    assert!(
        text.contains("人民调解委员会已在纸面原件上加盖印章"),
        "{text}"
    );
    for claim in ["（电子印章）", "印章公钥指纹", "盖章时间"] {
        assert!(
            !text.contains(claim),
            "{claim} on a paper agreement:\n{text}"
        );
    }
    // The paper original is the agreement: there is no electronic package to export.
    let (status, package) = w.party.get(&s.path("/agreement/package")).await;
    assert_eq!(
        (status.as_u16(), package["code"].as_str()),
        (409, Some("signed_on_paper"))
    );
    assert_eq!(
        on_paper(&s, &w.mediator, &personal, SCAN).await,
        (409, "agreement_effective".into())
    );
}

on_both_backends!(an_agreement_on_a_personal_relationship_is_signed_on_paper);
