//! Real Chromium, driven over WebDriver: one chromedriver process for the test (started on a free
//! loopback port, stopped when the test ends), and one browser per person, each with a profile
//! (cookies, storage) of its own and a fake camera and microphone. Every browser is closed through
//! WebDriver when its person goes, passed or panicked, so that no Chromium outlives the test.
//!
//! Processes are only ever ended by their own handle (`Child::kill`), never with `kill(1)` and a
//! negative pid: procps-ng 4.0.x turns `kill -9 -<pgid>` into `kill(-1)`, which ends every
//! process of the user.

use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::time::Instant;

/// Debian's Chromium; `/usr/bin/chromium` is a wrapper script that misbehaves under some shells.
pub const CHROMIUM: &str = "/usr/lib/chromium/chromium";
/// Debian's `chromium-driver` package.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The window every browser opens with; screenshots switch sizes and come back to it.
pub const DESKTOP: (u32, u32) = (1280, 800);

/// Browser tests of this binary run one after another: each starts several Chromiums, and the
/// media of one test's session would starve another's on a small machine. Hold the guard for the
/// whole test.
pub async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static BROWSERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    BROWSERS.lock().await
}

/// How a person's browser answers a page that asks for the camera and microphone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Allowed at once (the fake permission prompt says yes).
    Granted,
    /// Refused, as when the person said no or blocked the site: getUserMedia fails with
    /// `NotAllowedError`.
    Denied,
}

fn binary(env: &str, default: &str) -> PathBuf {
    std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

fn require(path: &Path, what: &str, package: &str) {
    assert!(
        path.is_file(),
        "{what} is missing at {}: the browser tests need it (install it with \
         `apt-get install -y {package}`, or run scripts/test.sh, which does)",
        path.display()
    );
}

/// A chromedriver process of our own, ended when dropped (after the browsers: see [`Person`]).
#[derive(Debug)]
pub struct ChromeDriver {
    child: Child,
    pub url: String,
}

impl ChromeDriver {
    pub async fn start() -> ChromeDriver {
        let chromium = binary("ACCORD_TEST_CHROMIUM", CHROMIUM);
        let chromedriver = binary("ACCORD_TEST_CHROMEDRIVER", CHROMEDRIVER);
        require(&chromium, "Chromium", "chromium");
        require(&chromedriver, "chromedriver", "chromium-driver");

        let port = free_port();
        let mut command = Command::new(&chromedriver);
        command
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        driver.wait_ready().await;
        driver
    }

    /// Polls `/status` until the driver says it is ready.
    async fn wait_ready(&self) {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let ready = async {
                let body: Value = http
                    .get(format!("{}/status", self.url))
                    .timeout(Duration::from_secs(2))
                    .send()
                    .await
                    .ok()?
                    .json()
                    .await
                    .ok()?;
                body["value"]["ready"].as_bool()
            };
            if ready.await == Some(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready on {} within 15 s",
                self.url
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// One person at their own computer: a browser with its own profile. Declare people after the
/// driver, so that they go first: a person dropped without [`Person::close`] (a failed test)
/// still has their browser closed.
pub struct Person {
    pub name: &'static str,
    pub client: Client,
    /// Where to end the WebDriver session (and so quit Chromium) if `close` was never called.
    session_url: Option<String>,
    _profile: tempfile::TempDir,
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person").field("name", &self.name).finish()
    }
}

impl Person {
    /// A browser whose user prefers `language` (`zh-CN`, `en`): the pages pick it up. It lets
    /// pages use its fake camera and microphone.
    pub async fn open(driver: &ChromeDriver, name: &'static str, language: &str) -> Person {
        Self::open_with(driver, name, language, Permission::Granted).await
    }

    /// As [`Person::open`], with the camera and microphone allowed or refused.
    pub async fn open_with(
        driver: &ChromeDriver,
        name: &'static str,
        language: &str,
        permission: Permission,
    ) -> Person {
        let profile = tempfile::tempdir().expect("a profile folder");
        let chromium = binary("ACCORD_TEST_CHROMIUM", CHROMIUM);
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--use-fake-device-for-media-stream".to_owned(),
            "--allow-loopback-in-peer-connection".to_owned(),
            // Three browsers share two cores: keep hidden pages' timers and media running.
            "--disable-background-timer-throttling".to_owned(),
            "--disable-renderer-backgrounding".to_owned(),
            "--disable-backgrounding-occluded-windows".to_owned(),
            format!("--lang={language}"),
            format!("--window-size={},{}", DESKTOP.0, DESKTOP.1),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        args.push(match permission {
            Permission::Granted => "--use-fake-ui-for-media-stream".to_owned(),
            Permission::Denied => "--deny-permission-prompts".to_owned(),
        });
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.display().to_string(),
                "args": args,
                "prefs": {"intl.accept_languages": language},
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("an object")
        };
        // Two crypto providers are linked in (fantoccini's and reqwest's): rustls needs to be told.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = ClientBuilder::rustls()
            .expect("TLS roots for the WebDriver client")
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("cannot open Chromium for {name}: {e}"));
        let session_url = match client.session_id().await {
            Ok(Some(id)) => Some(format!("{}/session/{id}", driver.url)),
            _ => None,
        };
        Person {
            name,
            client,
            session_url,
            _profile: profile,
        }
    }

    /// Quits this person's browser.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        self.session_url = None;
    }
}

impl Drop for Person {
    fn drop(&mut self) {
        let Some(url) = self.session_url.take() else {
            return;
        };
        // A failed test unwinds here, inside its runtime, which cannot block on async work:
        // end the session from a thread of its own, straight at chromedriver.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                reqwest::Client::new()
                    .delete(&url)
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await
                    .ok()
            })
        })
        .join();
    }
}
