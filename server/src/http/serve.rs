//! The accept loop: HTTP/1.1 (and WebSocket upgrades) over TCP, with the limits that keep one
//! client from starving the rest.
//!
//! - Each client address (an IPv6 client's /64) holds at most `per_client` connections at once;
//!   a connection over that is closed as soon as it is accepted. The count follows the socket,
//!   so an upgraded WebSocket counts for as long as it is open.
//! - A client must send a request's headers within `header_timeout`, and an idle kept-alive
//!   connection closes after as long, so half-sent requests cannot pile up.
//!
//! (The body's own deadline is a middleware: see `read_body_in_time` in this module's parent.)
//! On shutdown it stops accepting, lets each connection finish the request in flight, and
//! returns when every connection has closed.

use super::limits::client_key;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt as _;

/// What the accept loop enforces.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub per_client: u32,
    pub header_timeout: Duration,
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains the open connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let counts = Counts::default();
    // Each connection holds a receiver: it is told when to wind down through it, and the sender
    // learns that every connection is gone when the last receiver is dropped.
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    wait_after_accept_error(err).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = counts.take(client_key(peer.ip()), limits.per_client) else {
            // The address is left out of the log: it is personal data, and the figure is enough.
            tracing::debug!("a client over its connection limit was turned away");
            continue;
        };
        // Interactive traffic: small messages, sent at once.
        let _ = stream.set_nodelay(true);
        let stream = Counted {
            stream,
            _slot: slot,
        };
        tokio::spawn(connection(
            stream,
            peer,
            router.clone(),
            limits,
            stopping.clone(),
        ));
    }
    drop(listener);
    stop.send_replace(true);
    drop(stopping);
    stop.closed().await;
}

async fn connection(
    stream: Counted,
    peer: SocketAddr,
    router: Router,
    limits: ConnectionLimits,
    mut stopping: watch::Receiver<bool>,
) {
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(request)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut conn = pin!(builder
        .serve_connection(TokioIo::new(stream), service)
        .with_upgrades());
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stopping.wait_for(|stop| *stop) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

/// Errors that concern one connection only (it was reset before we took it) are nothing to wait
/// for; anything else (out of file descriptors) is given a moment to clear, as a tight loop of
/// failures would only make it worse.
async fn wait_after_accept_error(err: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::warn!(error = %err, "cannot accept connections");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Open connections by client address.
#[derive(Debug, Clone, Default)]
struct Counts(Arc<Mutex<HashMap<IpAddr, u32>>>);

impl Counts {
    /// A place for one more connection from `client`, if it has fewer than `limit`.
    fn take(&self, client: IpAddr, limit: u32) -> Option<Slot> {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let count = map.entry(client).or_insert(0);
        if *count >= limit {
            return None;
        }
        *count += 1;
        Some(Slot {
            counts: self.clone(),
            client,
        })
    }
}

/// One connection's place in [`Counts`], given back when it is dropped.
#[derive(Debug)]
struct Slot {
    counts: Counts,
    client: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut map = self.counts.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = map.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                map.remove(&self.client);
            }
        }
    }
}

/// A socket that holds its [`Slot`] for as long as it lives, through an upgrade too.
#[derive(Debug)]
struct Counted {
    stream: TcpStream,
    _slot: Slot,
}

impl AsyncRead for Counted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_client_up_to_its_limit_and_gives_places_back() {
        let counts = Counts::default();
        let a = IpAddr::from([10, 0, 0, 1]);
        let b = IpAddr::from([10, 0, 0, 2]);
        let first = counts.take(a, 2).unwrap();
        let _second = counts.take(a, 2).unwrap();
        assert!(counts.take(a, 2).is_none());
        assert!(
            counts.take(b, 2).is_some(),
            "another client is not affected"
        );
        drop(first);
        assert!(counts.take(a, 2).is_some());
    }
}
