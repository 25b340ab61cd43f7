//! The media task of one session, the only owner of its media state: the peers and their
//! connections, what each publishes and what is forwarded to each, the routing table, and each
//! connection's negotiation state. Commands come from [`super::MediaHandle`]; connection events
//! come from the handlers built in [`super::peer`]. Packets never pass through here: the task
//! only sets up, gates and tears down the forwarding in [`super::forward`].

mod negotiation;

use super::forward::{Forwarder, Published, Source};
use super::metrics::{FirstMedia, MediaMetrics, OpenConnection};
use super::peer::{self, ConnectionEvent, Tagged};
use super::sdp;
use super::{IceCandidate, MediaConfig, MediaError, MediaEvent, PeerId, Reply, Routing};
use negotiation::{advertise, answer_offer};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;
use webrtc::media_stream::track_remote::TrackRemote;
use webrtc::peer_connection::{
    PeerConnection, RTCIceCandidate, RTCIceCandidateInit, RTCPeerConnectionState,
    RTCSessionDescription,
};

pub(crate) enum Command {
    Offer {
        peer: PeerId,
        sdp: String,
        reply: Reply<String>,
    },
    Answer {
        peer: PeerId,
        sdp: String,
        reply: Reply<()>,
    },
    Candidate {
        peer: PeerId,
        candidate: IceCandidate,
        reply: Reply<()>,
    },
    SetRouting {
        routing: Routing,
        reply: Reply<()>,
    },
    RemovePeer {
        peer: PeerId,
        reply: Reply<()>,
    },
    Shutdown {
        reply: Reply<()>,
    },
}

pub(crate) async fn run(
    config: MediaConfig,
    metrics: MediaMetrics,
    mut commands: mpsc::Receiver<Command>,
    events: mpsc::UnboundedSender<MediaEvent>,
) {
    let (connection_events, mut inbox) = mpsc::unbounded_channel();
    let mut session = Session {
        config,
        metrics,
        events,
        connection_events,
        peers: BTreeMap::new(),
        routing: Routing::default(),
        next_id: 0,
        port_cursor: 0,
    };
    // Retries what may have failed for a moment: an offer that could not be made, or one the
    // client seems never to have had.
    let mut watchdog = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = watchdog.tick() => session.resend_stale_offers(),
            command = commands.recv() => match command {
                Some(Command::Shutdown { reply }) => {
                    session.close_all().await;
                    let _ = reply.send(Ok(()));
                    break;
                }
                Some(command) => session.command(command).await,
                None => break,
            },
            Some(event) = inbox.recv() => session.connection_event(event).await,
        }
        session.negotiate().await;
    }
    session.close_all().await;
}

struct Session {
    config: MediaConfig,
    metrics: MediaMetrics,
    events: mpsc::UnboundedSender<MediaEvent>,
    connection_events: mpsc::UnboundedSender<Tagged>,
    peers: BTreeMap<PeerId, Peer>,
    routing: Routing,
    /// Source of connection generations, published-track and forwarder ids.
    next_id: u64,
    port_cursor: u16,
}

struct Peer {
    connection: Arc<dyn PeerConnection>,
    generation: u64,
    _open: OpenConnection,
    /// ICE and DTLS are up, so the client has applied our answer and can take our offers.
    connected: bool,
    offer_outstanding: bool,
    /// The offer outstanding and when it was last sent, to send it again if the client seems
    /// not to have had it.
    last_offer: Option<(String, tokio::time::Instant)>,
    /// Forwarded tracks were added or removed since the last offer.
    needs_offer: bool,
    /// The m-line our trickled candidates name (the BUNDLE transport's).
    first_mid: Option<String>,
    /// Every local description re-runs gathering; each candidate is sent once.
    sent_candidates: HashSet<String>,
    published: Vec<Published>,
    forwarders: Vec<Forwarder>,
    first_media: Arc<FirstMedia>,
}

/// A loggable name for an error, free of anything the client sent.
fn reason(error: &MediaError) -> &'static str {
    match error {
        MediaError::BadSdp(_) => "bad_sdp",
        MediaError::NoOfferPending => "no_offer_pending",
        MediaError::BadCandidate(_) => "bad_candidate",
        MediaError::UnknownPeer => "unknown_peer",
        MediaError::NoPort => "no_port",
        MediaError::Closed => "closed",
        MediaError::Internal(_) => "internal",
    }
}

fn bad_sdp(error: webrtc::error::Error) -> MediaError {
    MediaError::BadSdp(error.to_string())
}

fn internal(error: webrtc::error::Error) -> MediaError {
    MediaError::Internal(error.to_string())
}

impl Session {
    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn emit(&self, event: MediaEvent) {
        // A live session that has stopped listening is shutting us down anyway.
        let _ = self.events.send(event);
    }

    async fn command(&mut self, command: Command) {
        match command {
            Command::Offer { peer, sdp, reply } => {
                let _ = reply.send(self.offer(peer, sdp).await);
            }
            Command::Answer { peer, sdp, reply } => {
                let _ = reply.send(self.answer(peer, sdp).await);
            }
            Command::Candidate {
                peer,
                candidate,
                reply,
            } => {
                let _ = reply.send(self.candidate(peer, candidate).await);
            }
            Command::SetRouting { routing, reply } => {
                self.set_routing(routing).await;
                let _ = reply.send(Ok(()));
            }
            Command::RemovePeer { peer, reply } => {
                self.remove_peer(&peer).await;
                let _ = reply.send(Ok(()));
            }
            Command::Shutdown { reply } => {
                self.close_all().await;
                let _ = reply.send(Ok(()));
            }
        }
    }

    #[tracing::instrument(skip_all, fields(peer = %peer.0))]
    async fn offer(&mut self, peer: PeerId, sdp: String) -> Result<String, MediaError> {
        let started = Instant::now();
        // Parse before touching anything: a garbage offer leaves the current connection be.
        let offer = RTCSessionDescription::offer(sdp).map_err(bad_sdp)?;
        if let Some(old) = self.peers.remove(&peer) {
            tracing::info!("the peer offers again: replacing its connection");
            close(old).await;
        }
        let result = self.connect(&peer, offer, started).await;
        // Forward to the new connection what it may receive; drop what the old one published.
        self.reconcile().await;
        match &result {
            Ok(_) => tracing::info!(elapsed_ms = started.elapsed().as_millis(), "answered"),
            Err(error) => {
                // The crate's SDP errors can quote pieces of the SDP: details at debug only.
                tracing::warn!(reason = reason(error), "offer refused");
                tracing::debug!(%error, "offer refused");
            }
        }
        result
    }

    async fn connect(
        &mut self,
        peer: &PeerId,
        offer: RTCSessionDescription,
        started: Instant,
    ) -> Result<String, MediaError> {
        let generation = self.next_id();
        let connection = peer::build(
            &self.config,
            &mut self.port_cursor,
            peer.clone(),
            generation,
            self.connection_events.clone(),
        )
        .await?;
        let open = self.metrics.open_connection();
        let answer = match answer_offer(&connection, offer).await {
            Ok(answer) => answer,
            Err(error) => {
                let _ = connection.close().await;
                return Err(error);
            }
        };
        let first_mid = sdp::media_mids(&answer).into_iter().flatten().next();
        self.peers.insert(
            peer.clone(),
            Peer {
                connection,
                generation,
                _open: open,
                connected: false,
                offer_outstanding: false,
                last_offer: None,
                needs_offer: false,
                first_mid,
                sent_candidates: HashSet::new(),
                published: Vec::new(),
                forwarders: Vec::new(),
                first_media: Arc::new(FirstMedia::new(started, self.metrics.clone())),
            },
        );
        Ok(advertise(&self.config, answer))
    }

    #[tracing::instrument(skip_all, fields(peer = %peer.0))]
    async fn answer(&mut self, peer: PeerId, sdp: String) -> Result<(), MediaError> {
        let entry = self.peers.get_mut(&peer).ok_or(MediaError::UnknownPeer)?;
        if !entry.offer_outstanding {
            return Err(MediaError::NoOfferPending);
        }
        let answer = RTCSessionDescription::answer(sdp).map_err(bad_sdp)?;
        entry
            .connection
            .set_remote_description(answer)
            .await
            .map_err(bad_sdp)?;
        entry.offer_outstanding = false;
        entry.last_offer = None;
        // A payload type is only known once the forwarder's m-line has been negotiated:
        // refresh those that were in the offer just answered, not those added since.
        for forwarder in entry.forwarders.iter().filter(|f| f.offered) {
            forwarder.refresh_payload_type().await;
        }
        tracing::debug!(forwarded = entry.forwarders.len(), "answer applied");
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(peer = %peer.0))]
    async fn candidate(&mut self, peer: PeerId, candidate: IceCandidate) -> Result<(), MediaError> {
        let entry = self.peers.get(&peer).ok_or(MediaError::UnknownPeer)?;
        if candidate.candidate.trim().is_empty() {
            return Ok(()); // end of candidates
        }
        let remote = entry
            .connection
            .remote_description()
            .await
            .ok_or_else(|| MediaError::BadCandidate("no remote description".into()))?;
        let mid = candidate.sdp_mid.as_deref();
        if !sdp::candidate_fits(&remote.sdp, mid, candidate.sdp_mline_index) {
            return Err(MediaError::BadCandidate("no such m-line".into()));
        }
        let kind = sdp::candidate_type(&candidate.candidate);
        tracing::debug!(kind, "remote candidate");
        entry
            .connection
            .add_ice_candidate(RTCIceCandidateInit {
                candidate: candidate.candidate,
                sdp_mid: candidate.sdp_mid,
                sdp_mline_index: candidate.sdp_mline_index,
                ..Default::default()
            })
            .await
            .map_err(|e| MediaError::BadCandidate(e.to_string()))
    }

    #[tracing::instrument(skip_all, fields(publishers = routing.0.len()))]
    async fn set_routing(&mut self, routing: Routing) {
        self.routing = routing;
        self.reconcile().await;
    }

    #[tracing::instrument(skip_all, fields(peer = %peer.0))]
    async fn remove_peer(&mut self, peer: &PeerId) {
        if let Some(entry) = self.peers.remove(peer) {
            close(entry).await;
            self.reconcile().await;
            tracing::info!("peer removed");
        }
    }

    async fn close_all(&mut self) {
        for (_, peer) in std::mem::take(&mut self.peers) {
            close(peer).await;
        }
    }

    #[tracing::instrument(skip_all, fields(peer = %tagged.peer.0, generation = tagged.generation))]
    async fn connection_event(&mut self, tagged: Tagged) {
        let Tagged {
            peer,
            generation,
            event,
        } = tagged;
        match self.peers.get(&peer) {
            Some(entry) if entry.generation == generation => {}
            _ => return, // from a connection that has since been replaced or removed
        }
        match event {
            ConnectionEvent::Candidate(candidate) => self.local_candidate(peer, candidate),
            ConnectionEvent::State(state) => self.state_change(peer, state).await,
            ConnectionEvent::Track(track) => self.learn_source(peer, generation, track),
            ConnectionEvent::Learned(track, source) => self.publish(peer, track, source).await,
        }
    }

    async fn publish(&mut self, peer: PeerId, track: Arc<dyn TrackRemote>, source: Source) {
        let id = self.next_id();
        let published =
            Published::start(id, peer.clone(), track, source, self.metrics.clone()).await;
        tracing::info!(track = id, "publishing");
        if let Some(entry) = self.peers.get_mut(&peer) {
            entry.published.push(published);
        }
        self.reconcile().await;
    }

    /// A track was announced: learn where its packets come from and their codec from its first
    /// packet (see [`Source::from_first_packet`]), without holding up this task, then publish.
    fn learn_source(&self, peer: PeerId, generation: u64, track: Arc<dyn TrackRemote>) {
        /// The first packet is already on its way when a track is announced; a track that
        /// sends none for this long is not worth forwarding.
        const PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);
        let Some(entry) = self.peers.get(&peer) else {
            return;
        };
        let connection = entry.connection.clone();
        let events = self.connection_events.clone();
        tokio::spawn(async move {
            let learning = Source::from_first_packet(&connection, &track);
            match tokio::time::timeout(PATIENCE, learning).await {
                Ok(Some(source)) => {
                    let _ = events.send(Tagged {
                        peer,
                        generation,
                        event: ConnectionEvent::Learned(track, source),
                    });
                }
                _ => tracing::warn!("a track whose codec could not be learned"),
            }
        });
    }

    fn local_candidate(&mut self, peer: PeerId, candidate: RTCIceCandidate) {
        let Ok(init) = candidate.to_json() else {
            return;
        };
        let text = match self.config.advertised_ip {
            Some(advertised) => {
                sdp::rewrite_candidate(&init.candidate, self.config.bind_ip, advertised)
            }
            None => init.candidate,
        };
        let Some(entry) = self.peers.get_mut(&peer) else {
            return;
        };
        if !entry.sent_candidates.insert(text.clone()) {
            return;
        }
        tracing::debug!(kind = sdp::candidate_type(&text), "local candidate");
        let candidate = IceCandidate {
            candidate: text,
            sdp_mid: entry.first_mid.clone(),
            sdp_mline_index: Some(0),
        };
        self.emit(MediaEvent::Candidate { peer, candidate });
    }

    async fn state_change(&mut self, peer: PeerId, state: RTCPeerConnectionState) {
        tracing::info!(%state, "connection state");
        match state {
            RTCPeerConnectionState::Connected => {
                if let Some(entry) = self.peers.get_mut(&peer) {
                    entry.connected = true;
                }
                self.emit(MediaEvent::Connected { peer });
            }
            RTCPeerConnectionState::Failed | RTCPeerConnectionState::Closed => {
                if let Some(entry) = self.peers.remove(&peer) {
                    close(entry).await;
                    self.reconcile().await;
                }
                self.emit(MediaEvent::Disconnected { peer });
            }
            _ => {}
        }
    }
}

/// Closes a peer's connection; dropping the entry then stops its readers and writers.
async fn close(peer: Peer) {
    if let Err(error) = peer.connection.close().await {
        tracing::debug!(%error, "closing a connection");
    }
}
