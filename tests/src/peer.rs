//! A WebRTC test peer in Rust, on the same `webrtc` crate as the server: it offers sendrecv
//! Opus audio and VP8 video bound to 127.0.0.1, publishes synthetic RTP at realistic rates,
//! answers the server's renegotiation offers, and counts the RTP it receives per remote
//! MediaStream id (the server names forwarded streams after their publisher's `PeerId`).
//!
//! It knows nothing of signalling: a test moves its offers, answers and candidates, over a
//! WebSocket or straight to a `MediaHandle`.

use accord::media::keyframes::is_keyframe_request;
use accord::media::IceCandidate;
use bytes::{BufMut, Bytes, BytesMut};
use rtc::interceptor::Registry;
use rtc::media_stream::MediaStreamTrack;
use rtc::peer_connection::configuration::interceptor_registry::register_default_interceptors;
use rtc::peer_connection::configuration::media_engine::{
    MediaEngine, MIME_TYPE_OPUS, MIME_TYPE_RTX, MIME_TYPE_VP8,
};
use rtc::peer_connection::configuration::setting_engine::SettingEngineBuilder;
use rtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use rtc::rtp_transceiver::rtp_sender::{
    RTCPFeedback, RTCRtpCodec, RTCRtpCodecParameters, RTCRtpCodingParameters,
    RTCRtpEncodingParameters, RtpCodecKind,
};
use std::collections::HashMap;
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
use webrtc::rtp_transceiver::RtpSender;

pub const AUDIO_SSRC: u32 = 0x0A0D_1001;
pub const VIDEO_SSRC: u32 = 0x0B1D_E001;
/// Frames from one timed keyframe to the next (2 s at 30 fps).
const KEYFRAME_EVERY: u32 = 60;

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
        }
    }
}

impl Shared {
    fn count(&self, stream: &str, kind: RtpCodecKind, bytes: usize) {
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
                    shared.count(&stream, kind, packet.payload.len());
                }
            }
        });
    }
}

/// One test participant's WebRTC side.
pub struct TestPeer {
    pub name: String,
    connection: Arc<dyn PeerConnection>,
    audio: Arc<TrackLocalStaticRTP>,
    video: Arc<TrackLocalStaticRTP>,
    audio_sender: Arc<dyn RtpSender>,
    video_sender: Arc<dyn RtpSender>,
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

impl TestPeer {
    /// A new peer with its own connection on 127.0.0.1, and the receiver of its events.
    pub async fn new(name: &str) -> (Arc<TestPeer>, mpsc::UnboundedReceiver<PeerEvent>) {
        let (events, events_rx) = mpsc::unbounded_channel();
        let (state_tx, state) = watch::channel(RTCPeerConnectionState::New);
        let shared = Arc::new(Shared::default());
        let mut media_engine = media_engine();
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
                .with_udp_addrs(vec!["127.0.0.1:0".to_owned()])
                .build()
                .await
                .unwrap(),
        );
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
        let audio_sender = connection
            .add_track(audio.clone() as Arc<dyn TrackLocal>)
            .await
            .unwrap();
        let video_sender = connection
            .add_track(video.clone() as Arc<dyn TrackLocal>)
            .await
            .unwrap();
        let keyframe_watch = tokio::spawn(watch_keyframe_requests(video.clone(), shared.clone()));
        let peer = Arc::new(TestPeer {
            name: name.to_owned(),
            connection,
            audio,
            video,
            audio_sender,
            video_sender,
            state,
            shared,
            tasks: Mutex::new(vec![keyframe_watch]),
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
    /// frames at 30 fps, a few packets each (a keyframe every 2 s, or soon after a keyframe
    /// request).
    pub fn start_publishing(&self) {
        let task = tokio::spawn(publish(
            self.state.clone(),
            self.audio.clone(),
            self.video.clone(),
            self.audio_sender.clone(),
            self.video_sender.clone(),
            self.shared.clone(),
        ));
        self.tasks.lock().unwrap().push(task);
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

fn negotiated_pt(
    parameters: &rtc::rtp_transceiver::rtp_sender::RTCRtpSendParameters,
    mime: &str,
) -> Option<u8> {
    parameters
        .rtp_parameters
        .codecs
        .iter()
        .find(|c| c.rtp_codec.mime_type.eq_ignore_ascii_case(mime))
        .map(|c| c.payload_type)
}

async fn publish(
    mut state: watch::Receiver<RTCPeerConnectionState>,
    audio: Arc<TrackLocalStaticRTP>,
    video: Arc<TrackLocalStaticRTP>,
    audio_sender: Arc<dyn RtpSender>,
    video_sender: Arc<dyn RtpSender>,
    shared: Arc<Shared>,
) {
    if state
        .wait_for(|s| *s == RTCPeerConnectionState::Connected)
        .await
        .is_err()
    {
        return;
    }
    let audio_pt = match audio_sender.get_parameters().await {
        Ok(p) => negotiated_pt(&p, MIME_TYPE_OPUS).unwrap_or(111),
        Err(_) => 111,
    };
    let video_pt = match video_sender.get_parameters().await {
        Ok(p) => negotiated_pt(&p, MIME_TYPE_VP8).unwrap_or(96),
        Err(_) => 96,
    };
    let mut audio_tick = tokio::time::interval(Duration::from_millis(20));
    let mut video_tick = tokio::time::interval(Duration::from_micros(33_333));
    audio_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    video_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let (mut audio_seq, mut video_seq) = (0u16, 0u16);
    let (mut audio_ts, mut video_ts) = (0u32, 0u32);
    let mut frame = 0u64;
    let mut since_keyframe = KEYFRAME_EVERY;
    loop {
        tokio::select! {
            _ = audio_tick.tick() => {
                let packet = rtp_packet(audio_pt, audio_seq, audio_ts, AUDIO_SSRC, true, opus_payload(audio_seq));
                audio_seq = audio_seq.wrapping_add(1);
                audio_ts = audio_ts.wrapping_add(960);
                if audio.write_rtp(packet).await.is_err() {
                    return;
                }
            }
            _ = video_tick.tick() => {
                let wanted = shared.keyframe_wanted.swap(false, Ordering::SeqCst);
                let keyframe = wanted || since_keyframe >= KEYFRAME_EVERY;
                since_keyframe = if keyframe { 1 } else { since_keyframe + 1 };
                let payloads = vp8_frame(keyframe, frame);
                let last = payloads.len() - 1;
                for (index, payload) in payloads.into_iter().enumerate() {
                    let packet = rtp_packet(video_pt, video_seq, video_ts, VIDEO_SSRC, index == last, payload);
                    video_seq = video_seq.wrapping_add(1);
                    if video.write_rtp(packet).await.is_err() {
                        return;
                    }
                }
                video_ts = video_ts.wrapping_add(3000);
                frame += 1;
            }
        }
    }
}

fn rtp_packet(
    pt: u8,
    seq: u16,
    ts: u32,
    ssrc: u32,
    marker: bool,
    payload: Bytes,
) -> rtc::rtp::Packet {
    rtc::rtp::Packet {
        header: rtc::rtp::Header {
            version: 2,
            marker,
            payload_type: pt,
            sequence_number: seq,
            timestamp: ts,
            ssrc,
            ..Default::default()
        },
        payload,
    }
}

/// About 32 kbit/s of Opus: a TOC byte (20 ms CELT fullband) and 79 bytes of frame.
fn opus_payload(seq: u16) -> Bytes {
    let mut payload = BytesMut::with_capacity(80);
    payload.put_u8(0xfc);
    payload.extend(std::iter::repeat_n(seq as u8, 79));
    payload.freeze()
}

/// One VP8 frame in RTP payloads (RFC 7741): a payload descriptor on each packet, S=1 on the
/// first, whose VP8 payload header marks a keyframe or not. An interframe is about 3.5 kB in
/// 3 packets, a keyframe about 12 kB in 11.
fn vp8_frame(keyframe: bool, frame: u64) -> Vec<Bytes> {
    let (size, packets) = if keyframe { (12_000, 11) } else { (3_500, 3) };
    let per_packet = size / packets;
    (0..packets)
        .map(|index| {
            let mut payload = BytesMut::with_capacity(per_packet + 1);
            payload.put_u8(if index == 0 { 0x10 } else { 0x00 });
            if index == 0 {
                // Frame tag: keyframe bit (0 = key), version 0, show_frame, then for a keyframe
                // the start code and 640x480.
                let size_bits = (size as u32) << 5;
                let tag = size_bits | 0x10 | u32::from(!keyframe);
                payload.put_slice(&tag.to_le_bytes()[..3]);
                if keyframe {
                    payload.put_slice(&[0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]);
                }
            }
            let filler = per_packet.saturating_sub(payload.len());
            payload.extend(std::iter::repeat_n(frame as u8, filler));
            payload.freeze()
        })
        .collect()
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

fn media_engine() -> MediaEngine {
    let feedback = |typ: &str, parameter: &str| RTCPFeedback {
        typ: typ.to_owned(),
        parameter: parameter.to_owned(),
    };
    let codec = |mime: &str, clock_rate, channels, fmtp: &str, rtcp_feedback, payload_type| {
        RTCRtpCodecParameters {
            rtp_codec: RTCRtpCodec {
                mime_type: mime.to_owned(),
                clock_rate,
                channels,
                sdp_fmtp_line: fmtp.to_owned(),
                rtcp_feedback,
            },
            payload_type,
        }
    };
    let video_feedback = vec![
        feedback("goog-remb", ""),
        feedback("ccm", "fir"),
        feedback("nack", ""),
        feedback("nack", "pli"),
    ];
    let mut engine = MediaEngine::default();
    engine
        .register_codec(
            codec(
                MIME_TYPE_OPUS,
                48000,
                2,
                "minptime=10;useinbandfec=1",
                vec![],
                111,
            ),
            RtpCodecKind::Audio,
        )
        .unwrap();
    engine
        .register_codec(
            codec(MIME_TYPE_VP8, 90000, 0, "", video_feedback, 96),
            RtpCodecKind::Video,
        )
        .unwrap();
    engine
        .register_codec(
            codec(MIME_TYPE_RTX, 90000, 0, "apt=96", vec![], 97),
            RtpCodecKind::Video,
        )
        .unwrap();
    engine
}
