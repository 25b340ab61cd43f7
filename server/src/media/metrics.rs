//! Figures of the media forwarding, shared by every session of the process and registered once
//! in the server's Prometheus registry. The hot path only touches atomics here.

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Figures shared by every session; registered once in the server's Prometheus registry.
#[derive(Debug, Clone)]
pub struct MediaMetrics {
    forwarded_packets: Counter,
    forwarded_bytes: Counter,
    dropped_packets: Counter,
    dropped_bytes: Counter,
    renegotiations: Counter,
    peers: Gauge,
    join_to_first_media: Histogram,
}

impl Default for MediaMetrics {
    fn default() -> Self {
        MediaMetrics {
            forwarded_packets: Counter::default(),
            forwarded_bytes: Counter::default(),
            dropped_packets: Counter::default(),
            dropped_bytes: Counter::default(),
            renegotiations: Counter::default(),
            peers: Gauge::default(),
            // 50 ms .. 25.6 s: a join takes a few hundred milliseconds when all is well and
            // several seconds when ICE struggles.
            join_to_first_media: Histogram::new(exponential_buckets(0.05, 2.0, 10)),
        }
    }
}

/// A point-in-time copy of the counters and the gauge, for tests and status pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaMetricsSnapshot {
    /// RTP packets handed to subscribers' connections.
    pub forwarded_packets: u64,
    /// Their bytes (RTP header and payload).
    pub forwarded_bytes: u64,
    /// RTP packets dropped because a subscriber's queue was full.
    pub dropped_packets: u64,
    pub dropped_bytes: u64,
    /// Server-initiated offers.
    pub renegotiations: u64,
    /// Open peer connections.
    pub peers: i64,
}

impl MediaMetrics {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "media_forwarded_packets",
            "RTP packets handed to a subscriber's connection",
            self.forwarded_packets.clone(),
        );
        registry.register(
            "media_forwarded_bytes",
            "Bytes of RTP packets handed to a subscriber's connection",
            self.forwarded_bytes.clone(),
        );
        registry.register(
            "media_dropped_packets",
            "RTP packets dropped because a subscriber's queue was full",
            self.dropped_packets.clone(),
        );
        registry.register(
            "media_dropped_bytes",
            "Bytes of RTP packets dropped because a subscriber's queue was full",
            self.dropped_bytes.clone(),
        );
        registry.register(
            "media_renegotiations",
            "Server-initiated offers",
            self.renegotiations.clone(),
        );
        registry.register("media_peers", "Open peer connections", self.peers.clone());
        registry.register_with_unit(
            "media_join_to_first_media",
            "From a peer's offer to the first packet forwarded to its connection",
            Unit::Seconds,
            self.join_to_first_media.clone(),
        );
    }

    pub fn snapshot(&self) -> MediaMetricsSnapshot {
        MediaMetricsSnapshot {
            forwarded_packets: self.forwarded_packets.get(),
            forwarded_bytes: self.forwarded_bytes.get(),
            dropped_packets: self.dropped_packets.get(),
            dropped_bytes: self.dropped_bytes.get(),
            renegotiations: self.renegotiations.get(),
            peers: self.peers.get(),
        }
    }

    pub(crate) fn forwarded(&self, bytes: usize) {
        self.forwarded_packets.inc();
        self.forwarded_bytes.inc_by(bytes as u64);
    }

    pub(crate) fn dropped(&self, bytes: usize) {
        self.dropped_packets.inc();
        self.dropped_bytes.inc_by(bytes as u64);
    }

    pub(crate) fn renegotiated(&self) {
        self.renegotiations.inc();
    }

    /// Counts a peer connection as open until the returned guard is dropped, so that no path
    /// that forgets a connection can leave the gauge too high.
    pub(crate) fn open_connection(&self) -> OpenConnection {
        self.peers.inc();
        OpenConnection {
            peers: self.peers.clone(),
        }
    }
}

/// Keeps `media_peers` counting one connection while it lives.
#[derive(Debug)]
pub(crate) struct OpenConnection {
    peers: Gauge,
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.peers.dec();
    }
}

/// Times one connection's join: from its offer to the first packet forwarded to it. Shared by
/// the writers of every track forwarded to that connection; the first to write records it.
#[derive(Debug)]
pub(crate) struct FirstMedia {
    since: Instant,
    done: AtomicBool,
    metrics: MediaMetrics,
}

impl FirstMedia {
    pub(crate) fn new(since: Instant, metrics: MediaMetrics) -> Self {
        FirstMedia {
            since,
            done: AtomicBool::new(false),
            metrics,
        }
    }

    pub(crate) fn record(&self) {
        if !self.done.load(Ordering::Relaxed) && !self.done.swap(true, Ordering::Relaxed) {
            self.metrics
                .join_to_first_media
                .observe(self.since.elapsed().as_secs_f64());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peer_gauge_follows_the_guards() {
        let metrics = MediaMetrics::default();
        let first = metrics.open_connection();
        let second = metrics.open_connection();
        assert_eq!(metrics.snapshot().peers, 2);
        drop(first);
        drop(second);
        assert_eq!(metrics.snapshot().peers, 0);
    }

    #[test]
    fn first_media_is_recorded_once() {
        let metrics = MediaMetrics::default();
        let first = FirstMedia::new(Instant::now(), metrics.clone());
        first.record();
        first.record();
        let mut registry = Registry::default();
        metrics.register(&mut registry);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &registry).expect("encode");
        assert!(
            text.contains("media_join_to_first_media_seconds_count 1"),
            "{text}"
        );
    }
}
