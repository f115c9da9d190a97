//! The shared frontier's schema in PostgreSQL, created and migrated by uninews itself.
//!
//! The version is the one row of `uninews_schema`; migrations run under an advisory
//! lock, so workers starting at the same moment migrate once. A database written by a
//! newer uninews is refused rather than misread.
//!
//! Version 1:
//!
//! - `urls`: the crawl state's URL table (the columns of `crawl.sqlite`, see
//!   [`crate::frontier::state`]) plus `worker`, the worker that claimed the URL last
//!   (for an `in_flight` URL: the one fetching it).
//! - `hosts`: one row per host, with its lease: `worker` holds it until `lease_until`
//!   (the server's clock); nobody may take it before `not_before` (the wait its rate or
//!   Crawl-delay asked for when it was given back).
//! - `workers`: one row per worker name: its heartbeat, machine, pid and `--out` folder.
//! - `records`: every article record as JSONB, keyed by `(url, version)`, so a record
//!   delivered twice is stored once; `site`, `published` and `stored_at` are indexed.
//! - `meta`: key/value pairs (the pass number, each worker's committed record length).

use super::conn::Session;

/// The schema version this build writes and reads.
pub const PG_SCHEMA_VERSION: i32 = 1;

/// The advisory lock key of migrations and pass starts ("uninews" in ASCII).
pub(super) const LOCK_KEY: i64 = 0x0075_6e69_6e65_7773;

const V1: &str = "
CREATE TABLE urls (
    id            BIGSERIAL PRIMARY KEY,
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
    fetched_at    TEXT,
    fetched_run   INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 0,
    worker        TEXT
);
CREATE INDEX urls_queue ON urls (host, state, priority, id);
CREATE INDEX urls_state ON urls (state, kind);
CREATE TABLE hosts (
    host        TEXT PRIMARY KEY,
    worker      TEXT,
    lease_until TIMESTAMPTZ,
    not_before  TIMESTAMPTZ
);
CREATE INDEX hosts_worker ON hosts (worker);
CREATE TABLE workers (
    name         TEXT PRIMARY KEY,
    machine      TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    out_dir      TEXT NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL,
    stopped      BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE records (
    url       TEXT NOT NULL,
    version   INTEGER NOT NULL,
    site      TEXT,
    published TEXT,
    record    JSONB NOT NULL,
    worker    TEXT NOT NULL,
    stored_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (url, version)
);
CREATE INDEX records_site ON records (site);
CREATE INDEX records_published ON records (published);
CREATE INDEX records_stored_at ON records (stored_at);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// What the migration found: the version, or a newer one it refuses.
pub(super) enum Migrated {
    /// At [`PG_SCHEMA_VERSION`].
    Current,
    /// Written by a newer uninews.
    TooNew(i32),
}

/// Bring the database to [`PG_SCHEMA_VERSION`], creating the tables when it has none.
pub(super) fn migrate(s: &mut Session) -> Result<Migrated, postgres::Error> {
    s.tx(|s| {
        s.query("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])?;
        s.batch_execute("CREATE TABLE IF NOT EXISTS uninews_schema (version INTEGER NOT NULL)")?;
        let rows = s.query("SELECT max(version) FROM uninews_schema", &[])?;
        let version: Option<i32> = rows.first().and_then(|r| r.get(0));
        let version = version.unwrap_or(0);
        if version > PG_SCHEMA_VERSION {
            return Ok(Migrated::TooNew(version));
        }
        if version < 1 {
            s.batch_execute(V1)?;
            s.batch_execute("DELETE FROM uninews_schema; INSERT INTO uninews_schema VALUES (1)")?;
        }
        Ok(Migrated::Current)
    })
}
