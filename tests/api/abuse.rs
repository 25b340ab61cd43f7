//! A client that abuses the server: floods of frames it was never asked for, and connections it
//! opens and never finishes. Each costs the abuser its own connection, and nobody else anything.

use super::live::{accept, join};
use super::world::World;
use accord_tests::{expect, test_config, Backend, TestApp, TestDatabase};
use serde_json::json;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpSocket, TcpStream};

/// A connection from `source` to the server with the start of a request that never ends.
async fn half_sent(source: [u8; 4], server: SocketAddr, start: &[u8]) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((source, 0))).unwrap();
    let mut stream = socket.connect(server).await.unwrap();
    // A connection over the cap may be closed before the bytes go: that is for the caller to see.
    let _ = stream.write_all(start).await;
    stream
}

/// How long until the server closes `stream`, reading (and dropping) whatever it answers.
async fn closed_after(mut stream: TcpStream, started: Instant) -> Option<Duration> {
    let mut buffer = [0u8; 1024];
    let waited = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await;
    waited.ok().map(|()| started.elapsed())
}

/// One client holds more half-sent requests than it may have connections: those over the cap
/// are closed at once, the rest when the header timeout runs out, a trickled body gets 408, and
/// `/healthz` answers another client promptly throughout.
async fn slow_clients_cannot_starve_the_server(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let mut config = test_config(&database);
    config.connections_per_client = 20;
    config.request_header_timeout_ms = 1_500;
    config.request_body_timeout_ms = 1_500;
    let app = TestApp::spawn_with(database, config).await;
    let server: SocketAddr = app.base.trim_start_matches("http://").parse().unwrap();
    let attacker = [127, 0, 0, 2];

    let started = Instant::now();
    let mut held = Vec::new();
    for _ in 0..60 {
        held.push(half_sent(attacker, server, b"GET /healthz HTTP/1.1\r\nHost: a").await);
    }
    let asked = Instant::now();
    expect(app.browser().get("/healthz").await, 200);
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "{:?}",
        asked.elapsed()
    );

    let closes: Vec<_> = held
        .into_iter()
        .map(|stream| tokio::spawn(closed_after(stream, started)))
        .collect();
    let mut closed = Vec::new();
    for close in closes {
        closed.push(
            close
                .await
                .unwrap()
                .expect("every connection is closed in the end"),
        );
    }
    let at_once = closed
        .iter()
        .filter(|t| **t < Duration::from_millis(1_000))
        .count();
    assert_eq!(at_once, 40, "closed at once: {closed:?}");
    assert!(
        closed.iter().all(|t| *t < Duration::from_secs(5)),
        "{closed:?}"
    );

    // A body that trickles in is cut off with 408, and the client's places are free again.
    let mut trickle = half_sent(
        attacker,
        server,
        b"POST /api/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\n\r\n{\"user",
    )
    .await;
    let mut answer = String::new();
    let asked = Instant::now();
    tokio::time::timeout(Duration::from_secs(10), trickle.read_to_string(&mut answer))
        .await
        .unwrap()
        .ok();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(asked.elapsed() < Duration::from_secs(5));
    expect(app.browser().get("/healthz").await, 200);
}

/// Binary frames (which accord.v1 does not speak) count against the rate like messages: a flood
/// of them is cut off, where each used to be answered with an error.
async fn a_flood_of_binary_frames_is_cut_off(backend: Backend) {
    let world = World::build(backend).await;
    accept(&world).await;
    let mut mediator = join(&world.mediator, &world.case).await;
    let mut flooder = join(&world.party, &world.case).await;
    for _ in 0..500 {
        flooder.send_binary(vec![0u8; 16]).await;
    }
    assert_eq!(flooder.closed().await, Some(1008));
    let errors = flooder
        .inbox()
        .iter()
        .filter(|m| m["code"] == "bad_message")
        .count();
    assert!(errors <= 40, "{errors} binary frames were answered");
    assert_eq!(
        mediator
            .request(json!({"type": "chat", "text": "carry on"}))
            .await["type"],
        "ack"
    );
}

on_both_backends!(
    slow_clients_cannot_starve_the_server,
    a_flood_of_binary_frames_is_cut_off,
);
