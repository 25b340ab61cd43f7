//! The command line: the load shape, where the report goes, and what to compare against.

use clap::{Parser, ValueEnum};
use std::path::PathBuf;

/// Drives N concurrent sessions of K participants through an SFU with real signalling and real
/// WebRTC (DTLS-SRTP) on loopback, and reports what the server's process spent on them.
#[derive(Debug, Clone, Parser)]
#[command(name = "accord-bench", version)]
pub struct Options {
    /// Concurrent sessions (the first step of a sweep).
    #[arg(long, default_value_t = 2)]
    pub sessions: u32,
    /// Participants per session: one mediator and the parties; each publishes and receives
    /// everyone else.
    #[arg(long, default_value_t = 3)]
    pub participants: u32,
    /// Length of the measurement window, after everyone has joined.
    #[arg(long, default_value_t = 20)]
    pub seconds: u32,
    /// Video bitrate each participant publishes, in kbit/s.
    #[arg(long, default_value_t = 600)]
    pub video_kbps: u32,
    /// Video frames per second.
    #[arg(long, default_value_t = 30)]
    pub fps: u32,
    /// Also run the same load against this server, right after Accord, and compare.
    #[arg(long, value_enum)]
    pub against: Option<Against>,
    /// Raise the number of sessions until loss passes 1 % or p99 latency passes 50 ms, and
    /// report the last step that held (the knee).
    #[arg(long)]
    pub sweep: bool,
    /// Sessions added at each step of a sweep.
    #[arg(long, default_value_t = 2)]
    pub sweep_step: u32,
    /// A sweep stops here even if the server still holds.
    #[arg(long, default_value_t = 40)]
    pub sweep_max: u32,
    /// Where the JSON report goes.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// The `accord` binary to measure [default: `accord` next to this program].
    #[arg(long, env = "ACCORD_BIN")]
    pub accord_bin: Option<PathBuf>,
    /// The `janus` binary for `--against janus`.
    #[arg(long, default_value = "/usr/bin/janus")]
    pub janus_bin: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Against {
    /// Janus's VideoRoom plugin (Debian's `janus` package).
    Janus,
}

/// What is offered to a server in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Shape {
    pub sessions: u32,
    pub participants_per_session: u32,
    pub seconds: u32,
    pub video_kbps: u32,
    pub fps: u32,
    /// Opus packets per second each participant sends (20 ms frames).
    pub audio_packets_per_s: u32,
}

impl Shape {
    pub fn from_options(options: &Options, sessions: u32) -> Shape {
        Shape {
            sessions,
            participants_per_session: options.participants,
            seconds: options.seconds,
            video_kbps: options.video_kbps,
            fps: options.fps,
            audio_packets_per_s: 50,
        }
    }

    pub fn participants(&self) -> u32 {
        self.sessions * self.participants_per_session
    }

    pub fn load(&self) -> accord_tests::peer::Load {
        accord_tests::peer::Load {
            video_bps: self.video_kbps * 1000,
            fps: self.fps,
        }
    }
}
