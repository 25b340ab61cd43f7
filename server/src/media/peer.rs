//! Building one peer connection: the codecs we accept, the interceptors (including the one
//! that lets subscribers' keyframe requests reach us), the ICE settings, the UDP port, and the
//! event handler. The handler holds no state: it forwards every event, tagged with the peer and
//! the connection's generation, into the session task's channel and returns at once.

use super::forward::Source;
use super::{MediaConfig, MediaError, PeerId};
use rtc::interceptor::Registry;
use rtc::peer_connection::configuration::interceptor_registry::register_default_interceptors;
use rtc::peer_connection::configuration::media_engine::{
    MediaEngine, MIME_TYPE_H264, MIME_TYPE_OPUS, MIME_TYPE_RTX, MIME_TYPE_VP8,
};
use rtc::peer_connection::configuration::setting_engine::SettingEngineBuilder;
use rtc::rtp_transceiver::rtp_sender::{
    RTCPFeedback, RTCRtpCodec, RTCRtpCodecParameters, RtpCodecKind,
};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use webrtc::media_stream::track_remote::TrackRemote;
use webrtc::peer_connection::{
    PeerConnection, PeerConnectionBuilder, PeerConnectionEventHandler, RTCConfigurationBuilder,
    RTCIceCandidate, RTCPeerConnectionIceEvent, RTCPeerConnectionState,
};

/// What a connection's handler reports to the session task.
pub(crate) enum ConnectionEvent {
    Candidate(RTCIceCandidate),
    State(RTCPeerConnectionState),
    /// A remote track, announced on its first packet.
    Track(Arc<dyn TrackRemote>),
    /// Where a track's packets come from, learned from its first packet.
    Learned(Arc<dyn TrackRemote>, Source),
}

/// A [`ConnectionEvent`] with the connection it came from. The generation tells the events of
/// a replaced connection from those of its successor.
pub(crate) struct Tagged {
    pub(crate) peer: PeerId,
    pub(crate) generation: u64,
    pub(crate) event: ConnectionEvent,
}

struct Forward {
    peer: PeerId,
    generation: u64,
    tx: UnboundedSender<Tagged>,
}

impl Forward {
    fn send(&self, event: ConnectionEvent) {
        // The session may have ended; then nobody wants the event.
        let _ = self.tx.send(Tagged {
            peer: self.peer.clone(),
            generation: self.generation,
            event,
        });
    }
}

#[async_trait::async_trait]
impl PeerConnectionEventHandler for Forward {
    async fn on_ice_candidate(&self, event: RTCPeerConnectionIceEvent) {
        self.send(ConnectionEvent::Candidate(event.candidate));
    }

    async fn on_connection_state_change(&self, state: RTCPeerConnectionState) {
        self.send(ConnectionEvent::State(state));
    }

    async fn on_track(&self, track: Arc<dyn TrackRemote>) {
        self.send(ConnectionEvent::Track(track));
    }
}

/// Builds a connection for `peer` bound to `config.bind_ip`, on the first free port of the
/// configured range from `*cursor` on (the cursor then moves past it, so the next connection
/// does not probe the same busy ports again), or on an ephemeral port.
pub(crate) async fn build(
    config: &MediaConfig,
    cursor: &mut u16,
    peer: PeerId,
    generation: u64,
    tx: UnboundedSender<Tagged>,
) -> Result<Arc<dyn PeerConnection>, MediaError> {
    let handler = Arc::new(Forward {
        peer,
        generation,
        tx,
    });
    let Some(range) = config.port_range else {
        return build_on(SocketAddr::new(config.bind_ip, 0), handler.clone())
            .await
            .map_err(|e| MediaError::Internal(e.to_string()));
    };
    for port in port_order(range, *cursor) {
        match build_on(SocketAddr::new(config.bind_ip, port), handler.clone()).await {
            Ok(connection) => {
                *cursor = port.wrapping_add(1);
                return Ok(connection);
            }
            Err(error) => tracing::debug!(port, %error, "media port unavailable"),
        }
    }
    Err(MediaError::NoPort)
}

/// The ports of the inclusive `range`, starting at `start` (or at the low end when `start` is
/// outside the range) and wrapping around, each once.
pub(crate) fn port_order((low, high): (u16, u16), start: u16) -> impl Iterator<Item = u16> {
    let count = if low <= high {
        u32::from(high - low) + 1
    } else {
        0
    };
    let first = if (low..=high).contains(&start) {
        u32::from(start - low)
    } else {
        0
    };
    (0..count).filter_map(move |i| u16::try_from(u32::from(low) + (first + i) % count).ok())
}

async fn build_on(
    address: SocketAddr,
    handler: Arc<Forward>,
) -> webrtc::error::Result<Arc<dyn PeerConnection>> {
    let mut media_engine = media_engine()?;
    let registry = register_default_interceptors(Registry::new(), &mut media_engine)?;
    let registry = super::keyframes::delivered_to_app(registry);
    let settings = SettingEngineBuilder::new()
        // mDNS would open a multicast socket per connection; a server has real addresses.
        .with_multicast_dns_mode(rtc::ice::mdns::MulticastDnsMode::Disabled)
        // Disconnected after 4 s of silence, failed after 10 s more: a dropped client comes
        // back by offering again, so there is no point waiting the default 25 s.
        .with_ice_timeouts(
            Some(Duration::from_secs(4)),
            Some(Duration::from_secs(10)),
            Some(Duration::from_secs(2)),
        )
        .build();
    // Boxed: the builder's future is some 20 kB, too big to carry up the task's call chain.
    let connection = Box::pin(
        PeerConnectionBuilder::new()
            .with_configuration(RTCConfigurationBuilder::new().build())
            .with_media_engine(media_engine)
            .with_setting_engine(settings)
            .with_interceptor_registry(registry)
            .with_handler(handler)
            .with_udp_addrs(vec![address])
            .build(),
    )
    .await?;
    Ok(Arc::new(connection))
}

/// Opus, VP8 and H.264 (constrained baseline, what every browser can decode), each video codec
/// with RTX so that losses are repaired per hop. Registered before the interceptors, whose
/// feedback registration only touches codecs already present.
fn media_engine() -> webrtc::error::Result<MediaEngine> {
    let feedback = |typ: &str, parameter: &str| RTCPFeedback {
        typ: typ.to_owned(),
        parameter: parameter.to_owned(),
    };
    let video_feedback = vec![
        feedback("goog-remb", ""),
        feedback("ccm", "fir"),
        feedback("nack", ""),
        feedback("nack", "pli"),
    ];
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
    let mut engine = MediaEngine::default();
    engine.register_codec(
        codec(
            MIME_TYPE_OPUS,
            48000,
            2,
            "minptime=10;useinbandfec=1",
            vec![],
            111,
        ),
        RtpCodecKind::Audio,
    )?;
    engine.register_codec(
        codec(MIME_TYPE_VP8, 90000, 0, "", video_feedback.clone(), 96),
        RtpCodecKind::Video,
    )?;
    engine.register_codec(
        codec(MIME_TYPE_RTX, 90000, 0, "apt=96", vec![], 97),
        RtpCodecKind::Video,
    )?;
    engine.register_codec(
        codec(
            MIME_TYPE_H264,
            90000,
            0,
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            video_feedback,
            102,
        ),
        RtpCodecKind::Video,
    )?;
    engine.register_codec(
        codec(MIME_TYPE_RTX, 90000, 0, "apt=102", vec![], 103),
        RtpCodecKind::Video,
    )?;
    Ok(engine)
}

/// Whether an RTCP packet asks for a keyframe.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_tried_from_the_cursor_and_wrap_around() {
        assert_eq!(
            port_order((5000, 5004), 5002).collect::<Vec<_>>(),
            vec![5002, 5003, 5004, 5000, 5001]
        );
        assert_eq!(
            port_order((5000, 5002), 5000).collect::<Vec<_>>(),
            vec![5000, 5001, 5002]
        );
    }

    #[test]
    fn a_cursor_outside_the_range_starts_at_the_low_end() {
        assert_eq!(
            port_order((5000, 5002), 0).collect::<Vec<_>>(),
            vec![5000, 5001, 5002]
        );
        assert_eq!(
            port_order((5000, 5002), 5003).collect::<Vec<_>>(),
            vec![5000, 5001, 5002]
        );
    }

    #[test]
    fn edge_ranges() {
        assert_eq!(port_order((7, 7), 7).collect::<Vec<_>>(), vec![7]);
        assert_eq!(
            port_order((65534, 65535), 65535).collect::<Vec<_>>(),
            vec![65535, 65534]
        );
        assert_eq!(port_order((9, 8), 9).count(), 0, "an empty range");
    }

    #[tokio::test]
    async fn a_taken_port_is_skipped_and_a_full_range_is_no_port() {
        let ip = std::net::IpAddr::from([127, 0, 0, 1]);
        let taken = std::net::UdpSocket::bind((ip, 0)).expect("bind");
        let busy = taken.local_addr().expect("address").port();
        let config = MediaConfig {
            bind_ip: ip,
            port_range: Some((busy, busy)),
            advertised_ip: None,
            subscriber_queue: 8,
        };
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let mut cursor = 0;
        let result = build(&config, &mut cursor, PeerId("p".into()), 1, tx).await;
        assert!(matches!(result, Err(MediaError::NoPort)));
    }
}
