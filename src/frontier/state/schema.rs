//! The crawl-state schema and its versioning (`PRAGMA user_version`).
//!
//! Version 1:
//!
//! ```sql
//! CREATE TABLE urls (
//!     id            INTEGER PRIMARY KEY,          -- insertion order (FIFO within a priority)
//!     url           TEXT NOT NULL UNIQUE,         -- normalised URL, the key
//!     host          TEXT NOT NULL,                -- lower-case host, for fair claiming
//!     kind          TEXT NOT NULL,                -- list | article | other | asset
//!     priority      INTEGER NOT NULL,             -- 0 list, 1 article, 2 other, 3 asset
//!     state         TEXT NOT NULL,                -- pending | in_flight | done | failed | skipped
//!     skip_reason   TEXT,                         -- why skipped (robots, off-scope, not-html, ...)
//!     attempts      INTEGER NOT NULL DEFAULT 0,   -- times claimed for fetching
//!     last_error    TEXT,                         -- the last failure's cause
//!     depth         INTEGER NOT NULL,             -- link distance from a start URL
//!     parent        TEXT,                         -- the page it was found on
//!     http_status   INTEGER,                      -- last HTTP status
//!     final_url     TEXT,                         -- after redirects
//!     etag          TEXT,                         -- validators for conditional re-fetches
//!     last_modified TEXT,
//!     content_hash  TEXT,                         -- e.g. sha256 hex of the body
//!     page_path     TEXT,                         -- where the page is stored
//!     discovered_at TEXT NOT NULL,                -- RFC 3339 UTC timestamps
//!     updated_at    TEXT NOT NULL,
//!     fetched_at    TEXT
//! );
//! CREATE INDEX urls_queue ON urls(host, state, priority, id);
//! CREATE INDEX urls_state ON urls(state, kind);
//! CREATE TABLE hosts (host TEXT PRIMARY KEY);      -- every host with a URL
//! CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
//! ```
//!
//! Later versions migrate forward from here in [`migrate`]; a database written by a newer
//! uninews (higher `user_version`) is refused rather than misread.

use super::StateError;
use rusqlite::Connection;
use std::path::Path;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

const V1: &str = "
CREATE TABLE urls (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    host          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('list', 'article', 'other', 'asset')),
    priority      INTEGER NOT NULL,
    state         TEXT NOT NULL
                  CHECK (state IN ('pending', 'in_flight', 'done', 'failed', 'skipped')),
    skip_reason   TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    depth         INTEGER NOT NULL,
    parent        TEXT,
    http_status   INTEGER,
    final_url     TEXT,
    etag          TEXT,
    last_modified TEXT,
    content_hash  TEXT,
    page_path     TEXT,
    discovered_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    fetched_at    TEXT
);
CREATE INDEX urls_queue ON urls(host, state, priority, id);
CREATE INDEX urls_state ON urls(state, kind);
CREATE TABLE hosts (host TEXT PRIMARY KEY);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// Bring the database at `path` to [`SCHEMA_VERSION`], creating it when empty.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StateError> {
    let sql = StateError::sqlite(path);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(&sql)?;
    if version > SCHEMA_VERSION {
        return Err(StateError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == 0 {
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .map_err(&sql)?;
        if tables > 0 {
            return Err(StateError::NotState {
                path: path.to_path_buf(),
            });
        }
        let tx = conn.transaction().map_err(&sql)?;
        tx.execute_batch(V1).map_err(&sql)?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(&sql)?;
        tx.commit().map_err(&sql)?;
    }
    // Future: `if version < 2 { ... }` steps go here, each in its own transaction.
    Ok(())
}
