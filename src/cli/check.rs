//! `uninews check`: the fixture regression check, for people and for CI.

use super::profiles::ProfileArgs;
use super::{CliError, Exit, WithExit};
use crate::check::{Outcome, check_fixtures, render};
use crate::store::fixtures::write_expected;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `uninews check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fixture folders (or single fixture pages) to check.
    #[arg(value_name = "DIR", default_value = "fixtures")]
    pub dirs: Vec<PathBuf>,
    /// Write the current records as the new expectations of every mismatched or new
    /// fixture (after you have reviewed the diff).
    #[arg(long)]
    pub accept: bool,
    #[command(flatten)]
    pub profiles: ProfileArgs,
}

/// Run `uninews check`.
pub fn run(args: CheckArgs) -> Result<Exit, CliError> {
    let extractor = args.profiles.extractor()?;
    let mut out = std::io::stdout().lock();
    let mut all_pass = true;
    let mut accepted = 0usize;
    for dir in &args.dirs {
        if !dir.exists() {
            return Err(CliError::new(
                Exit::Input,
                anyhow::anyhow!("{}: no such fixture folder", dir.display()),
            ));
        }
        let report = check_fixtures(dir, &extractor).exit_with(Exit::Input)?;
        for r in &report.results {
            let page = r.fixture.page.display();
            let text = match &r.outcome {
                Outcome::Pass => {
                    tracing::debug!("ok {page}");
                    continue;
                }
                Outcome::Mismatch(diffs) => {
                    format!("MISMATCH {page}\n{}", render(diffs, "  "))
                }
                Outcome::New => format!(
                    "NEW      {page}: no expectation yet; review the record below, then run `uninews check --accept`\n{}\n",
                    r.record
                        .as_ref()
                        .and_then(|rec| serde_json::to_string_pretty(rec).ok())
                        .unwrap_or_default()
                ),
                Outcome::Error(e) => format!("ERROR    {page}: {e}\n"),
            };
            write!(out, "{text}").exit_with(Exit::Internal)?;
            if args.accept {
                if let (Outcome::Mismatch(_) | Outcome::New, Some(rec)) = (&r.outcome, &r.record) {
                    write_expected(&r.fixture.page, rec).exit_with(Exit::Input)?;
                    accepted += 1;
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
