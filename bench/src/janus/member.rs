//! One participant in a Janus VideoRoom, as the VideoRoom demo joins: a WebSocket of its own,
//! a publisher handle that publishes the same load an Accord participant does, and a
//! subscriber handle (one peer connection) that subscribes to each other publisher as soon as
//! the room announces it.

use super::client::{next_reply, Connection, Events, PATIENCE};
use crate::measure::Participant;
use crate::netns;
use accord_tests::peer::{Load, PeerEvent, TestPeer};
use anyhow::Context as _;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// A joined participant's connections; dropping it hangs up.
#[derive(Debug)]
pub(crate) struct JanusMember {
    _connection: Arc<Connection>,
    peers: [Arc<TestPeer>; 2],
    tasks: Vec<JoinHandle<()>>,
}

impl JanusMember {
    pub(crate) async fn close(self) {
        for task in &self.tasks {
            task.abort();
        }
        for peer in &self.peers {
            peer.close().await;
        }
    }
}

/// The publisher ids a VideoRoom event names.
fn publishers(event: &Value) -> Vec<u64> {
    event["plugindata"]["data"]["publishers"]
        .as_array()
        .map(|list| list.iter().filter_map(|p| p["id"].as_u64()).collect())
        .unwrap_or_default()
}

fn sdp_of(reply: &Value) -> anyhow::Result<String> {
    reply["jsep"]["sdp"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no SDP in {reply}"))
}

/// Hands a peer's local candidates to Janus for `handle`. Janus bundles everything on one
/// transport, so the first m-line stands for all.
async fn trickle(
    connection: Arc<Connection>,
    handle: u64,
    mut events: mpsc::UnboundedReceiver<PeerEvent>,
) {
    while let Some(event) = events.recv().await {
        if let PeerEvent::Candidate(candidate) = event {
            connection.trickle(
                handle,
                json!({"candidate": candidate.candidate, "sdpMid": "0", "sdpMLineIndex": 0}),
            );
        }
    }
}

/// Joins `room` as `name`, publishes `load`, and returns once subscribed to `others` other
/// publishers.
pub(crate) async fn join(
    url: &str,
    room: u64,
    name: &str,
    others: usize,
    load: Load,
) -> anyhow::Result<(Participant, JanusMember)> {
    let started = Instant::now();
    let connection = Arc::new(Connection::open(url).await?);
    connection.create_session().await?;
    let (publishing, mut room_events) = connection.attach().await?;
    let (subscribing, _) = connection.attach().await?;
    let mut tasks = Vec::new();

    let joined = next_reply(&mut connection.message(
        publishing,
        json!({"request": "join", "ptype": "publisher", "room": room, "display": name}),
        None,
    ))
    .await?;
    let mut feeds: BTreeSet<u64> = publishers(&joined).into_iter().collect();

    let (publisher, events) = Box::pin(TestPeer::bound_to(name, Some(load), netns::PEER_IP)).await;
    let offer = publisher.offer().await;
    let mut replies = connection.message(
        publishing,
        json!({"request": "publish", "audio": true, "video": true}),
        Some(json!({"type": "offer", "sdp": offer})),
    );
    tasks.push(tokio::spawn(trickle(
        connection.clone(),
        publishing,
        events,
    )));
    let answer = sdp_of(&next_reply(&mut replies).await?)?;
    publisher
        .apply_answer(&answer)
        .await
        .map_err(anyhow::Error::msg)?;
    publisher
        .wait_connected(PATIENCE)
        .await
        .map_err(anyhow::Error::msg)?;
    publisher.start_publishing();

    let (receiver, events) = Box::pin(TestPeer::bound_to(
        &format!("{name}-in"),
        None,
        netns::PEER_IP,
    ))
    .await;
    tasks.push(tokio::spawn(trickle(
        connection.clone(),
        subscribing,
        events,
    )));
    let mut subscribed = BTreeSet::new();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while subscribed.len() < others {
        let new: Vec<u64> = feeds.difference(&subscribed).copied().collect();
        if new.is_empty() {
            let event = tokio::time::timeout_at(deadline, room_events.recv())
                .await
                .context("the room announced too few publishers in time")?
                .context("the connection to Janus closed")?;
            feeds.extend(publishers(&event));
            continue;
        }
        subscribe(
            &connection,
            subscribing,
            room,
            &new,
            !subscribed.is_empty(),
            &receiver,
        )
        .await?;
        subscribed.extend(new);
    }
    let participant = Participant {
        started,
        publisher: publisher.clone(),
        receiver: receiver.clone(),
    };
    let member = JanusMember {
        _connection: connection,
        peers: [publisher, receiver],
        tasks,
    };
    Ok((participant, member))
}

/// Adds `feeds` to the subscriber connection: the first time by joining as a subscriber, then
/// by updating the subscription. Either way Janus offers and we answer with `start`.
async fn subscribe(
    connection: &Connection,
    handle: u64,
    room: u64,
    feeds: &[u64],
    update: bool,
    receiver: &TestPeer,
) -> anyhow::Result<()> {
    let streams: Vec<Value> = feeds.iter().map(|feed| json!({"feed": feed})).collect();
    let body = if update {
        json!({"request": "subscribe", "streams": streams})
    } else {
        json!({"request": "join", "ptype": "subscriber", "room": room, "streams": streams})
    };
    let offered = next_reply(&mut connection.message(handle, body, None)).await?;
    let answer = receiver
        .handle_offer(&sdp_of(&offered)?)
        .await
        .map_err(anyhow::Error::msg)?;
    let mut started: Events = connection.message(
        handle,
        json!({"request": "start"}),
        Some(json!({"type": "answer", "sdp": answer})),
    );
    next_reply(&mut started).await?;
    Ok(())
}
