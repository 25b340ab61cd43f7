//! What the server tells its operator once it is ready: where it listens and, on first start,
//! the one-time setup link.
//!
//! With text logs, a few plain lines on stderr, for the person at the terminal (or reading the
//! service's journal). With JSON logs, stderr goes to a log collector, where a one-time key has
//! no place: the banner is a JSON log event like every other line, and the setup link goes to a
//! file in the data folder that only the server's own account can read, which the event names.

use super::{Application, LogFormat};
use std::io::Write as _;
use std::path::Path;

/// The file that holds the setup link on a first start with JSON logs.
const SETUP_LINK_FILE: &str = "setup-link.txt";

pub fn announce(application: &Application) -> anyhow::Result<()> {
    let config = application.state.config();
    let origin = format!("http://{}", application.local_addr());
    tracing::info!(address = %application.local_addr(), "accord is listening");
    let link_file = config.data_dir.join(SETUP_LINK_FILE);
    match config.log_format {
        LogFormat::Text => {
            let mut err = std::io::stderr().lock();
            writeln!(err, "\n  Accord is running: open {origin}/")?;
            match application.setup_link() {
                Some(link) => writeln!(
                    err,
                    "  First start: create the first committee and its admin at\n\n    {link}\n\n  \
                     (single use, valid for 24 hours; restart for a new one)\n"
                )?,
                None => writeln!(err, "  Staff sign in at {origin}/login\n")?,
            }
        }
        LogFormat::Json => match application.setup_link() {
            Some(link) => {
                write_private(&link_file, link)?;
                tracing::info!(
                    url = %origin,
                    setup_link_file = %link_file.display(),
                    "accord is running; first start: the setup link (single use, valid for 24 \
                     hours; restart for a new one) is in setup_link_file"
                );
            }
            None => {
                forget(&link_file);
                tracing::info!(url = %origin, sign_in = %format!("{origin}/login"), "accord is running");
            }
        },
    }
    Ok(())
}

/// Writes `text` to `path`, readable by the owner alone (it is a key to the installation).
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // A file left by an earlier start may have other permissions: start afresh.
    forget(path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    writeln!(file, "{text}")?;
    Ok(())
}

/// Removes a setup link that no longer opens anything (setup is done).
fn forget(path: &Path) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => {
            tracing::warn!(file = %path.display(), error = %err, "cannot remove an old setup link")
        }
    }
}
