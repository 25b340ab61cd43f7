//! The SFU: one WebRTC peer connection per peer, forwarding each publisher's RTP to exactly the
//! subscribers the routing table allows. It knows nothing of mediation: the live session tells
//! it, as a [`Routing`], who may receive whom, and it reconciles to that.
//!
//! One task owns all media state of a session ([`MediaSession::spawn`]); the live session talks
//! to it through a [`MediaHandle`] and hears from it through [`MediaEvent`]s. The forwarding hot
//! path runs in per-track and per-subscriber tasks: each subscriber of a track has its own
//! bounded queue that drops rather than stalls, and a gate that [`MediaHandle::set_routing`]
//! closes before it returns, so no packet is written to a subscriber after the routing said no.
//!
//! Layout: `session` is the task (commands, peers, reconciliation, negotiation), `peer` builds
//! a connection, `forward` is the hot path, `sdp` and `sequence` are pure helpers, `metrics`
//! the Prometheus figures. Nothing here logs an SDP or a candidate string above debug level:
//! they carry IP addresses.

mod forward;
pub mod keyframes;
mod metrics;
mod peer;
pub(crate) mod sdp;
mod sequence;
mod session;

pub use forward::hand_to_subscribers;
pub use metrics::{MediaMetrics, MediaMetricsSnapshot};

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use tokio::sync::{mpsc, oneshot};

/// An opaque name for one peer connection's owner, chosen by the caller. It is also the
/// MediaStream id under which that peer's media reaches the others, so that a client can tell
/// whose tiles it is showing (`stream.id`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PeerId(pub String);

/// Who may receive whom: for each publisher, the set of subscribers its media may reach. A
/// pair absent from the table is forbidden.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Routing(pub BTreeMap<PeerId, BTreeSet<PeerId>>);

/// A trickled ICE candidate, in the browser's JSON shape (`RTCIceCandidateInit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IceCandidate {
    pub candidate: String,
    #[serde(default)]
    pub sdp_mid: Option<String>,
    #[serde(default, rename = "sdpMLineIndex")]
    pub sdp_mline_index: Option<u16>,
}

/// Where media sockets bind and what address they advertise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaConfig {
    /// The address UDP sockets bind to (an explicit address: a wildcard skips loopback).
    pub bind_ip: IpAddr,
    /// Inclusive UDP port range for peer connections; `None` for ephemeral ports.
    pub port_range: Option<(u16, u16)>,
    /// The address written into our ICE candidates instead of `bind_ip` (behind 1:1 NAT).
    pub advertised_ip: Option<IpAddr>,
    /// Packets each subscriber's queue holds before it starts dropping.
    pub subscriber_queue: usize,
}

/// What the media task tells the live session.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaEvent {
    /// A local ICE candidate for `peer`'s connection, to trickle to that client.
    Candidate {
        peer: PeerId,
        candidate: IceCandidate,
    },
    /// A server-initiated (re)negotiation: send this offer to `peer`'s client and pass its
    /// answer to [`MediaHandle::answer`].
    Offer { peer: PeerId, sdp: String },
    /// `peer`'s connection is up (ICE and DTLS connected).
    Connected { peer: PeerId },
    /// `peer`'s connection failed or closed; its media is gone until it offers again.
    Disconnected { peer: PeerId },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// The SDP could not be parsed or applied.
    #[error("the session description is not acceptable: {0}")]
    BadSdp(String),
    /// An answer arrived while no offer of ours was outstanding.
    #[error("there is no offer to answer")]
    NoOfferPending,
    /// A candidate that does not belong to this connection or cannot be parsed.
    #[error("the ICE candidate is not acceptable: {0}")]
    BadCandidate(String),
    #[error("no peer connection for this peer")]
    UnknownPeer,
    /// No UDP port in the configured range could be bound.
    #[error("no media port is free")]
    NoPort,
    #[error("the media session has ended")]
    Closed,
    #[error("media failure: {0}")]
    Internal(String),
}

impl Routing {
    /// Whether `subscriber` may receive `publisher`'s media. Nobody receives their own.
    pub fn allows(&self, publisher: &PeerId, subscriber: &PeerId) -> bool {
        publisher != subscriber
            && self
                .0
                .get(publisher)
                .is_some_and(|subscribers| subscribers.contains(subscriber))
    }
}

/// The media side of one live session.
#[derive(Debug)]
pub struct MediaSession;

impl MediaSession {
    /// Starts the media task of one live session. It runs until [`MediaHandle::shutdown`] or
    /// until every handle is dropped, and closes all its connections on the way out.
    pub fn spawn(
        config: MediaConfig,
        metrics: MediaMetrics,
    ) -> (MediaHandle, mpsc::UnboundedReceiver<MediaEvent>) {
        let (commands, inbox) = mpsc::channel(64);
        let (events, events_rx) = mpsc::unbounded_channel();
        tokio::spawn(session::run(config, metrics, inbox, events));
        (MediaHandle { commands }, events_rx)
    }
}

/// Talks to a session's media task. Cheap to clone; every call waits for the task's answer.
#[derive(Debug, Clone)]
pub struct MediaHandle {
    commands: mpsc::Sender<session::Command>,
}

type Reply<T> = oneshot::Sender<Result<T, MediaError>>;

impl MediaHandle {
    async fn call<T>(
        &self,
        command: impl FnOnce(Reply<T>) -> session::Command,
    ) -> Result<T, MediaError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(command(reply))
            .await
            .map_err(|_| MediaError::Closed)?;
        answer.await.map_err(|_| MediaError::Closed)?
    }

    /// A client's offer for `peer`. Always builds a new peer connection for the peer, closing
    /// and replacing any previous one: that is how a client whose network dropped comes back.
    /// Returns the SDP answer, which receives the offer's m-lines; media for the client comes
    /// on m-lines of our own, offered later as [`MediaEvent::Offer`] once it is connected.
    /// An offer that does not parse is refused before the previous connection is touched.
    pub async fn offer(&self, peer: PeerId, sdp: String) -> Result<String, MediaError> {
        self.call(|reply| session::Command::Offer { peer, sdp, reply })
            .await
    }

    /// The client's answer to our last [`MediaEvent::Offer`] for this peer.
    /// `Err(NoOfferPending)` if none is outstanding. A bad answer leaves the offer outstanding.
    pub async fn answer(&self, peer: PeerId, sdp: String) -> Result<(), MediaError> {
        self.call(|reply| session::Command::Answer { peer, sdp, reply })
            .await
    }

    /// A trickled remote candidate. An empty `candidate` is the end of candidates (accepted
    /// and ignored). One for an m-line this connection does not have, or that does not parse,
    /// is `Err(BadCandidate)`.
    pub async fn candidate(&self, peer: PeerId, candidate: IceCandidate) -> Result<(), MediaError> {
        self.call(|reply| session::Command::Candidate {
            peer,
            candidate,
            reply,
        })
        .await
    }

    /// Replaces the routing table. Before this returns, every (publisher, subscriber) pair not
    /// in the table is gated shut: no packet of that publisher is handed to that subscriber's
    /// connection after the return, even if queued earlier. Newly allowed pairs are opened
    /// (adding the forwarded track to the subscriber's connection and renegotiating if needed)
    /// and the publisher is asked for a keyframe so that the subscriber's first frame comes
    /// fast.
    pub async fn set_routing(&self, routing: Routing) -> Result<(), MediaError> {
        self.call(|reply| session::Command::SetRouting { routing, reply })
            .await
    }

    /// Closes the peer's connection and forgets it, as publisher and as subscriber.
    pub async fn remove_peer(&self, peer: PeerId) {
        let _ = self
            .call(|reply| session::Command::RemovePeer { peer, reply })
            .await;
    }

    /// Closes every connection and ends the task.
    pub async fn shutdown(&self) {
        let _ = self
            .call(|reply| session::Command::Shutdown { reply })
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: &str) -> PeerId {
        PeerId(name.to_owned())
    }

    #[test]
    fn routing_allows_only_listed_pairs_and_never_oneself() {
        let mut table = BTreeMap::new();
        table.insert(id("a"), BTreeSet::from([id("a"), id("b")]));
        let routing = Routing(table);
        assert!(routing.allows(&id("a"), &id("b")));
        assert!(!routing.allows(&id("b"), &id("a")));
        assert!(!routing.allows(&id("a"), &id("a")));
        assert!(!routing.allows(&id("c"), &id("b")));
    }

    #[tokio::test]
    async fn a_handle_to_a_finished_session_says_closed() {
        let config = MediaConfig {
            bind_ip: IpAddr::from([127, 0, 0, 1]),
            port_range: None,
            advertised_ip: None,
            subscriber_queue: 8,
        };
        let (handle, _events) = MediaSession::spawn(config, MediaMetrics::default());
        handle.shutdown().await;
        assert_eq!(
            handle.set_routing(Routing::default()).await,
            Err(MediaError::Closed)
        );
        assert_eq!(
            handle.answer(id("a"), String::new()).await,
            Err(MediaError::Closed)
        );
    }
}
