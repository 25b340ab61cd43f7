//! The report: one JSON document per invocation, and the same figures as a table to read.

use crate::options::Shape;
use crate::procfs::Machine;
use serde::Serialize;
use std::fmt::Write as _;

/// What one server did with one load shape.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub server: &'static str,
    pub shape: Shape,
    /// Participants whose join completed (signalling and a connected peer connection).
    pub participants_joined: u32,
    /// Participants who received media from someone.
    pub participants_with_media: u32,
    /// Packets delivered to subscribers, per second of the window.
    pub forwarded_packets_per_s: f64,
    pub forwarded_kbit_per_s: f64,
    /// The server process's CPU time (user + system) over the window's wall time.
    pub cpu_percent_of_one_core: f64,
    pub cpu_us_per_forwarded_packet: f64,
    pub rss_bytes: u64,
    pub rss_bytes_idle: u64,
    /// (RSS at the end of the window - RSS before any session) / participants.
    pub rss_bytes_per_participant: f64,
    /// Packets made in the window that did not reach a subscriber that should have had them.
    pub loss: f64,
    pub packets_expected: u64,
    pub packets_received: u64,
    /// What the server's own counters say it handed to subscribers' connections, and dropped
    /// from full subscriber queues, over the window (Accord only): where loss happened.
    pub server_forwarded_packets: Option<u64>,
    pub server_dropped_packets: Option<u64>,
    /// One way, publisher's `write_rtp` to subscriber's track: both WebRTC stacks and the server.
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    pub latency_max_ms: f64,
    /// From opening the signalling connection to the first forwarded packet received.
    pub join_to_first_media_p50_ms: f64,
    pub join_to_first_media_p99_ms: f64,
    /// The load generator's own CPU, which shares the machine with the server.
    pub generator_cpu_percent: f64,
}

/// Accord's figure divided by Janus's: below 1 means Accord spends or waits less.
#[derive(Debug, Clone, Serialize)]
pub struct Ratios {
    pub cpu_us_per_forwarded_packet: f64,
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    pub join_to_first_media_p50_ms: f64,
    pub join_to_first_media_p99_ms: f64,
    pub rss_bytes_per_participant: f64,
}

impl Ratios {
    pub fn of(accord: &Report, janus: &Report) -> Ratios {
        Ratios {
            cpu_us_per_forwarded_packet: accord.cpu_us_per_forwarded_packet
                / janus.cpu_us_per_forwarded_packet,
            latency_p50_ms: accord.latency_p50_ms / janus.latency_p50_ms,
            latency_p99_ms: accord.latency_p99_ms / janus.latency_p99_ms,
            join_to_first_media_p50_ms: accord.join_to_first_media_p50_ms
                / janus.join_to_first_media_p50_ms,
            join_to_first_media_p99_ms: accord.join_to_first_media_p99_ms
                / janus.join_to_first_media_p99_ms,
            rss_bytes_per_participant: accord.rss_bytes_per_participant
                / janus.rss_bytes_per_participant,
        }
    }
}

/// A sweep's steps and where it stopped.
#[derive(Debug, Clone, Serialize)]
pub struct Sweep {
    pub steps: Vec<Report>,
    /// The most sessions that held (loss at most 1 %, p99 latency at most 50 ms); `None` if the
    /// first step did not.
    pub knee_sessions: Option<u32>,
    /// Why the sweep stopped.
    pub stopped_because: String,
}

/// The whole document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub machine: Machine,
    pub shape: Shape,
    pub accord: Report,
    pub janus: Option<Report>,
    pub accord_over_janus: Option<Ratios>,
    pub sweep: Option<Sweep>,
}

/// The `p`-th percentile (nearest rank) of `values`, which it sorts; NaN when empty.
pub fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = (p / 100.0 * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// Whether a step of a sweep held: the thresholds the issue sets for "carries".
pub fn holds(report: &Report) -> bool {
    report.participants_with_media == report.shape.participants()
        && report.loss <= 0.01
        && report.latency_p99_ms <= 50.0
}

/// A row of the table: its name, its figure in a report, and Accord's ratio to Janus.
type Row = (&'static str, fn(&Report) -> f64, Option<f64>);

/// The readable table: one row per figure, one column per server (and their ratio).
pub fn table(document: &Document) -> String {
    let shape = document.shape;
    let mut out = format!(
        "{} sessions x {} participants, {} s window, video {} kbit/s at {} fps, audio {} packets/s\n\n",
        shape.sessions,
        shape.participants_per_session,
        shape.seconds,
        shape.video_kbps,
        shape.fps,
        shape.audio_packets_per_s
    );
    let janus = document.janus.as_ref();
    let ratios = document.accord_over_janus.as_ref();
    let _ = writeln!(
        out,
        "{:<34} {:>12} {:>12} {:>14}",
        "", "accord", "janus", "accord/janus"
    );
    let rows: [Row; 13] = [
        (
            "participants with media",
            |r| f64::from(r.participants_with_media),
            None,
        ),
        ("forwarded packets/s", |r| r.forwarded_packets_per_s, None),
        ("forwarded kbit/s", |r| r.forwarded_kbit_per_s, None),
        (
            "server CPU, % of one core",
            |r| r.cpu_percent_of_one_core,
            None,
        ),
        (
            "CPU us per forwarded packet",
            |r| r.cpu_us_per_forwarded_packet,
            ratios.map(|x| x.cpu_us_per_forwarded_packet),
        ),
        ("RSS MB", |r| r.rss_bytes as f64 / 1e6, None),
        (
            "RSS kB per participant",
            |r| r.rss_bytes_per_participant / 1e3,
            ratios.map(|x| x.rss_bytes_per_participant),
        ),
        ("loss %", |r| r.loss * 100.0, None),
        (
            "of which dropped in the server, %",
            |r| {
                r.server_dropped_packets.map_or(f64::NAN, |d| {
                    d as f64 * 100.0 / r.packets_expected.max(1) as f64
                })
            },
            None,
        ),
        (
            "latency p50 ms",
            |r| r.latency_p50_ms,
            ratios.map(|x| x.latency_p50_ms),
        ),
        (
            "latency p99 ms",
            |r| r.latency_p99_ms,
            ratios.map(|x| x.latency_p99_ms),
        ),
        (
            "join to first media p50 ms",
            |r| r.join_to_first_media_p50_ms,
            ratios.map(|x| x.join_to_first_media_p50_ms),
        ),
        (
            "join to first media p99 ms",
            |r| r.join_to_first_media_p99_ms,
            ratios.map(|x| x.join_to_first_media_p99_ms),
        ),
    ];
    // A figure a server does not have (NaN) shows as a dash.
    let cell = |value: Option<f64>| match value {
        Some(v) if !v.is_nan() => format!("{v:.2}"),
        _ => "-".to_owned(),
    };
    for (name, figure, ratio) in rows {
        let _ = writeln!(
            out,
            "{name:<34} {:>12} {:>12} {:>14}",
            cell(Some(figure(&document.accord))),
            cell(janus.map(figure)),
            cell(ratio)
        );
    }
    let _ = writeln!(
        out,
        "{:<34} {:>12.1} {:>12}",
        "load generator CPU, % of one core",
        document.accord.generator_cpu_percent,
        janus.map_or("-".to_owned(), |j| format!(
            "{:.1}",
            j.generator_cpu_percent
        ))
    );
    if let Some(sweep) = &document.sweep {
        let _ = writeln!(out, "\nsweep (loss <= 1 %, p99 <= 50 ms):");
        for step in &sweep.steps {
            let _ = writeln!(
                out,
                "  {:>3} sessions: {:>8.0} packets/s, CPU {:>5.1} %, loss {:>6.3} %, p99 {:>7.1} ms  {}",
                step.shape.sessions,
                step.forwarded_packets_per_s,
                step.cpu_percent_of_one_core,
                step.loss * 100.0,
                step.latency_p99_ms,
                if holds(step) { "holds" } else { "past the knee" }
            );
        }
        let _ = writeln!(
            out,
            "  knee: {} ({})",
            sweep
                .knee_sessions
                .map_or("none held".to_owned(), |n| format!("{n} sessions")),
            sweep.stopped_because
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut values: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&mut values, 50.0), 50.0);
        assert_eq!(percentile(&mut values, 99.0), 99.0);
        assert_eq!(percentile(&mut values, 100.0), 100.0);
        assert_eq!(percentile(&mut [3.0], 99.0), 3.0);
        assert!(percentile(&mut [], 50.0).is_nan());
    }
}
