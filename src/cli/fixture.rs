//! `uninews fixture add URL`, and the fixture step of `uninews crawl --fixtures K`: save
//! real pages as fixtures with a proposed record for review (see [`uninews::fixtures::capture`]).

use super::profiles::ProfileArgs;
use super::{CliError, Exit, WithExit};
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use uninews::fetch::{DEFAULT_USER_AGENT, FetchConfig, Fetcher};
use uninews::fixtures::capture::{self, Saved};
use url::Url;

/// Arguments of `uninews fixture`.
#[derive(Debug, Args)]
pub struct FixtureArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: FixtureCommand,
}

/// The `fixture` subcommands.
#[derive(Debug, Subcommand)]
pub enum FixtureCommand {
    /// Fetch pages (politely) and save each as a fixture with its proposed record, for
    /// review with `uninews check` and `uninews check --accept`.
    Add(AddArgs),
}

/// Arguments of `uninews fixture add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Article URLs.
    #[arg(value_name = "URL", required = true)]
    pub urls: Vec<Url>,
    /// The fixture folder (fixtures go to DIR/<site>/).
    #[arg(long, default_value = "fixtures", value_name = "DIR")]
    pub fixtures_dir: PathBuf,
    /// Requests per second per host.
    #[arg(long, default_value = "1", value_name = "R", value_parser = super::parse::rate)]
    pub rate: f64,
    /// The User-Agent header.
    #[arg(long, default_value = DEFAULT_USER_AGENT, value_name = "UA")]
    pub user_agent: String,
    #[command(flatten)]
    pub profiles: ProfileArgs,
}

/// Run `uninews fixture ...`.
pub fn run(args: FixtureArgs) -> Result<Exit, CliError> {
    match args.command {
        FixtureCommand::Add(add) => run_add(add),
    }
}

fn run_add(args: AddArgs) -> Result<Exit, CliError> {
    let extractor = args.profiles.extractor()?;
    let config = FetchConfig {
        user_agent: args.user_agent.clone(),
        rate: Some(args.rate),
        ..FetchConfig::default()
    }
    .validated()
    .exit_with(Exit::Config)?;
    let rt = super::runtime()?;
    let fetcher = rt
        .block_on(async { Fetcher::new(config) })
        .exit_with(Exit::Config)?;
    let mut failed = 0usize;
    let mut out = std::io::stdout().lock();
    for url in &args.urls {
        let added = rt.block_on(capture::add_url(
            &fetcher,
            &extractor,
            url,
            &args.fixtures_dir,
        ));
        match added {
            Ok(a) => {
                for w in &a.warnings {
                    tracing::warn!("{url}: {w}");
                }
                match &a.saved {
                    Saved::Added(page) => eprintln!(
                        "added {} (site {}): review the proposed record in {}, then run `uninews check --accept`",
                        page.display(),
                        a.site,
                        uninews::fixtures::store::proposed_path(page).display()
                    ),
                    Saved::Exists(page) => eprintln!(
                        "{url} already is the fixture {}; left as it is",
                        page.display()
                    ),
                }
                let json = serde_json::to_string_pretty(&a.record).exit_with(Exit::Internal)?;
                writeln!(out, "{json}").exit_with(Exit::Internal)?;
            }
            Err(capture::CaptureError::Fetch { url, message }) => {
                eprintln!("error: {url}: {message}");
                failed += 1;
            }
            Err(e) => return Err(CliError::new(Exit::Input, e)),
        }
    }
    Ok(if failed > 0 { Exit::Partial } else { Exit::Ok })
}

/// The fixture step of `crawl --fixtures K`: save K articles per site from the crawl in
/// `out` under `dir`, and list them.
pub(super) fn capture_after_crawl(out: &Path, dir: &Path, k: usize) -> Result<(), CliError> {
    let report = capture::from_crawl(out, dir, k).exit_with(Exit::Input)?;
    let mut stdout = std::io::stdout().lock();
    let mut added = 0;
    for site in &report.sites {
        eprintln!(
            "fixtures for {}: {} new, {} already there (from {} articles in {} template/column groups)",
            site.site,
            site.added.len(),
            site.existing.len(),
            site.articles,
            site.groups
        );
        for page in &site.added {
            writeln!(stdout, "{}", page.display()).exit_with(Exit::Internal)?;
        }
        added += site.added.len();
    }
    if added > 0 {
        eprintln!(
            "review the proposed records (*.proposed.json) under {}, then run `uninews check --accept {}`",
            dir.display(),
            dir.display()
        );
    }
    Ok(())
}
