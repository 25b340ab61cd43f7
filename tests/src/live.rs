//! A signalling client: a browser's WebSocket to a live session, speaking `accord.v1`.

use crate::Browser;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for a message it expects.
pub const PATIENCE: Duration = Duration::from_secs(10);

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct LiveClient {
    socket: Socket,
    next_id: u64,
    inbox: VecDeque<Value>,
    closed: Option<Option<CloseFrame>>,
}

impl std::fmt::Debug for LiveClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveClient")
            .field("inbox", &self.inbox)
            .finish()
    }
}

/// How an upgrade attempt went: the HTTP refusal's status and body.
#[derive(Debug)]
pub struct Refused {
    pub status: u16,
    pub body: Value,
}

pub fn live_url(browser: &Browser, case: &str) -> String {
    format!(
        "{}/api/cases/{case}/live",
        browser.base.replacen("http://", "ws://", 1)
    )
}

impl LiveClient {
    /// Opens the case's live session as `browser`, with its cookies and the `accord.v1`
    /// subprotocol, and reads the welcome.
    pub async fn connect(browser: &Browser, case: &str) -> Result<LiveClient, Refused> {
        let mut request = live_url(browser, case)
            .into_client_request()
            .expect("request");
        let headers = request.headers_mut();
        headers.insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("accord.v1"),
        );
        if let Some(cookie) = browser.cookie_header() {
            headers.insert("cookie", HeaderValue::from_str(&cookie).expect("cookie"));
        }
        match tokio_tungstenite::connect_async(request).await {
            Ok((socket, response)) => {
                assert_eq!(
                    response.headers()["sec-websocket-protocol"],
                    "accord.v1",
                    "the server speaks accord.v1"
                );
                Ok(LiveClient {
                    socket,
                    next_id: 1,
                    inbox: VecDeque::new(),
                    closed: None,
                })
            }
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                let status = response.status().as_u16();
                let body = response
                    .body()
                    .as_ref()
                    .and_then(|b| serde_json::from_slice(b).ok())
                    .unwrap_or(Value::Null);
                Err(Refused { status, body })
            }
            Err(other) => panic!("websocket failed: {other}"),
        }
    }

    /// Sends a raw text frame.
    pub async fn send_text(&mut self, text: impl Into<String>) {
        let _ = self.socket.send(Message::Text(text.into().into())).await;
    }

    /// Sends a raw binary frame.
    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        let _ = self.socket.send(Message::Binary(bytes.into())).await;
    }

    /// Sends a message with the next request id and returns the id.
    pub async fn send(&mut self, mut message: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        message["id"] = json!(id);
        self.send_text(message.to_string()).await;
        id
    }

    /// Sends a message and waits for the server's `ack`, `answer` or `error` naming it.
    pub async fn request(&mut self, message: Value) -> Value {
        let id = self.send(message).await;
        self.next(|m| m["id"] == json!(id) && m["type"] != "state")
            .await
            .unwrap_or_else(|| panic!("no reply to request {id}"))
    }

    /// The next message (received now or earlier and not yet taken) that `wanted` accepts.
    /// `None` when the connection closed or `PATIENCE` ran out.
    pub async fn next(&mut self, wanted: impl Fn(&Value) -> bool) -> Option<Value> {
        self.next_within(PATIENCE, wanted).await
    }

    pub async fn next_within(
        &mut self,
        patience: Duration,
        wanted: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(at) = self.inbox.iter().position(&wanted) {
            return self.inbox.remove(at);
        }
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()?;
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("server sends JSON");
                    if wanted(&value) {
                        return Some(value);
                    }
                    self.inbox.push_back(value);
                }
                Some(Ok(Message::Close(frame))) => {
                    self.closed = Some(frame);
                    return None;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    self.closed.get_or_insert(None);
                    return None;
                }
            }
        }
    }

    /// The next message, whatever it is; `None` once the connection is closed.
    pub async fn recv(&mut self) -> Option<Value> {
        if let Some(message) = self.inbox.pop_front() {
            return Some(message);
        }
        loop {
            match self.socket.next().await {
                Some(Ok(Message::Text(text))) => {
                    return Some(serde_json::from_str(&text).expect("server sends JSON"));
                }
                Some(Ok(Message::Close(frame))) => {
                    self.closed = Some(frame);
                    return None;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    self.closed.get_or_insert(None);
                    return None;
                }
            }
        }
    }

    /// The next message of this type.
    pub async fn next_of(&mut self, kind: &str) -> Option<Value> {
        self.next(|m| m["type"] == kind).await
    }

    /// Waits until the member's latest state satisfies `condition`. Older states are stale: each
    /// state replaces the one before, so only the newest one counts.
    pub async fn state_where(&mut self, condition: impl Fn(&Value) -> bool) -> Value {
        let mut latest = None;
        self.inbox.retain(|m| {
            if m["type"] == "state" {
                latest = Some(m.clone());
                false
            } else {
                true
            }
        });
        if let Some(state) = latest.filter(|s| condition(s)) {
            return state;
        }
        self.next(|m| m["type"] == "state" && condition(m))
            .await
            .unwrap_or_else(|| panic!("no such state; inbox: {:?}", self.inbox))
    }

    /// Waits for the server to close the connection and returns its close code.
    pub async fn closed(&mut self) -> Option<u16> {
        while self.closed.is_none() {
            if self.next(|_| false).await.is_none() && self.closed.is_none() {
                return None;
            }
        }
        self.closed
            .as_ref()
            .and_then(|f| f.as_ref().map(|f| u16::from(f.code)))
    }

    /// Drops the connection without a goodbye, as a network failure would.
    pub fn cut(self) {
        drop(self);
    }

    /// Everything received and not yet taken.
    pub fn inbox(&self) -> &VecDeque<Value> {
        &self.inbox
    }
}
