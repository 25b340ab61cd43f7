//! A WebRTC test peer in Rust, on the same `webrtc` crate as the server: it offers sendrecv
//! Opus audio and VP8 video bound to 127.0.0.1, publishes synthetic RTP at realistic rates
//! (`media`), answers the server's renegotiation offers, and counts the RTP it receives per
//! remote MediaStream id (the server names forwarded streams after their publisher's `PeerId`).
//! Its payloads carry their send time, so that a benchmark can measure loss and latency
//! (`probe`).
//!
//! It knows nothing of signalling: a test moves its offers, answers and candidates, over a
//! WebSocket or straight to a `MediaHandle`.

mod media;
mod probe;

pub use media::{Load, AUDIO_SSRC, VIDEO_SSRC};
pub use probe::{now_us, Measured};

use accord::media::keyframes::is_keyframe_request;
use accord::media::IceCandidate;
use media::Outgoing;
use rtc::interceptor::Registry;
use rtc::media_stream::MediaStreamTrack;
use rtc::peer_connection::configuration::interceptor_registry::register_default_interceptors;
use rtc::peer_connection::configuration::media_engine::{MIME_TYPE_OPUS, MIME_TYPE_VP8};
use rtc::peer_connection::configuration::setting_engine::SettingEngineBuilder;
use rtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use rtc::rtp_transceiver::rtp_sender::{
    RTCRtpCodec, RTCRtpCodingParameters, RTCRtpEncodingParameters, RtpCodecKind,
};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, watch, Notify};
use tokio::task::JoinHandle;
use webrtc::media_stream::track_local::static_rtp::TrackLocalStaticRTP;
use webrtc::media_stream::track_local::{TrackLocal, TrackLocalEvent};
use webrtc::media_stream::track_remote::{TrackRemote, TrackRemoteEvent};
use webrtc::peer_connection::{
    PeerConnection, PeerConnectionBuilder, PeerConnectionEventHandler, RTCConfigurationBuilder,
    RTCIceCandidateInit, RTCPeerConnectionIceEvent, RTCPeerConnectionState, RTCSessionDescription,
};

/// What the peer's connection reports, for the test to route.
#[derive(Debug, Clone)]
pub enum PeerEvent {
    /// A local candidate to hand to the server.
    Candidate(IceCandidate),
    State(RTCPeerConnectionState),
}

/// Packets received from one publisher (one remote MediaStream id) since the last reset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Received {
    pub audio: u64,
    pub video: u64,
    pub bytes: u64,
    pub first_at: Option<Instant>,
}

impl Received {
    pub fn packets(&self) -> u64 {
        self.audio + self.video
    }
}

struct Shared {
    counts: Mutex<HashMap<String, Received>>,
    changed: Notify,
    keyframe_requests: AtomicU64,
    keyframe_wanted: AtomicBool,
    /// Received video tracks by MediaStream id, to send keyframe requests on.
    videos: Mutex<HashMap<String, Arc<dyn TrackRemote>>>,
    /// Server candidates that came before a remote description; `None` once there is one.
    pending_candidates: tokio::sync::Mutex<Option<Vec<IceCandidate>>>,
    probe: probe::Probe,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            counts: Mutex::default(),
            changed: Notify::new(),
            keyframe_requests: AtomicU64::new(0),
            keyframe_wanted: AtomicBool::new(false),
            videos: Mutex::default(),
            pending_candidates: tokio::sync::Mutex::new(Some(Vec::new())),
            probe: probe::Probe::default(),
        }
    }
}

impl Shared {
    fn count(&self, stream: &str, kind: RtpCodecKind, payload: &[u8]) {
        self.probe.received(payload);
        let bytes = payload.len();
        {
            let mut counts = self.counts.lock().unwrap();
            let received = counts.entry(stream.to_owned()).or_default();
            match kind {
                RtpCodecKind::Audio => received.audio += 1,
                _ => received.video += 1,
            }
            received.bytes += bytes as u64;
            received.first_at.get_or_insert_with(Instant::now);
        }
        self.changed.notify_waiters();
    }
}

struct Handler {
    events: mpsc::UnboundedSender<PeerEvent>,
    state: watch::Sender<RTCPeerConnectionState>,
    shared: Arc<Shared>,
}

#[async_trait::async_trait]
impl PeerConnectionEventHandler for Handler {
    async fn on_ice_candidate(&self, event: RTCPeerConnectionIceEvent) {
        if let Ok(init) = event.candidate.to_json() {
            let _ = self.events.send(PeerEvent::Candidate(IceCandidate {
                candidate: init.candidate,
                sdp_mid: None,
                sdp_mline_index: Some(0),
            }));
        }
    }

    async fn on_connection_state_change(&self, state: RTCPeerConnectionState) {
        self.state.send_replace(state);
        let _ = self.events.send(PeerEvent::State(state));
    }

    async fn on_track(&self, track: Arc<dyn TrackRemote>) {
        let shared = self.shared.clone();
        // Spawned, not polled here: this callback runs on the connection's driver.
        tokio::spawn(async move {
            let stream = track.stream_id().await;
            let kind = track.kind().await;
            if kind == RtpCodecKind::Video {
                let mut videos = shared.videos.lock().unwrap();
                videos.insert(stream.clone(), track.clone());
            }
            while let Some(event) = track.poll().await {
                if let TrackRemoteEvent::OnRtpPacket(packet) = event {
                    shared.count(&stream, kind, &packet.payload);
                }
            }
        });
    }
}

/// One test participant's WebRTC side.
pub struct TestPeer {
    pub name: String,
    connection: Arc<dyn PeerConnection>,
    /// Audio and video tracks, and what to send on them; none for a receive-only peer.
    publishing: Option<(Outgoing, Outgoing, Load)>,
    state: watch::Receiver<RTCPeerConnectionState>,
    shared: Arc<Shared>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl std::fmt::Debug for TestPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestPeer")
            .field("name", &self.name)
            .finish()
    }
}

fn local_track(
    kind: RtpCodecKind,
    name: &str,
    ssrc: u32,
    codec: RTCRtpCodec,
) -> Arc<TrackLocalStaticRTP> {
    Arc::new(TrackLocalStaticRTP::new(MediaStreamTrack::new(
        format!("{name}-stream"),
        format!("{name}-{kind}"),
        format!("{name}-{kind}"),
        kind,
        vec![RTCRtpEncodingParameters {
            rtp_coding_parameters: RTCRtpCodingParameters {
                ssrc: Some(ssrc),
                ..Default::default()
            },
            codec,
            ..Default::default()
        }],
    )))
}

/// Opus and VP8 tracks on `connection`, as a browser's camera and microphone.
async fn add_tracks(connection: &Arc<dyn PeerConnection>, name: &str) -> (Outgoing, Outgoing) {
    let audio = local_track(
        RtpCodecKind::Audio,
        name,
        AUDIO_SSRC,
        RTCRtpCodec {
            mime_type: MIME_TYPE_OPUS.into(),
            clock_rate: 48000,
            channels: 2,
            ..Default::default()
        },
    );
    let video = local_track(
        RtpCodecKind::Video,
        name,
        VIDEO_SSRC,
        RTCRtpCodec {
            mime_type: MIME_TYPE_VP8.into(),
            clock_rate: 90000,
            ..Default::default()
        },
    );
    let mut outgoing = Vec::new();
    for track in [audio, video] {
        let sender = connection
            .add_track(track.clone() as Arc<dyn TrackLocal>)
            .await
            .unwrap();
        outgoing.push(Outgoing { track, sender });
    }
    let video = outgoing.pop().unwrap();
    let audio = outgoing.pop().unwrap();
    (audio, video)
}

impl TestPeer {
    /// A new peer with its own connection on 127.0.0.1, and the receiver of its events.
    pub async fn new(name: &str) -> (Arc<TestPeer>, mpsc::UnboundedReceiver<PeerEvent>) {
        Self::with_load(name, Some(Load::TESTS)).await
    }

    /// A peer that publishes `load`, or with `None` only receives (as a subscriber connection
    /// of an SFU that uses one connection each way).
    pub async fn with_load(
        name: &str,
        load: Option<Load>,
    ) -> (Arc<TestPeer>, mpsc::UnboundedReceiver<PeerEvent>) {
        Self::bound_to(name, load, IpAddr::from([127, 0, 0, 1])).await
    }

    /// A peer as [`Self::with_load`] makes it, its socket bound to `ip`: for a server whose ICE
    /// agent will not pair with a loopback address (libnice's, in Janus).
    pub async fn bound_to(
        name: &str,
        load: Option<Load>,
        ip: IpAddr,
    ) -> (Arc<TestPeer>, mpsc::UnboundedReceiver<PeerEvent>) {
        let (events, events_rx) = mpsc::unbounded_channel();
        let (state_tx, state) = watch::channel(RTCPeerConnectionState::New);
        let shared = Arc::new(Shared::default());
        let mut media_engine = media::media_engine();
        let registry = register_default_interceptors(Registry::new(), &mut media_engine).unwrap();
        let registry = accord::media::keyframes::delivered_to_app(registry);
        let settings = SettingEngineBuilder::new()
            .with_multicast_dns_mode(rtc::ice::mdns::MulticastDnsMode::Disabled)
            .build();
        let connection: Arc<dyn PeerConnection> = Arc::new(
            PeerConnectionBuilder::new()
                .with_configuration(RTCConfigurationBuilder::new().build())
                .with_media_engine(media_engine)
                .with_setting_engine(settings)
                .with_interceptor_registry(registry)
                .with_handler(Arc::new(Handler {
                    events,
                    state: state_tx,
                    shared: shared.clone(),
                }))
                .with_udp_addrs(vec![SocketAddr::new(ip, 0).to_string()])
                .build()
                .await
                .unwrap(),
        );
        let mut tasks = Vec::new();
        let publishing = match load {
            Some(load) => {
                let (audio, video) = add_tracks(&connection, name).await;
                tasks.push(tokio::spawn(watch_keyframe_requests(
                    video.track.clone(),
                    shared.clone(),
                )));
                Some((audio, video, load))
            }
            None => None,
        };
        let peer = Arc::new(TestPeer {
            name: name.to_owned(),
            connection,
            publishing,
            state,
            shared,
            tasks: Mutex::new(tasks),
        });
        (peer, events_rx)
    }

    /// Our offer: sendrecv audio and video, as a browser makes it.
    pub async fn offer(&self) -> String {
        let offer = self.connection.create_offer(None).await.unwrap();
        self.connection.set_local_description(offer).await.unwrap();
        self.connection.local_description().await.unwrap().sdp
    }

    /// Applies the server's answer to [`Self::offer`].
    pub async fn apply_answer(&self, sdp: &str) -> Result<(), String> {
        let answer = RTCSessionDescription::answer(sdp.to_owned()).map_err(|e| e.to_string())?;
        self.connection
            .set_remote_description(answer)
            .await
            .map_err(|e| e.to_string())?;
        self.remote_description_applied().await;
        Ok(())
    }

    /// Answers a server-initiated offer (renegotiation).
    pub async fn handle_offer(&self, sdp: &str) -> Result<String, String> {
        let offer = RTCSessionDescription::offer(sdp.to_owned()).map_err(|e| e.to_string())?;
        self.connection
            .set_remote_description(offer)
            .await
            .map_err(|e| e.to_string())?;
        self.remote_description_applied().await;
        let answer = self
            .connection
            .create_answer(None)
            .await
            .map_err(|e| e.to_string())?;
        self.connection
            .set_local_description(answer)
            .await
            .map_err(|e| e.to_string())?;
        Ok(self.connection.local_description().await.unwrap().sdp)
    }

    /// A candidate from the server. Kept until a remote description is there to add it to,
    /// since trickled candidates can overtake the answer.
    pub async fn add_candidate(&self, candidate: IceCandidate) -> Result<(), String> {
        if let Some(pending) = self.shared.pending_candidates.lock().await.as_mut() {
            pending.push(candidate);
            return Ok(());
        }
        self.add_now(candidate).await
    }

    async fn add_now(&self, candidate: IceCandidate) -> Result<(), String> {
        self.connection
            .add_ice_candidate(RTCIceCandidateInit {
                candidate: candidate.candidate,
                sdp_mid: candidate.sdp_mid,
                sdp_mline_index: candidate.sdp_mline_index,
                ..Default::default()
            })
            .await
            .map_err(|e| e.to_string())
    }

    async fn remote_description_applied(&self) {
        let pending = self.shared.pending_candidates.lock().await.take();
        for candidate in pending.into_iter().flatten() {
            // A bad candidate from the server would show up as a failed connection.
            let _ = self.add_now(candidate).await;
        }
    }

    /// Whether the connection is up.
    pub fn is_connected(&self) -> bool {
        *self.state.borrow() == RTCPeerConnectionState::Connected
    }

    /// Waits until the connection is up.
    pub async fn wait_connected(&self, within: Duration) -> Result<(), String> {
        let mut state = self.state.clone();
        let connected = tokio::time::timeout(within, async {
            state
                .wait_for(|s| *s == RTCPeerConnectionState::Connected)
                .await
                .is_ok()
        })
        .await;
        match connected {
            Ok(true) => Ok(()),
            Ok(false) => Err(format!("{}: connection gone", self.name)),
            Err(_) => Err(format!("{} not connected within {within:?}", self.name)),
        }
    }

    /// Starts sending synthetic media once connected: Opus-sized audio at 50 packets/s and VP8
    /// frames of the peer's [`Load`] (a keyframe every 2 s, or soon after a keyframe request).
    /// A receive-only peer sends nothing.
    pub fn start_publishing(&self) {
        let Some((audio, video, load)) = self.publishing.clone() else {
            return;
        };
        let task = tokio::spawn(media::publish(
            self.state.clone(),
            audio,
            video,
            load,
            self.shared.clone(),
        ));
        self.tasks.lock().unwrap().push(task);
    }

    /// Counts, from now on, what is sent and received with a send time in `[from_us, to_us)`
    /// (on the [`now_us`] clock).
    pub fn set_window(&self, from_us: u64, to_us: u64) {
        self.shared.probe.set_window(from_us, to_us);
    }

    /// What was sent and received in the window.
    pub fn measured(&self) -> Measured {
        self.shared.probe.measured()
    }

    /// When the first packet from anyone arrived, if one did.
    pub fn first_media_at(&self) -> Option<Instant> {
        let counts = self.shared.counts.lock().unwrap();
        counts.values().filter_map(|r| r.first_at).min()
    }

    /// Packets received from `publisher` since the last reset.
    pub fn received(&self, publisher: &str) -> Received {
        self.shared
            .counts
            .lock()
            .unwrap()
            .get(publisher)
            .copied()
            .unwrap_or_default()
    }

    /// Packets received per publisher since the last reset.
    pub fn received_all(&self) -> HashMap<String, Received> {
        self.shared.counts.lock().unwrap().clone()
    }

    pub fn reset_counts(&self) {
        self.shared.counts.lock().unwrap().clear();
    }

    /// PLIs and FIRs the server sent about our video.
    pub fn keyframe_requests(&self) -> u64 {
        self.shared.keyframe_requests.load(Ordering::SeqCst)
    }

    /// Sends a PLI about the video received from `publisher`, as a decoder that lost its
    /// reference frame would.
    pub async fn request_keyframe(&self, publisher: &str) -> Result<(), String> {
        let track = self
            .shared
            .videos
            .lock()
            .unwrap()
            .get(publisher)
            .cloned()
            .ok_or_else(|| format!("{} receives no video from {publisher}", self.name))?;
        let media_ssrc = track.ssrcs().await.first().copied().unwrap_or_default();
        track
            .write_rtcp(vec![Box::new(PictureLossIndication {
                sender_ssrc: 0,
                media_ssrc,
            })])
            .await
            .map_err(|e| e.to_string())
    }

    /// Waits until `condition` holds over the counts, re-checking on every received packet.
    pub async fn wait_until(
        &self,
        within: Duration,
        condition: impl Fn(&HashMap<String, Received>) -> bool,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let notified = self.shared.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if condition(&self.shared.counts.lock().unwrap()) {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return condition(&self.shared.counts.lock().unwrap());
            }
        }
    }

    /// Waits until both audio and video from `publisher` arrived since the last reset.
    pub async fn wait_for_media_from(&self, publisher: &str, within: Duration) -> bool {
        self.wait_until(within, |counts| {
            counts
                .get(publisher)
                .is_some_and(|r| r.audio > 0 && r.video > 0)
        })
        .await
    }

    pub async fn close(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
        let _ = self.connection.close().await;
    }
}

async fn watch_keyframe_requests(video: Arc<TrackLocalStaticRTP>, shared: Arc<Shared>) {
    while let Some(event) = video.poll().await {
        if let TrackLocalEvent::OnRtcpPacket(packets) = event {
            let requests = packets
                .iter()
                .filter(|p| is_keyframe_request(p.as_ref()))
                .count();
            if requests > 0 {
                shared
                    .keyframe_requests
                    .fetch_add(requests as u64, Ordering::SeqCst);
                shared.keyframe_wanted.store(true, Ordering::SeqCst);
            }
        }
    }
}
