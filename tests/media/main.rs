//! The SFU end to end, in process: a `MediaSession` and real WebRTC peers on loopback
//! (`accord_tests::peer::TestPeer`), with this file doing the signalling: offers, answers and
//! candidates go straight between the peers and the `MediaHandle` / `MediaEvent` channel.
//!
//! Time is real here (UDP, DTLS, SRTP), so every wait is a condition with a deadline; the only
//! fixed durations are the measurement windows in which "nothing arrives" is the claim.

use accord::media::{
    IceCandidate, MediaConfig, MediaError, MediaEvent, MediaHandle, MediaMetrics, MediaSession,
    PeerId, Routing,
};
use accord_tests::peer::{PeerEvent, Received, TestPeer};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

const JOIN: Duration = Duration::from_secs(10);
/// Packets handed to a connection just before `set_routing` returned may still be in its
/// socket and in the receiver's pipeline; this long after the return they have arrived.
const IN_FLIGHT: Duration = Duration::from_millis(250);
/// How long "nothing arrives" is watched.
const WINDOW: Duration = Duration::from_millis(1200);

fn id(name: &str) -> PeerId {
    PeerId(name.to_owned())
}

fn loopback() -> MediaConfig {
    MediaConfig {
        bind_ip: IpAddr::from([127, 0, 0, 1]),
        port_range: None,
        advertised_ip: None,
        subscriber_queue: 256,
    }
}

/// `pairs`: each publisher with the subscribers it may reach.
fn routing(pairs: &[(&str, &[&str])]) -> Routing {
    let mut table = BTreeMap::new();
    for (publisher, subscribers) in pairs {
        let set: BTreeSet<PeerId> = subscribers.iter().map(|s| id(s)).collect();
        table.insert(id(publisher), set);
    }
    Routing(table)
}

fn everyone(names: &[&str]) -> Routing {
    let pairs: Vec<(&str, &[&str])> = names.iter().map(|n| (*n, names)).collect();
    routing(&pairs)
}

/// A media session and the signalling between it and the test peers.
struct Rig {
    handle: MediaHandle,
    metrics: MediaMetrics,
    peers: Arc<Mutex<HashMap<String, Arc<TestPeer>>>>,
    /// Signalling steps that failed; a test ends by asserting there were none.
    problems: Arc<Mutex<Vec<String>>>,
    pump: JoinHandle<()>,
}

impl Rig {
    fn start(config: MediaConfig) -> Rig {
        let metrics = MediaMetrics::default();
        let (handle, mut events) = MediaSession::spawn(config, metrics.clone());
        let peers: Arc<Mutex<HashMap<String, Arc<TestPeer>>>> = Arc::default();
        let problems: Arc<Mutex<Vec<String>>> = Arc::default();
        let pump = {
            let (handle, peers, problems) = (handle.clone(), peers.clone(), problems.clone());
            tokio::spawn(async move {
                // Ends when the media task does: it owns the sending half.
                while let Some(event) = events.recv().await {
                    let (peer, problem) = match event {
                        MediaEvent::Candidate { peer, candidate } => {
                            let Some(target) = peers.lock().unwrap().get(&peer.0).cloned() else {
                                continue;
                            };
                            (peer, target.add_candidate(candidate).await.err())
                        }
                        MediaEvent::Offer { peer, sdp } => {
                            let Some(target) = peers.lock().unwrap().get(&peer.0).cloned() else {
                                continue;
                            };
                            let problem = match target.handle_offer(&sdp).await {
                                Ok(answer) => handle
                                    .answer(peer.clone(), answer)
                                    .await
                                    .err()
                                    .map(|e| e.to_string()),
                                Err(e) => Some(e),
                            };
                            (peer, problem)
                        }
                        MediaEvent::Connected { .. } | MediaEvent::Disconnected { .. } => continue,
                    };
                    if let Some(problem) = problem {
                        problems
                            .lock()
                            .unwrap()
                            .push(format!("{}: {problem}", peer.0));
                    }
                }
            })
        };
        Rig {
            handle,
            metrics,
            peers,
            problems,
            pump,
        }
    }

    /// A new peer `name` (replacing any previous one) offers, gets connected, and publishes.
    async fn join(&self, name: &str) -> Arc<TestPeer> {
        let (peer, mut events) = TestPeer::new(name).await;
        let previous = self
            .peers
            .lock()
            .unwrap()
            .insert(name.to_owned(), peer.clone());
        let offer = peer.offer().await;
        let answer = self.handle.offer(id(name), offer).await.unwrap();
        if let Some(previous) = previous {
            previous.close().await;
        }
        peer.apply_answer(&answer).await.unwrap();
        let (handle, problems, name_owned) =
            (self.handle.clone(), self.problems.clone(), name.to_owned());
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                if let PeerEvent::Candidate(candidate) = event {
                    if let Err(e) = handle.candidate(id(&name_owned), candidate).await {
                        problems.lock().unwrap().push(format!("{name_owned}: {e}"));
                    }
                }
            }
        });
        peer.wait_connected(JOIN).await.unwrap();
        peer.start_publishing();
        peer
    }

    fn problems(&self) -> Vec<String> {
        self.problems.lock().unwrap().clone()
    }
}

/// Waits until `peer` has audio and video from each of `publishers` (counted since its last
/// reset), and says how long that took.
async fn expect_media(peer: &TestPeer, publishers: &[&str], within: Duration) -> Duration {
    let started = Instant::now();
    for publisher in publishers {
        assert!(
            peer.wait_for_media_from(publisher, within).await,
            "{} got no media from {publisher} within {within:?}: {:?}",
            peer.name,
            peer.received_all()
        );
    }
    started.elapsed()
}

fn reset(peers: &[&Arc<TestPeer>]) {
    for peer in peers {
        peer.reset_counts();
    }
}

/// Waits for packets handed over before a routing change to land, then watches a window and
/// returns what each peer received in it.
async fn watch_window(peers: &[&Arc<TestPeer>]) -> Vec<HashMap<String, Received>> {
    tokio::time::sleep(IN_FLIGHT).await;
    reset(peers);
    tokio::time::sleep(WINDOW).await;
    peers.iter().map(|p| p.received_all()).collect()
}

fn packets(counts: &HashMap<String, Received>, publisher: &str) -> u64 {
    counts.get(publisher).map_or(0, Received::packets)
}

async fn eventually(within: Duration, condition: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if condition() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    condition()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_decides_who_receives_whom() {
    let tasks_before = tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks();
    let rig = Rig::start(loopback());
    let all = ["A", "B", "C"];
    rig.handle.set_routing(everyone(&all)).await.unwrap();
    let a = rig.join("A").await;
    let b = rig.join("B").await;
    let c = rig.join("C").await;

    // (a) all to all: everyone gets audio and video from both others.
    let took = expect_media(&a, &["B", "C"], JOIN).await;
    expect_media(&b, &["A", "C"], JOIN).await;
    expect_media(&c, &["A", "B"], JOIN).await;
    println!("all to all: media everywhere {took:?} after the last join");

    // (b) A and C in a caucus; B hears nobody and nobody hears B.
    rig.handle
        .set_routing(routing(&[("A", &["C"]), ("C", &["A"]), ("B", &[])]))
        .await
        .unwrap();
    let counts = watch_window(&[&a, &b, &c]).await;
    let (at_a, at_b, at_c) = (&counts[0], &counts[1], &counts[2]);
    assert_eq!(
        packets(at_b, "A"),
        0,
        "B received A in the caucus: {at_b:?}"
    );
    assert_eq!(
        packets(at_b, "C"),
        0,
        "B received C in the caucus: {at_b:?}"
    );
    assert_eq!(
        packets(at_a, "B"),
        0,
        "A received B in the caucus: {at_a:?}"
    );
    assert_eq!(
        packets(at_c, "B"),
        0,
        "C received B in the caucus: {at_c:?}"
    );
    let window = WINDOW.as_secs_f64();
    for (at, from) in [(at_a, "C"), (at_c, "A")] {
        let r = at.get(from).copied().unwrap_or_default();
        // 50 audio packets/s and about 100 video packets/s are sent.
        assert!(
            r.audio as f64 >= 35.0 * window && r.video as f64 >= 70.0 * window,
            "A and C must keep flowing: {r:?} from {from}"
        );
    }
    let through = (packets(at_a, "C") + packets(at_c, "A")) as f64 / window;
    println!("caucus: 0 packets to or from B over {WINDOW:?}; A<->C {through:.0} packets/s");

    // (c) Back to all: B gets A again, fast, and A was asked for a keyframe for B.
    let keyframe_requests = a.keyframe_requests();
    b.reset_counts();
    let reopened = Instant::now();
    rig.handle.set_routing(everyone(&all)).await.unwrap();
    expect_media(&b, &["A", "C"], Duration::from_secs(3)).await;
    let first = b.received("A").first_at.unwrap() - reopened;
    println!("reopened: first packet from A at B after {first:?}");
    assert!(first < Duration::from_secs(3), "{first:?}");
    assert!(
        eventually(Duration::from_secs(2), || a.keyframe_requests()
            > keyframe_requests)
        .await,
        "no keyframe request reached A when B's gate opened"
    );
    // A subscriber's own keyframe request reaches the publisher too (at most one per 500 ms
    // per track goes upstream, so this may wait out the one just sent).
    let keyframe_requests = a.keyframe_requests();
    c.request_keyframe("A").await.unwrap();
    assert!(
        eventually(Duration::from_secs(2), || a.keyframe_requests()
            > keyframe_requests)
        .await,
        "C's keyframe request did not reach A"
    );

    // (d) Bad input is refused, and the others carry on.
    let garbage = "this is not SDP".to_owned();
    assert!(matches!(
        rig.handle.offer(id("D"), garbage.clone()).await,
        Err(MediaError::BadSdp(_))
    ));
    assert!(matches!(
        rig.handle.offer(id("B"), garbage).await,
        Err(MediaError::BadSdp(_))
    ));
    assert_eq!(
        rig.handle.answer(id("A"), "v=0\r\n".to_owned()).await,
        Err(MediaError::NoOfferPending)
    );
    assert_eq!(
        rig.handle.answer(id("Z"), "v=0\r\n".to_owned()).await,
        Err(MediaError::UnknownPeer)
    );
    let candidate = |text: &str, mid: Option<&str>| IceCandidate {
        candidate: text.to_owned(),
        sdp_mid: mid.map(str::to_owned),
        sdp_mline_index: Some(0),
    };
    let good = "candidate:1 1 udp 2130706431 127.0.0.1 9 typ host";
    assert_eq!(
        rig.handle.candidate(id("Z"), candidate(good, None)).await,
        Err(MediaError::UnknownPeer)
    );
    assert!(matches!(
        rig.handle
            .candidate(id("A"), candidate("candidate:garbage", None))
            .await,
        Err(MediaError::BadCandidate(_))
    ));
    assert!(matches!(
        rig.handle
            .candidate(id("A"), candidate(good, Some("no-such-mid")))
            .await,
        Err(MediaError::BadCandidate(_))
    ));
    assert_eq!(
        rig.handle.candidate(id("A"), candidate("", None)).await,
        Ok(()),
        "end of candidates"
    );
    reset(&[&a, &b, &c]);
    expect_media(&a, &["B", "C"], Duration::from_secs(3)).await;
    expect_media(&b, &["A", "C"], Duration::from_secs(3)).await;
    expect_media(&c, &["A", "B"], Duration::from_secs(3)).await;

    // (e) A comes back on a new connection: media flows both ways again.
    let renegotiations = rig.metrics.snapshot().renegotiations;
    reset(&[&b, &c]);
    let a2 = rig.join("A").await;
    expect_media(&a2, &["B", "C"], JOIN).await;
    expect_media(&b, &["A"], JOIN).await;
    expect_media(&c, &["A"], JOIN).await;
    assert!(rig.metrics.snapshot().renegotiations > renegotiations);
    assert_eq!(
        rig.metrics.snapshot().peers,
        3,
        "the old connection is closed"
    );

    // ... and once removed, nothing goes to it or comes from it.
    rig.handle.remove_peer(id("A")).await;
    let counts = watch_window(&[&a2, &b, &c]).await;
    assert!(
        counts[0].is_empty(),
        "A got media after removal: {:?}",
        counts[0]
    );
    assert_eq!(packets(&counts[1], "A"), 0, "B got A after removal");
    assert_eq!(packets(&counts[2], "A"), 0, "C got A after removal");
    assert!(packets(&counts[1], "C") > 0 && packets(&counts[2], "B") > 0);
    assert_eq!(rig.metrics.snapshot().peers, 2);

    let snapshot = rig.metrics.snapshot();
    println!("metrics: {snapshot:?}");
    assert!(snapshot.forwarded_packets > 0 && snapshot.forwarded_bytes > 0);
    assert_eq!(rig.problems(), Vec::<String>::new());

    // Shutting down closes everything, and no task is left behind.
    rig.handle.shutdown().await;
    assert_eq!(rig.metrics.snapshot().peers, 0);
    let Rig { pump, peers, .. } = rig;
    tokio::time::timeout(Duration::from_secs(2), pump)
        .await
        .expect("the media task ends")
        .unwrap();
    for peer in [&a, &a2, &b, &c] {
        peer.close().await;
    }
    drop((peers, a, a2, b, c));
    let metrics = tokio::runtime::Handle::current().metrics();
    assert!(
        eventually(Duration::from_secs(3), || metrics.num_alive_tasks()
            <= tasks_before)
        .await,
        "{} tasks still alive (before: {tasks_before})",
        metrics.num_alive_tasks()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ports_come_from_the_range_and_candidates_carry_the_advertised_address() {
    let probe = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let low = probe
        .local_addr()
        .unwrap()
        .port()
        .saturating_sub(40)
        .max(1024);
    drop(probe);
    let high = low + 40;
    let advertised: IpAddr = "203.0.113.9".parse().unwrap();
    let config = MediaConfig {
        port_range: Some((low, high)),
        advertised_ip: Some(advertised),
        ..loopback()
    };
    let (handle, mut events) = MediaSession::spawn(config, MediaMetrics::default());
    let (peer, _peer_events) = TestPeer::new("A").await;
    let answer = handle.offer(id("A"), peer.offer().await).await.unwrap();
    for line in answer.lines().filter(|l| l.starts_with("a=candidate")) {
        assert!(line.contains(" 203.0.113.9 "), "{line}");
    }
    assert!(!answer.contains("127.0.0.1"), "the bound address leaks");
    let candidate = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Some(MediaEvent::Candidate { candidate, .. }) = events.recv().await {
                return candidate;
            }
        }
    })
    .await
    .expect("a trickled candidate");
    let fields: Vec<&str> = candidate.candidate.split(' ').collect();
    assert_eq!(fields[4], "203.0.113.9", "{:?}", candidate.candidate);
    let port: u16 = fields[5].parse().unwrap();
    assert!(
        (low..=high).contains(&port),
        "{port} outside {low}..={high}"
    );
    assert!(candidate.sdp_mid.is_some(), "browsers need the mid");

    handle.shutdown().await;

    // With every port of the range taken, an offer cannot be served.
    let taken = std::net::UdpSocket::bind(("127.0.0.1", 0)).unwrap();
    let busy = taken.local_addr().unwrap().port();
    let (handle, _events) = MediaSession::spawn(
        MediaConfig {
            port_range: Some((busy, busy)),
            ..loopback()
        },
        MediaMetrics::default(),
    );
    let (other, _other_events) = TestPeer::new("B").await;
    assert_eq!(
        handle.offer(id("B"), other.offer().await).await,
        Err(MediaError::NoPort)
    );
    peer.close().await;
    other.close().await;
}
