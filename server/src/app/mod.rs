//! Start-up and shutdown: configuration, telemetry, the database, the HTTP server.

pub mod admin;
mod banner;
mod clock;
mod config;
pub mod courts;
mod telemetry;

pub use banner::announce;
pub use clock::Clock;
pub use config::{Cli, Command, Config, ConfigError, IdentityDisclosure, LogFormat, Settings};
pub use telemetry::init as init_telemetry;

use crate::court::{self, DeliveryConfig};
use crate::domain::Timestamp;
use crate::http::{self, AppState};
use crate::live::protocol::IceServer;
use crate::live::{LiveConfig, LiveMetrics, LiveRegistry};
use crate::media::{MediaConfig, MediaMetrics};
use crate::secret::Token;
use crate::store::Db;
use prometheus_client::registry::Registry;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// A setup link lives this long (DESIGN: single use, 24 hours).
const SETUP_LINK_TTL_MS: i64 = 24 * 3_600_000;

/// A server bound to its port and ready to run. Tests build it on port 0 and read the port.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
    setup_link: Option<String>,
    /// What the court delivery worker is started with when the server runs.
    court: (Db, Clock, DeliveryConfig, Arc<Notify>),
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Clock::system()).await
    }

    pub async fn build_with_clock(config: Config, clock: Clock) -> anyhow::Result<Self> {
        let db = Db::open(
            config.database_url.as_deref(),
            &config.data_dir,
            &config.seal_key_file,
            config.db_max_connections,
            Duration::from_millis(config.db_acquire_timeout_ms),
        )
        .await?;
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
        let mut config = config;
        config.listen = listener.local_addr()?;
        if config.public_url.is_none() && config.listen.ip().is_unspecified() {
            tracing::warn!(
                "listening on every interface without a public_url: browsers' sign-ins and \
                 changes will be refused as cross-origin until public_url names this server"
            );
        }
        let setup_link = first_start_link(&db, &config, clock.now()).await?;
        let mut registry = Registry::with_prefix("accord");
        let metrics = http::HttpMetrics::new(&mut registry);
        let media_metrics = MediaMetrics::default();
        media_metrics.register(&mut registry);
        let live_metrics = LiveMetrics::default();
        live_metrics.register(&mut registry);
        let live = LiveRegistry::new(
            db.clone(),
            clock.clone(),
            live_config(&config),
            media_metrics,
            live_metrics,
        );
        let court_wakeup = Arc::new(Notify::new());
        let delivery = DeliveryConfig {
            courts: config.courts.clone(),
            retry_base: Duration::from_millis(config.court_retry_base_ms),
            retry_max: Duration::from_millis(config.court_retry_max_ms),
            timeout: Duration::from_millis(config.court_timeout_ms),
        };
        let court = (db.clone(), clock.clone(), delivery, court_wakeup.clone());
        let (router, state) = http::router(http::Parts {
            db,
            config,
            clock,
            live,
            registry,
            metrics,
            court_wakeup,
        });
        Ok(Self {
            listener,
            router,
            state,
            setup_link,
            court,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.state.config().listen
    }

    /// The one-time link that creates the first committee and admin, when the database has no
    /// account yet.
    pub fn setup_link(&self) -> Option<&str> {
        self.setup_link.as_deref()
    }

    pub fn db(&self) -> &Db {
        self.state.db()
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight and closes the pool.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let state = self.state.clone();
        let housekeeping = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                state.housekeeping();
            }
        });
        // Stopped when serving ends, or when this future is dropped (a test stopping the server).
        let (db, clock, delivery, wake) = self.court;
        let _court = court::start(db, clock, delivery, wake);
        let config = self.state.config();
        let limits = http::ConnectionLimits {
            per_client: config.connections_per_client,
            header_timeout: Duration::from_millis(config.request_header_timeout_ms),
        };
        http::serve(self.listener, self.router, limits, shutdown).await;
        housekeeping.abort();
        self.state.db().close().await;
        Ok(())
    }
}

/// A live session nobody is connected to ends after this long.
const IDLE_SESSION: Duration = Duration::from_secs(10 * 60);

fn live_config(config: &Config) -> LiveConfig {
    let ice_servers = config
        .ice_servers
        .iter()
        .map(|url| {
            let turn = url.starts_with("turn");
            IceServer {
                urls: vec![url.clone()],
                username: config.turn_username.clone().filter(|_| turn),
                credential: config.turn_credential.clone().filter(|_| turn),
            }
        })
        .collect();
    LiveConfig {
        grace: Duration::from_secs(u64::from(config.live_grace_seconds)),
        idle_after: IDLE_SESSION,
        ice_servers,
        media: MediaConfig {
            bind_ip: config.media_bind_ip,
            port_range: config.media_ports,
            advertised_ip: config.media_advertised_ip,
            subscriber_queue: 256,
        },
        staff_sessions: crate::domain::session::SessionPolicy::staff(
            config.session_idle_minutes,
            config.session_absolute_hours,
        ),
    }
}

/// On an installation without any account, issues a setup link. Each start issues a fresh one,
/// so an operator who lost the first just restarts.
async fn first_start_link(
    db: &Db,
    config: &Config,
    now: Timestamp,
) -> anyhow::Result<Option<String>> {
    if db.user_count().await? > 0 {
        return Ok(None);
    }
    let token = Token::generate();
    db.issue_setup_token(&token.hash(), now, now.plus_millis(SETUP_LINK_TTL_MS))
        .await?;
    Ok(Some(format!(
        "{}/setup#t={}",
        config.public_origin(),
        token.expose()
    )))
}

/// Listens for SIGINT (Ctrl-C) and SIGTERM from now on, and returns a future that resolves when
/// one arrives. Listening starts before the server says it is ready, so that a signal sent right
/// after the banner still shuts it down gracefully.
#[cfg(unix)]
pub fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutting down");
    })
}

#[cfg(not(unix))]
pub fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
}
