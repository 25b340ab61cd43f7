//! The WebSocket edge of live sessions: it speaks `accord.v1` (JSON text messages, see
//! `live::protocol` and docs/signalling.md) between one client and its session's actor. It caps
//! message size and rate, pings, and tells the session when the client is gone, so that a
//! dropped client can come back to its place within the grace period.

mod rate;

use crate::live::protocol::{ClientMessage, ServerMessage};
use crate::live::{Connection, Outbound};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures_util::{SinkExt as _, StreamExt as _};
use rate::TokenBucket;
use std::time::{Duration, Instant};

/// Largest message a client may send: an SDP offer with many candidates fits well within it.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// How often the server pings, and how long a silent client lives.
const PING_EVERY: Duration = Duration::from_secs(10);
const SILENCE_LIMIT: Duration = Duration::from_secs(30);
/// How long the server waits for the client's answer to its Close.
const CLOSE_HANDSHAKE: Duration = Duration::from_secs(2);

/// Close codes of `accord.v1` beyond the standard ones (1000 normal, 1008 policy, 1009 too big).
pub mod close {
    pub const POLICY: u16 = 1008;
    pub const TOO_BIG: u16 = 1009;
    pub const TIMEOUT: u16 = 4408;
}

/// Serves one client until it or its session goes away.
pub async fn serve(socket: WebSocket, mut connection: Connection) {
    let (mut sink, mut stream) = socket.split();
    let mut bucket = TokenBucket::new(40.0, 20.0);
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut heard = Instant::now();
    let mut farewell_gone = false;
    let closing: Option<(u16, &'static str)> = loop {
        tokio::select! {
            // An eviction overtakes everything: nothing more of the session reaches the member.
            biased;
            farewell = &mut connection.farewell, if !farewell_gone => {
                // The session let go of this connection without evicting it.
                let Ok(farewell) = farewell else { farewell_gone = true; continue };
                let _ = send(&mut sink, &farewell.goodbye).await;
                break Some((farewell.code, "goodbye"));
            }
            frame = stream.next() => {
                let Some(frame) = frame else { break None };
                let frame = match frame {
                    Ok(frame) => frame,
                    Err(err) => {
                        let too_big = err.to_string().to_ascii_lowercase().contains("too");
                        break Some(if too_big {
                            (close::TOO_BIG, "message too big")
                        } else {
                            (close::POLICY, "unreadable frame")
                        });
                    }
                };
                heard = Instant::now();
                // Every frame the client chooses to send costs a token, whatever its kind: a
                // binary frame or a ping is answered too, so it is as much work as a message.
                let costs = !matches!(frame, Message::Close(_));
                if costs && !bucket.take(Instant::now()) {
                    let _ = send(&mut sink, &error(None, "rate_limited", "too many messages")).await;
                    break Some((close::POLICY, "too many messages"));
                }
                match frame {
                    Message::Text(text) => {
                        match serde_json::from_str::<ClientMessage>(&text) {
                            Ok(message) => connection.send(message).await,
                            Err(err) => {
                                let reply = error(None, "bad_message", &format!("not an accord.v1 message: {err}"));
                                if send(&mut sink, &reply).await.is_err() {
                                    break None;
                                }
                            }
                        }
                    }
                    Message::Binary(_) => {
                        let reply = error(None, "bad_message", "accord.v1 speaks JSON text messages");
                        if send(&mut sink, &reply).await.is_err() {
                            break None;
                        }
                    }
                    Message::Close(_) => break None,
                    Message::Ping(_) | Message::Pong(_) => {}
                }
            }
            outbound = connection.outbound.recv() => match outbound {
                Some(Outbound::Message(message)) => {
                    if send(&mut sink, &message).await.is_err() {
                        break None;
                    }
                }
                Some(Outbound::Close { code, reason }) => break Some((code, reason)),
                None => break Some((close::POLICY, "session gone")),
            },
            _ = ping.tick() => {
                if heard.elapsed() > SILENCE_LIMIT {
                    break Some((close::TIMEOUT, "no answer to pings"));
                }
                if sink.send(Message::Ping(Default::default())).await.is_err() {
                    break None;
                }
            }
        }
    };
    connection.disconnected().await;
    if let Some((code, reason)) = closing {
        let frame = CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        };
        if sink.send(Message::Close(Some(frame))).await.is_ok() {
            // The closing handshake: read on until the client's Close (or a short while), so that
            // our Close is not lost to a reset when the client is still sending (a flood).
            let _ = tokio::time::timeout(CLOSE_HANDSHAKE, async {
                loop {
                    match stream.next().await {
                        Some(Ok(Message::Close(_))) | None => break,
                        Some(Ok(_)) => {}
                        // Unreadable from here on (a frame too big was refused unread): closing
                        // now, with its bytes still unread, would reset the connection, and the
                        // reset can overtake our Close. Give the client the while to read it.
                        Some(Err(_)) => std::future::pending::<()>().await,
                    }
                }
            })
            .await;
        }
    }
}

fn error(id: Option<u64>, code: &'static str, message: &str) -> ServerMessage {
    ServerMessage::Error {
        id,
        code,
        message: message.to_owned(),
    }
}

async fn send(
    sink: &mut futures_util::stream::SplitSink<WebSocket, Message>,
    message: &ServerMessage,
) -> Result<(), axum::Error> {
    let text = serde_json::to_string(message).unwrap_or_default();
    sink.send(Message::Text(text.into())).await
}
