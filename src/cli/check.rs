//! `uninews check`: the fixture regression check, for people and for CI. `--live` is in
//! [`super::live`].

use super::profiles::ProfileArgs;
use super::{CliError, Exit, WithExit};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use uninews::fetch::DEFAULT_USER_AGENT;
use uninews::fixtures::check::{Verdict, check_fixtures, compare, render};
use uninews::fixtures::store::{promote_proposed, proposed_path, write_expected};

/// Arguments of `uninews check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fixture folders (or single fixture pages) to check.
    #[arg(value_name = "DIR", default_value = "fixtures")]
    pub dirs: Vec<PathBuf>,
    /// Record the expectations of every new or mismatched fixture (after you have reviewed
    /// them): a new fixture's `.proposed.json` (as you left it) becomes its
    /// `.expected.json`; otherwise the current record is written.
    #[arg(long)]
    pub accept: bool,
    /// Re-fetch every fixture's URL (politely) and report, per site, whether today's page
    /// still extracts to a record of the same shape. Exit 7 when a site changed, 5 when
    /// pages could not be fetched.
    #[arg(long, conflicts_with = "accept")]
    pub live: bool,
    /// With --live: requests per second per host (`unlimited` only for your own servers).
    #[arg(long, default_value = "1", value_name = "R", value_parser = super::parse::rate, requires = "live")]
    pub rate: f64,
    /// With --live: attempts per URL (first try included).
    #[arg(long, default_value_t = uninews::fetch::config::DEFAULT_MAX_ATTEMPTS, value_name = "N", requires = "live")]
    pub max_attempts: u32,
    /// With --live: the User-Agent header.
    #[arg(long, default_value = DEFAULT_USER_AGENT, value_name = "UA", requires = "live")]
    pub user_agent: String,
    #[command(flatten)]
    pub profiles: ProfileArgs,
}

/// Run `uninews check`.
pub fn run(args: CheckArgs) -> Result<Exit, CliError> {
    for dir in &args.dirs {
        if !dir.exists() {
            return Err(CliError::new(
                Exit::Input,
                anyhow::anyhow!("{}: no such fixture folder", dir.display()),
            ));
        }
    }
    if args.live {
        return super::live::run(&super::live::LiveArgs {
            dirs: &args.dirs,
            rate: args.rate,
            max_attempts: args.max_attempts,
            user_agent: &args.user_agent,
            profiles: &args.profiles,
        });
    }
    let extractor = args.profiles.extractor()?;
    let mut out = std::io::stdout().lock();
    let mut all_pass = true;
    let mut accepted = 0usize;
    for dir in &args.dirs {
        let report = check_fixtures(dir, &extractor).exit_with(Exit::Input)?;
        for r in &report.results {
            let page = r.fixture.page.display();
            let text = match &r.outcome {
                Verdict::Pass => {
                    tracing::debug!("ok {page}");
                    continue;
                }
                Verdict::Mismatch(diffs) => {
                    format!("MISMATCH {page}\n{}", render(diffs, "  "))
                }
                Verdict::New => match &r.fixture.proposed {
                    Some(proposed) => {
                        let mut text = format!(
                            "NEW      {page}: proposed record in {}; review it (correct it if wrong), then run `uninews check --accept`\n",
                            proposed_path(&r.fixture.page).display()
                        );
                        let now = r
                            .record
                            .as_ref()
                            .and_then(|rec| serde_json::to_value(rec).ok());
                        if let Some(now) = now {
                            let diffs = compare(proposed, &now);
                            if !diffs.is_empty() {
                                text +=
                                    "  the extractor now gives another record than the proposal:\n";
                                text += &render(&diffs, "  ");
                            }
                        }
                        text
                    }
                    None => format!(
                        "NEW      {page}: no expectation yet; review the record below, then run `uninews check --accept`\n{}\n",
                        r.record
                            .as_ref()
                            .and_then(|rec| serde_json::to_string_pretty(rec).ok())
                            .unwrap_or_default()
                    ),
                },
                Verdict::Error(e) => format!("ERROR    {page}: {e}\n"),
            };
            write!(out, "{text}").exit_with(Exit::Internal)?;
            if args.accept {
                match (&r.outcome, &r.record) {
                    (Verdict::New, Some(rec)) => {
                        if !promote_proposed(&r.fixture.page).exit_with(Exit::Input)? {
                            write_expected(&r.fixture.page, rec).exit_with(Exit::Input)?;
                        }
                        accepted += 1;
                    }
                    (Verdict::Mismatch(_), Some(rec)) => {
                        write_expected(&r.fixture.page, rec).exit_with(Exit::Input)?;
                        accepted += 1;
                    }
                    _ => {}
                }
            }
        }
        writeln!(out, "{} in {}", report.summary(), dir.display()).exit_with(Exit::Internal)?;
        all_pass &= report.all_pass();
    }
    if args.accept {
        writeln!(out, "accepted {accepted} new expectations").exit_with(Exit::Internal)?;
        return Ok(Exit::Ok);
    }
    Ok(if all_pass { Exit::Ok } else { Exit::Mismatch })
}
