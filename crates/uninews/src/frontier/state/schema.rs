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
//! Version 2 adds `fetched_run` (the crawl pass that last fetched the URL) and `version`
//! (stored versions of its page).
//!
//! Later versions migrate forward in [`migrate`]; a database written by a newer
//! uninews (higher `user_version`) is refused rather than misread.

use super::StateError;
use rusqlite::Connection;
use std::path::Path;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 2;

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

/// Version 2: the pass a URL was last fetched in (re-crawls re-read list pages fetched in
/// an earlier pass) and how many versions of its page are stored (`--refresh`).
const V2: &str = "
ALTER TABLE urls ADD COLUMN fetched_run INTEGER NOT NULL DEFAULT 0;
ALTER TABLE urls ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
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
        step(conn, path, V1, 1)?;
    }
    if version < 2 {
        step(conn, path, V2, 2)?;
    }
    Ok(())
}

/// Apply one migration and set `user_version`, in one transaction.
fn step(conn: &mut Connection, path: &Path, sql_text: &str, to: i64) -> Result<(), StateError> {
    let sql = StateError::sqlite(path);
    let tx = conn.transaction().map_err(&sql)?;
    tx.execute_batch(sql_text).map_err(&sql)?;
    tx.pragma_update(None, "user_version", to).map_err(&sql)?;
    tx.commit().map_err(&sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_1_database_is_migrated_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("crawl.sqlite");
        let mut conn = Connection::open(&path).unwrap();
        step(&mut conn, &path, V1, 1).unwrap();
        conn.execute(
            "INSERT INTO urls (url, host, kind, priority, state, depth, discovered_at, updated_at)
             VALUES ('http://a.edu/1', 'a.edu', 'article', 1, 'done', 0, 't', 't')",
            [],
        )
        .unwrap();
        migrate(&mut conn, &path).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let (run, version): (u32, u32) = conn
            .query_row("SELECT fetched_run, version FROM urls", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(
            (run, version),
            (0, 0),
            "existing rows keep working with defaults"
        );
    }
}
