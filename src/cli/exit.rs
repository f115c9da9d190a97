//! Exit codes of the `uninews` binary, one table for every command (also in README).

use std::process::ExitCode;

/// What a run of `uninews` ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: everything worked.
    Ok = 0,
    /// 1: an unexpected internal error (a bug: please report it).
    Internal = 1,
    /// 2: bad command-line arguments.
    Usage = 2,
    /// 3: bad configuration: an invalid or unknown profile, an unusable output folder.
    Config = 3,
    /// 4: unreadable input: a page, fixture folder or file that cannot be read.
    Input = 4,
    /// 5: partly done: some pages failed (batch extract errors, crawl URLs failed for good).
    Partial = 5,
    /// 6: `check` found fixtures whose record differs from the expectation.
    Mismatch = 6,
    /// 7: `check --live` found a site whose pages no longer extract to the same shape.
    SiteChanged = 7,
    /// 130: interrupted (Ctrl-C); state was saved, re-run to resume.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// An error at the CLI edge, carrying the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    /// The exit code.
    pub exit: Exit,
    /// What to tell the user.
    pub error: anyhow::Error,
}

impl CliError {
    /// An error with an explicit exit code.
    pub fn new(exit: Exit, error: impl Into<anyhow::Error>) -> Self {
        CliError {
            exit,
            error: error.into(),
        }
    }
}

/// Attach an exit code to a fallible result.
pub trait WithExit<T> {
    /// Map the error to a [`CliError`] with `exit`.
    fn exit_with(self, exit: Exit) -> Result<T, CliError>;
}

impl<T, E: Into<anyhow::Error>> WithExit<T> for Result<T, E> {
    fn exit_with(self, exit: Exit) -> Result<T, CliError> {
        self.map_err(|e| CliError::new(exit, e))
    }
}

#[cfg(test)]
mod tests {
    use super::Exit;

    /// The README documents every exit code the binary uses, with its number.
    #[test]
    fn documented_exit_codes_match_the_binary() {
        let text = include_str!("../../README.md");
        for (code, exit) in [
            (0, Exit::Ok),
            (1, Exit::Internal),
            (2, Exit::Usage),
            (3, Exit::Config),
            (4, Exit::Input),
            (5, Exit::Partial),
            (6, Exit::Mismatch),
            (7, Exit::SiteChanged),
            (130, Exit::Interrupted),
        ] {
            assert_eq!(exit as u8, code);
            assert!(
                text.contains(&format!("| {code} |")),
                "README documents exit code {code}"
            );
        }
    }
}
