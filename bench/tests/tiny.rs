//! A tiny run of the benchmark, so that it keeps working: one session of two participants for
//! two seconds against the `accord` binary built beside it, and a well-formed report. It claims
//! nothing about speed: the machine is shared and the build is not optimised.

use serde_json::Value;
use std::process::Command;

#[test]
fn a_tiny_run_writes_a_well_formed_report() {
    let folder = tempfile::tempdir().unwrap();
    let json = folder.path().join("report.json");
    let output = Command::new(env!("CARGO_BIN_EXE_accord-bench"))
        .args(["--sessions", "1", "--participants", "2", "--seconds", "2"])
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("CPU us per forwarded packet"), "{stdout}");

    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let accord = &report["accord"];
    for key in [
        "forwarded_packets_per_s",
        "cpu_us_per_forwarded_packet",
        "rss_bytes_per_participant",
        "loss",
        "latency_p50_ms",
        "latency_p99_ms",
        "join_to_first_media_p50_ms",
        "join_to_first_media_p99_ms",
    ] {
        assert!(accord[key].is_number(), "{key} is not a number in {accord}");
    }
    let shape = &accord["shape"];
    assert_eq!(shape["sessions"], 1);
    assert_eq!(shape["participants_per_session"], 2);
    assert_eq!(report["shape"], *shape);
    assert_eq!(accord["participants_with_media"], 2, "{accord}");
    assert!(accord["forwarded_packets_per_s"].as_f64().unwrap() > 0.0);
    let loss = accord["loss"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&loss), "loss {loss}");
    assert!(report["machine"]["cores"].as_u64().unwrap() >= 1);
    assert!(report["janus"].is_null() && report["sweep"].is_null());
}
