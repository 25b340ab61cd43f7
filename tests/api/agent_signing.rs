//! An agent signs for the party they represent, with their own key, once the mediator has
//! checked that their power of attorney gives special authority to settle (特别授权); the party
//! then counts as signed, and signs no second time. The package says who signed in which
//! capacity and verifies offline.

use super::agreement::{Signing, TestKey};
use super::world::{give_required_consents, invite};
use accord::record::agreement::{verify_package, SignerRole};
use accord_tests::{expect, Backend, Browser};
use serde_json::json;

/// An agent for the world's first party (李甲), signed in on their own browser.
async fn agent_of_first_party(s: &Signing) -> (String, Browser) {
    let w = &s.world;
    let agent = expect(
        w.mediator
            .post(
                &s.path("/participants"),
                json!({"role": "agent", "name": "张律师", "represents": w.party_id,
                       "contact": "13900139000"}),
            )
            .await,
        201,
    )["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut browser = w.app.browser();
    let link = invite(&w.mediator, &w.case, &agent).await;
    expect(browser.redeem(link["link"].as_str().unwrap()).await, 200);
    give_required_consents(&browser).await;
    (agent, browser)
}

async fn bind_key(s: &Signing, who: &Browser, id: &str, key: &TestKey) {
    let body = json!({"public_key": key.jwk()});
    expect(who.put(&s.path("/agreement/key"), body).await, 204);
    s.verify_identity(id).await;
}

fn code(answer: &(u16, serde_json::Value)) -> (u16, &str) {
    (answer.0, answer.1["code"].as_str().unwrap_or(""))
}

async fn an_agent_with_authority_signs_for_their_party(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    let (agent_id, agent) = agent_of_first_party(&s).await;
    let version = s.draft().await;
    let finalise = json!({"version": version});
    expect(
        w.mediator
            .post(&s.path("/agreement/finalise"), finalise)
            .await,
        204,
    );
    let agent_key = TestKey::new(4);
    bind_key(&s, &agent, &agent_id, &agent_key).await;

    // Without a checked power of attorney, the agent's key signs nothing.
    assert_eq!(
        code(&s.sign(&agent, &agent_key).await),
        (409, "no_signing_authority")
    );

    // Only the case's mediator records the authority, and only for an agent.
    let authority = |id: &str| s.path(&format!("/participants/{id}/signing-authority"));
    let scan = "ab".repeat(32);
    let body = json!({"document_sha256": scan});
    assert_eq!(
        w.party.post(&authority(&agent_id), body.clone()).await.0,
        403
    );
    assert_eq!(
        w.colleague
            .post(&authority(&agent_id), body.clone())
            .await
            .0,
        404
    );
    assert_eq!(
        w.mediator2
            .post(&authority(&agent_id), body.clone())
            .await
            .0,
        404
    );
    let not_an_agent = w.mediator.post(&authority(&w.party_id), body.clone()).await;
    assert_eq!(not_an_agent.0, 409);
    let bad = json!({"document_sha256": "not a hash"});
    assert_eq!(w.mediator.post(&authority(&agent_id), bad).await.0, 422);
    expect(w.mediator.post(&authority(&agent_id), body).await, 204);

    let seen = expect(agent.get(&s.path("/agreement")).await, 200);
    assert_eq!(seen["you"], format!("p-{agent_id}"));
    let row = seen["signers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["signer"] == format!("p-{agent_id}"))
        .expect("the agent among the signers")
        .clone();
    assert_eq!(row["role"], "agent");
    assert_eq!(row["signs_for"], format!("p-{}", w.party_id));
    assert_eq!(row["authority_checked"], true);

    // The agent signs for 李甲, who then does not sign again.
    assert_eq!(s.sign(&agent, &agent_key).await.0, 201);
    let party_key = TestKey::new(1);
    bind_key(&s, &w.party, &w.party_id, &party_key).await;
    assert_eq!(
        code(&s.sign(&w.party, &party_key).await),
        (409, "already_signed")
    );
    let mediator_key = TestKey::new(3);
    let body = json!({"public_key": mediator_key.jwk()});
    expect(w.mediator.put(&s.path("/agreement/key"), body).await, 204);
    assert_eq!(
        code(&s.sign(&w.mediator, &mediator_key).await),
        (409, "parties_sign_first")
    );
    let other_key = TestKey::new(2);
    bind_key(&s, &s.other, &s.other_id, &other_key).await;
    assert_eq!(s.sign(&s.other, &other_key).await.0, 201);
    let sealed = s.sign(&w.mediator, &mediator_key).await;
    assert_eq!(sealed.1["sealed"], true, "{}", sealed.1);
    assert_eq!(s.status().await, "effective");

    let package = expect(w.party.get(&s.path("/agreement/package")).await, 200);
    let verified = verify_package(&serde_json::to_vec(&package).unwrap()).expect("it verifies");
    let roles: Vec<(SignerRole, &str)> = verified
        .signers
        .iter()
        .map(|v| (v.role, v.name.as_str()))
        .collect();
    assert_eq!(roles[0], (SignerRole::Agent, "张律师"));
    assert_eq!(roles.len(), 3);
    let log = expect(w.mediator.get(&s.path("/events")).await, 200);
    let checked = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "signing_authority_verified")
        .expect("the check is in the record");
    assert_eq!(checked["payload"]["principal"], w.party_id.as_str());
    assert_eq!(checked["payload"]["document_sha256"], "ab".repeat(32));
}

on_both_backends!(an_agent_with_authority_signs_for_their_party);
