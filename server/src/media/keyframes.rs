//! Keyframe requests (PLI, FIR) from a peer, delivered to the application. The SFU relays a
//! subscriber's request to the publisher; a test peer counts the requests it receives.

use rtc::interceptor::{
    Attribute, AttributedPacket, Interceptor, Packet as InterceptorPacket, Registry, Slot,
    StreamInfo, TaggedPacket,
};
use rtc::rtcp::payload_feedbacks::full_intra_request::FullIntraRequest;
use rtc::rtcp::payload_feedbacks::picture_loss_indication::PictureLossIndication;
use rtc::sansio::Protocol;
use std::collections::VecDeque;
use std::time::Instant;

/// Adds the interceptor that lets keyframe requests through to the tracks' `poll()`, at the
/// application end of the chain.
pub fn delivered_to_app(registry: Registry) -> Registry {
    registry.with(Slot::from(14_000), KeyframeRequestsToApp::default())
}

pub fn is_keyframe_request(packet: &dyn rtc::rtcp::Packet) -> bool {
    let any = packet.as_any();
    any.is::<PictureLossIndication>() || any.is::<FullIntraRequest>()
}

/// Inbound RTCP stops at the end of the interceptor chain unless something marks it for the
/// application. This marks keyframe requests (PLI, FIR) and nothing else, so a subscriber's
/// request reaches the forwarded track's `poll()` and can be relayed to the publisher. It sits
/// last in the chain: the other interceptors have acted on every packet by then.
#[derive(Default)]
struct KeyframeRequestsToApp {
    read: VecDeque<TaggedPacket>,
    write: VecDeque<TaggedPacket>,
}

impl Protocol<TaggedPacket, TaggedPacket, ()> for KeyframeRequestsToApp {
    type Rout = TaggedPacket;
    type Wout = TaggedPacket;
    type Eout = ();
    type Error = rtc::shared::error::Error;
    type Time = Instant;

    fn handle_read(&mut self, mut message: TaggedPacket) -> Result<(), Self::Error> {
        if let InterceptorPacket::Rtcp(packets) = &mut message.message.packet {
            let (requests, rest): (Vec<_>, Vec<_>) = std::mem::take(packets)
                .into_iter()
                .partition(|p| is_keyframe_request(p.as_ref()));
            *packets = rest;
            // One message per request: the crate hands an RTCP message to the track named by
            // its first packet's SSRC, so in a compound (a receiver report, then keyframe
            // requests for two streams) the requests would reach the wrong track, or one only.
            for request in requests {
                let mut attributes = message.message.attributes.clone();
                attributes.push(Attribute::DeliverToApplication);
                self.read.push_back(TaggedPacket {
                    now: message.now,
                    transport: message.transport,
                    message: AttributedPacket {
                        attributes,
                        packet: InterceptorPacket::Rtcp(vec![request]),
                    },
                });
            }
        }
        // The rest goes on as it came: unless something else marked it, the chain's terminus
        // keeps only the attributes other interceptors attached.
        self.read.push_back(message);
        Ok(())
    }

    fn poll_read(&mut self) -> Option<TaggedPacket> {
        self.read.pop_front()
    }

    fn handle_write(&mut self, message: TaggedPacket) -> Result<(), Self::Error> {
        self.write.push_back(message);
        Ok(())
    }

    fn poll_write(&mut self) -> Option<TaggedPacket> {
        self.write.pop_front()
    }
}

impl Interceptor for KeyframeRequestsToApp {
    fn bind_local_stream(&mut self, _: &StreamInfo) {}
    fn unbind_local_stream(&mut self, _: &StreamInfo) {}
    fn bind_remote_stream(&mut self, _: &StreamInfo) {}
    fn unbind_remote_stream(&mut self, _: &StreamInfo) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_keyframe_requests_count() {
        let pli = PictureLossIndication {
            sender_ssrc: 1,
            media_ssrc: 2,
        };
        let fir = FullIntraRequest {
            sender_ssrc: 1,
            media_ssrc: 2,
            fir: vec![],
        };
        let rr = rtc::rtcp::receiver_report::ReceiverReport::default();
        assert!(is_keyframe_request(&pli));
        assert!(is_keyframe_request(&fir));
        assert!(!is_keyframe_request(&rr));
    }

    #[test]
    fn each_keyframe_request_of_a_compound_goes_to_the_application_alone() {
        let pli = |media_ssrc| -> Box<dyn rtc::rtcp::Packet> {
            Box::new(PictureLossIndication {
                sender_ssrc: 1,
                media_ssrc,
            })
        };
        let compound: Vec<Box<dyn rtc::rtcp::Packet>> = vec![
            Box::new(rtc::rtcp::receiver_report::ReceiverReport::default()),
            pli(5),
            pli(7),
        ];
        let mut interceptor = KeyframeRequestsToApp::default();
        interceptor
            .handle_read(TaggedPacket {
                now: Instant::now(),
                transport: Default::default(),
                message: AttributedPacket::new(InterceptorPacket::Rtcp(compound)),
            })
            .expect("read");
        let mut out = Vec::new();
        while let Some(message) = interceptor.poll_read() {
            let delivered = message.message.has(&Attribute::DeliverToApplication);
            let InterceptorPacket::Rtcp(packets) = message.message.packet else {
                panic!("not RTCP");
            };
            let ssrcs: Vec<u32> = packets.iter().flat_map(|p| p.destination_ssrc()).collect();
            out.push((delivered, packets.len(), ssrcs));
        }
        assert_eq!(
            out,
            vec![(true, 1, vec![5]), (true, 1, vec![7]), (false, 1, vec![])]
        );
    }
}
