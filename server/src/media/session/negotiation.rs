//! The session task's reconciliation and negotiation steps: bringing the forwarders in line
//! with the published tracks and the routing table, and renegotiating the connections whose
//! forwarded tracks changed, one offer at a time per connection.

use super::{bad_sdp, internal, Session};
use crate::media::forward::{Forwarder, Subscriber, Tap};
use crate::media::sdp;
use crate::media::{MediaConfig, MediaError, MediaEvent};
use std::collections::HashSet;
use std::sync::Arc;
use webrtc::peer_connection::{PeerConnection, RTCSessionDescription};

impl Session {
    /// Brings the forwarders in line with the published tracks and the routing table: removes
    /// those whose track is gone, shuts the gates of forbidden pairs, opens (or creates) those
    /// of allowed ones. All gates to shut are shut when this returns.
    pub(super) async fn reconcile(&mut self) {
        let taps: Vec<Tap> = self
            .peers
            .values()
            .flat_map(|p| p.published.iter().map(|t| t.tap().clone()))
            .collect();
        let live: HashSet<u64> = taps.iter().map(|t| t.id).collect();
        for (subscriber, peer) in &mut self.peers {
            let mut index = 0;
            while index < peer.forwarders.len() {
                if live.contains(&peer.forwarders[index].published) {
                    index += 1;
                    continue;
                }
                let mut gone = peer.forwarders.swap_remove(index);
                gone.close().await;
                if let Err(error) = peer.connection.remove_track(&gone.sender).await {
                    tracing::debug!(%error, "removing a forwarded track");
                }
                peer.needs_offer = true;
            }
            for forwarder in &mut peer.forwarders {
                if forwarder.is_open() && !self.routing.allows(&forwarder.publisher, subscriber) {
                    forwarder.close().await;
                }
            }
            for tap in &taps {
                if !self.routing.allows(&tap.publisher, subscriber) {
                    continue;
                }
                if let Some(forwarder) = peer.forwarders.iter_mut().find(|f| f.published == tap.id)
                {
                    if !forwarder.is_open() {
                        forwarder.open().await;
                    }
                    continue;
                }
                self.next_id += 1;
                let target = Subscriber {
                    connection: &peer.connection,
                    queue_len: self.config.subscriber_queue,
                    first_media: &peer.first_media,
                    metrics: &self.metrics,
                };
                match Forwarder::create(self.next_id, tap, target).await {
                    Ok(forwarder) => {
                        peer.forwarders.push(forwarder);
                        peer.needs_offer = true;
                    }
                    Err(error) => tracing::warn!(%error, "could not forward a track"),
                }
            }
        }
    }

    /// Sends an offer to every connected peer whose forwarded tracks changed, one negotiation
    /// at a time per connection: a change during an outstanding offer waits for its answer.
    pub(super) async fn negotiate(&mut self) {
        for (id, peer) in &mut self.peers {
            if !peer.needs_offer || !peer.connected || peer.offer_outstanding {
                continue;
            }
            peer.needs_offer = false;
            match make_offer(&peer.connection).await {
                Ok(sdp) => {
                    peer.offer_outstanding = true;
                    peer.last_offer = Some((sdp.clone(), tokio::time::Instant::now()));
                    for forwarder in &mut peer.forwarders {
                        forwarder.offered = true;
                    }
                    self.metrics.renegotiated();
                    let sdp = advertise(&self.config, sdp);
                    tracing::debug!(peer = %id.0, "offering");
                    let _ = self.events.send(MediaEvent::Offer {
                        peer: id.clone(),
                        sdp,
                    });
                }
                Err(error) => {
                    // Tried again on the next tick: a change is never dropped.
                    peer.needs_offer = true;
                    tracing::warn!(peer = %id.0, %error, "could not renegotiate");
                }
            }
        }
    }

    /// Sends an offer again when its answer is long overdue: the client may have lost it (a
    /// reconnecting WebSocket), and without an answer no later change reaches it.
    pub(super) fn resend_stale_offers(&mut self) {
        const OVERDUE: std::time::Duration = std::time::Duration::from_secs(5);
        for (id, peer) in &mut self.peers {
            let Some((sdp, sent)) = &mut peer.last_offer else {
                continue;
            };
            if !peer.offer_outstanding || sent.elapsed() < OVERDUE {
                continue;
            }
            *sent = tokio::time::Instant::now();
            tracing::warn!(peer = %id.0, "an offer went unanswered; sending it again");
            let _ = self.events.send(MediaEvent::Offer {
                peer: id.clone(),
                sdp: advertise(&self.config, sdp.clone()),
            });
        }
    }
}

/// Our SDP as the client must see it: with the advertised address instead of the bound one.
pub(super) fn advertise(config: &MediaConfig, sdp: String) -> String {
    match config.advertised_ip {
        Some(advertised) => sdp::rewrite_sdp(&sdp, config.bind_ip, advertised),
        None => sdp,
    }
}

pub(super) async fn answer_offer(
    connection: &Arc<dyn PeerConnection>,
    offer: RTCSessionDescription,
) -> Result<String, MediaError> {
    connection
        .set_remote_description(offer)
        .await
        .map_err(bad_sdp)?;
    let answer = connection.create_answer(None).await.map_err(bad_sdp)?;
    connection
        .set_local_description(answer)
        .await
        .map_err(internal)?;
    connection
        .local_description()
        .await
        .map(|d| d.sdp)
        .ok_or_else(|| MediaError::Internal("no local description".into()))
}

async fn make_offer(connection: &Arc<dyn PeerConnection>) -> webrtc::error::Result<String> {
    let offer = connection.create_offer(None).await?;
    connection.set_local_description(offer).await?;
    connection
        .local_description()
        .await
        .map(|d| d.sdp)
        .ok_or(webrtc::error::Error::ErrConnectionClosed)
}
