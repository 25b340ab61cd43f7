//! A network namespace of the benchmark's own, for the side by side with Janus.
//!
//! Janus gathers ICE candidates on every interface but the loopback one, and its ICE agent
//! (libnice) will not pair with a peer on a loopback address. Rather than let it use the
//! machine's real interfaces, the whole run (Accord's half too, so that both are measured
//! alike) moves into a fresh network namespace: nothing there can leave the machine. In it a
//! veth pair carries two addresses of the benchmarking range (RFC 2544): Janus's candidates are
//! on [`JANUS_INTERFACE`], its peers bind [`PEER_IP`]. Both are local addresses, so the kernel
//! delivers between them as it does on loopback.

use anyhow::{bail, Context as _};
use std::net::IpAddr;
use std::process::{Command, ExitCode};

/// Set in the re-run inside the namespace.
const INSIDE: &str = "ACCORD_BENCH_IN_NETNS";
/// The interface Janus may gather candidates on.
pub const JANUS_INTERFACE: &str = "bench0";
const JANUS_ADDRESS: &str = "198.18.0.1/32";
/// Where the Rust peers that talk to Janus bind.
pub const PEER_IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 18, 0, 2));
const PEER_INTERFACE: &str = "bench1";
const PEER_ADDRESS: &str = "198.18.0.2/32";

pub fn inside() -> bool {
    std::env::var_os(INSIDE).is_some()
}

/// Runs this same command again in a new network namespace (`unshare --net`, which needs root)
/// and returns its exit status.
pub fn rerun_inside() -> ExitCode {
    let result = std::env::current_exe()
        .context("where this program is")
        .and_then(|me| {
            Command::new("unshare")
                .arg("--net")
                .arg("--")
                .arg(me)
                .args(std::env::args_os().skip(1))
                .env(INSIDE, "1")
                .status()
                .context("running unshare (util-linux) to make a network namespace")
        });
    match result {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1)),
        Err(err) => {
            eprintln!("accord-bench: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn ip(args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new("ip")
        .args(args)
        .status()
        .context("running ip (iproute2)")?;
    if !status.success() {
        bail!("`ip {}` failed", args.join(" "));
    }
    Ok(())
}

/// Brings up loopback and the veth pair in the namespace this process runs in.
pub fn set_up() -> anyhow::Result<()> {
    ip(&["link", "set", "lo", "up"])?;
    ip(&[
        "link",
        "add",
        JANUS_INTERFACE,
        "type",
        "veth",
        "peer",
        "name",
        PEER_INTERFACE,
    ])?;
    ip(&["addr", "add", JANUS_ADDRESS, "dev", JANUS_INTERFACE])?;
    ip(&["addr", "add", PEER_ADDRESS, "dev", PEER_INTERFACE])?;
    ip(&["link", "set", JANUS_INTERFACE, "up"])?;
    ip(&["link", "set", PEER_INTERFACE, "up"])?;
    // libnice sends out of the interface its candidate is on, so Janus's packets to the
    // peers come back in on the other end of the pair with a source address of this host,
    // which the kernel drops as martian unless told to accept it.
    for interface in ["all", JANUS_INTERFACE, PEER_INTERFACE] {
        let conf = format!("/proc/sys/net/ipv4/conf/{interface}");
        std::fs::write(format!("{conf}/accept_local"), "1")
            .with_context(|| format!("setting {conf}/accept_local"))?;
        std::fs::write(format!("{conf}/rp_filter"), "0")
            .with_context(|| format!("setting {conf}/rp_filter"))?;
    }
    Ok(())
}
