//! Logs through `tracing`: readable text by default, one JSON object a line with `--log-format json`.
//! Colours only on a terminal (and not with `NO_COLOR` set): a file or a journal gets plain text.

use super::LogFormat;
use std::io::IsTerminal as _;
use tracing_subscriber::EnvFilter;

pub fn init(format: LogFormat, filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colour)
        .with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    // A second init (tests, an embedding program) keeps the first subscriber; nothing to do.
    drop(result);
}
