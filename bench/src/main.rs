//! The `accord-bench` binary: runs, writes the JSON report if asked, prints the table.

use accord_bench::options::Options;
use accord_bench::{netns, report};
use clap::Parser as _;
use std::io::Write as _;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let options = Options::parse();
    if options.against.is_some() {
        if !netns::inside() {
            return netns::rerun_inside();
        }
        if let Err(err) = netns::set_up() {
            eprintln!("accord-bench: cannot set up the benchmark's network namespace: {err:#}");
            return ExitCode::FAILURE;
        }
    }
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
