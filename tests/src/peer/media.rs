//! The synthetic media a test peer publishes: Opus-sized audio at 50 packets/s and VP8-shaped
//! video frames at a chosen bitrate, each payload ending in the time it was made (see
//! [`super::probe`]), and the codecs a browser would offer for them.

use super::probe::{now_us, Probe, STAMP_LEN};
use super::Shared;
use bytes::{BufMut, Bytes, BytesMut};
use rtc::peer_connection::configuration::media_engine::{
    MediaEngine, MIME_TYPE_OPUS, MIME_TYPE_RTX, MIME_TYPE_VP8,
};
use rtc::rtp_transceiver::rtp_sender::{
    RTCPFeedback, RTCRtpCodec, RTCRtpCodecParameters, RTCRtpSendParameters, RtpCodecKind,
};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use webrtc::media_stream::track_local::static_rtp::TrackLocalStaticRTP;
use webrtc::media_stream::track_local::TrackLocal as _;
use webrtc::peer_connection::RTCPeerConnectionState;
use webrtc::rtp_transceiver::RtpSender;

pub const AUDIO_SSRC: u32 = 0x0A0D_1001;
pub const VIDEO_SSRC: u32 = 0x0B1D_E001;
/// Frames from one timed keyframe to the next (2 s at 30 fps).
const KEYFRAME_EVERY: u32 = 60;
/// A keyframe is this many times the size of an interframe, as with a real encoder at rest.
const KEYFRAME_FACTOR: u32 = 4;
/// The largest RTP payload a browser sends, to stay under a 1280-byte path MTU.
const MAX_PAYLOAD: usize = 1_200;

/// What a peer publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    /// Video bits per second, averaged over a keyframe interval.
    pub video_bps: u32,
    pub fps: u32,
}

impl Load {
    /// What the integration tests send, and what their thresholds expect: about 840 kbit/s,
    /// three packets a frame, so some 90 video packets a second.
    pub const TESTS: Load = Load {
        video_bps: 840_000,
        fps: 30,
    };

    /// Bytes of an interframe: a keyframe interval of `KEYFRAME_EVERY` frames holds one keyframe
    /// of `KEYFRAME_FACTOR` interframes and carries `video_bps` on average.
    fn interframe_bytes(&self) -> usize {
        let interval_bytes =
            u64::from(self.video_bps) / 8 * u64::from(KEYFRAME_EVERY) / u64::from(self.fps.max(1));
        let units = u64::from(KEYFRAME_EVERY - 1 + KEYFRAME_FACTOR);
        usize::try_from(interval_bytes / units).unwrap_or(usize::MAX)
    }
}

/// A local track and its sender on the peer's connection.
#[derive(Clone)]
pub(super) struct Outgoing {
    pub(super) track: Arc<TrackLocalStaticRTP>,
    pub(super) sender: Arc<dyn RtpSender>,
}

fn negotiated_pt(parameters: &RTCRtpSendParameters, mime: &str) -> Option<u8> {
    parameters
        .rtp_parameters
        .codecs
        .iter()
        .find(|c| c.rtp_codec.mime_type.eq_ignore_ascii_case(mime))
        .map(|c| c.payload_type)
}

async fn payload_type(outgoing: &Outgoing, mime: &str, fallback: u8) -> u8 {
    match outgoing.sender.get_parameters().await {
        Ok(p) => negotiated_pt(&p, mime).unwrap_or(fallback),
        Err(_) => fallback,
    }
}

/// Sends until the connection or a track goes away: audio every 20 ms, a video frame every
/// 1/fps s (a keyframe every 2 s, or soon after a keyframe request), all packets of a frame in
/// one burst as an encoder hands them over.
pub(super) async fn publish(
    mut state: watch::Receiver<RTCPeerConnectionState>,
    audio: Outgoing,
    video: Outgoing,
    load: Load,
    shared: Arc<Shared>,
) {
    if state
        .wait_for(|s| *s == RTCPeerConnectionState::Connected)
        .await
        .is_err()
    {
        return;
    }
    let audio_pt = payload_type(&audio, MIME_TYPE_OPUS, 111).await;
    let video_pt = payload_type(&video, MIME_TYPE_VP8, 96).await;
    let mut audio_tick = tokio::time::interval(Duration::from_millis(20));
    let mut video_tick = tokio::time::interval(Duration::from_micros(
        1_000_000 / u64::from(load.fps.max(1)),
    ));
    audio_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    video_tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let (mut audio_seq, mut video_seq) = (0u16, 0u16);
    let (mut audio_ts, mut video_ts) = (0u32, 0u32);
    let video_ts_step = 90_000 / load.fps.max(1);
    let mut frame = 0u64;
    let mut since_keyframe = KEYFRAME_EVERY;
    let interframe = load.interframe_bytes();
    loop {
        tokio::select! {
            _ = audio_tick.tick() => {
                let payload = opus_payload(audio_seq, &shared.probe);
                let packet = rtp_packet(audio_pt, audio_seq, audio_ts, AUDIO_SSRC, true, payload);
                audio_seq = audio_seq.wrapping_add(1);
                audio_ts = audio_ts.wrapping_add(960);
                if audio.track.write_rtp(packet).await.is_err() {
                    return;
                }
            }
            _ = video_tick.tick() => {
                let wanted = shared.keyframe_wanted.swap(false, Ordering::SeqCst);
                let keyframe = wanted || since_keyframe >= KEYFRAME_EVERY;
                since_keyframe = if keyframe { 1 } else { since_keyframe + 1 };
                let size = if keyframe { interframe * KEYFRAME_FACTOR as usize } else { interframe };
                let payloads = vp8_frame(keyframe, size, frame, &shared.probe);
                let last = payloads.len() - 1;
                for (index, payload) in payloads.into_iter().enumerate() {
                    let packet = rtp_packet(video_pt, video_seq, video_ts, VIDEO_SSRC, index == last, payload);
                    video_seq = video_seq.wrapping_add(1);
                    if video.track.write_rtp(packet).await.is_err() {
                        return;
                    }
                }
                video_ts = video_ts.wrapping_add(video_ts_step);
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

/// Ends a payload with its send time and counts it as sent.
fn stamped(mut payload: BytesMut, probe: &Probe) -> Bytes {
    let now = now_us();
    payload.put_u64(now);
    probe.sent(now);
    payload.freeze()
}

/// About 32 kbit/s of Opus: a TOC byte (20 ms CELT fullband) and 79 bytes of frame.
fn opus_payload(seq: u16, probe: &Probe) -> Bytes {
    let mut payload = BytesMut::with_capacity(80);
    payload.put_u8(0xfc);
    payload.extend(std::iter::repeat_n(seq as u8, 79 - STAMP_LEN));
    stamped(payload, probe)
}

/// One VP8 frame of about `size` bytes in RTP payloads of at most `MAX_PAYLOAD` (RFC 7741): a
/// payload descriptor on each packet, S=1 on the first, whose VP8 payload header marks a
/// keyframe or not.
fn vp8_frame(keyframe: bool, size: usize, frame: u64, probe: &Probe) -> Vec<Bytes> {
    let packets = size.div_ceil(MAX_PAYLOAD).max(1);
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
            let filler = per_packet.saturating_sub(payload.len() + STAMP_LEN);
            payload.extend(std::iter::repeat_n(frame as u8, filler));
            stamped(payload, probe)
        })
        .collect()
}

/// Opus, VP8 and its RTX, with the payload types and feedback Chromium offers.
pub(super) fn media_engine() -> MediaEngine {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_of_600_kbits_is_sent_in_browser_sized_packets() {
        let load = Load {
            video_bps: 600_000,
            fps: 30,
        };
        let probe = Probe::default();
        let interval: usize = (0..KEYFRAME_EVERY)
            .flat_map(|i| {
                let keyframe = i == 0;
                let size = load.interframe_bytes() * if keyframe { 4 } else { 1 };
                vp8_frame(keyframe, size, u64::from(i), &probe)
            })
            .map(|p| {
                assert!(p.len() <= MAX_PAYLOAD);
                p.len()
            })
            .sum();
        let bps = interval * 8 * 30 / KEYFRAME_EVERY as usize;
        assert!((580_000..=600_000).contains(&bps), "{bps} bit/s");
    }
}
