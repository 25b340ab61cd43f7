//! Pure text work on SDP and ICE candidates: the address rewriting that stands in for the NAT
//! 1:1 setting `webrtc` 0.21.1 ignores, the checks that tell a bad trickled candidate from a
//! good one, and the negotiated payload type of a codec. No IO, so all of it is unit-tested.

use rtc::rtp_transceiver::rtp_sender::{RTCRtpCodec, RTCRtpCodecParameters};
use std::net::IpAddr;

/// Rewrites the connection address of one candidate attribute (`candidate:...`, with or
/// without a leading `a=`) from `from` to `to`. Anything else is returned unchanged.
pub(crate) fn rewrite_candidate(candidate: &str, from: IpAddr, to: IpAddr) -> String {
    let to = to.to_string();
    let mut fields: Vec<&str> = candidate.split(' ').collect();
    // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
    match fields.get(4).and_then(|a| a.parse::<IpAddr>().ok()) {
        Some(address) if address == from => {
            fields[4] = &to;
            fields.join(" ")
        }
        _ => candidate.to_owned(),
    }
}

/// Rewrites `from` to `to` wherever an SDP carries our address: candidate attributes, the
/// connection lines and `a=rtcp`. Keeps the line endings as they were.
pub(crate) fn rewrite_sdp(sdp: &str, from: IpAddr, to: IpAddr) -> String {
    let from_text = from.to_string();
    let to_text = to.to_string();
    let mut out = String::with_capacity(sdp.len() + 64);
    for line in sdp.split_inclusive('\n') {
        let body = line.trim_end_matches(['\r', '\n']);
        let ending = &line[body.len()..];
        if body.starts_with("a=candidate:") {
            out.push_str(&rewrite_candidate(body, from, to));
        } else if body.starts_with("c=") || body.starts_with("a=rtcp:") {
            let replaced: Vec<&str> = body
                .split(' ')
                .map(|token| {
                    if token == from_text {
                        to_text.as_str()
                    } else {
                        token
                    }
                })
                .collect();
            out.push_str(&replaced.join(" "));
        } else {
            out.push_str(body);
        }
        out.push_str(ending);
    }
    out
}

/// The mid of every m-line, in order (`None` for an m-line without one).
pub(crate) fn media_mids(sdp: &str) -> Vec<Option<String>> {
    let mut mids = Vec::new();
    for line in sdp.lines() {
        let line = line.trim_end();
        if line.starts_with("m=") {
            mids.push(None);
        } else if let Some(mid) = line.strip_prefix("a=mid:") {
            if let Some(last) = mids.last_mut() {
                *last = Some(mid.to_owned());
            }
        }
    }
    mids
}

/// Whether a trickled candidate names an m-line of `sdp`: by mid when it has one (a browser's
/// do), else by index. A candidate naming neither is refused.
pub(crate) fn candidate_fits(sdp: &str, mid: Option<&str>, index: Option<u16>) -> bool {
    let mids = media_mids(sdp);
    match (mid.filter(|m| !m.is_empty()), index) {
        (Some(mid), _) => mids.iter().any(|m| m.as_deref() == Some(mid)),
        (None, Some(index)) => usize::from(index) < mids.len(),
        (None, None) => false,
    }
}

/// The candidate's type (`host`, `srflx`, ...), the one thing about it that is safe to log.
pub(crate) fn candidate_type(candidate: &str) -> &str {
    let mut fields = candidate.split_whitespace();
    while let Some(field) = fields.next() {
        if field == "typ" {
            return fields.next().unwrap_or("unknown");
        }
    }
    "unknown"
}

/// The payload type a connection negotiated for `codec`: the same MIME type, preferring the
/// same format parameters (H.264 profiles differ only there).
pub(crate) fn negotiated_pt(
    negotiated: &[RTCRtpCodecParameters],
    codec: &RTCRtpCodec,
) -> Option<u8> {
    let same_mime =
        |c: &&RTCRtpCodecParameters| c.rtp_codec.mime_type.eq_ignore_ascii_case(&codec.mime_type);
    negotiated
        .iter()
        .filter(same_mime)
        .find(|c| c.rtp_codec.sdp_fmtp_line == codec.sdp_fmtp_line)
        .or_else(|| negotiated.iter().find(same_mime))
        .map(|c| c.payload_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtc::peer_connection::configuration::media_engine::{
        MIME_TYPE_H264, MIME_TYPE_OPUS, MIME_TYPE_RTX, MIME_TYPE_VP8,
    };

    const LOOPBACK: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 1));
    const PUBLIC: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 7));

    #[test]
    fn a_host_candidate_gets_the_advertised_address() {
        let c = "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host";
        assert_eq!(
            rewrite_candidate(c, LOOPBACK, PUBLIC),
            "candidate:1 1 udp 2130706431 203.0.113.7 50000 typ host"
        );
    }

    #[test]
    fn other_addresses_and_garbage_are_left_alone() {
        let c = "candidate:1 1 udp 2130706431 10.0.0.5 50000 typ host";
        assert_eq!(rewrite_candidate(c, LOOPBACK, PUBLIC), c);
        assert_eq!(rewrite_candidate("nonsense", LOOPBACK, PUBLIC), "nonsense");
        assert_eq!(rewrite_candidate("", LOOPBACK, PUBLIC), "");
    }

    #[test]
    fn ipv6_addresses_are_rewritten_too() {
        let from: IpAddr = "fd00::1".parse().expect("ip");
        let to: IpAddr = "2001:db8::9".parse().expect("ip");
        let c = "candidate:7 1 udp 2130706431 fd00::1 40000 typ host";
        assert_eq!(
            rewrite_candidate(c, from, to),
            "candidate:7 1 udp 2130706431 2001:db8::9 40000 typ host"
        );
    }

    #[test]
    fn an_sdp_is_rewritten_line_by_line_keeping_crlf() {
        let sdp = "v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n\
                   a=mid:0\r\na=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\n\
                   a=rtcp:9 IN IP4 127.0.0.1\r\na=ice-ufrag:127.0.0.1\r\n";
        let out = rewrite_sdp(sdp, LOOPBACK, PUBLIC);
        assert_eq!(
            out,
            "v=0\r\nc=IN IP4 203.0.113.7\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n\
             a=mid:0\r\na=candidate:1 1 udp 2130706431 203.0.113.7 5000 typ host\r\n\
             a=rtcp:9 IN IP4 203.0.113.7\r\na=ice-ufrag:127.0.0.1\r\n"
        );
    }

    #[test]
    fn mids_are_listed_per_m_line() {
        let sdp = "v=0\r\na=group:BUNDLE 0 1\r\nm=audio 9 X 111\r\na=mid:0\r\n\
                   m=video 9 X 96\r\na=mid:1\r\nm=video 9 X 96\r\n";
        assert_eq!(
            media_mids(sdp),
            vec![Some("0".to_owned()), Some("1".to_owned()), None]
        );
        assert!(candidate_fits(sdp, Some("1"), None));
        assert!(candidate_fits(sdp, Some(""), Some(2)));
        assert!(candidate_fits(sdp, None, Some(0)));
        assert!(!candidate_fits(sdp, Some("7"), Some(0)));
        assert!(!candidate_fits(sdp, None, Some(3)));
        assert!(!candidate_fits(sdp, None, None));
    }

    #[test]
    fn only_the_candidate_type_is_extracted() {
        let c = "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host generation 0";
        assert_eq!(candidate_type(c), "host");
        assert_eq!(candidate_type("candidate:garbage"), "unknown");
    }

    fn codec(mime: &str, fmtp: &str, pt: u8) -> RTCRtpCodecParameters {
        RTCRtpCodecParameters {
            rtp_codec: RTCRtpCodec {
                mime_type: mime.to_owned(),
                clock_rate: 90000,
                channels: 0,
                sdp_fmtp_line: fmtp.to_owned(),
                rtcp_feedback: vec![],
            },
            payload_type: pt,
        }
    }

    #[test]
    fn the_negotiated_payload_type_is_found_by_mime_and_fmtp() {
        let negotiated = vec![
            codec(MIME_TYPE_VP8, "", 120),
            codec(MIME_TYPE_RTX, "apt=120", 121),
            codec(
                MIME_TYPE_H264,
                "packetization-mode=1;profile-level-id=42001f",
                125,
            ),
            codec(
                MIME_TYPE_H264,
                "packetization-mode=1;profile-level-id=42e01f",
                102,
            ),
        ];
        let vp8 = codec("video/vp8", "", 96).rtp_codec;
        assert_eq!(negotiated_pt(&negotiated, &vp8), Some(120));
        let h264 = codec(
            MIME_TYPE_H264,
            "packetization-mode=1;profile-level-id=42e01f",
            0,
        )
        .rtp_codec;
        assert_eq!(negotiated_pt(&negotiated, &h264), Some(102));
        let other_h264 = codec(MIME_TYPE_H264, "profile-level-id=640032", 0).rtp_codec;
        assert_eq!(negotiated_pt(&negotiated, &other_h264), Some(125));
        let opus = codec(MIME_TYPE_OPUS, "", 0).rtp_codec;
        assert_eq!(negotiated_pt(&negotiated, &opus), None);
    }
}
