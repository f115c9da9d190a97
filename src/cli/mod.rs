//! The command line: argument parsing, logging set-up, exit codes. The only module that
//! writes to stdout/stderr or decides the process's exit status.

mod check;
mod crawl;
mod exit;
mod extract;
mod fixture;
mod fleet;
mod limits;
mod live;
mod parse;
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
    /// Write the newest version of every record in a shared frontier as JSON Lines.
    Export(fleet::ExportArgs),
    /// Show a shared frontier: hosts, queues, workers and their leases.
    Status(fleet::StatusArgs),
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
        Command::Export(args) => fleet::export(args),
        Command::Status(args) => fleet::status(args),
    };
    match result {
        Ok(exit) => exit.into(),
        // `uninews extract DIR | head -1`: the reader is gone, which is not an error.
        Err(e) if is_broken_pipe(&e.error) => Exit::Ok.into(),
        Err(e) => {
            eprintln!("error: {:#}", e.error);
            e.exit.into()
        }
    }
}

/// The tokio runtime the async commands run on.
/// Blocking threads of the CLI's runtime (see [`runtime`]).
const BLOCKING_THREADS: usize = 32;

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Parsing and file writes run on blocking threads. Tokio's default allows 512,
        // and a crawl of many hosts with hundreds of page tasks would start that many
        // (stacks and allocator arenas: tens of MB) to share a few cores.
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
        .exit_with(Exit::Internal)
}

/// Whether the error (or any cause in its chain) is a write to a closed pipe.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Colour in log lines: only when stderr is a terminal, and never with `NO_COLOR` set to
/// a non-empty value (<https://no-color.org>).
fn use_color(stderr_is_terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|v| v.is_empty())
}

fn init_logging(quiet: bool, verbose: u8) {
    use std::io::IsTerminal;
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
        .with_ansi(use_color(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR"),
        ))
        .with_target(false)
        .without_time()
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_and_never_with_no_color() {
        assert!(use_color(true, None));
        assert!(use_color(true, Some("".into())));
        assert!(!use_color(true, Some("1".into())));
        assert!(!use_color(false, None));
    }

    #[test]
    fn a_closed_pipe_is_recognised_through_the_error_chain() {
        let io = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        assert!(is_broken_pipe(&anyhow::Error::from(io).context("writing")));
        let json = serde_json::Error::io(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(is_broken_pipe(&anyhow::Error::from(json)));
        let other = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(!is_broken_pipe(&anyhow::Error::from(other)));
    }
}
