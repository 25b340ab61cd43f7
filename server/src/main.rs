//! The `accord` binary: `accord serve` (the default), `accord admin ...`, `accord verify FILE`.

use accord::app::{self, Application, Cli, Command};
use accord::record::agreement::{self, VerifyError};
use accord::record::bundle;
use clap::Parser as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Offline verification reads one file and nothing else: no configuration, no database.
    if let Some(Command::Verify { file }) = &cli.command {
        return verify(file);
    }
    let config = match cli.settings.resolve() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("accord: {err}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Admin { command } => admin(config, command).await,
        Command::Verify { file } => return verify(&file),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("accord: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: app::Config) -> anyhow::Result<()> {
    app::init_telemetry(config.log_format, &config.log);
    let application = Application::build(config).await?;
    let shutdown = app::shutdown_signal()?;
    app::announce(&application)?;
    application.run_until(shutdown).await
}

async fn admin(config: app::Config, command: app::admin::AdminCommand) -> anyhow::Result<()> {
    let db = accord::store::Db::open(
        config.database_url.as_deref(),
        &config.data_dir,
        &config.seal_key_file,
        config.db_max_connections,
        std::time::Duration::from_millis(config.db_acquire_timeout_ms),
    )
    .await?;
    let now = app::Clock::system().now();
    let mut stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    let result = app::admin::run(command, &db, now, &mut stdin, &mut stdout).await;
    db.close().await;
    result
}

/// `accord verify FILE`: the report on stdout and exit 0 when everything holds; the reason on
/// stderr and exit 1 when something was altered, 2 when the input is not a usable package or
/// bundle. A zip archive is read as a judicial-confirmation bundle, anything else as an
/// agreement package.
fn verify(file: &Path) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("accord verify: cannot read {}: {err}", file.display());
            return ExitCode::from(2);
        }
    };
    let (what, verified) = if bytes.starts_with(b"PK") {
        (
            "bundle",
            bundle::verify_bundle(&bytes).map(|v| v.to_string()),
        )
    } else {
        (
            "agreement package",
            agreement::verify_package(&bytes).map(|v| v.to_string()),
        )
    };
    match verified {
        Ok(report) => {
            let mut out = std::io::stdout().lock();
            match writeln!(out, "{}\n{report}", file.display()) {
                Ok(()) => ExitCode::SUCCESS,
                // A report nobody received verifies nothing.
                Err(err) => {
                    eprintln!("accord verify: cannot write the report: {err}");
                    ExitCode::from(2)
                }
            }
        }
        Err(VerifyError::Invalid(reason)) => {
            eprintln!("accord verify: {}: INVALID: {reason}", file.display());
            ExitCode::from(1)
        }
        Err(VerifyError::Unusable(reason)) => {
            eprintln!(
                "accord verify: {}: not a usable {what}: {reason}",
                file.display()
            );
            ExitCode::from(2)
        }
    }
}
