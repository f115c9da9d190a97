//! The command line: argument parsing, logging set-up, exit codes. The only module that
//! writes to stdout/stderr or decides the process's exit status.

mod check;
mod crawl;
mod exit;
mod extract;
mod fixture;
mod live;
mod profiles;
mod progress;
mod sample;
mod serve;

pub use exit::{CliError, Exit, WithExit};

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Mirror university news websites and turn every article into clean, structured JSON.
#[derive(Debug, Parser)]
#[command(name = "uninews", version, about, long_about = None)]
pub struct Cli {
    /// Less output on stderr (warnings and errors only).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More output on stderr (-v: debug, -vv: trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract article records from saved pages (one JSON record, or JSON Lines for many).
    Extract(extract::ExtractArgs),
    /// Re-extract every fixture and compare with its expectation (exit 6 on any mismatch);
    /// with --live, re-fetch every fixture's page and report changed sites (exit 7).
    Check(check::CheckArgs),
    /// Crawl news sites politely into an output folder (resumes an interrupted crawl).
    Crawl(crawl::CrawlArgs),
    /// Save real pages as fixtures, with a proposed record for review.
    Fixture(fixture::FixtureArgs),
    /// Replay a crawl folder on 127.0.0.1 (browse or crawl an archive offline).
    Serve(serve::ServeArgs),
    /// Serve the bundled sample news site on 127.0.0.1 until Ctrl-C.
    ServeSample(sample::ServeSampleArgs),
    /// Crawl the bundled sample site end to end, offline, into output/demo/.
    Demo(sample::DemoArgs),
}

/// Run the CLI: parse arguments, set up logging, dispatch, map errors to exit codes.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Ok.into()
            };
        }
    };
    init_logging(cli.quiet, cli.verbose);
    let result = match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Check(args) => check::run(args),
        Command::Crawl(args) => crawl::run(args),
        Command::Fixture(args) => fixture::run(args),
        Command::Serve(args) => serve::run(args),
        Command::ServeSample(args) => sample::serve(args),
        Command::Demo(args) => sample::demo(args),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            eprintln!("error: {:#}", e.error);
            e.exit.into()
        }
    }
}

/// The tokio runtime the async commands run on.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .exit_with(Exit::Internal)
}

fn init_logging(quiet: bool, verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let default = match (quiet, verbose) {
        (true, _) => "warn",
        (_, 0) => "info",
        (_, 1) => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_env("UNINEWS_LOG")
        .unwrap_or_else(|_| EnvFilter::new(format!("uninews={default},warn")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(progress::LogWriter)
        .with_target(false)
        .without_time()
        .try_init();
}
