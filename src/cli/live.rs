//! `uninews check --live`: re-fetch every fixture's page and report per site whether it
//! still extracts to a record of the same shape (see [`uninews::fixtures::live`]).
//!
//! Output on stdout: one line per site (`CHANGED`, `unchanged` or `unchecked`), each
//! followed by one indented line per fixture, then a summary line. Exit code: 7 when any
//! site changed; else 5 when some page could not be fetched (or a site had nothing to
//! check); else 0.

use super::profiles::ProfileArgs;
use super::{CliError, Exit, WithExit};
use std::io::Write;
use uninews::fetch::{FetchConfig, Fetcher};
use uninews::fixtures::live::{LiveOutcome, SiteVerdict, check_live};

/// What `check --live` needs of `uninews check`'s arguments.
pub struct LiveArgs<'a> {
    /// Fixture folders.
    pub dirs: &'a [std::path::PathBuf],
    /// Requests per second per host.
    pub rate: f64,
    /// Attempts per URL.
    pub max_attempts: u32,
    /// The User-Agent header.
    pub user_agent: &'a str,
    /// Profile selection for extraction.
    pub profiles: &'a ProfileArgs,
}

/// Run `uninews check --live`.
pub fn run(args: &LiveArgs<'_>) -> Result<Exit, CliError> {
    let extractor = args.profiles.extractor()?;
    let config = FetchConfig {
        user_agent: args.user_agent.to_string(),
        rate: Some(args.rate),
        max_attempts: args.max_attempts,
        ..FetchConfig::default()
    }
    .validated()
    .exit_with(Exit::Config)?;
    let rt = super::runtime()?;
    let report = rt.block_on(async {
        let fetcher = Fetcher::new(config).exit_with(Exit::Config)?;
        check_live(args.dirs, &fetcher, &extractor)
            .await
            .exit_with(Exit::Input)
    })?;
    let mut out = std::io::stdout().lock();
    for site in &report.sites {
        writeln!(out, "{}", site.line()).exit_with(Exit::Internal)?;
        for r in &site.results {
            let page = r.page.display();
            let line = match &r.outcome {
                LiveOutcome::Same => format!("  same shape  {page}"),
                LiveOutcome::Changed(changes) => format!(
                    "  CHANGED     {page}: {}",
                    changes
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                LiveOutcome::Unreachable(why) => format!("  unreachable {page}: {why}"),
                LiveOutcome::NotChecked(why) => format!("  not checked {page}: {why}"),
            };
            writeln!(out, "{line}").exit_with(Exit::Internal)?;
        }
    }
    writeln!(out, "{}", report.summary()).exit_with(Exit::Internal)?;
    let changed = report.sites_with(SiteVerdict::Changed);
    Ok(if !changed.is_empty() {
        tracing::warn!("changed sites: {}", changed.join(", "));
        Exit::SiteChanged
    } else if report.incomplete() {
        Exit::Partial
    } else {
        Exit::Ok
    })
}
