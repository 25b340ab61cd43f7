//! The `accord-bench` binary: runs, writes the JSON report if asked, prints the table.

use accord_bench::options::Options;
use accord_bench::report;
use clap::Parser as _;
use std::io::Write as _;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let options = Options::parse();
    let document = match accord_bench::run(&options).await {
        Ok(document) => document,
        Err(err) => {
            eprintln!("accord-bench: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &options.json {
        let written = serde_json::to_vec_pretty(&document)
            .map_err(std::io::Error::other)
            .and_then(|json| std::fs::write(path, json));
        if let Err(err) = written {
            eprintln!("accord-bench: cannot write {}: {err}", path.display());
            return ExitCode::FAILURE;
        }
    }
    let mut out = std::io::stdout().lock();
    match write!(out, "{}", report::table(&document)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}
