//! Captures everything the server logs in this test process, so that a test can assert that no
//! secret or personal detail reaches the logs.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

#[derive(Debug, Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("log buffer poisoned"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

static BUFFER: OnceLock<SharedBuffer> = OnceLock::new();

/// Installs the capturing subscriber (once per process) at the most verbose levels an operator
/// would turn on for Accord and its web and database layers.
pub fn capture() {
    BUFFER.get_or_init(|| {
        let buffer = SharedBuffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "accord=trace,tower_http=trace,sqlx=debug,info",
            ))
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).ok();
        buffer
    });
}

/// Everything captured so far.
pub fn text() -> String {
    BUFFER
        .get()
        .and_then(|b| {
            b.0.lock()
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        })
        .unwrap_or_default()
}
