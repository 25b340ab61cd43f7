//! Measuring what the SFU does to media: every payload a test peer makes ends in the time it
//! was made, in microseconds since a process-wide epoch, so a receiver in the same process
//! knows each packet's latency through both WebRTC stacks and the server. Within a measurement
//! window (by send time) a peer counts what it sent and what it received, and keeps the
//! latencies, so loss is exact: packets made in the window that never arrived.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// The stamp's size at the end of each payload: a big-endian u64.
pub const STAMP_LEN: usize = 8;

static EPOCH: OnceLock<Instant> = OnceLock::new();

/// Microseconds since the process's epoch: the clock that stamps and windows use.
pub fn now_us() -> u64 {
    let epoch = *EPOCH.get_or_init(Instant::now);
    u64::try_from(epoch.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// The send time at the end of a payload made by a test peer.
pub fn stamp_of(payload: &[u8]) -> Option<u64> {
    let at = payload.len().checked_sub(STAMP_LEN)?;
    Some(u64::from_be_bytes(payload[at..].try_into().ok()?))
}

/// What one peer counted in the window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measured {
    /// Packets this peer made in the window.
    pub sent: u64,
    /// Packets from others made in the window that reached this peer.
    pub received: u64,
    pub received_bytes: u64,
    /// One-way latency of each of them, in microseconds.
    pub latencies_us: Vec<u32>,
}

#[derive(Debug, Default)]
pub(super) struct Probe {
    /// Send times `[from, to)` in microseconds; empty (0, 0) until a window is set.
    from: AtomicU64,
    to: AtomicU64,
    sent: AtomicU64,
    measured: Mutex<Measured>,
}

impl Probe {
    fn in_window(&self, stamp: u64) -> bool {
        self.from.load(Ordering::Relaxed) <= stamp && stamp < self.to.load(Ordering::Relaxed)
    }

    pub(super) fn set_window(&self, from_us: u64, to_us: u64) {
        self.from.store(from_us, Ordering::Relaxed);
        self.to.store(to_us, Ordering::Relaxed);
    }

    pub(super) fn sent(&self, stamp: u64) {
        if self.in_window(stamp) {
            self.sent.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(super) fn received(&self, payload: &[u8]) {
        let Some(stamp) = stamp_of(payload).filter(|s| self.in_window(*s)) else {
            return;
        };
        let latency = u32::try_from(now_us().saturating_sub(stamp)).unwrap_or(u32::MAX);
        let mut measured = self.measured.lock().unwrap();
        measured.received += 1;
        measured.received_bytes += payload.len() as u64;
        measured.latencies_us.push(latency);
    }

    pub(super) fn measured(&self) -> Measured {
        let mut measured = self.measured.lock().unwrap().clone();
        measured.sent = self.sent.load(Ordering::Relaxed);
        measured
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_packets_made_in_the_window_count() {
        let probe = Probe::default();
        let stamped = |at: u64| {
            let mut payload = vec![0u8; 20];
            payload.extend_from_slice(&at.to_be_bytes());
            payload
        };
        probe.set_window(100, 200);
        probe.sent(99);
        probe.sent(100);
        probe.received(&stamped(150));
        probe.received(&stamped(200));
        probe.received(&[1, 2]);
        let measured = probe.measured();
        assert_eq!((measured.sent, measured.received), (1, 1));
        assert_eq!(measured.received_bytes, 28);
        assert_eq!(stamp_of(&stamped(7)), Some(7));
    }
}
