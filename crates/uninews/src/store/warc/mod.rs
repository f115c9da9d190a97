//! WARC output (`uninews crawl --warc`): every HTTP exchange of a crawl archived as
//! WARC/1.1 records in `DIR/warc/*.warc.gz`, the format web archives (Heritrix, pywb,
//! the Internet Archive) read.
//!
//! Layout of `DIR/warc/`:
//!
//! ```text
//! uninews-20250301080910123-00000.warc.gz       closed files, one gzip member per record
//! uninews-20250301080910123-00001.warc.gz.open  the file being written (at most one)
//! index.sqlite                                  revisit index: URL -> last full response
//! ```
//!
//! - Each file starts with a `warcinfo` record (software, format, conforms-to, the crawl's
//!   User-Agent and robots policy); then, per exchange, a `request` record and a
//!   `response` (or `revisit`) record, linked by `WARC-Concurrent-To`. See [`archiver`]
//!   for what is recorded and [`http`] for how HTTP messages are stored.
//! - Records carry `WARC-Record-ID` (`<urn:uuid:…>`, random v4), `WARC-Date` (UTC,
//!   microseconds, when the request was sent), `WARC-Target-URI`, `WARC-IP-Address`,
//!   `WARC-Block-Digest` and, for whole payloads, `WARC-Payload-Digest` (`sha1:` + base32).
//! - Rotation: a file is closed (renamed from `.open`) once it reaches
//!   [`WarcConfig::max_file_size`]; records are never split, so a file passes the limit by
//!   at most one exchange.
//! - Crash safety: see [`writer`]: a `kill -9` never leaves a half record in a
//!   `.warc.gz` file; the next run cuts a leftover `.open` file back to its last whole
//!   record and closes it.
//! - Revisits: see [`index`]: a re-fetch whose payload is identical to the one archived
//!   for that URL becomes a `revisit` record; so does a `304 Not Modified`.

pub mod archiver;
pub mod http;
pub mod index;
pub mod read;
pub mod record;
pub mod writer;

pub use archiver::WarcArchiver;

use std::path::PathBuf;

/// The WARC folder inside a crawl's output folder.
pub const WARC_DIR: &str = "warc";

/// Default size at which a WARC file is closed and the next one started: 1 GB (the
/// customary size of web-archive WARC files).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1_000_000_000;

/// WARC output settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcConfig {
    /// Close a file once it is at least this many bytes (compressed) long.
    pub max_file_size: u64,
}

impl Default for WarcConfig {
    fn default() -> Self {
        WarcConfig {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// A WARC output failure, with the file it concerns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WarcError {
    /// Reading or writing a WARC file failed.
    #[error("WARC output {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The revisit index failed.
    #[error("WARC revisit index {path}: {source}")]
    Index {
        /// The index file.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// An earlier write failed; nothing more is written (the files stay valid).
    #[error("WARC output stopped after an earlier error: {0}")]
    Stopped(String),
}

impl WarcError {
    /// Wrap an IO error with its path.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> WarcError {
        let path = path.into();
        move |source| WarcError::Io { path, source }
    }
}
