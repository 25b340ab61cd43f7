//! The same load against Janus's VideoRoom plugin (Debian's `janus` package), for a side by
//! side in one invocation: Janus is started with a configuration of its own in a temporary
//! folder (only the VideoRoom plugin and the WebSocket transport, WebSockets on a free port of
//! 127.0.0.1, ICE on the benchmark's own veth pair: see `netns`), one room per session, and
//! every participant joins as the VideoRoom demo does (`member`).

mod client;
mod member;

use crate::measure::{self, Server};
use crate::netns;
use crate::options::Shape;
use crate::procfs;
use crate::report::Report;
use anyhow::{bail, Context as _};
use serde_json::json;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// Where Debian puts Janus's plugins and transports.
const JANUS_LIBRARIES: &str = "/usr/lib/x86_64-linux-gnu/janus";
const START_PATIENCE: Duration = Duration::from_secs(30);

/// Janus, if it is there; else Debian's package is installed when we may, or the error says
/// how.
async fn ensure_installed(janus: &Path) -> anyhow::Result<()> {
    if janus.is_file() {
        return Ok(());
    }
    let explain = "install Debian's janus package (`apt-get install janus`), or name the binary \
                   with --janus-bin";
    if !Path::new("/usr/bin/apt-get").is_file() {
        bail!("{} not found: {explain}", janus.display());
    }
    eprintln!(
        "accord-bench: {} not found: installing Debian's janus package",
        janus.display()
    );
    let installed = Command::new("apt-get")
        .args(["install", "-y", "-q", "janus"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdin(Stdio::null())
        .status()
        .await;
    match installed {
        Ok(status) if status.success() && janus.is_file() => Ok(()),
        _ => bail!(
            "{} not found and `apt-get install janus` did not install it (as root, after \
             `apt-get update`?): {explain}",
            janus.display()
        ),
    }
}

/// A running Janus; killed when dropped.
#[derive(Debug)]
struct JanusServer {
    child: Child,
    pid: u32,
    url: String,
    folder: tempfile::TempDir,
}

/// Janus's main configuration, with every folder in `root`.
fn main_config(root: &Path) -> String {
    let root = root.display();
    let interface = netns::JANUS_INTERFACE;
    format!(
        r#"general: {{
	configs_folder = "{root}/conf"
	plugins_folder = "{root}/plugins"
	transports_folder = "{root}/transports"
	events_folder = "{root}/none"
	loggers_folder = "{root}/none"
	debug_level = 3
	session_timeout = 0
	server_name = "accord-bench"
}}
certificates: {{
}}
media: {{
	rtp_port_range = "20000-40000"
}}
nat: {{
	ice_enforce_list = "{interface}"
	ignore_mdns = true
}}
"#
    )
}

impl JanusServer {
    async fn start(janus: &Path) -> anyhow::Result<JanusServer> {
        let folder = tempfile::tempdir().context("a temporary folder for Janus")?;
        let root = folder.path();
        for sub in ["conf", "plugins", "transports", "none"] {
            std::fs::create_dir(root.join(sub))?;
        }
        // Only what the comparison needs is loaded: plugins are whatever the folder holds.
        std::os::unix::fs::symlink(
            Path::new(JANUS_LIBRARIES).join("plugins/libjanus_videoroom.so"),
            root.join("plugins/libjanus_videoroom.so"),
        )?;
        std::os::unix::fs::symlink(
            Path::new(JANUS_LIBRARIES).join("transports/libjanus_websockets.so"),
            root.join("transports/libjanus_websockets.so"),
        )?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let conf = root.join("conf");
        std::fs::write(conf.join("janus.jcfg"), main_config(root))?;
        std::fs::write(
            conf.join("janus.transport.websockets.jcfg"),
            format!(
                "general: {{\n\tjson = \"compact\"\n\tws = true\n\tws_port = {port}\n\tws_ip = \"127.0.0.1\"\n\twss = false\n}}\nadmin: {{\n\tadmin_ws = false\n\tadmin_wss = false\n}}\n"
            ),
        )?;
        std::fs::write(conf.join("janus.plugin.videoroom.jcfg"), "general: {\n}\n")?;
        let log = std::fs::File::create(root.join("janus.log"))?;
        let child = Command::new(janus)
            .arg("--configs-folder")
            .arg(&conf)
            .arg("--config")
            .arg(conf.join("janus.jcfg"))
            .arg("--disable-colors")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", janus.display()))?;
        let pid = child.id().context("Janus's pid")?;
        let url = format!("ws://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + START_PATIENCE;
        while client::Connection::open(&url).await.is_err() {
            if tokio::time::Instant::now() > deadline {
                let log = std::fs::read_to_string(root.join("janus.log")).unwrap_or_default();
                bail!("Janus did not open its WebSocket in time:\n{log}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(JanusServer {
            child,
            pid,
            url,
            folder,
        })
    }
}

/// One run against a fresh Janus.
pub async fn run(janus: &Path, shape: Shape) -> anyhow::Result<Report> {
    ensure_installed(janus).await?;
    let mut server = JanusServer::start(janus).await?;
    let measured = async {
        let admin = client::Connection::open(&server.url).await?;
        admin.create_session().await?;
        let (handle, _) = admin.attach().await?;
        let rooms: Vec<u64> = (0..u64::from(shape.sessions)).map(|i| 1000 + i).collect();
        for room in &rooms {
            client::next_reply(&mut admin.message(
                handle,
                json!({"request": "create", "room": room, "publishers": shape.participants_per_session,
                       "audiocodec": "opus", "videocodec": "vp8", "notify_joining": false}),
                None,
            ))
            .await?;
        }
        let target = Server {
            name: "janus",
            pid: server.pid,
            idle_rss: procfs::rss_bytes(server.pid)?,
            metrics_url: None,
        };
        let others = shape.participants_per_session.saturating_sub(1) as usize;
        let mut joins = tokio::task::JoinSet::new();
        for room in &rooms {
            for index in 0..shape.participants_per_session {
                let (url, room) = (server.url.clone(), *room);
                let load = shape.load();
                joins.spawn(async move {
                    Box::pin(member::join(&url, room, &format!("r{room}-{index}"), others, load)).await
                });
            }
        }
        let (mut participants, mut members) = (Vec::new(), Vec::new());
        let mut failed = None;
        while let Some(joined) = joins.join_next().await {
            match joined.context("a participant's task failed")? {
                Ok((participant, member)) => {
                    participants.push(participant);
                    members.push(member);
                }
                Err(err) => failed = Some(err.context("a participant could not join Janus")),
            }
        }
        let report = match failed {
            Some(err) => Err(err),
            None => measure::measure(target, shape, &participants).await,
        };
        for member in members {
            member.close().await;
        }
        report
    }
    .await;
    let _ = server.child.kill().await;
    // Janus says why a peer did not connect in its log, which goes with its folder.
    measured.map_err(|err| {
        let log =
            std::fs::read_to_string(server.folder.path().join("janus.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        err.context(format!("Janus's log ends:\n{}", tail.join("\n")))
    })
}
