//! The hot path. Each published track has one reader task that takes its RTP packets, strips
//! what a subscriber must not see (header extensions, padding), and offers a copy to the queue
//! of every subscriber of the track (`try_send`: a full queue drops and counts, it never stalls
//! the publisher). Each (published track, subscriber) pair has a [`Forwarder`]: its own
//! local track on the subscriber's connection, its own bounded queue, and a writer task that
//! rewrites SSRC, payload type and sequence number and hands the packet to the connection.
//!
//! The gate is where routing is enforced, and the only place: a shut pair keeps its track and
//! its queue (no renegotiation churn when a caucus begins or ends), and its writer discards.
//! It is also what makes routing changes instant. The writer holds the gate's lock from the
//! moment it checks the gate until `write_rtp` has returned, and closing takes the same lock:
//! once [`Forwarder::close`] has returned, no packet of that publisher can be handed to that
//! subscriber's connection, not even one that was already queued.

use super::keyframes::is_keyframe_request;
use super::metrics::{FirstMedia, MediaMetrics};
use super::sdp::negotiated_pt;
use super::sequence::SequenceSplicer;
use super::PeerId;
use arc_swap::ArcSwap;
use rtc::media_stream::MediaStreamTrack;
use rtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use rtc::rtp;
use rtc::rtp_transceiver::rtp_sender::{
    RTCRtpCodec, RTCRtpCodingParameters, RTCRtpEncodingParameters, RtpCodecKind,
};
use rtc::rtp_transceiver::{RTCRtpTransceiverDirection, RTCRtpTransceiverInit};
use rtc::shared::marshal::MarshalSize;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use webrtc::media_stream::track_local::static_rtp::TrackLocalStaticRTP;
use webrtc::media_stream::track_local::{TrackLocal, TrackLocalEvent};
use webrtc::media_stream::track_remote::{TrackRemote, TrackRemoteEvent};
use webrtc::peer_connection::PeerConnection;
use webrtc::rtp_transceiver::RtpSender;

/// At most one keyframe request to a publisher per track in this interval: keyframes are big,
/// and every subscriber's decoder recovers from the same one.
const KEYFRAME_REQUEST_INTERVAL: Duration = Duration::from_millis(500);

/// A subscriber's queue as the reader sees it.
#[derive(Clone)]
struct Outlet {
    forwarder: u64,
    queue: mpsc::Sender<rtp::Packet>,
}

/// What a forwarder needs of a published track, cloned out so that the session can work on a
/// subscriber while the publisher's entry is elsewhere in its map.
#[derive(Clone)]
pub(crate) struct Tap {
    pub(crate) id: u64,
    pub(crate) publisher: PeerId,
    kind: RtpCodecKind,
    codec: RTCRtpCodec,
    outlets: Arc<ArcSwap<Vec<Outlet>>>,
    keyframes: mpsc::Sender<()>,
}

/// One track a peer publishes, and the reader task that fans it out. Dropping it stops the
/// reader.
pub(crate) struct Published {
    tap: Tap,
    reader: JoinHandle<()>,
}

/// Where a published track's packets come from and how they are encoded.
pub(crate) struct Source {
    ssrc: u32,
    codec: RTCRtpCodec,
}

impl Source {
    /// The SSRC and codec of `track` from its first RTP packet: the payload type looked up
    /// among the codecs its receiver negotiated. Not from the track's own codings: the crate
    /// copies those once, when it announces the track, and now and then (a renegotiation
    /// resetting the receiver's codings at that moment?) the copy has no codec and never gets
    /// one. The packets always say what they carry.
    pub(crate) async fn from_first_packet(
        connection: &Arc<dyn PeerConnection>,
        track: &Arc<dyn TrackRemote>,
    ) -> Option<Source> {
        let track_id = track.track_id().await;
        let mut codecs = None;
        for transceiver in connection.get_transceivers().await {
            let Ok(Some(receiver)) = transceiver.receiver().await else {
                continue;
            };
            if receiver.track().track_id().await == track_id {
                codecs = Some(receiver.get_parameters().await.ok()?.rtp_parameters.codecs);
                break;
            }
        }
        let codecs = codecs?;
        loop {
            match track.poll().await? {
                TrackRemoteEvent::OnRtpPacket(packet) => {
                    let pt = packet.header.payload_type;
                    let codec = codecs.iter().find(|c| c.payload_type == pt)?;
                    return Some(Source {
                        ssrc: packet.header.ssrc,
                        codec: codec.rtp_codec.clone(),
                    });
                }
                TrackRemoteEvent::OnEnded => return None,
                _ => {}
            }
        }
    }
}

impl Published {
    /// Starts reading `track`, whose packets come from `source`.
    pub(crate) async fn start(
        id: u64,
        publisher: PeerId,
        track: Arc<dyn TrackRemote>,
        source: Source,
        metrics: MediaMetrics,
    ) -> Published {
        let kind = track.kind().await;
        let outlets = Arc::new(ArcSwap::from_pointee(Vec::new()));
        let (keyframes, requests) = mpsc::channel(1);
        let reader = tokio::spawn(read(track, source.ssrc, outlets.clone(), requests, metrics));
        Published {
            tap: Tap {
                id,
                publisher,
                kind,
                codec: source.codec,
                outlets,
                keyframes,
            },
            reader,
        }
    }

    pub(crate) fn tap(&self) -> &Tap {
        &self.tap
    }
}

impl Drop for Published {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

async fn read(
    track: Arc<dyn TrackRemote>,
    ssrc: u32,
    outlets: Arc<ArcSwap<Vec<Outlet>>>,
    mut keyframe_requests: mpsc::Receiver<()>,
    metrics: MediaMetrics,
) {
    let mut keyframe_wanted = false;
    let mut next_keyframe_request = Instant::now();
    loop {
        tokio::select! {
            event = track.poll() => match event {
                Some(TrackRemoteEvent::OnRtpPacket(packet)) => fan_out(packet, &outlets, &metrics),
                Some(TrackRemoteEvent::OnEnded) | None => break,
                Some(_) => {}
            },
            Some(()) = keyframe_requests.recv(), if !keyframe_wanted => keyframe_wanted = true,
            () = tokio::time::sleep_until(next_keyframe_request), if keyframe_wanted => {
                keyframe_wanted = false;
                next_keyframe_request = Instant::now() + KEYFRAME_REQUEST_INTERVAL;
                let pli = PictureLossIndication { sender_ssrc: 0, media_ssrc: ssrc };
                if track.write_rtcp(vec![Box::new(pli)]).await.is_err() {
                    break;
                }
            }
        }
    }
}

fn fan_out(packet: rtp::Packet, outlets: &ArcSwap<Vec<Outlet>>, metrics: &MediaMetrics) {
    hand_to_subscribers(packet, outlets.load().iter().map(|o| &o.queue), metrics);
}

/// The per-packet step of a published track's reader: strips what a subscriber must not see
/// and offers a copy to each subscriber's queue, dropping (and counting) where one is full.
/// Public only so that the micro-benchmarks (`server/benches`) measure the real thing.
pub fn hand_to_subscribers<'a>(
    mut packet: rtp::Packet,
    queues: impl IntoIterator<Item = &'a mpsc::Sender<rtp::Packet>>,
    metrics: &MediaMetrics,
) {
    // Padding-only packets are bandwidth probes for the hop they came on, not media.
    if packet.payload.is_empty() {
        return;
    }
    // Extension ids are negotiated per connection; the subscriber's are not the publisher's.
    let header = &mut packet.header;
    header.extension = false;
    header.extensions.clear();
    header.extensions_padding = 0;
    header.padding = false;
    for queue in queues {
        match queue.try_send(packet.clone()) {
            Ok(()) | Err(TrySendError::Closed(_)) => {}
            Err(TrySendError::Full(dropped)) => metrics.dropped(dropped.marshal_size()),
        }
    }
}

/// No payload type negotiated yet.
const NO_PAYLOAD_TYPE: u16 = u16::MAX;

struct Gate {
    open: bool,
    /// Bumped on every opening, so the writer knows to splice the sequence numbers.
    epoch: u64,
}

struct Shared {
    gate: tokio::sync::Mutex<Gate>,
    payload_type: AtomicU16,
}

/// One published track forwarded to one subscriber. Owned by the session task, in the
/// subscriber's entry; dropping it stops its tasks.
pub(crate) struct Forwarder {
    pub(crate) published: u64,
    pub(crate) publisher: PeerId,
    pub(crate) sender: Arc<dyn RtpSender>,
    /// Its m-line was in an offer to the subscriber; once answered, it has a payload type.
    pub(crate) offered: bool,
    id: u64,
    codec: RTCRtpCodec,
    tap: Tap,
    shared: Arc<Shared>,
    open: bool,
    tasks: [JoinHandle<()>; 2],
}

/// What every forwarder of one subscriber connection shares.
pub(crate) struct Subscriber<'a> {
    pub(crate) connection: &'a Arc<dyn PeerConnection>,
    pub(crate) queue_len: usize,
    pub(crate) first_media: &'a Arc<FirstMedia>,
    pub(crate) metrics: &'a MediaMetrics,
}

impl Forwarder {
    /// Adds a send-only transceiver for `tap` to the subscriber's connection (the caller
    /// renegotiates) and opens the gate. Media flows once the payload type is known.
    pub(crate) async fn create(
        id: u64,
        tap: &Tap,
        subscriber: Subscriber<'_>,
    ) -> webrtc::error::Result<Forwarder> {
        let ssrc = rand::random::<u32>();
        // The stream id is the publisher's name: it is how the client tells whose media it is.
        let track = Arc::new(TrackLocalStaticRTP::new(MediaStreamTrack::new(
            tap.publisher.0.clone(),
            format!("accord-{id}"),
            format!("{}-{}", tap.publisher.0, tap.kind),
            tap.kind,
            vec![RTCRtpEncodingParameters {
                rtp_coding_parameters: RTCRtpCodingParameters {
                    ssrc: Some(ssrc),
                    ..Default::default()
                },
                codec: tap.codec.clone(),
                ..Default::default()
            }],
        )));
        // A transceiver of its own, never one of the client's m-lines (which `add_track` would
        // reuse), so that forwarded media cannot land where the client publishes.
        let transceiver = subscriber
            .connection
            .add_transceiver_from_track(
                track.clone() as Arc<dyn TrackLocal>,
                Some(RTCRtpTransceiverInit {
                    direction: RTCRtpTransceiverDirection::Sendonly,
                    streams: vec![tap.publisher.0.clone()],
                    send_encodings: vec![],
                }),
            )
            .await?;
        let sender = transceiver
            .sender()
            .await?
            .ok_or(webrtc::error::Error::ErrRTPSenderNotExisted)?;
        let shared = Arc::new(Shared {
            gate: tokio::sync::Mutex::new(Gate {
                open: false,
                epoch: 0,
            }),
            payload_type: AtomicU16::new(NO_PAYLOAD_TYPE),
        });
        let (queue, packets) = mpsc::channel(subscriber.queue_len.max(1));
        let writer = tokio::spawn(write(
            packets,
            track.clone(),
            ssrc,
            shared.clone(),
            subscriber.metrics.clone(),
            subscriber.first_media.clone(),
        ));
        let relay = tokio::spawn(relay_keyframe_requests(track, tap.keyframes.clone()));
        // The reader feeds the queue whether the gate is open or not: the gate, checked by the
        // writer right before each write, is the one place where routing is enforced.
        let outlet = Outlet {
            forwarder: id,
            queue,
        };
        tap.outlets.rcu(|outlets| {
            let mut outlets = Vec::clone(outlets);
            outlets.push(outlet.clone());
            outlets
        });
        let mut forwarder = Forwarder {
            published: tap.id,
            publisher: tap.publisher.clone(),
            sender,
            offered: false,
            id,
            codec: tap.codec.clone(),
            tap: tap.clone(),
            shared,
            open: false,
            tasks: [writer, relay],
        };
        forwarder.open().await;
        Ok(forwarder)
    }

    pub(crate) fn is_open(&self) -> bool {
        self.open
    }

    /// Shuts the gate. When this returns, no packet goes to `write_rtp` until [`Self::open`].
    pub(crate) async fn close(&mut self) {
        self.shared.gate.lock().await.open = false;
        self.open = false;
    }

    /// Opens the gate and asks the publisher for a keyframe, which the subscriber needs to
    /// start decoding.
    pub(crate) async fn open(&mut self) {
        {
            let mut gate = self.shared.gate.lock().await;
            gate.open = true;
            gate.epoch += 1;
        }
        self.open = true;
        self.request_keyframe();
    }

    /// Reads the payload type the subscriber's connection negotiated for the codec; call after
    /// every negotiation. A forwarder that thereby becomes able to send asks for a keyframe.
    pub(crate) async fn refresh_payload_type(&self) {
        let negotiated = match self.sender.get_parameters().await {
            Ok(parameters) => negotiated_pt(&parameters.rtp_parameters.codecs, &self.codec),
            Err(_) => None,
        };
        let new = negotiated.map_or(NO_PAYLOAD_TYPE, u16::from);
        let old = self.shared.payload_type.swap(new, Ordering::Relaxed);
        if old != new && new != NO_PAYLOAD_TYPE && self.open {
            self.request_keyframe();
        }
    }

    fn request_keyframe(&self) {
        if self.tap.kind == RtpCodecKind::Video
            && self.shared.payload_type.load(Ordering::Relaxed) != NO_PAYLOAD_TYPE
        {
            // Full means a request is already waiting: one keyframe serves both.
            let _ = self.tap.keyframes.try_send(());
        }
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        let id = self.id;
        self.tap.outlets.rcu(|outlets| {
            outlets
                .iter()
                .filter(|o| o.forwarder != id)
                .cloned()
                .collect::<Vec<_>>()
        });
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn write(
    mut packets: mpsc::Receiver<rtp::Packet>,
    track: Arc<TrackLocalStaticRTP>,
    ssrc: u32,
    shared: Arc<Shared>,
    metrics: MediaMetrics,
    first_media: Arc<FirstMedia>,
) {
    let mut sequence = SequenceSplicer::default();
    while let Some(mut packet) = packets.recv().await {
        let Ok(payload_type) = u8::try_from(shared.payload_type.load(Ordering::Relaxed)) else {
            continue; // not negotiated yet: the connection would reject it
        };
        let gate = shared.gate.lock().await;
        if !gate.open {
            continue;
        }
        packet.header.ssrc = ssrc;
        packet.header.payload_type = payload_type;
        packet.header.sequence_number = sequence.splice(gate.epoch, packet.header.sequence_number);
        let size = packet.marshal_size();
        let written = track.write_rtp(packet).await;
        drop(gate);
        if written.is_err() {
            break; // the track was removed or the connection closed
        }
        metrics.forwarded(size);
        first_media.record();
    }
}

async fn relay_keyframe_requests(track: Arc<TrackLocalStaticRTP>, keyframes: mpsc::Sender<()>) {
    // Ends when the track is removed or its connection closes.
    while let Some(event) = track.poll().await {
        if let TrackLocalEvent::OnRtcpPacket(packets) = event {
            if packets.iter().any(|p| is_keyframe_request(p.as_ref())) {
                let _ = keyframes.try_send(());
            }
        }
    }
}
