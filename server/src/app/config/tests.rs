//! The layering of settings, and the checks on their values.

use super::*;

#[test]
fn flags_beat_the_file_and_the_file_beats_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accord.toml");
    std::fs::write(
        &path,
        "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/accord\"\nlog_format = \"json\"\n",
    )
    .unwrap();
    let cli = Cli::try_parse_from([
        "accord",
        "--config",
        path.to_str().unwrap(),
        "--listen",
        "127.0.0.1:9100",
    ])
    .unwrap();
    let config = cli.settings.resolve().unwrap();
    assert_eq!(config.listen.port(), 9100, "the flag wins over the file");
    assert_eq!(
        config.data_dir,
        PathBuf::from("/srv/accord"),
        "the file wins over the default"
    );
    assert_eq!(config.log_format, LogFormat::Json);
    assert_eq!(
        config.session_idle_minutes, 120,
        "the default fills the rest"
    );
}

#[test]
fn defaults_listen_on_loopback_with_a_local_data_folder() {
    let config = Config::defaults();
    assert_eq!(config.listen, SocketAddr::from(([127, 0, 0, 1], 8080)));
    assert_eq!(config.data_dir, PathBuf::from("data"));
    assert_eq!(config.public_origin(), "http://127.0.0.1:8080");
    assert!(!config.secure_cookies());
}

#[test]
fn refuses_unknown_keys_and_bad_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accord.toml");
    std::fs::write(&path, "listne = \"127.0.0.1:9000\"\n").unwrap();
    let err = read_file(&path).unwrap_err();
    assert!(err.to_string().contains("listne"), "{err}");

    let bad = Settings {
        database_url: Some("mysql://x".into()),
        ..Settings::default()
    };
    assert!(bad.into_config().is_err());
    let zero = Settings {
        session_idle_minutes: Some(0),
        ..Settings::default()
    };
    assert!(zero.into_config().is_err());
}

#[test]
fn media_settings_are_checked() {
    assert_eq!(parse_port_range("40000-40999").unwrap(), (40000, 40999));
    for bad in ["40000", "9-1", "0-10", "a-b"] {
        assert!(parse_port_range(bad).is_err(), "{bad}");
    }
    let wildcard = Settings {
        media_bind_ip: Some(IpAddr::from([0, 0, 0, 0])),
        ..Settings::default()
    };
    assert!(wildcard.into_config().is_err());
    let http_ice = Settings {
        ice_servers: Some(vec!["http://stun.example".into()]),
        ..Settings::default()
    };
    assert!(http_ice.into_config().is_err());
    let cli = Cli::try_parse_from([
        "accord",
        "--ice-servers",
        "stun:stun.example.cn:3478,turn:turn.example.cn:3478",
    ])
    .unwrap();
    assert_eq!(cli.settings.resolve().unwrap().ice_servers.len(), 2);
}

#[test]
fn courts_come_from_the_file_or_json_and_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accord.toml");
    std::fs::write(
        &path,
        "[[courts]]\nid = \"chaoyang\"\nname = \"北京市朝阳区人民法院\"\n\
         endpoint = \"https://court.example.cn/confirmations\"\n\
         callback_secret = \"a secret of sixteen+\"\n",
    )
    .unwrap();
    let cli = Cli::try_parse_from(["accord", "--config", path.to_str().unwrap()]).unwrap();
    let config = cli.settings.resolve().unwrap();
    assert_eq!(config.courts.0.len(), 1);
    assert!(
        !format!("{config:?}").contains("sixteen"),
        "the shared secret never shows"
    );
    let json = r#"[{"id": "x", "name": "某法院"}]"#;
    let cli = Cli::try_parse_from(["accord", "--courts", json]).unwrap();
    let err = cli.settings.resolve().unwrap_err().to_string();
    assert!(
        err.contains("callback_public_key or callback_secret"),
        "{err}"
    );
    assert!(Config::defaults().courts.0.is_empty());
}

#[test]
fn https_public_url_makes_cookies_secure() {
    let config = Settings {
        public_url: Some("https://mediation.example.cn/".into()),
        ..Settings::default()
    }
    .into_config()
    .unwrap();
    assert_eq!(config.public_origin(), "https://mediation.example.cn");
    assert!(config.secure_cookies());
}

#[test]
fn connection_and_timeout_settings_come_from_flags_and_must_be_positive() {
    let cli = Cli::try_parse_from([
        "accord",
        "--connections-per-client",
        "16",
        "--request-header-timeout-ms",
        "2000",
        "--db-acquire-timeout-ms",
        "250",
    ])
    .unwrap();
    let config = cli.settings.resolve().unwrap();
    assert_eq!(config.connections_per_client, 16);
    assert_eq!(config.request_header_timeout_ms, 2_000);
    assert_eq!(config.request_body_timeout_ms, 30_000);
    assert_eq!(config.db_acquire_timeout_ms, 250);
    for zero in [
        Settings {
            connections_per_client: Some(0),
            ..Settings::default()
        },
        Settings {
            request_body_timeout_ms: Some(0),
            ..Settings::default()
        },
        Settings {
            db_acquire_timeout_ms: Some(0),
            ..Settings::default()
        },
    ] {
        assert!(zero.into_config().is_err());
    }
}

#[test]
fn the_origin_is_public_urls_scheme_host_and_port() {
    let config = Settings {
        public_url: Some("https://mediation.example.cn/".into()),
        ..Settings::default()
    }
    .into_config()
    .unwrap();
    assert!(config.accepts_origin("https://mediation.example.cn"));
    assert!(config.accepts_origin("https://Mediation.Example.CN:443"));
    for other in [
        "http://mediation.example.cn",
        "https://mediation.example.cn:8443",
        "https://evil.example",
        "http://127.0.0.1:8080",
        "null",
        "",
    ] {
        assert!(!config.accepts_origin(other), "{other}");
    }
    let local = Config::defaults();
    assert!(local.accepts_origin("http://127.0.0.1:8080"));
    assert!(local.accepts_origin("http://localhost:8080"));
    assert!(!local.accepts_origin("http://localhost:8081"));
    let bad = Settings {
        public_url: Some("https://".into()),
        ..Settings::default()
    };
    assert!(bad.into_config().is_err());
}
