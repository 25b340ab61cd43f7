//! Accord under load: `accord serve` as a child process on a temporary data folder and a port
//! of its own, its office built through the API as staff would (one mediator and one case per
//! session, parties invited, invitations redeemed, consents given), and every participant
//! joined over `accord.v1` with a Rust WebRTC peer, the mediator admitting the parties.

use crate::measure::{Participant, Server};
use crate::procfs;
use accord_tests::fixtures::{
    add_party, create_user, give_required_consents, invite, register_case,
};
use accord_tests::session::MediaMember;
use accord_tests::{expect, Browser, PASSWORD};
use anyhow::{bail, Context as _};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::process::{Child, Command};

/// How long the server may take to print its banner.
const START_PATIENCE: Duration = Duration::from_secs(60);

/// The `accord` binary: the one named, or the one built next to this program.
pub fn binary(named: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = named {
        return Ok(path.to_owned());
    }
    let me = std::env::current_exe().context("where this program is")?;
    // A test binary sits in `target/<profile>/deps`, the programs one folder up.
    for folder in me.ancestors().skip(1).take(2) {
        let candidate = folder.join("accord");
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    bail!(
        "no `accord` binary next to {}: build it with `cargo build --release -p accord` \
         (or name one with --accord-bin)",
        me.display()
    )
}

/// A running `accord serve`; killed when dropped.
#[derive(Debug)]
pub struct AccordServer {
    child: Child,
    pub pid: u32,
    pub base: String,
    setup_token: String,
    _data: tempfile::TempDir,
}

impl AccordServer {
    /// Starts the server on 127.0.0.1 with a fresh SQLite database, and waits for its banner,
    /// which names its port and its one-time setup link.
    pub async fn start(binary: &Path) -> anyhow::Result<AccordServer> {
        let data = tempfile::tempdir().context("a temporary data folder")?;
        let mut child = Command::new(binary)
            .arg("serve")
            .args(["--listen", "127.0.0.1:0"])
            // The WebRTC stack warns of normal events at connection set-up; errors only.
            .args(["--log", "error"])
            .arg("--data-dir")
            .arg(data.path())
            .args(["--media-bind-ip", "127.0.0.1"])
            // Every simulated browser comes from 127.0.0.1.
            .args(["--login-rate-per-minute", "100000"])
            .args(["--redeem-rate-per-minute", "100000"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let pid = child.id().context("the server's pid")?;
        let stderr = child.stderr.take().context("the server's stderr")?;
        let mut lines = BufReader::new(stderr).lines();
        let (mut base, mut setup_token) = (None, None);
        let banner = tokio::time::timeout(START_PATIENCE, async {
            while base.is_none() || setup_token.is_none() {
                let Some(line) = lines.next_line().await? else {
                    bail!("the server exited before it was ready");
                };
                if let Some(rest) = line.split_once("Accord is running: open ") {
                    base = Some(rest.1.trim().trim_end_matches('/').to_owned());
                }
                if let Some((_, token)) = line.split_once("/setup#t=") {
                    setup_token = Some(token.trim().to_owned());
                }
            }
            Ok(())
        })
        .await;
        banner.context("the server printed no banner in time")??;
        // Warnings go on to our stderr; the pipe must be drained either way.
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                eprintln!("accord: {line}");
            }
        });
        Ok(AccordServer {
            child,
            pid,
            base: base.unwrap_or_default(),
            setup_token: setup_token.unwrap_or_default(),
            _data: data,
        })
    }

    pub fn server(&self) -> anyhow::Result<Server> {
        Ok(Server {
            name: "accord",
            pid: self.pid,
            idle_rss: procfs::rss_bytes(self.pid)?,
            metrics_url: Some(format!("{}/metrics", self.base)),
        })
    }

    /// A new browser: its own cookie jar, no session yet.
    fn browser(&self) -> anyhow::Result<Browser> {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        Ok(Browser {
            http: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .build()?,
            jar,
            base: self.base.clone(),
            csrf: None,
        })
    }

    /// The first committee and its admin, through the setup link.
    pub async fn set_up(&self) -> anyhow::Result<Browser> {
        let mut admin = self.browser()?;
        let body = expect(
            admin
                .post(
                    "/api/setup",
                    json!({
                        "token": self.setup_token,
                        "committee": {"name": "基准测试人民调解委员会", "kind": "street_town", "region": "北京市朝阳区"},
                        "admin": {"username": "admin", "display_name": "管理员", "password": PASSWORD},
                    }),
                )
                .await,
            201,
        );
        admin.csrf = body["csrf_token"].as_str().map(str::to_owned);
        Ok(admin)
    }

    /// Session `index`: its mediator, a case in mediation, and its parties signed in with
    /// their consents given.
    pub async fn prepare(
        &self,
        admin: &Browser,
        index: u32,
        participants: u32,
    ) -> anyhow::Result<Prepared> {
        let username = format!("mediator{index}");
        create_user(admin, &username, "mediator").await;
        let mut mediator = self.browser()?;
        expect(mediator.login(&username, PASSWORD).await, 200);
        let case = register_case(&mediator).await["id"]
            .as_str()
            .context("a case id")?
            .to_owned();
        expect(
            mediator
                .post(
                    &format!("/api/cases/{case}/transitions"),
                    json!({"transition": "accept"}),
                )
                .await,
            200,
        );
        let mut parties = Vec::new();
        for party in 1..participants {
            let side = if party % 2 == 1 {
                "applicant"
            } else {
                "respondent"
            };
            let id = add_party(&mediator, &case, &format!("当事人{party}"), side).await;
            let link = invite(&mediator, &case, &id).await["link"]
                .as_str()
                .context("an invitation link")?
                .to_owned();
            let mut browser = self.browser()?;
            expect(browser.redeem(&link).await, 200);
            give_required_consents(&browser).await;
            parties.push(browser);
        }
        Ok(Prepared {
            case,
            mediator,
            parties,
        })
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// A session ready to be joined.
#[derive(Debug)]
pub struct Prepared {
    case: String,
    mediator: Browser,
    /// Each party's signed-in browser.
    parties: Vec<Browser>,
}

/// The member ids in a mediator's waiting room.
fn knocking(state: &serde_json::Value) -> impl Iterator<Item = &str> {
    state["waiting"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["id"].as_str())
}

/// Everyone of a session joins at once, as people do at the agreed hour; the mediator admits
/// the parties as they knock. Returns the participants and their live connections, which the
/// caller keeps until the measurement is over.
pub async fn join(
    prepared: Prepared,
    load: accord_tests::peer::Load,
) -> anyhow::Result<Vec<(Participant, MediaMember)>> {
    let Prepared {
        case,
        mediator,
        parties,
    } = prepared;
    let parties_count = parties.len();
    let mut joins = tokio::task::JoinSet::new();
    {
        let case = case.clone();
        joins.spawn(async move {
            let started = Instant::now();
            let mut member = Box::pin(MediaMember::join_with(&mediator, &case, load)).await;
            // Each party is let in as soon as they knock, as a mediator at the screen would.
            let mut admitted = std::collections::BTreeSet::new();
            while admitted.len() < parties_count {
                let state = member
                    .state_where(|s| knocking(s).any(|id| !admitted.contains(id)))
                    .await;
                let new: Vec<String> = knocking(&state)
                    .filter(|id| !admitted.contains(*id))
                    .map(str::to_owned)
                    .collect();
                for id in new {
                    let reply = member.request(json!({"type": "admit", "member": id})).await;
                    assert_eq!(reply["type"], "ack", "admitting {id}: {reply}");
                    admitted.insert(id);
                }
            }
            member.publish().await;
            (started, member)
        });
    }
    for browser in parties {
        let case = case.clone();
        joins.spawn(async move {
            let started = Instant::now();
            let mut member = Box::pin(MediaMember::join_with(&browser, &case, load)).await;
            member.state_where(|s| s["status"] == "admitted").await;
            member.publish().await;
            (started, member)
        });
    }
    let mut joined = Vec::new();
    while let Some(result) = joins.join_next().await {
        // The test peer panics on what a test would fail on: here that is a failed join.
        let (started, member) = result.context("a participant could not join")?;
        let participant = Participant {
            started,
            publisher: member.peer.clone(),
            receiver: member.peer.clone(),
        };
        joined.push((participant, member));
    }
    Ok(joined)
}
