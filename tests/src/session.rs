//! A member of a live session with real media: a signalling client and a WebRTC test peer,
//! driven by a task that does what a browser page does in the background: it answers the
//! server's offers, trickles candidates both ways and keeps the latest state.

use crate::live::{LiveClient, PATIENCE};
use crate::peer::{Load, PeerEvent, TestPeer};
use crate::Browser;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

type Request = (Value, oneshot::Sender<Option<Value>>);

pub struct MediaMember {
    pub member: String,
    pub peer: Arc<TestPeer>,
    requests: mpsc::Sender<Request>,
    states: watch::Receiver<Value>,
    /// Every message other than states, offers and candidates, in order of arrival.
    heard: Arc<Mutex<Vec<Value>>>,
    /// Set when the server closes the connection: its close code, if it gave one.
    closed: watch::Receiver<Option<Option<u16>>>,
    driver: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for MediaMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaMember")
            .field("member", &self.member)
            .finish()
    }
}

impl MediaMember {
    /// Joins the case's live session as `browser`; media starts with [`MediaMember::publish`].
    pub async fn join(browser: &Browser, case: &str) -> MediaMember {
        Self::join_with(browser, case, Load::TESTS).await
    }

    /// Joins as [`MediaMember::join`] does, to publish `load`.
    pub async fn join_with(browser: &Browser, case: &str, load: Load) -> MediaMember {
        let mut client = LiveClient::connect(browser, case).await.expect("joined");
        let welcome = client.next_of("welcome").await.expect("a welcome");
        let member = welcome["you"].as_str().expect("member id").to_owned();
        let (peer, peer_events) = TestPeer::with_load(&member, Some(load)).await;
        let (requests, requests_rx) = mpsc::channel(16);
        let (states_tx, states) = watch::channel(Value::Null);
        let (closed_tx, closed) = watch::channel(None);
        let heard = Arc::new(Mutex::new(Vec::new()));
        let driver = tokio::spawn(drive(
            client,
            peer.clone(),
            peer_events,
            requests_rx,
            Heard {
                states: states_tx,
                messages: heard.clone(),
                closed: closed_tx,
            },
        ));
        MediaMember {
            member,
            peer,
            requests,
            states,
            heard,
            closed,
            driver,
        }
    }

    /// Sends a message and returns the server's reply to it (`ack`, `answer` or `error`).
    pub async fn request(&self, message: Value) -> Value {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send((message, reply))
            .await
            .expect("driver alive");
        answer.await.ok().flatten().expect("a reply")
    }

    /// Waits until the latest state satisfies `condition`.
    pub async fn state_where(&mut self, condition: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            {
                let state = self.states.borrow_and_update();
                if condition(&state) {
                    return state.clone();
                }
            }
            match tokio::time::timeout_at(deadline, self.states.changed()).await {
                Ok(Ok(())) => {}
                _ => panic!(
                    "{}: no such state; last: {}",
                    self.member,
                    *self.states.borrow()
                ),
            }
        }
    }

    /// The messages of `kind` that have reached this member so far.
    pub fn heard(&self, kind: &str) -> Vec<Value> {
        self.heard
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .filter(|m| m["type"] == kind)
            .cloned()
            .collect()
    }

    /// Waits for the server to close the connection; its close code, if it gave one.
    pub async fn closed(&mut self) -> Option<u16> {
        let closed = tokio::time::timeout(PATIENCE, self.closed.wait_for(Option::is_some))
            .await
            .unwrap_or_else(|_| panic!("{}: the connection stays open", self.member))
            .expect("driver alive");
        closed.flatten()
    }

    /// Offers the peer's camera and microphone, applies the answer, waits for the connection
    /// and starts sending.
    pub async fn publish(&self) {
        let offer = self.peer.offer().await;
        let answer = self.request(json!({"type": "offer", "sdp": offer})).await;
        assert_eq!(answer["type"], "answer", "{}: {answer}", self.member);
        self.peer
            .apply_answer(answer["sdp"].as_str().expect("sdp"))
            .await
            .expect("answer applies");
        self.peer
            .wait_connected(Duration::from_secs(10))
            .await
            .expect("media connected");
        self.peer.start_publishing();
    }

    /// Drops the signalling connection and the peer connection, as a network failure would.
    pub async fn cut(self) {
        self.driver.abort();
        let _ = self.driver.await;
        self.peer.close().await;
    }
}

/// Where the driver puts what the server says.
struct Heard {
    states: watch::Sender<Value>,
    messages: Arc<Mutex<Vec<Value>>>,
    closed: watch::Sender<Option<Option<u16>>>,
}

async fn drive(
    mut client: LiveClient,
    peer: Arc<TestPeer>,
    mut peer_events: mpsc::UnboundedReceiver<PeerEvent>,
    mut requests: mpsc::Receiver<Request>,
    heard: Heard,
) {
    let mut pending: Vec<(u64, oneshot::Sender<Option<Value>>)> = Vec::new();
    // Candidates belong to a peer connection the server only knows once it has the offer: keep
    // them until the offer is sent (docs/signalling.md).
    let mut offered = false;
    let mut early_candidates = Vec::new();
    loop {
        tokio::select! {
            message = client.recv() => {
                let Some(message) = message else {
                    heard.closed.send_replace(Some(client.closed().await));
                    break;
                };
                match message["type"].as_str() {
                    Some("state") => { heard.states.send_replace(message); }
                    Some("offer") => {
                        let sdp = message["sdp"].as_str().unwrap_or_default().to_owned();
                        match peer.handle_offer(&sdp).await {
                            Ok(answer) => {
                                client.send(json!({"type": "answer", "sdp": answer})).await;
                            }
                            Err(err) => eprintln!("test peer could not answer an offer: {err}"),
                        }
                    }
                    Some("candidate") => {
                        if let Ok(candidate) = serde_json::from_value(message["candidate"].clone()) {
                            if let Err(err) = peer.add_candidate(candidate).await {
                                eprintln!("test peer refused a candidate: {err}");
                            }
                        }
                    }
                    _ => {
                        if message["type"] == "error" {
                            eprintln!("server error: {message}");
                        }
                        heard
                            .messages
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(message.clone());
                        if let Some(id) = message["id"].as_u64() {
                            if let Some(at) = pending.iter().position(|(p, _)| *p == id) {
                                let (_, reply) = pending.swap_remove(at);
                                let _ = reply.send(Some(message));
                            }
                        }
                    }
                }
            }
            Some((message, reply)) = requests.recv() => {
                let is_offer = message["type"] == "offer";
                let id = client.send(message).await;
                pending.push((id, reply));
                if is_offer {
                    offered = true;
                    for candidate in early_candidates.drain(..) {
                        client.send(json!({"type": "candidate", "candidate": candidate})).await;
                    }
                }
            }
            Some(event) = peer_events.recv() => {
                if let PeerEvent::Candidate(candidate) = event {
                    if offered {
                        client.send(json!({"type": "candidate", "candidate": candidate})).await;
                    } else {
                        early_candidates.push(candidate);
                    }
                }
            }
        }
    }
}
