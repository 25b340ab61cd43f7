//! What a test does to a page: run a script, wait for a condition with a deadline (never a blind
//! sleep), click, type, read the live session's media statistics, and take screenshots.

use crate::driver::{Person, DESKTOP};
use fantoccini::Locator;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;
use tokio::time::Instant;

/// How long a page may take to reach a state the test waits for.
pub const PATIENCE: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(100);

impl Person {
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("{} cannot open {url}: {e}", self.name));
    }

    /// Runs `body` (a function body: `return …`) in the page.
    pub async fn js(&self, body: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(body, args)
            .await
            .unwrap_or_else(|e| panic!("{}: script failed: {e}\n{body}", self.name))
    }

    /// Runs `body`, an async function body, in the page and returns what it resolves to.
    pub async fn js_async(&self, body: &str, args: Vec<Value>) -> Value {
        let wrapped = format!(
            "const done = arguments[arguments.length - 1];\n\
             (async (...args) => {{ {body} }})(...Array.from(arguments).slice(0, -1))\n\
             .then(done, (e) => done({{ scriptError: String(e) }}));"
        );
        let value = self
            .client
            .execute_async(&wrapped, args)
            .await
            .unwrap_or_else(|e| panic!("{}: async script failed: {e}\n{body}", self.name));
        assert!(
            value.get("scriptError").is_none(),
            "{}: {value}\n{body}",
            self.name
        );
        value
    }

    /// Waits until the expression `condition` is truthy in the page; on timeout, fails with what
    /// the page shows.
    pub async fn wait_for(&self, what: &str, condition: &str) -> Value {
        self.wait_for_within(what, condition, PATIENCE).await
    }

    pub async fn wait_for_within(&self, what: &str, condition: &str, patience: Duration) -> Value {
        let deadline = Instant::now() + patience;
        let script = format!("try {{ return ({condition}); }} catch (e) {{ return null; }}");
        loop {
            // A page in the middle of navigating cannot run scripts: that is "not yet".
            let value = self
                .client
                .execute(&script, vec![])
                .await
                .unwrap_or(Value::Null);
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return value;
            }
            if Instant::now() >= deadline {
                panic!(
                    "{}: timed out after {patience:?} waiting for {what} ({condition})\n{}",
                    self.name,
                    self.diagnosis().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// What the page shows and knows, for a failure message.
    pub async fn diagnosis(&self) -> String {
        let value = self
            .client
            .execute(
                "const d = window.accordDebug;\n\
                 return { url: location.href, text: document.body ? document.body.innerText.slice(0, 1500) : '',\n\
                          connection: d ? d.connection : null, state: d ? d.state : null,\n\
                          streams: d ? d.remoteStreams() : null,\n\
                          pc: d && d.pc ? { connection: d.pc.connectionState, ice: d.pc.iceConnectionState,\n\
                                           signaling: d.pc.signalingState } : null };",
                vec![],
            )
            .await;
        match value {
            Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_default(),
            Err(e) => format!("(the page cannot be read: {e})"),
        }
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(&format!("{css} to be clickable"), &format!(
            "(() => {{ const el = document.querySelector({sel}); return el && !el.disabled && el.getClientRects().length > 0; }})()",
            sel = json!(css)
        ))
        .await;
        // Pages re-render as the server tells them of changes: an element found a moment ago
        // may have been replaced by the time it is clicked. Find it again, a few times.
        let mut attempts = 0;
        loop {
            let element = self
                .client
                .find(Locator::Css(css))
                .await
                .unwrap_or_else(|e| panic!("{}: no {css}: {e}", self.name));
            match element.click().await {
                Ok(()) => return,
                Err(e) if attempts < 10 && e.to_string().contains("stale element") => {
                    attempts += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("{}: cannot click {css}: {e}", self.name),
            }
        }
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let element = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{}: no {css}: {e}", self.name));
        element
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("{}: cannot type into {css}: {e}", self.name));
    }

    pub async fn select(&self, css: &str, value: &str) {
        let element = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{}: no {css}: {e}", self.name));
        element
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{}: cannot choose {value} in {css}: {e}", self.name));
    }

    /// The visible text of the first element matching `css` ('' if there is none).
    pub async fn text_of(&self, css: &str) -> String {
        self.js(
            "const el = document.querySelector(arguments[0]); return el ? el.innerText : '';",
            vec![json!(css)],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// The page's path and query, e.g. `/consents?from=session`.
    pub async fn location(&self) -> String {
        self.js("return location.pathname + location.search;", vec![])
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Frames decoded so far of `member`'s inbound video (all their tracks), from getStats().
    pub async fn frames_from(&self, member: &str) -> u64 {
        let stats = self
            .js_async("return await window.accordDebug.inboundVideo();", vec![])
            .await;
        stats
            .as_array()
            .map(|all| {
                all.iter()
                    .filter(|s| s["member"] == member)
                    .filter_map(|s| s["framesDecoded"].as_u64())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// Waits until this page has received video bytes from `member` (even media it cannot
    /// decode, such as a Rust test peer's synthetic VP8).
    pub async fn receives_from(&self, member: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let stats = self
                .js_async("return await window.accordDebug.inboundVideo();", vec![])
                .await;
            let bytes: u64 = stats
                .as_array()
                .map(|all| {
                    all.iter()
                        .filter(|s| s["member"] == member)
                        .filter_map(|s| s["bytesReceived"].as_u64())
                        .sum()
                })
                .unwrap_or(0);
            if bytes > 0 {
                return;
            }
            if Instant::now() >= deadline {
                panic!(
                    "{}: no bytes from {member}\n{}",
                    self.name,
                    self.diagnosis().await
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Waits until `member`'s video shows in a tile (`videoWidth > 0`) and getStats says its
    /// frames keep being decoded: more after a second than before.
    pub async fn sees_video_of(&self, member: &str) -> Duration {
        let started = Instant::now();
        self.wait_for(
            &format!("a playing video of {member}"),
            &format!(
                "(() => {{ const v = document.querySelector('accord-video-tile[data-member=\"{member}\"] video');\n\
                 return v && !v.hidden && v.videoWidth > 0; }})()"
            ),
        )
        .await;
        let first_frame = started.elapsed();
        let before = self.frames_from(member).await;
        let deadline = Instant::now() + PATIENCE;
        let measured_from = Instant::now();
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let now = self.frames_from(member).await;
            if measured_from.elapsed() >= Duration::from_secs(1) && now > before {
                return first_frame;
            }
            if Instant::now() >= deadline {
                panic!(
                    "{}: the frames decoded of {member}'s video did not grow ({before} → {now})\n{}",
                    self.name,
                    self.diagnosis().await
                );
            }
        }
    }

    /// Whether the page shows a tile for `member`.
    pub async fn has_tile(&self, member: &str) -> bool {
        self.js(
            "return document.querySelector(`accord-video-tile[data-member=\"${arguments[0]}\"]`) !== null;",
            vec![json!(member)],
        )
        .await
            == json!(true)
    }

    /// Sizes the window so that the page itself (the viewport) is `width` x `height`.
    pub async fn set_viewport(&self, width: u32, height: u32) {
        let mut window = (width, height);
        for _ in 0..3 {
            self.client
                .set_window_size(window.0, window.1)
                .await
                .unwrap_or_else(|e| panic!("{}: cannot resize: {e}", self.name));
            // The new layout (and a fresh video frame) is painted after two animation frames.
            let inner = self
                .js_async(
                    "await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));\n\
                     return [innerWidth, innerHeight];",
                    vec![],
                )
                .await;
            let size = |v: &Value| v.as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
            let inner = (size(&inner[0]), size(&inner[1]));
            if inner == (width, height) {
                return;
            }
            // The window has a frame around the page: grow it by the difference.
            window = (
                window.0 + width.saturating_sub(inner.0),
                window.1 + height.saturating_sub(inner.1),
            );
        }
    }

    /// Saves the page at phone (360x780) and desktop (1280x800) size as
    /// `tests/artifacts/screenshots/<name>-<w>x<h>.png`.
    pub async fn screenshots(&self, name: &str) -> Vec<PathBuf> {
        let folder = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/artifacts/screenshots"
        ));
        std::fs::create_dir_all(&folder).expect("the screenshots folder");
        let mut saved = Vec::new();
        for (width, height) in [(360, 780), DESKTOP] {
            self.set_viewport(width, height).await;
            let png = self
                .client
                .screenshot()
                .await
                .unwrap_or_else(|e| panic!("{}: no screenshot: {e}", self.name));
            let path = folder.join(format!("{name}-{width}x{height}.png"));
            std::fs::write(&path, png).expect("write the screenshot");
            saved.push(path);
        }
        saved
    }
}
