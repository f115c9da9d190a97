//! Profile options shared by the commands that extract (`extract`, `check`, `crawl`).

use super::{CliError, Exit, WithExit};
use clap::Args;
use std::path::PathBuf;
use uninews::extract::{Extractor, ProfileChoice};
use uninews::selectors::ProfileSet;

/// Which site profiles to use.
#[derive(Debug, Clone, Args, Default)]
pub struct ProfileArgs {
    /// Use this profile for every page: a name (`upc`) or a path to a `.toml` file.
    #[arg(long, value_name = "NAME|PATH", conflicts_with = "no_profile")]
    pub profile: Option<String>,
    /// Use no site profile: built-in CMS rules and the generic extractor only.
    #[arg(long)]
    pub no_profile: bool,
    /// Also load every profile in DIR (overrides built-in profiles of the same name).
    #[arg(long, value_name = "DIR")]
    pub selectors: Option<PathBuf>,
}

impl ProfileArgs {
    /// The profile set: built-in profiles plus those in `--selectors`.
    pub fn profile_set(&self) -> Result<ProfileSet, CliError> {
        let mut set = ProfileSet::builtin().exit_with(Exit::Internal)?;
        if let Some(dir) = &self.selectors {
            for p in ProfileSet::load_dir(dir).exit_with(Exit::Config)?.iter() {
                set.insert(p.clone());
            }
        }
        Ok(set)
    }

    /// An extractor configured by these options.
    pub fn extractor(&self) -> Result<Extractor, CliError> {
        let set = self.profile_set()?;
        let choice = if self.no_profile {
            ProfileChoice::Off
        } else if let Some(p) = &self.profile {
            ProfileChoice::Forced(Box::new(set.resolve(p).exit_with(Exit::Config)?))
        } else {
            ProfileChoice::ByHost
        };
        Ok(Extractor::new(set, choice))
    }
}
