//! One measurement, the same for every server: once everyone has joined, a window of send
//! times is set on every peer; the server's CPU is read at its edges; after it, what every
//! peer sent and received in it becomes the report.

use crate::options::Shape;
use crate::procfs;
use crate::report::{percentile, Report};
use accord_tests::peer::{now_us, TestPeer};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long everyone may take to receive their first media once all have joined.
const FIRST_MEDIA_PATIENCE: Duration = Duration::from_secs(15);
/// Media flows this long before the window opens: keyframe bursts that follow each join and
/// the subscribers' renegotiations are over by then.
const WARM_UP: Duration = Duration::from_secs(2);
/// Packets made at the very end of the window are still on their way this long after it.
const DRAIN: Duration = Duration::from_secs(1);

/// One participant as the measurement sees it: with Accord one connection both ways, with
/// Janus one to publish and one to receive.
#[derive(Debug, Clone)]
pub struct Participant {
    /// When it began to join: opened its signalling connection.
    pub started: Instant,
    pub publisher: Arc<TestPeer>,
    pub receiver: Arc<TestPeer>,
}

/// The server being measured.
#[derive(Debug, Clone)]
pub struct Server {
    pub name: &'static str,
    pub pid: u32,
    /// Resident memory before any session.
    pub idle_rss: u64,
    /// Its Prometheus endpoint, if it counts what it forwards and drops (Accord's does).
    pub metrics_url: Option<String>,
}

/// What the server says it forwarded and dropped, from its own counters.
#[derive(Debug, Clone, Copy, Default)]
struct Counters {
    forwarded: u64,
    dropped: u64,
}

/// Reads Accord's media counters; `None` if the server has no such endpoint or it fails.
async fn counters(url: Option<&str>) -> Option<Counters> {
    let text = reqwest::get(url?).await.ok()?.text().await.ok()?;
    let value = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
    };
    Some(Counters {
        forwarded: value("accord_media_forwarded_packets_total")?,
        dropped: value("accord_media_dropped_packets_total")?,
    })
}

/// Waits for everyone's first media, warms up, measures one window of `shape.seconds` and
/// returns the report. The participants keep publishing throughout; the caller hangs up after.
pub async fn measure(
    server: Server,
    shape: Shape,
    participants: &[Participant],
) -> anyhow::Result<Report> {
    let deadline = Instant::now() + FIRST_MEDIA_PATIENCE;
    while Instant::now() < deadline
        && participants
            .iter()
            .any(|p| p.receiver.first_media_at().is_none())
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let join_ms: Vec<f64> = participants
        .iter()
        .filter_map(|p| {
            let first = p.receiver.first_media_at()?;
            Some(first.saturating_duration_since(p.started).as_secs_f64() * 1e3)
        })
        .collect();

    tokio::time::sleep(WARM_UP).await;
    let window = Duration::from_secs(u64::from(shape.seconds));
    let from_us = now_us() + 100_000;
    let to_us = from_us + window.as_micros() as u64;
    for p in participants {
        p.publisher.set_window(from_us, to_us);
        p.receiver.set_window(from_us, to_us);
    }
    tokio::time::sleep(Duration::from_micros(from_us.saturating_sub(now_us()))).await;
    let (cpu_before, own_before) = (
        procfs::cpu_us(server.pid)?,
        procfs::cpu_us(std::process::id())?,
    );
    let counted_before = counters(server.metrics_url.as_deref()).await;
    tokio::time::sleep(Duration::from_micros(to_us.saturating_sub(now_us()))).await;
    let (cpu_after, own_after) = (
        procfs::cpu_us(server.pid)?,
        procfs::cpu_us(std::process::id())?,
    );
    let counted = counters(server.metrics_url.as_deref())
        .await
        .zip(counted_before)
        .map(|(after, before)| Counters {
            forwarded: after.forwarded.saturating_sub(before.forwarded),
            dropped: after.dropped.saturating_sub(before.dropped),
        });
    let rss = procfs::rss_bytes(server.pid)?;
    tokio::time::sleep(DRAIN).await;

    let others = u64::from(shape.participants_per_session.saturating_sub(1));
    let (mut sent, mut received, mut bytes) = (0u64, 0u64, 0u64);
    let mut latencies_us = Vec::new();
    for p in participants {
        let published = p.publisher.measured();
        let got = p.receiver.measured();
        sent += published.sent;
        received += got.received;
        bytes += got.received_bytes;
        latencies_us.extend(got.latencies_us);
    }
    let expected = sent * others;
    let seconds = window.as_secs_f64();
    let cpu_us = cpu_after.saturating_sub(cpu_before) as f64;
    let mut latencies_ms: Vec<f64> = latencies_us.iter().map(|us| f64::from(*us) / 1e3).collect();
    let mut join_ms = join_ms;
    let participants_total = f64::from(shape.participants());
    Ok(Report {
        server: server.name,
        shape,
        participants_joined: participants.len() as u32,
        participants_with_media: join_ms.len() as u32,
        forwarded_packets_per_s: received as f64 / seconds,
        forwarded_kbit_per_s: bytes as f64 * 8.0 / 1e3 / seconds,
        cpu_percent_of_one_core: cpu_us / 1e6 / seconds * 100.0,
        cpu_us_per_forwarded_packet: if received > 0 {
            cpu_us / received as f64
        } else {
            f64::NAN
        },
        rss_bytes: rss,
        rss_bytes_idle: server.idle_rss,
        rss_bytes_per_participant: rss.saturating_sub(server.idle_rss) as f64 / participants_total,
        loss: if expected > 0 {
            1.0 - received as f64 / expected as f64
        } else {
            f64::NAN
        },
        packets_expected: expected,
        packets_received: received,
        server_forwarded_packets: counted.map(|c| c.forwarded),
        server_dropped_packets: counted.map(|c| c.dropped),
        latency_p50_ms: percentile(&mut latencies_ms, 50.0),
        latency_p99_ms: percentile(&mut latencies_ms, 99.0),
        latency_max_ms: percentile(&mut latencies_ms, 100.0),
        join_to_first_media_p50_ms: percentile(&mut join_ms, 50.0),
        join_to_first_media_p99_ms: percentile(&mut join_ms, 99.0),
        generator_cpu_percent: own_after.saturating_sub(own_before) as f64 / 1e6 / seconds * 100.0,
    })
}
