//! A small case, signed by two parties and the mediator, sealed, and ways to
//! take its package apart and put it back together.

use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};

use crate::record::agreement::wire::WirePackage;
use crate::record::agreement::{self as agreement, PackageSignature, SignerRole};
use crate::record::chain::{chain_next, ChainedEvent, EventBody};
use crate::record::signature::{SealKey, SignerKey};

pub(crate) const CASE: &str = "c-0190a3f2-7c4e-7d1a-9b0e-5f3c2a1d4e6b";
pub(crate) const COMMITTEE: &str = "朝阳区某某街道人民调解委员会";
/// 2024-06-01T08:00:00Z.
const T0_MS: i64 = 1_717_228_800_000;

pub(crate) struct Signer {
    pub(crate) id: &'static str,
    pub(crate) role: SignerRole,
    pub(crate) name: &'static str,
    pub(crate) key: SigningKey,
}

impl Signer {
    pub(crate) fn public(&self) -> SignerKey {
        SignerKey::from(self.key.verifying_key())
    }

    /// What a browser does: ECDSA P-256 / SHA-256 over the bytes, r||s.
    pub(crate) fn sign(&self, bytes: &[u8]) -> Vec<u8> {
        let signature: Signature = self.key.sign(bytes);
        signature.to_bytes().to_vec()
    }
}

pub(crate) struct Fixture {
    pub(crate) agreement: Value,
    pub(crate) signers: Vec<Signer>,
    pub(crate) seal: SealKey,
}

pub(crate) fn signer(id: &'static str, role: SignerRole, name: &'static str, n: u8) -> Signer {
    Signer {
        id,
        role,
        name,
        key: SigningKey::from_slice(&[n; 32]).unwrap(),
    }
}

pub(crate) fn fixture() -> Fixture {
    Fixture {
        agreement: json!({
            "case_id": CASE,
            "version": 2,
            "content": {
                "parties": [
                    {"name": "张三", "role": "applicant"},
                    {"name": "李四", "role": "respondent"}
                ],
                "facts": "双方因房屋漏水赔偿发生纠纷。",
                "terms": "李四于2024年6月30日前向张三支付人民币五千元整。",
                "amount_fen": 500_000
            }
        }),
        signers: vec![
            signer("p-1", SignerRole::Party, "张三", 1),
            signer("p-2", SignerRole::Party, "李四", 2),
            signer("s-9", SignerRole::Mediator, "王调解", 3),
        ],
        seal: SealKey::from_bytes(&[7; 32]),
    }
}

pub(crate) fn body(actor: &str, kind: &str, payload: Value) -> EventBody {
    EventBody {
        case_id: CASE.into(),
        seq: 0,
        at_ms: 0,
        actor: actor.into(),
        kind: kind.into(),
        payload,
    }
}

/// Numbers and chains `bodies` as the store would; a body without a time
/// (`at_ms` 0) is recorded n minutes after T0, n its position.
pub(crate) fn chain(bodies: Vec<EventBody>) -> Vec<ChainedEvent> {
    let mut events: Vec<ChainedEvent> = Vec::new();
    for (n, mut body) in (1..).zip(bodies) {
        body.seq = n;
        if body.at_ms == 0 {
            body.at_ms = T0_MS + i64::try_from(n).unwrap() * 60_000;
        }
        let next = chain_next(events.last(), body).unwrap();
        events.push(next);
    }
    events
}

impl Fixture {
    pub(crate) fn hash(&self) -> String {
        agreement::agreement_hash(&self.agreement).unwrap()
    }

    fn version(&self) -> u64 {
        self.agreement["version"].as_u64().unwrap()
    }

    /// The case's story: registered, keys bound, drafted, signed, sealed.
    pub(crate) fn bodies(&self) -> Vec<EventBody> {
        let mut bodies = vec![body(
            "user:admin",
            "case_registered",
            json!({"number": "(2024) 人调字第 17 号", "summary": "房屋漏水赔偿"}),
        )];
        for s in &self.signers {
            let payload = agreement::key_bound_payload(s.id, &s.public());
            bodies.push(body("user:mediator", agreement::SIGNER_KEY_BOUND, payload));
        }
        bodies.push(body(
            "user:mediator",
            "agreement_drafted",
            json!({"version": self.version(), "agreement_hash": self.hash()}),
        ));
        for s in &self.signers {
            bodies.push(self.signed_body(s));
        }
        bodies.push(self.sealed_body());
        bodies
    }

    pub(crate) fn signed_body(&self, s: &Signer) -> EventBody {
        let payload = agreement::signed_payload(s.id, self.version(), &self.hash(), &s.public());
        body(s.id, agreement::AGREEMENT_SIGNED, payload)
    }

    pub(crate) fn sealed_body(&self) -> EventBody {
        let payload =
            agreement::sealed_payload(self.version(), &self.hash(), &self.seal.public_key());
        body("user:mediator", agreement::AGREEMENT_SEALED, payload)
    }

    pub(crate) fn signatures(&self) -> Vec<PackageSignature> {
        let bytes = agreement::signed_bytes(&self.agreement).unwrap();
        self.signers
            .iter()
            .map(|s| PackageSignature {
                signer: s.id.into(),
                role: s.role,
                name: s.name.into(),
                public_key: s.public(),
                signature: s.sign(&bytes),
            })
            .collect()
    }

    /// The genuine package, through the public builder.
    pub(crate) fn build(&self) -> Vec<u8> {
        agreement::build_package(
            &self.agreement,
            self.signatures(),
            &self.seal,
            COMMITTEE,
            chain(self.bodies()),
        )
        .unwrap()
    }

    /// The package as JSON, to tamper with.
    pub(crate) fn value(&self) -> Value {
        serde_json::from_slice(&self.build()).unwrap()
    }
}

/// Re-applies a valid seal with `key` over whatever `package` now says, as
/// someone holding the seal key (or a buggy server) would.
pub(crate) fn reseal(package: &mut Value, key: &SealKey) {
    let wire: WirePackage = serde_json::from_value(package.clone()).unwrap();
    let message = crate::record::agreement::wire::seal_message(
        &wire.agreement_hash,
        &wire.seal.committee,
        &crate::record::chain::EventHash::from_hex(&wire.seal.sealed_event).unwrap(),
        &wire.signatures,
    )
    .unwrap();
    let seal = crate::record::signature::seal(key, &message);
    package["seal"]["public_key"] = json!(key.public_key().to_base64url());
    package["seal"]["signature"] = json!(seal.to_base64url());
}

/// Rewrites the chain's story with `edit`, re-chains it validly, points the
/// seal at the last `agreement_sealed` event and reseals: a package whose
/// every hash and signature holds, so only the cross-checks can object.
pub(crate) fn rewrite_events(
    package: &mut Value,
    seal: &SealKey,
    edit: impl FnOnce(&mut Vec<EventBody>),
) {
    let events: Vec<ChainedEvent> = serde_json::from_value(package["events"].take()).unwrap();
    let mut bodies: Vec<EventBody> = events.into_iter().map(|e| e.body).collect();
    edit(&mut bodies);
    let events = chain(bodies);
    if let Some(sealed) = events
        .iter()
        .rev()
        .find(|e| e.body.kind == agreement::AGREEMENT_SEALED)
    {
        package["seal"]["sealed_event"] = json!(sealed.hash.to_hex());
    }
    package["events"] = serde_json::to_value(&events).unwrap();
    reseal(package, seal);
}

pub(crate) fn bytes(package: &Value) -> Vec<u8> {
    serde_json::to_vec_pretty(package).unwrap()
}

/// Index of the first event of `kind` whose payload names `signer`.
pub(crate) fn find(bodies: &[EventBody], kind: &str, signer: &str) -> usize {
    bodies
        .iter()
        .position(|b| b.kind == kind && b.payload["signer"] == signer)
        .unwrap()
}
