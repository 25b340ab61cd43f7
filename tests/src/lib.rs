//! Test harness: the real server on port 0 with a fresh database, on SQLite or PostgreSQL, and a
//! cookie-keeping client per browser.
//!
//! PostgreSQL tests create a uniquely named database on the server at `ACCORD_TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1:5432/postgres`) and drop it when the test ends: the
//! server is shared with other runs.

use accord::app::{Application, Clock, Config};
use accord::domain::Timestamp;
use accord::store::Db;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Connection as _;
use std::path::PathBuf;

pub mod court;
pub mod fixtures;
pub mod live;
pub mod logs;
pub mod peer;
pub mod proxy;
pub mod session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// 2026-03-01T00:00:00Z: a fixed start, so case numbers and expiry are predictable.
pub const START: Timestamp = Timestamp::from_millis(1_772_323_200_000);

pub const PASSWORD: &str = "correct horse battery staple";

fn postgres_admin_url() -> String {
    std::env::var("ACCORD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A database of its own for one test.
#[derive(Debug)]
pub struct TestDatabase {
    pub backend: Backend,
    pub url: Option<String>,
    pub data_dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> TestDatabase {
        let data_dir = tempfile::tempdir().expect("temporary folder");
        let (url, pg_name) = match backend {
            Backend::Sqlite => (None, None),
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let name = format!("accord_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap_or_else(|e| {
                    panic!("PostgreSQL is not reachable at {admin}: {e} (run the README's test command, which starts one)")
                });
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                conn.close().await.ok();
                let url = match admin.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{name}"),
                    None => panic!("ACCORD_TEST_POSTGRES_URL must end in /<database>"),
                };
                (Some(url), Some(name))
            }
        };
        TestDatabase {
            backend,
            url,
            data_dir,
            pg_name,
        }
    }

    pub fn data_path(&self) -> PathBuf {
        self.data_dir.path().to_owned()
    }

    /// Opens the database directly, as an operator or an attacker with database access would.
    pub async fn open(&self) -> Db {
        let seal_key_file = self.data_dir.path().join("seal-wrapping.key");
        let patience = std::time::Duration::from_secs(10);
        Db::open(
            self.url.as_deref(),
            self.data_dir.path(),
            &seal_key_file,
            2,
            patience,
        )
        .await
        .expect("open test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on async work: use a thread.
        let admin = postgres_admin_url();
        let database = name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&admin).await.ok()?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await
                    .ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!("could not drop the test database {name}");
        }
    }
}

/// A running server and what a test needs to drive it.
#[derive(Debug)]
pub struct TestApp {
    pub base: String,
    pub setup_link: Option<String>,
    pub clock: Clock,
    pub db: Db,
    pub database: TestDatabase,
    server: tokio::task::JoinHandle<()>,
}

pub fn test_config(database: &TestDatabase) -> Config {
    let mut config = Config::defaults();
    config.listen = "127.0.0.1:0".parse().expect("address");
    config.data_dir = database.data_path();
    config.seal_key_file = database.data_path().join("seal-wrapping.key");
    config.database_url = database.url.clone();
    config.db_max_connections = 5;
    // Every test client comes from 127.0.0.1: raise the per-address limits so that only the
    // tests about them meet them.
    config.login_rate_per_minute = 1_000;
    config.redeem_rate_per_minute = 1_000;
    config
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        let database = TestDatabase::create(backend).await;
        let config = test_config(&database);
        Self::spawn_with(database, config).await
    }

    pub async fn spawn_with(database: TestDatabase, config: Config) -> TestApp {
        // ACCORD_TEST_LOG=accord=debug shows the server's log with a failing test's output.
        if let Ok(filter) = std::env::var("ACCORD_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
        let clock = Clock::manual(START);
        let app = Application::build_with_clock(config, clock.clone())
            .await
            .expect("build application");
        let base = format!("http://{}", app.local_addr());
        let setup_link = app.setup_link().map(str::to_owned);
        let db = app.db().clone();
        let server = tokio::spawn(async move {
            app.run_until(std::future::pending()).await.ok();
        });
        TestApp {
            base,
            setup_link,
            clock,
            db,
            database,
            server,
        }
    }

    /// Stops the server and hands back its database, e.g. to start another server on it.
    pub async fn stop(self) -> TestDatabase {
        self.server.abort();
        self.server.await.ok();
        self.db.close().await;
        self.database
    }

    /// A new browser: its own cookie jar, no session yet.
    pub fn browser(&self) -> Browser {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        Browser {
            http: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .build()
                .expect("http client"),
            jar,
            base: self.base.clone(),
            csrf: None,
        }
    }

    pub fn setup_token(&self) -> String {
        let link = self
            .setup_link
            .as_deref()
            .expect("a setup link on first start");
        link.split_once("#t=").expect("token in link").1.to_owned()
    }

    /// Runs the first-start setup and returns the admin's signed-in browser.
    pub async fn set_up(&self) -> Browser {
        let mut admin = self.browser();
        let (status, body) = admin
            .post(
                "/api/setup",
                json!({
                    "token": self.setup_token(),
                    "committee": {"name": "朝阳区人民调解委员会", "kind": "street_town", "region": "北京市朝阳区"},
                    "admin": {"username": "admin", "display_name": "张管理", "password": PASSWORD},
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        admin.csrf = Some(body["csrf_token"].as_str().expect("csrf").to_owned());
        admin
    }
}

/// One browser: a cookie jar and the CSRF token its page learned.
#[derive(Debug, Clone)]
pub struct Browser {
    pub http: reqwest::Client,
    pub jar: std::sync::Arc<reqwest::cookie::Jar>,
    pub base: String,
    pub csrf: Option<String>,
}

impl Browser {
    /// The `Cookie` header this browser would send to the server.
    pub fn cookie_header(&self) -> Option<String> {
        use reqwest::cookie::CookieStore as _;
        let url = self.base.parse().expect("base url");
        self.jar
            .cookies(&url)
            .and_then(|v| v.to_str().ok().map(str::to_owned))
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// Posts `body` as it is, e.g. malformed JSON, with this browser's CSRF token.
    pub async fn post_raw(&self, path: &str, body: &'static str) -> (StatusCode, Value) {
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body);
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    /// Signs in as staff and keeps the CSRF token.
    pub async fn login(&mut self, username: &str, password: &str) -> (StatusCode, Value) {
        let (status, body) = self
            .post(
                "/api/auth/login",
                json!({"username": username, "password": password}),
            )
            .await;
        if status == StatusCode::OK {
            self.csrf = body["csrf_token"].as_str().map(str::to_owned);
        }
        (status, body)
    }

    /// Redeems an invitation link and keeps the CSRF token.
    pub async fn redeem(&mut self, link: &str) -> (StatusCode, Value) {
        let token = link.split_once("#t=").map(|(_, t)| t).unwrap_or(link);
        let (status, body) = self
            .post("/api/invitations/redeem", json!({"token": token}))
            .await;
        if status == StatusCode::OK {
            self.csrf = body["csrf_token"].as_str().map(str::to_owned);
        }
        (status, body)
    }
}

/// Asserts a status and returns the body, showing the body when the status is wrong.
#[track_caller]
pub fn expect(result: (StatusCode, Value), status: u16) -> Value {
    let (actual, body) = result;
    assert_eq!(actual.as_u16(), status, "unexpected answer: {body}");
    body
}
