//! What `accord serve` writes to stderr when nobody watches a terminal: no colour codes, and
//! with JSON logs nothing but JSON, the banner included, and no setup token.

// A test helper that cannot unwrap has found a failure: panicking is how it reports it.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// `accord serve` on a fresh SQLite folder with these extra arguments, its stderr piped (so not
/// a terminal), and a channel of its stderr lines.
fn serve(dir: &std::path::Path, extra: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_accord"));
    for (key, _) in std::env::vars() {
        if key.starts_with("ACCORD_") || key == "DATABASE_URL" || key == "NO_COLOR" {
            command.env_remove(key);
        }
    }
    let mut child = command
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start accord serve");
    let stderr = child.stderr.take().unwrap();
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    (child, lines)
}

/// Lines until one contains `marker` (that one included).
fn lines_until(lines: &mpsc::Receiver<String>, marker: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no {marker:?} in:\n{}", seen.join("\n")));
        let done = line.contains(marker);
        seen.push(line);
        if done {
            return seen;
        }
    }
}

/// SIGTERM, a clean exit, and the lines written until then.
fn stop(mut child: Child, lines: &mpsc::Receiver<String>) -> Vec<String> {
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    assert!(child.wait().unwrap().success());
    lines.try_iter().collect()
}

#[test]
fn text_logs_have_no_colour_codes_off_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (child, lines) = serve(dir.path(), &[]);
    let mut seen = lines_until(&lines, "restart for a new one");
    seen.extend(stop(child, &lines));
    let text = seen.join("\n");
    assert!(text.contains("accord is listening"), "{text}");
    assert!(!text.contains('\u{1b}'), "colour codes in:\n{text:?}");
}

#[test]
fn json_logs_are_json_throughout_and_keep_the_setup_link_out() {
    let dir = tempfile::tempdir().unwrap();
    let (child, lines) = serve(dir.path(), &["--log-format", "json"]);
    let mut seen = lines_until(&lines, "accord is running");
    let banner: serde_json::Value = serde_json::from_str(seen.last().unwrap()).unwrap();
    let file = banner["setup_link_file"].as_str().unwrap().to_owned();
    assert!(banner["url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    seen.extend(stop(child, &lines));
    for line in &seen {
        let event: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|_| panic!("not JSON: {line:?}\nin:\n{}", seen.join("\n")));
        assert!(event["level"].is_string(), "{line}");
        assert!(
            !line.contains("#t="),
            "the setup token reached the log: {line}"
        );
    }
    assert!(seen.iter().any(|l| l.contains("shutting down")));

    let link = std::fs::read_to_string(&file).unwrap();
    assert!(link.trim().contains("/setup#t="), "{link}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
}
