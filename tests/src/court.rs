//! A stand-in court: an HTTP server on loopback that takes judicial-confirmation bundles the way
//! a court's endpoint would (deduplicating by the Idempotency-Key), and can be told to fail, to
//! hang past the sender's timeout, or to accept; and that signs its callbacks, each with the time
//! it was signed and a nonce of its own.

use accord::court::callback::COURT_SIGNATURE;
use accord::court::send::{IDEMPOTENCY_KEY, SEAL_KEY, SIGNATURE};
use accord::domain::Timestamp;
use accord::record::signature::{encode_base64url, verify_seal, SealPublicKey, SealSignature};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac as _};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The secret the tests' courts share with the server.
pub const SECRET: &str = "a court secret, sixteen+ long";

/// What the court does with the next delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Accept,
    /// 500, without keeping the bundle.
    Fail,
    /// Keeps the bundle, then answers too late for the sender.
    Hang,
}

#[derive(Debug, Default)]
struct Books {
    script: VecDeque<Behaviour>,
    /// Every delivery, by idempotency key, in arrival order.
    deliveries: Vec<String>,
    /// The bundles taken as new: a key here twice would be a second case.
    taken: Vec<(String, Vec<u8>)>,
    bad_signatures: usize,
}

#[derive(Debug, Clone)]
pub struct StandInCourt {
    pub url: String,
    books: Arc<Mutex<Books>>,
}

impl StandInCourt {
    pub async fn start() -> StandInCourt {
        let books = Arc::new(Mutex::new(Books::default()));
        let state = books.clone();
        let app = axum::Router::new().route(
            "/bundles",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let books = state.clone();
                async move { receive(books, headers, body).await }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/bundles", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        StandInCourt { url, books }
    }

    /// The next deliveries meet these behaviours, in order; then the court accepts.
    pub fn script(&self, behaviours: &[Behaviour]) {
        self.books.lock().unwrap().script.extend(behaviours);
    }

    /// Forgets what is left of the script: from now on the court accepts.
    pub fn recover(&self) {
        self.books.lock().unwrap().script.clear();
    }

    pub fn deliveries(&self) -> Vec<String> {
        self.books.lock().unwrap().deliveries.clone()
    }

    pub fn taken(&self) -> Vec<(String, Vec<u8>)> {
        self.books.lock().unwrap().taken.clone()
    }

    pub fn bad_signatures(&self) -> usize {
        self.books.lock().unwrap().bad_signatures
    }
}

async fn receive(books: Arc<Mutex<Books>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let key = header(IDEMPOTENCY_KEY);
    let digest = Sha256::digest(&body);
    let signed = SealPublicKey::from_base64url(&header(SEAL_KEY))
        .ok()
        .zip(SealSignature::from_base64url(&header(SIGNATURE)).ok())
        .is_some_and(|(k, s)| verify_seal(&k, &digest, &s).is_ok());
    let behaviour = {
        let mut books = books.lock().unwrap();
        books.deliveries.push(key.clone());
        if !signed || hex::encode(digest) != key {
            books.bad_signatures += 1;
            return StatusCode::BAD_REQUEST;
        }
        let behaviour = books.script.pop_front().unwrap_or(Behaviour::Accept);
        if behaviour != Behaviour::Fail && !books.taken.iter().any(|(k, _)| *k == key) {
            books.taken.push((key, body.to_vec()));
        }
        behaviour
    };
    match behaviour {
        Behaviour::Accept => StatusCode::ACCEPTED,
        Behaviour::Fail => StatusCode::INTERNAL_SERVER_ERROR,
        Behaviour::Hang => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            StatusCode::ACCEPTED
        }
    }
}

/// A callback body as a court sends it, signed at `now` (the server's clock, which the tests
/// move by hand) with a nonce of its own, and its HMAC-SHA256 signature under [`SECRET`].
pub fn signed_answer(answer: &serde_json::Value, now: Timestamp) -> (Vec<u8>, String) {
    let mut answer = answer.clone();
    if let Some(members) = answer.as_object_mut() {
        members.insert("issued_at".into(), now.to_rfc3339().into());
        members.insert(
            "nonce".into(),
            uuid::Uuid::new_v4().simple().to_string().into(),
        );
    }
    sign_body(serde_json::to_vec(&answer).unwrap())
}

/// `body`, exactly as given, and its HMAC-SHA256 signature under [`SECRET`].
pub fn sign_body(body: Vec<u8>) -> (Vec<u8>, String) {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(&body);
    (body, encode_base64url(&mac.finalize().into_bytes()))
}

/// Posts a court's answer to the server, signed with `signature`; the status.
pub async fn post_answer(base: &str, court: &str, body: Vec<u8>, signature: &str) -> u16 {
    answer_refusal(base, court, body, signature).await.0
}

/// Posts a court's answer to the server, signed with `signature`; the status and the error
/// code, if any.
pub async fn answer_refusal(
    base: &str,
    court: &str,
    body: Vec<u8>,
    signature: &str,
) -> (u16, Option<String>) {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/courts/{court}/callback"))
        .header("content-type", "application/json")
        .header(COURT_SIGNATURE, signature)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    (status, body["code"].as_str().map(str::to_owned))
}

/// Keys seen more than once among the bundles taken as new.
pub fn taken_twice(taken: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (key, _) in taken {
        *counts.entry(key).or_default() += 1;
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(k, _)| k.to_owned())
        .collect()
}
