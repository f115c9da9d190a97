//! The crawl state: every URL the crawl knows, in SQLite at `DIR/crawl.sqlite`.
//!
//! The queue lives in the database, not in memory: [`CrawlState::claim`] reads a batch
//! with `LIMIT`, so a 100,000-URL crawl costs no more RAM than a 100-URL one.
//!
//! Durability: the database runs in WAL mode with `synchronous = NORMAL`; every state
//! change is its own committed transaction (or one small batch, for [`add_many`]), so a
//! `kill -9` of the process at any moment loses at most the change being made. (A power
//! cut may lose the last few commits, never corrupt the file.) URLs left `in_flight` by a
//! killed crawl go back to `pending` with [`CrawlState::resume`].
//!
//! Keys are URLs as given: callers normalise them first
//! ([`normalize`](crate::frontier::normalize::normalize); discovery already does).
//! A URL added twice is stored once.
//!
//! [`add_many`]: CrawlState::add_many

mod assets;
mod queue;
mod read;
mod schema;
mod stored;
mod types;

pub use assets::AssetOutcome;
pub use schema::SCHEMA_VERSION;
pub use stored::StoredUrl;
pub use types::{Claimed, Counts, Done, FailedUrl, NewUrl, StateError, UrlRecord, UrlState};

use crate::frontier::Kind;
use rusqlite::{Connection, Row, params};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use url::Url;

/// Metadata key of the current pass number.
const RUN_KEY: &str = "run";

/// Marks a URL done; `None` fields keep the stored values (`?2`..`?7`), `?8` is the time.
const MARK_DONE: &str = "UPDATE urls SET state = 'done', last_error = NULL, skip_reason = NULL,
        http_status = COALESCE(?2, http_status), final_url = COALESCE(?3, final_url),
        etag = COALESCE(?4, etag), last_modified = COALESCE(?5, last_modified),
        content_hash = COALESCE(?6, content_hash), page_path = COALESCE(?7, page_path),
        version = COALESCE(?9, version), fetched_run = ?10,
        fetched_at = ?8, updated_at = ?8
     WHERE url = ?1";

/// The state file's name inside the crawl folder.
pub const STATE_FILE: &str = "crawl.sqlite";

/// The crawl state. Cheap to share behind an `Arc`; every method takes `&self` and holds
/// an internal lock only for the duration of one short SQLite transaction.
#[derive(Debug)]
pub struct CrawlState {
    conn: Mutex<Connection>,
    path: PathBuf,
    turn: AtomicUsize,
    /// The current crawl pass (see [`CrawlState::begin_run`]); 0 before it is called.
    run: AtomicU32,
    /// True while a [`batch`](CrawlState::batch) transaction is open.
    batching: AtomicBool,
}

/// A write transaction: its own (committed by [`Tx::commit`], rolled back on drop), or
/// part of an open batch (then commit and drop do nothing).
struct Tx<'a> {
    conn: MutexGuard<'a, Connection>,
    own: bool,
    done: bool,
    path: &'a Path,
}

impl Tx<'_> {
    fn commit(mut self) -> Result<(), StateError> {
        self.done = true;
        if self.own {
            self.conn
                .prepare_cached("COMMIT")
                .and_then(|mut st| st.execute([]))
                .map_err(StateError::sqlite(self.path))?;
        }
        Ok(())
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.own && !self.done {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

pub(crate) fn now() -> String {
    jiff::Timestamp::now().to_string()
}

pub(crate) fn host_of(url: &Url) -> String {
    url.host_str().unwrap_or_default().to_ascii_lowercase()
}

impl CrawlState {
    /// Open (or create) `dir/crawl.sqlite`, creating `dir` if needed.
    pub fn open_dir(dir: &Path) -> Result<CrawlState, StateError> {
        std::fs::create_dir_all(dir).map_err(|source| StateError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        CrawlState::open(&dir.join(STATE_FILE))
    }

    /// Open (or create) the state database at `path`.
    pub fn open(path: &Path) -> Result<CrawlState, StateError> {
        let sql = StateError::sqlite(path);
        let conn = Connection::open(path).map_err(&sql)?;
        CrawlState::setup(conn, path)
    }

    /// A state held in memory only (tests, dry runs).
    pub fn open_in_memory() -> Result<CrawlState, StateError> {
        let path = Path::new(":memory:");
        let conn = Connection::open_in_memory().map_err(StateError::sqlite(path))?;
        CrawlState::setup(conn, path)
    }

    fn setup(mut conn: Connection, path: &Path) -> Result<CrawlState, StateError> {
        let sql = StateError::sqlite(path);
        conn.busy_timeout(Duration::from_secs(10)).map_err(&sql)?;
        // `journal_mode` answers with the mode actually set (memory databases say "memory").
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(&sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(&sql)?;
        schema::migrate(&mut conn, path)?;
        Ok(CrawlState {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            turn: AtomicUsize::new(0),
            run: AtomicU32::new(0),
            batching: AtomicBool::new(false),
        })
    }

    /// Start a write transaction, or join the open [`batch`](Self::batch).
    fn begin(&self) -> Result<Tx<'_>, StateError> {
        let conn = self.lock();
        let own = !self.batching.load(Ordering::Relaxed);
        if own {
            conn.prepare_cached("BEGIN IMMEDIATE")
                .and_then(|mut st| st.execute([]))
                .map_err(self.err())?;
        }
        Ok(Tx {
            conn,
            own,
            done: false,
            path: &self.path,
        })
    }

    /// Run `f` with every state change it makes in one transaction: committed when `f`
    /// succeeds, rolled back when it fails. The crawl stores the pages that finished
    /// together in one batch, which saves a commit per page; a kill before the commit
    /// loses the whole batch, whose pages are then fetched again.
    pub fn batch<R, E: From<StateError>>(&self, f: impl FnOnce() -> Result<R, E>) -> Result<R, E> {
        self.begin_batch()?;
        let result = f();
        self.end_batch(result.is_ok())?;
        result
    }

    /// Open the transaction of a [`batch`](Self::batch): the following calls join it.
    pub fn begin_batch(&self) -> Result<(), StateError> {
        let conn = self.lock();
        conn.prepare_cached("BEGIN IMMEDIATE")
            .and_then(|mut st| st.execute([]))
            .map_err(self.err())?;
        self.batching.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Commit (or roll back) the open batch.
    pub fn end_batch(&self, commit: bool) -> Result<(), StateError> {
        self.batching.store(false, Ordering::Relaxed);
        let conn = self.lock();
        let end = if commit { "COMMIT" } else { "ROLLBACK" };
        conn.prepare_cached(end)
            .and_then(|mut st| st.execute([]))
            .map_err(self.err())?;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction half-applied (SQLite
        // rolls it back), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn err(&self) -> impl Fn(rusqlite::Error) -> StateError + '_ {
        StateError::sqlite(&self.path)
    }

    fn insert(
        conn: &Connection,
        new: &NewUrl,
        state: UrlState,
        reason: Option<&str>,
    ) -> rusqlite::Result<bool> {
        let host = host_of(&new.url);
        let t = now();
        let added = conn
            .prepare_cached(
                "INSERT INTO urls (url, host, kind, priority, state, skip_reason, depth, parent,
                               discovered_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
             ON CONFLICT (url) DO NOTHING",
            )?
            .execute(params![
                new.url.as_str(),
                host,
                new.kind.as_str(),
                new.kind.priority(),
                state.as_str(),
                reason,
                new.depth,
                new.parent.as_ref().map(Url::as_str),
                t,
            ])?;
        if added == 1 {
            conn.prepare_cached("INSERT OR IGNORE INTO hosts (host) VALUES (?1)")?
                .execute([host])?;
        }
        Ok(added == 1)
    }

    /// Add a pending URL. Returns `true` when it was new, `false` when already known
    /// (whatever its state; the stored row is left untouched).
    pub fn add(&self, new: &NewUrl) -> Result<bool, StateError> {
        let tx = self.begin()?;
        let added = CrawlState::insert(&tx, new, UrlState::Pending, None).map_err(self.err())?;
        tx.commit()?;
        Ok(added)
    }

    /// Add many pending URLs in one transaction. Returns how many were new.
    pub fn add_many(&self, new: &[NewUrl]) -> Result<usize, StateError> {
        let tx = self.begin()?;
        let mut added = 0;
        for n in new {
            if CrawlState::insert(&tx, n, UrlState::Pending, None).map_err(self.err())? {
                added += 1;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// Record a URL that will not be fetched (e.g. `off-scope`), unless already known.
    /// Returns `true` when it was new.
    pub fn add_skipped(&self, new: &NewUrl, reason: &str) -> Result<bool, StateError> {
        let tx = self.begin()?;
        let added =
            CrawlState::insert(&tx, new, UrlState::Skipped, Some(reason)).map_err(self.err())?;
        tx.commit()?;
        Ok(added)
    }

    /// Claim up to `n` pending URLs for fetching: they become `in_flight` and their
    /// `attempts` count goes up by one.
    ///
    /// Fair across hosts: the batch takes URLs from every host with pending work in turn
    /// (the host that starts rotates from call to call); within a host, list pages come
    /// before articles, then other pages, then assets, each oldest first.
    pub fn claim(&self, n: usize) -> Result<Vec<Claimed>, StateError> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let tx = self.begin()?;
        let hosts: Vec<String> = {
            let mut st = tx
                .prepare_cached("SELECT host FROM hosts ORDER BY host")
                .map_err(self.err())?;
            st.query_map([], |r| r.get(0))
                .map_err(self.err())?
                .collect::<Result<_, _>>()
                .map_err(self.err())?
        };
        let mut per_host: Vec<std::collections::VecDeque<Claimed>> = Vec::new();
        for host in &hosts {
            let q = self.pending_of(&tx, host, n)?;
            if !q.is_empty() {
                per_host.push(q.into());
            }
        }
        let mut out = Vec::with_capacity(n);
        if !per_host.is_empty() {
            let start = self.turn.fetch_add(1, Ordering::Relaxed) % per_host.len();
            per_host.rotate_left(start);
            while out.len() < n && per_host.iter().any(|q| !q.is_empty()) {
                for q in per_host.iter_mut() {
                    if out.len() == n {
                        break;
                    }
                    if let Some(c) = q.pop_front() {
                        out.push(c);
                    }
                }
            }
        }
        self.mark_in_flight(&tx, &mut out)?;
        tx.commit()?;
        Ok(out)
    }

    fn claimed(&self, r: &Row<'_>) -> rusqlite::Result<Result<Claimed, StateError>> {
        let url: String = r.get(0)?;
        let kind: String = r.get(1)?;
        let parsed = Url::parse(&url).ok().zip(Kind::parse(&kind));
        Ok(match parsed {
            Some((url, kind)) => Ok(Claimed {
                url,
                kind,
                depth: r.get(2)?,
                attempts: r.get(3)?,
                etag: r.get(4)?,
                last_modified: r.get(5)?,
            }),
            None => Err(StateError::Corrupt {
                path: self.path.clone(),
                message: format!("row {url:?} has an unparsable URL or kind {kind:?}"),
            }),
        })
    }

    fn update(
        &self,
        url: &Url,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<(), StateError> {
        let conn = self.lock();
        let n = conn
            .prepare_cached(sql)
            .and_then(|mut st| st.execute(params))
            .map_err(self.err())?;
        if n == 0 {
            return Err(StateError::UnknownUrl {
                url: url.to_string(),
            });
        }
        Ok(())
    }

    /// Mark `url` fetched. `None` fields of `done` keep the stored values; the error and
    /// skip reason are cleared.
    pub fn mark_done(&self, url: &Url, done: &Done) -> Result<(), StateError> {
        self.mark_done_and_set(url, done, None)
    }

    /// [`mark_done`](Self::mark_done) and set a metadata key in the same transaction: the
    /// crawl commits "page done" together with "records file now this long", so a kill
    /// between the two cannot happen.
    pub fn mark_done_and_set(
        &self,
        url: &Url,
        done: &Done,
        meta: Option<(&str, &str)>,
    ) -> Result<(), StateError> {
        self.mark_all_done_and_set(&[url], done, meta)
    }

    /// Mark several URLs done with the same result (a page and the aliases that
    /// redirected to it) and set a metadata key, all in one transaction.
    pub fn mark_all_done_and_set(
        &self,
        urls: &[&Url],
        done: &Done,
        meta: Option<(&str, &str)>,
    ) -> Result<(), StateError> {
        let tx = self.begin()?;
        let t = now();
        for url in urls {
            let n = tx
                .prepare_cached(MARK_DONE)
                .and_then(|mut st| {
                    st.execute(params![
                        url.as_str(),
                        done.http_status,
                        done.final_url.as_ref().map(Url::as_str),
                        done.etag,
                        done.last_modified,
                        done.content_hash,
                        done.page_path,
                        t,
                        done.version,
                        self.run(),
                    ])
                })
                .map_err(self.err())?;
            if n == 0 {
                return Err(StateError::UnknownUrl {
                    url: url.to_string(),
                });
            }
        }
        if let Some((key, value)) = meta {
            tx.prepare_cached(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .and_then(|mut st| st.execute(params![key, value]))
            .map_err(self.err())?;
        }
        tx.commit()
    }

    /// Mark `url` failed with its cause (and the last HTTP status, if any).
    pub fn mark_failed(
        &self,
        url: &Url,
        error: &str,
        http_status: Option<u16>,
    ) -> Result<(), StateError> {
        self.update(
            url,
            "UPDATE urls SET state = 'failed', last_error = ?2,
                http_status = COALESCE(?3, http_status), updated_at = ?4, fetched_run = ?5
             WHERE url = ?1",
            params![url.as_str(), error, http_status, now(), self.run()],
        )
    }

    /// Mark `url` skipped (not fetched on purpose) with the reason (`robots`, `off-scope`,
    /// `not-html`, ...).
    pub fn mark_skipped(&self, url: &Url, reason: &str) -> Result<(), StateError> {
        self.update(
            url,
            "UPDATE urls SET state = 'skipped', skip_reason = ?2, updated_at = ?3, fetched_run = ?4
             WHERE url = ?1",
            params![url.as_str(), reason, now(), self.run()],
        )
    }

    /// Put one URL back to `pending` (e.g. its host is paused: a fetch
    /// [`Failure::retry_later`](crate::fetch::Failure::retry_later)). Its attempt count
    /// stays as it is.
    pub fn mark_pending(&self, url: &Url) -> Result<(), StateError> {
        self.update(
            url,
            "UPDATE urls SET state = 'pending', updated_at = ?2 WHERE url = ?1",
            params![url.as_str(), now()],
        )
    }

    /// Start a crawl run. A run that finds nothing pending (`new_pass`) starts a new pass
    /// over the site: its number goes up by one, and URLs fetched in earlier passes can be
    /// queued again ([`requeue_stale`](Self::requeue_stale)). A run that resumes an
    /// unfinished pass keeps its number. Returns the pass number (1 for a first crawl).
    pub fn begin_run(&self, new_pass: bool) -> Result<u32, StateError> {
        let current = self.stored_run()?;
        let run = if new_pass || current == 0 {
            current + 1
        } else {
            current
        };
        self.set_meta(RUN_KEY, &run.to_string())?;
        self.run.store(run, Ordering::Relaxed);
        Ok(run)
    }

    /// The pass number stored in the database (0 before the first run).
    pub(crate) fn stored_run(&self) -> Result<u32, StateError> {
        self.meta(RUN_KEY)?
            .map(|v| {
                v.parse().map_err(|_| StateError::Corrupt {
                    path: self.path.clone(),
                    message: format!("meta {RUN_KEY} is not a number: {v:?}"),
                })
            })
            .transpose()
            .map(|r| r.unwrap_or(0))
    }

    /// The current pass number (0 before [`begin_run`](Self::begin_run)).
    pub fn run(&self) -> u32 {
        self.run.load(Ordering::Relaxed)
    }

    /// Queue `url` again if it was settled (done, failed or skipped) in an earlier pass.
    /// Returns whether it was queued.
    pub fn requeue_stale(&self, url: &Url) -> Result<bool, StateError> {
        let conn = self.lock();
        let n = conn
            .prepare_cached(
                "UPDATE urls SET state = 'pending', updated_at = ?3
                 WHERE url = ?1 AND state IN ('done', 'failed', 'skipped') AND fetched_run < ?2",
            )
            .and_then(|mut st| st.execute(params![url.as_str(), self.run(), now()]))
            .map_err(self.err())?;
        Ok(n == 1)
    }

    /// Queue every stored article fetched in an earlier pass again (`--refresh`): the
    /// claim hands out their validators for conditional requests. Returns how many.
    pub fn requeue_articles(&self) -> Result<usize, StateError> {
        let conn = self.lock();
        conn.execute(
            "UPDATE urls SET state = 'pending', updated_at = ?2
             WHERE kind = 'article' AND state = 'done' AND fetched_run < ?1",
            params![self.run(), now()],
        )
        .map_err(self.err())
    }

    /// Put every `in_flight` URL back to `pending` (after a crash or kill). Returns how
    /// many. Call once when a crawl starts on an existing folder.
    pub fn resume(&self) -> Result<usize, StateError> {
        let conn = self.lock();
        conn.execute(
            "UPDATE urls SET state = 'pending', updated_at = ?1 WHERE state = 'in_flight'",
            [now()],
        )
        .map_err(self.err())
    }

    /// Put every `failed` URL back to `pending` (a re-run that retries failures). Assets
    /// are left alone: they are downloaded again only when an article refers to them.
    pub fn requeue_failed(&self) -> Result<usize, StateError> {
        let conn = self.lock();
        conn.execute(
            "UPDATE urls SET state = 'pending', updated_at = ?1
             WHERE state = 'failed' AND kind != 'asset'",
            [now()],
        )
        .map_err(self.err())
    }
}
