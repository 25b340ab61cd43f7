//! The agreement through the API: drafted and frozen by the mediator, commented on by the
//! parties, signed with keys bound at the identity check, sealed, exported and verified offline.

use super::world::{add_party, give_required_consents, invite, World};
use accord::record::agreement::verify_package;
use accord::record::signature::encode_base64url;
use accord_tests::{expect, Backend, Browser};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};

/// A signer's key, as a browser would make it, and its public JWK.
pub(crate) struct TestKey(SigningKey);

impl TestKey {
    pub(crate) fn new(seed: u8) -> TestKey {
        TestKey(SigningKey::from_slice(&[seed; 32]).unwrap())
    }

    pub(crate) fn jwk(&self) -> Value {
        let point = self.0.verifying_key().to_encoded_point(false);
        json!({
            "kty": "EC", "crv": "P-256", "ext": true, "key_ops": ["verify"],
            "x": encode_base64url(point.x().unwrap()),
            "y": encode_base64url(point.y().unwrap()),
        })
    }

    /// WebCrypto's ECDSA P-256 / SHA-256 signature (IEEE P1363), base64url.
    fn sign(&self, text: &str) -> String {
        let signature: Signature = self.0.sign(text.as_bytes());
        encode_base64url(&signature.to_bytes())
    }
}

pub(crate) struct Signing {
    pub(crate) world: World,
    pub(crate) other_id: String,
    pub(crate) other: Browser,
}

impl Signing {
    pub(crate) async fn build(backend: Backend) -> Signing {
        Self::build_with(World::build(backend).await).await
    }

    pub(crate) async fn build_with(world: World) -> Signing {
        for step in ["accept", "start_mediation"] {
            expect(
                world
                    .mediator
                    .post(
                        &format!("/api/cases/{}/transitions", world.case),
                        json!({"transition": step}),
                    )
                    .await,
                200,
            );
        }
        let other_id = add_party(&world.mediator, &world.case, "王乙", "respondent").await;
        let mut other = world.app.browser();
        let link = invite(&world.mediator, &world.case, &other_id).await;
        expect(other.redeem(link["link"].as_str().unwrap()).await, 200);
        give_required_consents(&other).await;
        Signing {
            world,
            other_id,
            other,
        }
    }

    pub(crate) fn path(&self, rest: &str) -> String {
        format!("/api/cases/{}{rest}", self.world.case)
    }

    pub(crate) fn content(&self) -> Value {
        json!({
            "parties": [
                {"participant": self.world.party_id, "name": "李甲", "sex": "female", "age": 45,
                 "ethnicity": "汉族", "occupation": null, "address": "北京市朝阳区", "contact": null},
                {"participant": self.other_id, "name": "王乙", "sex": "male", "age": 50,
                 "ethnicity": null, "occupation": "教师", "address": null, "contact": "13800138000"},
            ],
            "facts": "楼上漏水损坏楼下天花板。",
            "issues": "维修费用由谁承担。",
            "responsibilities": "王乙承担主要责任。",
            "terms": [{"text": "王乙赔偿李甲维修费", "obligor": self.other_id,
                       "manner": "银行转账", "deadline": "2026-12-31", "amount_fen": 120_000}],
            "personal_relationship": false,
        })
    }

    pub(crate) async fn draft(&self) -> u64 {
        let body = json!({"form": "written", "content": self.content()});
        let drafted = expect(
            self.world
                .mediator
                .post(&self.path("/agreement/versions"), body)
                .await,
            201,
        );
        drafted["version"].as_u64().unwrap()
    }

    /// An oral agreement recorded and so in effect (PML 30): the quickest way to an agreement
    /// in effect, for tests of what follows it.
    pub(crate) async fn oral_agreement_in_effect(&self) {
        let mediator = &self.world.mediator;
        let body = json!({"form": "oral", "content": self.content()});
        expect(
            mediator.post(&self.path("/agreement/versions"), body).await,
            201,
        );
        let latest = self.latest(mediator).await["latest"]["version"].clone();
        let finalise = json!({"version": latest});
        expect(
            mediator
                .post(&self.path("/agreement/finalise"), finalise)
                .await,
            204,
        );
    }

    pub(crate) async fn latest(&self, who: &Browser) -> Value {
        expect(who.get(&self.path("/agreement")).await, 200)
    }

    pub(crate) async fn status(&self) -> String {
        let case = expect(self.world.mediator.get(&self.path("")).await, 200);
        case["status"].as_str().unwrap().to_owned()
    }

    pub(crate) async fn sign(&self, who: &Browser, key: &TestKey) -> (u16, Value) {
        let agreement = self.latest(who).await;
        let latest = &agreement["latest"];
        let body = json!({
            "version": latest["version"],
            "agreement_hash": latest["agreement_hash"],
            "signature": key.sign(latest["signed_text"].as_str().unwrap()),
        });
        let (status, answer) = who.post(&self.path("/agreement/signatures"), body).await;
        (status.as_u16(), answer)
    }

    pub(crate) async fn verify_identity(&self, participant: &str) -> Value {
        expect(
            self.world
                .mediator
                .post(
                    &self.path(&format!("/participants/{participant}/identity")),
                    json!({"method": "document_on_camera"}),
                )
                .await,
            200,
        )
    }
}

impl Signing {
    /// Drafts, freezes, has everyone sign: the agreement is in effect.
    pub(crate) async fn make_effective(&self) {
        let w = &self.world;
        let version = self.draft().await;
        let finalise = json!({"version": version});
        expect(
            w.mediator
                .post(&self.path("/agreement/finalise"), finalise)
                .await,
            204,
        );
        let keys = [(&w.party, &w.party_id, 1), (&self.other, &self.other_id, 2)];
        for (who, id, seed) in keys {
            let key = TestKey::new(seed);
            let body = json!({"public_key": key.jwk()});
            expect(who.put(&self.path("/agreement/key"), body).await, 204);
            self.verify_identity(id).await;
            assert_eq!(self.sign(who, &key).await.0, 201);
        }
        let key = TestKey::new(3);
        let body = json!({"public_key": key.jwk()});
        expect(
            w.mediator.put(&self.path("/agreement/key"), body).await,
            204,
        );
        assert_eq!(self.sign(&w.mediator, &key).await.1["sealed"], true);
    }
}

fn code(answer: &(u16, Value)) -> (u16, &str) {
    (answer.0, answer.1["code"].as_str().unwrap_or(""))
}

async fn an_agreement_is_drafted_signed_sealed_and_verifies_offline(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    assert_eq!(s.latest(&w.party).await["latest"], Value::Null);

    // Drafting is the assigned mediator's; the parties comment.
    assert_eq!(s.draft().await, 1);
    let comment = json!({"version": 1, "text": "请把期限改到一月底。"});
    expect(
        w.party.post(&s.path("/agreement/comments"), comment).await,
        204,
    );
    assert_eq!(s.draft().await, 2);
    let history = expect(w.party.get(&s.path("/agreement/versions")).await, 200);
    assert_eq!(history["versions"].as_array().unwrap().len(), 2);
    assert_eq!(history["comments"][0]["author_name"], "李甲");

    // Only the latest draft is frozen, and freezing makes the case agreed.
    let stale = w
        .mediator
        .post(&s.path("/agreement/finalise"), json!({"version": 1}))
        .await;
    assert_eq!(
        code(&(stale.0.as_u16(), stale.1)),
        (409, "not_latest_version")
    );
    expect(
        w.mediator
            .post(&s.path("/agreement/finalise"), json!({"version": 2}))
            .await,
        204,
    );
    assert_eq!(s.status().await, "agreed");

    // A party's key counts only once the mediator has verified who they are.
    let (key_a, key_b, key_m) = (TestKey::new(1), TestKey::new(2), TestKey::new(3));
    let put_key = |who: &Browser, key: &TestKey| {
        let body = json!({"public_key": key.jwk()});
        let path = s.path("/agreement/key");
        let who = who.clone();
        async move { expect(who.put(&path, body).await, 204) }
    };
    put_key(&w.party, &key_a).await;
    assert_eq!(
        code(&s.sign(&w.party, &key_a).await),
        (409, "key_not_bound")
    );
    let bound = s.verify_identity(&w.party_id).await;
    assert!(bound["key_bound"].is_string());
    let forged = s.sign(&w.party, &TestKey::new(9)).await;
    assert_eq!(forged.0, 422, "{}", forged.1);
    assert_eq!(s.sign(&w.party, &key_a).await.0, 201);
    assert_eq!(
        code(&s.sign(&w.party, &key_a).await),
        (409, "already_signed")
    );

    // The mediator signs last (DOMAIN.md), with a key bound by their account.
    put_key(&w.mediator, &key_m).await;
    assert_eq!(
        code(&s.sign(&w.mediator, &key_m).await),
        (409, "parties_sign_first")
    );
    put_key(&s.other, &key_b).await;
    s.verify_identity(&s.other_id).await;
    assert_eq!(s.sign(&s.other, &key_b).await.1["sealed"], false);
    let last = s.sign(&w.mediator, &key_m).await;
    assert_eq!((last.0, &last.1["sealed"]), (201, &json!(true)));
    assert_eq!(s.status().await, "effective");

    let agreement = s.latest(&s.other).await;
    assert_eq!(agreement["latest"]["stage"], "effective");
    assert!(agreement["latest"]["effective_at"].is_string());
    assert!(agreement["signers"]
        .as_array()
        .unwrap()
        .iter()
        .all(|signer| signer["signed_at"].is_string() || signer["role"] == "mediator"));

    // The package verifies offline, with the seal the committee publishes.
    let package = expect(w.party.get(&s.path("/agreement/package")).await, 200);
    let bytes = serde_json::to_vec(&package).unwrap();
    let verified = verify_package(&bytes).expect("the package verifies");
    assert_eq!(verified.signers.len(), 3);
    assert_eq!(verified.version, 2);
    // The package ends at the seal, the last thing the seal covers.
    assert_eq!(verified.chain_length as u64, verified.seal.sealed_in);
    assert_eq!(
        package["events"].as_array().unwrap().last().unwrap()["kind"],
        "agreement_sealed"
    );
    let me = expect(w.mediator.get("/api/auth/me").await, 200);
    let committee = me["user"]["committee_id"].as_str().unwrap().to_owned();
    let published = expect(
        w.app
            .browser()
            .get(&format!("/api/committees/{committee}/seal"))
            .await,
        200,
    );
    assert_eq!(published["fingerprint"], verified.seal.fingerprint.as_str());

    // The printable agreement, with its signature page, for every signer.
    let (status, pdf) = s
        .other
        .get(&s.path("/agreement/document.pdf?lang=en"))
        .await;
    assert_eq!(status, 200);
    assert!(pdf.as_str().is_some_and(|text| text.starts_with("%PDF-")));
    // Sealed electronically, it says so, with the fingerprint of the seal that went on.
    let text = pdf_text(&s.other, &s.path("/agreement/document.pdf")).await;
    assert!(text.contains("（电子印章）"), "{text}");
    assert!(text.contains(verified.seal.fingerprint.as_str()), "{text}");

    // Someone with database access changes the amount of the signed version: the record
    // check names it, and no package is handed out any more.
    sqlx::query(
        "UPDATE agreement_versions SET body = REPLACE(body, '120000', '12000') \
         WHERE case_id = $1 AND version = 2",
    )
    .bind(&w.case)
    .execute(w.app.db.pool())
    .await
    .unwrap();
    let log = expect(w.mediator.get(&s.path("/events")).await, 200);
    assert_eq!(log["chain_intact"], true);
    assert_eq!(log["texts_intact"], false);
    assert_eq!(
        log["first_altered_text"],
        "agreement version 2: the stored text is not the one the chain recorded"
    );
    let (status, refused) = w.party.get(&s.path("/agreement/package")).await;
    assert_eq!(
        (status.as_u16(), refused["code"].as_str()),
        (409, Some("record_altered"))
    );

    // In effect, nothing changes any more.
    let late = w
        .mediator
        .post(
            &s.path("/agreement/versions"),
            json!({"form": "written", "content": s.content()}),
        )
        .await;
    assert_eq!(
        code(&(late.0.as_u16(), late.1)),
        (409, "agreement_effective")
    );
}

async fn a_change_after_a_signature_voids_it(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    s.draft().await;
    expect(
        w.mediator
            .post(&s.path("/agreement/finalise"), json!({"version": 1}))
            .await,
        204,
    );
    let key = TestKey::new(4);
    expect(
        w.party
            .put(&s.path("/agreement/key"), json!({"public_key": key.jwk()}))
            .await,
        204,
    );
    s.verify_identity(&w.party_id).await;
    assert_eq!(s.sign(&w.party, &key).await.0, 201);

    assert_eq!(s.draft().await, 2);
    assert_eq!(s.status().await, "in_mediation");
    let history = expect(w.party.get(&s.path("/agreement/versions")).await, 200);
    assert!(history["versions"][0]["voided_at"].is_string());
    let agreement = s.latest(&w.party).await;
    assert_eq!(agreement["latest"]["stage"], "draft");
    let party = agreement["signers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|signer| signer["name"] == "李甲")
        .unwrap()
        .clone();
    assert_eq!(
        party["signed_at"],
        Value::Null,
        "the signature on v1 counts no more"
    );
    assert_eq!(
        code(&s.sign(&w.party, &key).await),
        (409, "not_open_for_signing")
    );
}

async fn only_the_right_people_touch_the_agreement(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    let body = json!({"form": "written", "content": s.content()});
    let drafting = |who: &Browser| {
        let who = who.clone();
        let (path, body) = (s.path("/agreement/versions"), body.clone());
        async move { who.post(&path, body).await.0.as_u16() }
    };
    assert_eq!(drafting(&w.party).await, 403);
    assert_eq!(drafting(&w.admin).await, 403);
    assert_eq!(drafting(&w.colleague).await, 404);
    assert_eq!(drafting(&w.mediator2).await, 404);
    assert_eq!(drafting(&w.party2).await, 404);
    assert_eq!(w.party2.get(&s.path("/agreement")).await.0, 404);
    assert_eq!(w.admin.get(&s.path("/agreement")).await.0, 200);

    // The agreement names every party of the case and no one else (PML 29(1)).
    let mut content = s.content();
    content["parties"].as_array_mut().unwrap().pop();
    let (status, answer) = w
        .mediator
        .post(
            &s.path("/agreement/versions"),
            json!({"form": "written", "content": content}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(answer["details"][0]["field"], "content.parties");

    // Keys with a private part, or that are no keys, are refused.
    let mut private = TestKey::new(5).jwk();
    private["d"] = json!("AAAA");
    for jwk in [private, json!({"kty": "RSA"}), json!("key")] {
        let (status, _) = w
            .party
            .put(&s.path("/agreement/key"), json!({"public_key": jwk}))
            .await;
        assert_eq!(status, 422);
    }
    // Identity is verified by the case's mediator only.
    let path = s.path(&format!("/participants/{}/identity", w.party_id));
    let method = json!({"method": "in_person"});
    assert_eq!(w.party.post(&path, method.clone()).await.0, 403);
    assert_eq!(w.colleague.post(&path, method).await.0, 404);
}

/// PML 28, 30: an oral agreement, recorded by the mediator, binds from the parties' assent:
/// nobody signs it and no seal goes on.
async fn an_oral_agreement_takes_effect_when_recorded(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    let body = json!({"form": "oral", "content": s.content()});
    expect(
        w.mediator.post(&s.path("/agreement/versions"), body).await,
        201,
    );
    expect(
        w.mediator
            .post(&s.path("/agreement/finalise"), json!({"version": 1}))
            .await,
        204,
    );
    assert_eq!(s.status().await, "effective");
    let agreement = s.latest(&w.party).await;
    assert_eq!(agreement["latest"]["stage"], "effective");
    assert!(agreement["latest"]["effective_at"].is_string());
    assert_eq!(agreement["seal_fingerprint"], Value::Null);
    let (status, refused) = w.party.get(&s.path("/agreement/package")).await;
    assert_eq!(
        (status.as_u16(), refused["code"].as_str()),
        (409, Some("oral_agreement"))
    );
    let log = expect(w.mediator.get(&s.path("/events")).await, 200);
    assert!(log["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "oral_agreement_effective"));
    // Its PDF is the registration of an oral agreement, and claims no signature and no seal.
    let text = pdf_text(&w.party, &s.path("/agreement/document.pdf")).await;
    assert!(text.contains("口头协议登记"), "{text}");
    for claim in [
        "人民调解协议书",
        "（电子印章）",
        "印章公钥指纹",
        "电子签名页",
    ] {
        assert!(
            !text.contains(claim),
            "{claim} on an oral agreement:\n{text}"
        );
    }
}

/// The text of the PDF at `path`, as a reader extracts it, without whitespace.
pub(crate) async fn pdf_text(who: &Browser, path: &str) -> String {
    let url = format!("{}{path}", who.base);
    let mut request = who.http.get(&url);
    if let Some(cookie) = who.cookie_header() {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("request");
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.expect("body");
    let document = lopdf::Document::load_mem(&bytes).expect("a PDF");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).expect("its text");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A draft whose amount is named twice: a reader keeping the first copy and one keeping the
/// last would hash and show different agreements. Refused, and nothing is written.
async fn a_body_naming_a_member_twice_is_refused_and_writes_nothing(backend: Backend) {
    let s = Signing::build(backend).await;
    let w = &s.world;
    let events = |log: Value| log["events"].as_array().unwrap().len();
    let before = events(expect(w.mediator.get(&s.path("/events")).await, 200));
    let body = json!({"form": "written", "content": s.content()}).to_string();
    assert!(body.contains("\"amount_fen\":120000"));
    let twice = body.replacen(
        "\"amount_fen\":120000",
        "\"amount_fen\":99900000,\"amount_fen\":120000",
        1,
    );
    let response = w
        .mediator
        .http
        .post(format!("{}{}", w.app.base, s.path("/agreement/versions")))
        .header("x-csrf-token", w.mediator.csrf.clone().unwrap())
        .header("content-type", "application/json")
        .body(twice)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    let refused: Value = response.json().await.unwrap();
    assert_eq!(refused["code"], "duplicate_member");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("content.terms[0].amount_fen"),
        "{refused}"
    );
    assert_eq!(s.latest(&w.mediator).await["latest"], Value::Null);
    assert_eq!(
        events(expect(w.mediator.get(&s.path("/events")).await, 200)),
        before
    );
}

on_both_backends!(
    a_body_naming_a_member_twice_is_refused_and_writes_nothing,
    an_oral_agreement_takes_effect_when_recorded,
    an_agreement_is_drafted_signed_sealed_and_verifies_offline,
    a_change_after_a_signature_voids_it,
    only_the_right_people_touch_the_agreement,
);
