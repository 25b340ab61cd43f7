//! A Janus API client over one WebSocket (`janus-protocol`), as janus.js speaks it: each
//! request carries a transaction, and everything Janus sends back about it (an `ack`, then a
//! `success` or an asynchronous `event`) comes to the one who asked; events about a handle
//! that answer no request (a new publisher in the room) go to that handle's inbox.

use anyhow::{bail, Context as _};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

/// How long Janus may take to answer a request, media negotiation included.
pub(crate) const PATIENCE: Duration = Duration::from_secs(15);

type Inboxes<K> = Arc<Mutex<HashMap<K, mpsc::UnboundedSender<Value>>>>;

#[derive(Debug)]
pub(crate) struct Connection {
    outgoing: mpsc::UnboundedSender<Message>,
    transactions: Inboxes<String>,
    handles: Inboxes<u64>,
    next: AtomicU64,
    session: AtomicU64,
    tasks: [tokio::task::JoinHandle<()>; 2],
}

impl Drop for Connection {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// A plugin handle's inbox of unsolicited events.
pub(crate) type Events = mpsc::UnboundedReceiver<Value>;

impl Connection {
    pub(crate) async fn open(url: &str) -> anyhow::Result<Connection> {
        let mut request = url.into_client_request()?;
        request.headers_mut().insert(
            "sec-websocket-protocol",
            HeaderValue::from_static("janus-protocol"),
        );
        let (socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .with_context(|| format!("connecting to Janus at {url}"))?;
        let (mut sink, mut stream) = socket.split();
        let (outgoing, mut to_send) = mpsc::unbounded_channel::<Message>();
        let writer = tokio::spawn(async move {
            while let Some(message) = to_send.recv().await {
                if sink.send(message).await.is_err() {
                    break;
                }
            }
        });
        let transactions: Inboxes<String> = Arc::default();
        let handles: Inboxes<u64> = Arc::default();
        let reader = {
            let (transactions, handles) = (transactions.clone(), handles.clone());
            tokio::spawn(async move {
                while let Some(Ok(message)) = stream.next().await {
                    let Message::Text(text) = message else {
                        continue;
                    };
                    let Ok(value) = serde_json::from_str::<Value>(&text) else {
                        continue;
                    };
                    dispatch(value, &transactions, &handles);
                }
            })
        };
        Ok(Connection {
            outgoing,
            transactions,
            handles,
            next: AtomicU64::new(1),
            session: AtomicU64::new(0),
            tasks: [writer, reader],
        })
    }

    /// Sends `message` (with the session and a fresh transaction) and returns the inbox of
    /// everything Janus says about it.
    pub(crate) fn send(&self, mut message: Value) -> Events {
        let transaction = format!("t{}", self.next.fetch_add(1, Ordering::Relaxed));
        let (inbox, replies) = mpsc::unbounded_channel();
        lock(&self.transactions).insert(transaction.clone(), inbox);
        message["transaction"] = json!(transaction);
        let session = self.session.load(Ordering::Relaxed);
        if session != 0 {
            message["session_id"] = json!(session);
        }
        let _ = self
            .outgoing
            .send(Message::Text(message.to_string().into()));
        replies
    }

    /// Sends `message` and returns Janus's first answer that is not an `ack`.
    pub(crate) async fn call(&self, message: Value) -> anyhow::Result<Value> {
        let mut replies = self.send(message);
        next_reply(&mut replies).await
    }

    /// Creates the Janus session this connection works in.
    pub(crate) async fn create_session(&self) -> anyhow::Result<()> {
        let reply = self.call(json!({"janus": "create"})).await?;
        let id = reply["data"]["id"].as_u64().context("a session id")?;
        self.session.store(id, Ordering::Relaxed);
        Ok(())
    }

    /// Attaches to the VideoRoom plugin; returns the handle and its event inbox.
    pub(crate) async fn attach(&self) -> anyhow::Result<(u64, Events)> {
        let reply = self
            .call(json!({"janus": "attach", "plugin": "janus.plugin.videoroom"}))
            .await?;
        let handle = reply["data"]["id"].as_u64().context("a handle id")?;
        let (inbox, events) = mpsc::unbounded_channel();
        lock(&self.handles).insert(handle, inbox);
        Ok((handle, events))
    }

    /// A VideoRoom request on `handle`, with an SDP if given.
    pub(crate) fn message(&self, handle: u64, body: Value, jsep: Option<Value>) -> Events {
        let mut message = json!({"janus": "message", "handle_id": handle, "body": body});
        if let Some(jsep) = jsep {
            message["jsep"] = jsep;
        }
        self.send(message)
    }

    /// A trickled ICE candidate for `handle`'s connection.
    pub(crate) fn trickle(&self, handle: u64, candidate: Value) {
        drop(self.send(json!({"janus": "trickle", "handle_id": handle, "candidate": candidate})));
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn dispatch(value: Value, transactions: &Inboxes<String>, handles: &Inboxes<u64>) {
    if let Some(transaction) = value["transaction"].as_str().map(str::to_owned) {
        let mut transactions = lock(transactions);
        if let Some(inbox) = transactions.get(&transaction) {
            if inbox.send(value).is_err() {
                // Nobody listens any more: forget the transaction.
                transactions.remove(&transaction);
            }
            return;
        }
    }
    if let Some(sender) = value["sender"].as_u64() {
        if let Some(inbox) = lock(handles).get(&sender) {
            let _ = inbox.send(value);
        }
    }
}

/// The next reply that is not an `ack`; an error if Janus or the plugin refused.
pub(crate) async fn next_reply(replies: &mut Events) -> anyhow::Result<Value> {
    loop {
        let reply = tokio::time::timeout(PATIENCE, replies.recv())
            .await
            .context("Janus did not answer in time")?
            .context("the connection to Janus closed")?;
        match reply["janus"].as_str() {
            Some("ack") => continue,
            Some("error") => bail!("Janus refused: {}", reply["error"]),
            _ => {}
        }
        let data = &reply["plugindata"]["data"];
        if data.get("error").is_some() {
            bail!("the VideoRoom refused: {data}");
        }
        return Ok(reply);
    }
}
