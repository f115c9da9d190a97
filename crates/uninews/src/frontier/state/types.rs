//! Row types and errors of the crawl state.

use crate::frontier::Kind;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use url::Url;

/// Why the crawl state could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The folder for the state file could not be created.
    #[error("{path}: cannot create the crawl folder: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("{path}: crawl state: {source}")]
    Sqlite {
        /// The state file.
        path: PathBuf,
        /// The underlying error.
        source: rusqlite::Error,
    },
    /// The file was written by a newer uninews.
    #[error(
        "{path}: crawl state has schema version {found}, this uninews reads up to {supported}; \
         upgrade uninews or start a new crawl folder"
    )]
    TooNew {
        /// The state file.
        path: PathBuf,
        /// Its `user_version`.
        found: i64,
        /// The newest version this build reads.
        supported: i64,
    },
    /// The file is an SQLite database but not a crawl state.
    #[error("{path}: not a uninews crawl state (unversioned database with other tables)")]
    NotState {
        /// The file.
        path: PathBuf,
    },
    /// A mark_* call named a URL the state does not hold.
    #[error("crawl state has no URL {url}")]
    UnknownUrl {
        /// The URL.
        url: String,
    },
    /// The shared frontier's PostgreSQL server failed or refused.
    #[error("{target}: shared frontier: {}", pg_detail(error))]
    Postgres {
        /// The server (its URL without the password).
        target: String,
        /// The underlying error.
        error: postgres::Error,
    },
    /// The shared frontier cannot be used as asked (another live worker has the name,
    /// the connection thread is gone, a newer schema, ...).
    #[error("{target}: shared frontier: {message}")]
    Shared {
        /// The server (its URL without the password).
        target: String,
        /// What is wrong.
        message: String,
    },
    /// A stored value is out of range (a hand-edited database).
    #[error("{path}: corrupt crawl state: {message}")]
    Corrupt {
        /// The state file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A PostgreSQL error in one line: the server's message (with its SQLSTATE) when the
/// server sent one, else the client's.
fn pg_detail(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!(
            "{}: {} (SQLSTATE {})",
            db.severity(),
            db.message(),
            db.code().code()
        ),
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

impl StateError {
    pub(crate) fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> StateError + '_ {
        move |source| StateError::Sqlite {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Where a URL is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UrlState {
    /// Waiting to be claimed.
    Pending,
    /// Claimed by the crawl loop, not yet marked.
    InFlight,
    /// Fetched (including `304 Not Modified`).
    Done,
    /// Gave up; `last_error` says why.
    Failed,
    /// Deliberately not fetched; `skip_reason` says why.
    Skipped,
}

impl UrlState {
    /// All states.
    pub const ALL: [UrlState; 5] = [
        UrlState::Pending,
        UrlState::InFlight,
        UrlState::Done,
        UrlState::Failed,
        UrlState::Skipped,
    ];

    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            UrlState::Pending => "pending",
            UrlState::InFlight => "in_flight",
            UrlState::Done => "done",
            UrlState::Failed => "failed",
            UrlState::Skipped => "skipped",
        }
    }

    /// Parse a stored name.
    pub fn parse(s: &str) -> Option<UrlState> {
        UrlState::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for UrlState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A URL to add to the state.
#[derive(Debug, Clone)]
pub struct NewUrl {
    /// The normalised URL (the key).
    pub url: Url,
    /// Its kind.
    pub kind: Kind,
    /// Link distance from a start URL (0 for start URLs).
    pub depth: u32,
    /// The page it was found on.
    pub parent: Option<Url>,
}

impl NewUrl {
    /// A start URL: depth 0, no parent.
    pub fn start(url: Url, kind: Kind) -> NewUrl {
        NewUrl {
            url,
            kind,
            depth: 0,
            parent: None,
        }
    }

    /// A URL found on `parent` (at `parent_depth`): one deeper.
    pub fn found(url: Url, kind: Kind, parent: &Url, parent_depth: u32) -> NewUrl {
        NewUrl {
            url,
            kind,
            depth: parent_depth.saturating_add(1),
            parent: Some(parent.clone()),
        }
    }
}

/// A URL handed to the crawl loop by [`CrawlState::claim`](super::CrawlState::claim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// The URL.
    pub url: Url,
    /// Its kind.
    pub kind: Kind,
    /// Its depth.
    pub depth: u32,
    /// Times claimed, this claim included.
    pub attempts: u32,
    /// The stored ETag (for `If-None-Match`), from an earlier fetch.
    pub etag: Option<String>,
    /// The stored Last-Modified (for `If-Modified-Since`).
    pub last_modified: Option<String>,
}

/// The result of a successful fetch, for [`CrawlState::mark_done`](super::CrawlState::mark_done).
/// `None` fields keep what is stored (a `304` keeps the earlier page, hash and validators).
#[derive(Debug, Clone, Default)]
pub struct Done {
    /// HTTP status (200, 304, ...).
    pub http_status: Option<u16>,
    /// URL after redirects.
    pub final_url: Option<Url>,
    /// Response ETag.
    pub etag: Option<String>,
    /// Response Last-Modified.
    pub last_modified: Option<String>,
    /// Hash of the body.
    pub content_hash: Option<String>,
    /// Where the page was stored.
    pub page_path: Option<String>,
    /// The number of the stored version of the page (`None` keeps the stored number).
    pub version: Option<u32>,
}

/// Everything stored about one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlRecord {
    /// The URL.
    pub url: String,
    /// Its host.
    pub host: String,
    /// Its kind.
    pub kind: Kind,
    /// Its state.
    pub state: UrlState,
    /// Why it was skipped.
    pub skip_reason: Option<String>,
    /// Times claimed.
    pub attempts: u32,
    /// Last failure cause.
    pub last_error: Option<String>,
    /// Link distance from a start URL.
    pub depth: u32,
    /// Where it was found.
    pub parent: Option<String>,
    /// Last HTTP status.
    pub http_status: Option<u16>,
    /// URL after redirects.
    pub final_url: Option<String>,
    /// ETag.
    pub etag: Option<String>,
    /// Last-Modified.
    pub last_modified: Option<String>,
    /// Body hash.
    pub content_hash: Option<String>,
    /// Stored page path.
    pub page_path: Option<String>,
    /// When first seen (RFC 3339).
    pub discovered_at: String,
    /// Last state change (RFC 3339).
    pub updated_at: String,
    /// Last successful fetch (RFC 3339).
    pub fetched_at: Option<String>,
    /// The crawl pass that last settled it: fetched, failed for good or skipped (0: never).
    pub fetched_run: u32,
    /// Versions of its page stored (0: none).
    pub version: u32,
}

/// A failed URL, for the crawl summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedUrl {
    /// The URL.
    pub url: String,
    /// Its kind.
    pub kind: Kind,
    /// Times claimed.
    pub attempts: u32,
    /// HTTP status of the last response, if any.
    pub http_status: Option<u16>,
    /// The cause.
    pub error: String,
}

/// URL counts by state and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Count per (state, kind); absent pairs are zero.
    pub by: BTreeMap<(UrlState, Kind), u64>,
}

impl Counts {
    /// URLs in `state`, all kinds.
    pub fn state(&self, state: UrlState) -> u64 {
        self.by
            .iter()
            .filter(|((s, _), _)| *s == state)
            .map(|(_, n)| n)
            .sum()
    }

    /// URLs of `kind`, all states.
    pub fn kind(&self, kind: Kind) -> u64 {
        self.by
            .iter()
            .filter(|((_, k), _)| *k == kind)
            .map(|(_, n)| n)
            .sum()
    }

    /// URLs in `state` of `kind`.
    pub fn get(&self, state: UrlState, kind: Kind) -> u64 {
        self.by.get(&(state, kind)).copied().unwrap_or(0)
    }

    /// All URLs.
    pub fn total(&self) -> u64 {
        self.by.values().sum()
    }
}
