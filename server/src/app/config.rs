//! Configuration: command-line flags, then `ACCORD_*` environment variables (and `DATABASE_URL`),
//! then an optional TOML file, then defaults, in that order of precedence.

use super::courts::Courts;
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(
    name = "accord",
    version,
    about = "Accord: a server for remote people's mediation"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (what `accord` does with no command).
    Serve,
    /// Manage committees and staff accounts directly in the database.
    Admin {
        #[command(subcommand)]
        command: crate::app::admin::AdminCommand,
    },
    /// Check an exported agreement package or judicial-confirmation bundle offline: exit 0 if
    /// everything holds, 1 if anything was altered, 2 if the file is neither. Needs no database
    /// or configuration.
    Verify {
        /// The agreement package (accord-agreement/1 JSON) or bundle (accord-confirmation/1 zip).
        file: PathBuf,
    },
}

/// Every setting, each optional so that a layer can tell "not given" from a default.
/// Field names are also the keys of the TOML file.
#[derive(Debug, Default, Clone, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// TOML file with any of these settings (keys as the long flags, with `_` for `-`).
    #[arg(long, global = true, env = "ACCORD_CONFIG")]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// Address and port to listen on [default: 127.0.0.1:8080].
    #[arg(long, global = true, env = "ACCORD_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Folder for the SQLite database and other local data [default: ./data].
    #[arg(long, global = true, env = "ACCORD_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// postgres://... to use PostgreSQL instead of SQLite in the data folder.
    #[arg(long, global = true, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// The key that wraps the committees' seal keys in the database, made there on first start;
    /// back it up apart from the database, and give every node the same one
    /// [default: <data-dir>/seal-wrapping.key].
    #[arg(long, global = true, env = "ACCORD_SEAL_KEY_FILE")]
    pub seal_key_file: Option<PathBuf>,
    /// The address people open, used in setup and invitation links [default: http://<listen>].
    /// Set it to the https:// address of the reverse proxy in production.
    #[arg(long, global = true, env = "ACCORD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Log format [default: text].
    #[arg(long, global = true, env = "ACCORD_LOG_FORMAT")]
    pub log_format: Option<LogFormat>,
    /// Log filter in `tracing` syntax [default: info].
    #[arg(long, global = true, env = "ACCORD_LOG")]
    pub log: Option<String>,
    /// Take the client address from X-Forwarded-For (only behind a reverse proxy you run).
    #[arg(long, global = true, env = "ACCORD_TRUST_PROXY_HEADERS")]
    pub trust_proxy_headers: Option<bool>,
    /// Staff sessions end after this many minutes without a request [default: 120].
    #[arg(long, global = true, env = "ACCORD_SESSION_IDLE_MINUTES")]
    pub session_idle_minutes: Option<u32>,
    /// Staff sessions end this many hours after login, active or not [default: 12].
    #[arg(long, global = true, env = "ACCORD_SESSION_ABSOLUTE_HOURS")]
    pub session_absolute_hours: Option<u32>,
    /// Invitation links expire after this many hours [default: 168].
    #[arg(long, global = true, env = "ACCORD_INVITATION_TTL_HOURS")]
    pub invitation_ttl_hours: Option<u32>,
    /// Login attempts allowed per client address per minute [default: 10].
    #[arg(long, global = true, env = "ACCORD_LOGIN_RATE_PER_MINUTE")]
    pub login_rate_per_minute: Option<u32>,
    /// Invitation redemptions allowed per client address per minute [default: 10].
    #[arg(long, global = true, env = "ACCORD_REDEEM_RATE_PER_MINUTE")]
    pub redeem_rate_per_minute: Option<u32>,
    /// Most database connections in the pool [default: 10].
    #[arg(long, global = true, env = "ACCORD_DB_MAX_CONNECTIONS")]
    pub db_max_connections: Option<u32>,
    /// How long a request waits for a database connection, in ms, before it is answered with
    /// 503 (the database is down or overloaded) [default: 500].
    #[arg(long, global = true, env = "ACCORD_DB_ACQUIRE_TIMEOUT_MS")]
    pub db_acquire_timeout_ms: Option<u64>,
    /// Open connections allowed from one client address; more are closed at once. Behind a
    /// reverse proxy every connection comes from the proxy: raise it there [default: 128].
    #[arg(long, global = true, env = "ACCORD_CONNECTIONS_PER_CLIENT")]
    pub connections_per_client: Option<u32>,
    /// How long a client may take to send a request's headers, in ms, before the connection is
    /// closed; also how long an idle kept-alive connection stays open [default: 10000].
    #[arg(long, global = true, env = "ACCORD_REQUEST_HEADER_TIMEOUT_MS")]
    pub request_header_timeout_ms: Option<u64>,
    /// How long a client may take to send a request's body, in ms, before it is answered with
    /// 408 [default: 30000].
    #[arg(long, global = true, env = "ACCORD_REQUEST_BODY_TIMEOUT_MS")]
    pub request_body_timeout_ms: Option<u64>,
    /// Address the media (WebRTC, UDP) sockets bind to [default: 127.0.0.1].
    #[arg(long, global = true, env = "ACCORD_MEDIA_BIND_IP")]
    pub media_bind_ip: Option<IpAddr>,
    /// UDP port range for media, e.g. 40000-40999 [default: any free port].
    #[arg(long, global = true, env = "ACCORD_MEDIA_PORTS")]
    pub media_ports: Option<String>,
    /// Address advertised to browsers for media, when it differs from the bind address (1:1 NAT).
    #[arg(long, global = true, env = "ACCORD_MEDIA_ADVERTISED_IP")]
    pub media_advertised_ip: Option<IpAddr>,
    /// STUN/TURN server URLs handed to browsers, comma-separated (stun:..., turn:...).
    #[arg(long, global = true, env = "ACCORD_ICE_SERVERS", value_delimiter = ',')]
    pub ice_servers: Option<Vec<String>>,
    /// Username for the turn: servers.
    #[arg(long, global = true, env = "ACCORD_TURN_USERNAME")]
    pub turn_username: Option<String>,
    /// Credential for the turn: servers.
    #[arg(
        long,
        global = true,
        env = "ACCORD_TURN_CREDENTIAL",
        hide_env_values = true
    )]
    pub turn_credential: Option<String>,
    /// Seconds a dropped live-session connection keeps its place [default: 30].
    #[arg(long, global = true, env = "ACCORD_LIVE_GRACE_SECONDS")]
    pub live_grace_seconds: Option<u32>,
    /// Courts for judicial confirmation, as a JSON list of {id, name, endpoint,
    /// callback_public_key | callback_secret}; in the file, `[[courts]]` tables [default: none].
    #[arg(
        long,
        global = true,
        env = "ACCORD_COURTS",
        hide_env_values = true,
        value_parser = clap::value_parser!(Courts)
    )]
    pub courts: Option<Courts>,
    /// Participants' identity records in bundles for courts: redacted or full [default: redacted].
    #[arg(long, global = true, env = "ACCORD_COURT_IDENTITIES")]
    pub court_identities: Option<IdentityDisclosure>,
    /// First delay before retrying a failed delivery to a court, in ms; it doubles, with
    /// jitter, up to court_retry_max_ms [default: 2000].
    #[arg(long, global = true, env = "ACCORD_COURT_RETRY_BASE_MS")]
    pub court_retry_base_ms: Option<u64>,
    /// Longest delay between delivery attempts, in ms [default: 600000].
    #[arg(long, global = true, env = "ACCORD_COURT_RETRY_MAX_MS")]
    pub court_retry_max_ms: Option<u64>,
    /// How long one delivery attempt may take, in ms [default: 30000].
    #[arg(long, global = true, env = "ACCORD_COURT_TIMEOUT_MS")]
    pub court_timeout_ms: Option<u64>,
}

/// How much of the participants' identity a bundle for a court carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentityDisclosure {
    /// Names and how identity was verified; contact details and addresses masked.
    Redacted,
    /// Everything the committee holds (PIPL 23: the parties consented, consent 11).
    Full,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The settings in force, every one decided.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub seal_key_file: PathBuf,
    pub public_url: Option<String>,
    pub log_format: LogFormat,
    pub log: String,
    pub trust_proxy_headers: bool,
    pub session_idle_minutes: u32,
    pub session_absolute_hours: u32,
    pub invitation_ttl_hours: u32,
    pub login_rate_per_minute: u32,
    pub redeem_rate_per_minute: u32,
    pub db_max_connections: u32,
    pub db_acquire_timeout_ms: u64,
    pub connections_per_client: u32,
    pub request_header_timeout_ms: u64,
    pub request_body_timeout_ms: u64,
    pub media_bind_ip: IpAddr,
    pub media_ports: Option<(u16, u16)>,
    pub media_advertised_ip: Option<IpAddr>,
    pub ice_servers: Vec<String>,
    pub turn_username: Option<String>,
    pub turn_credential: Option<String>,
    pub live_grace_seconds: u32,
    pub courts: Courts,
    pub court_identities: IdentityDisclosure,
    pub court_retry_base_ms: u64,
    pub court_retry_max_ms: u64,
    pub court_timeout_ms: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("{0}")]
    Invalid(String),
}

impl Settings {
    /// Reads the file named by `--config`, if any, and layers these settings over it.
    pub fn resolve(self) -> Result<Config, ConfigError> {
        let file = match &self.config {
            Some(path) => read_file(path)?,
            None => Settings::default(),
        };
        self.over(file).into_config()
    }

    /// `self` wins wherever it has a value.
    fn over(self, lower: Settings) -> Settings {
        Settings {
            config: self.config.or(lower.config),
            listen: self.listen.or(lower.listen),
            data_dir: self.data_dir.or(lower.data_dir),
            database_url: self.database_url.or(lower.database_url),
            seal_key_file: self.seal_key_file.or(lower.seal_key_file),
            public_url: self.public_url.or(lower.public_url),
            log_format: self.log_format.or(lower.log_format),
            log: self.log.or(lower.log),
            trust_proxy_headers: self.trust_proxy_headers.or(lower.trust_proxy_headers),
            session_idle_minutes: self.session_idle_minutes.or(lower.session_idle_minutes),
            session_absolute_hours: self.session_absolute_hours.or(lower.session_absolute_hours),
            invitation_ttl_hours: self.invitation_ttl_hours.or(lower.invitation_ttl_hours),
            login_rate_per_minute: self.login_rate_per_minute.or(lower.login_rate_per_minute),
            redeem_rate_per_minute: self.redeem_rate_per_minute.or(lower.redeem_rate_per_minute),
            db_max_connections: self.db_max_connections.or(lower.db_max_connections),
            db_acquire_timeout_ms: self.db_acquire_timeout_ms.or(lower.db_acquire_timeout_ms),
            connections_per_client: self.connections_per_client.or(lower.connections_per_client),
            request_header_timeout_ms: self
                .request_header_timeout_ms
                .or(lower.request_header_timeout_ms),
            request_body_timeout_ms: self
                .request_body_timeout_ms
                .or(lower.request_body_timeout_ms),
            media_bind_ip: self.media_bind_ip.or(lower.media_bind_ip),
            media_ports: self.media_ports.or(lower.media_ports),
            media_advertised_ip: self.media_advertised_ip.or(lower.media_advertised_ip),
            ice_servers: self.ice_servers.or(lower.ice_servers),
            turn_username: self.turn_username.or(lower.turn_username),
            turn_credential: self.turn_credential.or(lower.turn_credential),
            live_grace_seconds: self.live_grace_seconds.or(lower.live_grace_seconds),
            courts: self.courts.or(lower.courts),
            court_identities: self.court_identities.or(lower.court_identities),
            court_retry_base_ms: self.court_retry_base_ms.or(lower.court_retry_base_ms),
            court_retry_max_ms: self.court_retry_max_ms.or(lower.court_retry_max_ms),
            court_timeout_ms: self.court_timeout_ms.or(lower.court_timeout_ms),
        }
    }

    fn into_config(self) -> Result<Config, ConfigError> {
        let data_dir = self.data_dir.unwrap_or_else(|| PathBuf::from("data"));
        let config = Config {
            listen: self
                .listen
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            data_dir: data_dir.clone(),
            database_url: self.database_url.filter(|url| !url.trim().is_empty()),
            seal_key_file: self
                .seal_key_file
                .unwrap_or_else(|| data_dir.join("seal-wrapping.key")),
            public_url: self
                .public_url
                .map(|url| url.trim_end_matches('/').to_owned()),
            log_format: self.log_format.unwrap_or(LogFormat::Text),
            log: self.log.unwrap_or_else(|| "info".to_owned()),
            trust_proxy_headers: self.trust_proxy_headers.unwrap_or(false),
            session_idle_minutes: self.session_idle_minutes.unwrap_or(120),
            session_absolute_hours: self.session_absolute_hours.unwrap_or(12),
            invitation_ttl_hours: self.invitation_ttl_hours.unwrap_or(168),
            login_rate_per_minute: self.login_rate_per_minute.unwrap_or(10),
            redeem_rate_per_minute: self.redeem_rate_per_minute.unwrap_or(10),
            db_max_connections: self.db_max_connections.unwrap_or(10),
            db_acquire_timeout_ms: self.db_acquire_timeout_ms.unwrap_or(500),
            connections_per_client: self.connections_per_client.unwrap_or(128),
            request_header_timeout_ms: self.request_header_timeout_ms.unwrap_or(10_000),
            request_body_timeout_ms: self.request_body_timeout_ms.unwrap_or(30_000),
            media_bind_ip: self.media_bind_ip.unwrap_or(IpAddr::from([127, 0, 0, 1])),
            media_ports: self
                .media_ports
                .as_deref()
                .map(parse_port_range)
                .transpose()?,
            media_advertised_ip: self.media_advertised_ip,
            ice_servers: self
                .ice_servers
                .unwrap_or_default()
                .into_iter()
                .map(|url| url.trim().to_owned())
                .filter(|url| !url.is_empty())
                .collect(),
            turn_username: self.turn_username,
            turn_credential: self.turn_credential,
            live_grace_seconds: self.live_grace_seconds.unwrap_or(30),
            courts: self.courts.unwrap_or_default(),
            court_identities: self
                .court_identities
                .unwrap_or(IdentityDisclosure::Redacted),
            court_retry_base_ms: self.court_retry_base_ms.unwrap_or(2_000),
            court_retry_max_ms: self.court_retry_max_ms.unwrap_or(600_000),
            court_timeout_ms: self.court_timeout_ms.unwrap_or(30_000),
        };
        config.check()?;
        Ok(config)
    }
}

/// `40000-40999` → (40000, 40999).
fn parse_port_range(raw: &str) -> Result<(u16, u16), ConfigError> {
    let bad = || {
        ConfigError::Invalid(format!(
            "media_ports {raw:?} is not a range like 40000-40999"
        ))
    };
    let (low, high) = raw.split_once('-').ok_or_else(bad)?;
    let low: u16 = low.trim().parse().map_err(|_| bad())?;
    let high: u16 = high.trim().parse().map_err(|_| bad())?;
    if low == 0 || low > high {
        return Err(bad());
    }
    Ok((low, high))
}

fn read_file(path: &Path) -> Result<Settings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ConfigError::Parse {
        path: path.to_owned(),
        source: Box::new(source),
    })
}

impl Config {
    /// Defaults for everything, as a bare `accord` would run.
    pub fn defaults() -> Config {
        Settings::default()
            .into_config()
            .unwrap_or_else(|_| unreachable!("the defaults are valid"))
    }

    fn check(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.public_url {
            let parsed = url::Url::parse(url).ok();
            let web = parsed
                .as_ref()
                .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
            if !web {
                return Err(ConfigError::Invalid(
                    "public_url must be an http:// or https:// address".into(),
                ));
            }
        }
        if let Some(bad) = self.ice_servers.iter().find(|url| {
            !(url.starts_with("stun:") || url.starts_with("turn:") || url.starts_with("turns:"))
        }) {
            return Err(ConfigError::Invalid(format!(
                "ice server {bad:?} must start with stun:, turn: or turns:"
            )));
        }
        if self.media_bind_ip.is_unspecified() {
            return Err(ConfigError::Invalid(
                "media_bind_ip must be an explicit address, not 0.0.0.0 or ::".into(),
            ));
        }
        if let Some(url) = &self.database_url {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(ConfigError::Invalid(
                    "database_url must be a postgres:// URL (leave it unset for SQLite)".into(),
                ));
            }
        }
        let positive = [
            ("session_idle_minutes", self.session_idle_minutes),
            ("session_absolute_hours", self.session_absolute_hours),
            ("invitation_ttl_hours", self.invitation_ttl_hours),
            ("login_rate_per_minute", self.login_rate_per_minute),
            ("redeem_rate_per_minute", self.redeem_rate_per_minute),
            ("db_max_connections", self.db_max_connections),
            ("connections_per_client", self.connections_per_client),
            ("live_grace_seconds", self.live_grace_seconds),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, value)| *value == 0) {
            return Err(ConfigError::Invalid(format!("{name} must be at least 1")));
        }
        self.courts.check().map_err(ConfigError::Invalid)?;
        if self.court_retry_base_ms == 0 || self.court_retry_base_ms > self.court_retry_max_ms {
            return Err(ConfigError::Invalid(
                "court_retry_base_ms must be at least 1 and at most court_retry_max_ms".into(),
            ));
        }
        let positive_ms = [
            ("court_timeout_ms", self.court_timeout_ms),
            ("db_acquire_timeout_ms", self.db_acquire_timeout_ms),
            ("request_header_timeout_ms", self.request_header_timeout_ms),
            ("request_body_timeout_ms", self.request_body_timeout_ms),
        ];
        if let Some((name, _)) = positive_ms.iter().find(|(_, value)| *value == 0) {
            return Err(ConfigError::Invalid(format!("{name} must be at least 1")));
        }
        Ok(())
    }

    /// The origin people reach us at, without a trailing slash.
    pub fn public_origin(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }

    /// True when `origin` (a browser's `Origin` header) is the public origin: the same scheme,
    /// host and port. Without a public_url on a loopback address, `localhost` is the same host.
    /// The request's own `Host` header plays no part: a site that points its name at this
    /// server (DNS rebinding) controls it.
    pub fn accepts_origin(&self, origin: &str) -> bool {
        let Ok(origin) = url::Url::parse(origin) else {
            return false;
        };
        let ours =
            |public: &str| url::Url::parse(public).is_ok_and(|p| p.origin() == origin.origin());
        ours(&self.public_origin())
            || (self.public_url.is_none()
                && self.listen.ip().is_loopback()
                && ours(&format!("http://localhost:{}", self.listen.port())))
    }

    /// Cookies get `Secure` whenever people reach us over TLS.
    pub fn secure_cookies(&self) -> bool {
        self.public_origin().starts_with("https://")
    }
}

#[cfg(test)]
mod tests;
