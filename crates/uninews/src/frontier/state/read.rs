//! Read-side queries of the crawl state: counts, failures, one URL's record, metadata.

use super::{Counts, CrawlState, FailedUrl, StateError, UrlRecord, UrlState};
use crate::frontier::Kind;
use rusqlite::{OptionalExtension, params};
use std::collections::BTreeMap;
use url::Url;

impl CrawlState {
    /// URL counts by state and kind.
    pub fn counts(&self) -> Result<Counts, StateError> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached("SELECT state, kind, count(*) FROM urls GROUP BY state, kind")
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .map_err(self.err())?;
        let mut counts = Counts::default();
        for row in rows {
            let (s, k, n) = row.map_err(self.err())?;
            let key =
                UrlState::parse(&s)
                    .zip(Kind::parse(&k))
                    .ok_or_else(|| StateError::Corrupt {
                        path: self.path.clone(),
                        message: format!("unknown state {s:?} or kind {k:?}"),
                    })?;
            counts.by.insert(key, u64::try_from(n).unwrap_or(0));
        }
        Ok(counts)
    }

    /// Up to `limit` failed URLs with their causes, oldest first.
    pub fn failures(&self, limit: usize) -> Result<Vec<FailedUrl>, StateError> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached(
                "SELECT url, kind, attempts, http_status, COALESCE(last_error, '') FROM urls
                 WHERE state = 'failed' ORDER BY id LIMIT ?1",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map([limit as i64], |r| {
                Ok(FailedUrl {
                    url: r.get(0)?,
                    kind: Kind::parse(&r.get::<_, String>(1)?).unwrap_or(Kind::Other),
                    attempts: r.get(2)?,
                    http_status: r.get(3)?,
                    error: r.get(4)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    /// How many pages (not images or attachments) the current pass has fetched: done or
    /// failed in it. A resumed pass counts what it fetched before the interruption.
    pub fn pages_fetched_in_run(&self) -> Result<u64, StateError> {
        let conn = self.lock();
        conn.prepare_cached(
            "SELECT COUNT(*) FROM urls
             WHERE fetched_run = ?1 AND state IN ('done', 'failed') AND kind != 'asset'",
        )
        .and_then(|mut st| st.query_row([self.run()], |r| r.get::<_, i64>(0)))
        .map(|n| n.max(0) as u64)
        .map_err(self.err())
    }

    /// How many URLs failed, per cause: the text of their last error before its first
    /// `:` (e.g. `http-500`, `timeout`), `unknown` when there is none. Counted in SQL,
    /// so a crawl with many failures does not load them.
    pub fn failures_by_cause(&self) -> Result<BTreeMap<String, u64>, StateError> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached(
                "SELECT TRIM(SUBSTR(COALESCE(last_error, ''), 1,
                                    INSTR(COALESCE(last_error, '') || ':', ':') - 1)),
                        COUNT(*)
                 FROM urls WHERE state = 'failed' GROUP BY 1",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(self.err())?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (cause, n) = row.map_err(self.err())?;
            let cause = if cause.is_empty() {
                "unknown".to_string()
            } else {
                cause
            };
            *out.entry(cause).or_default() += n.max(0) as u64;
        }
        Ok(out)
    }

    /// Everything stored about `url`, if known.
    pub fn get(&self, url: &Url) -> Result<Option<UrlRecord>, StateError> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached(
                "SELECT url, host, kind, state, skip_reason, attempts, last_error, depth, parent,
                        http_status, final_url, etag, last_modified, content_hash, page_path,
                        discovered_at, updated_at, fetched_at, fetched_run, version
                 FROM urls WHERE url = ?1",
            )
            .map_err(self.err())?;
        let row = st
            .query_row([url.as_str()], |r| {
                let kind: String = r.get(2)?;
                let state: String = r.get(3)?;
                Ok((
                    kind,
                    state,
                    UrlRecord {
                        url: r.get(0)?,
                        host: r.get(1)?,
                        kind: Kind::Other,
                        state: UrlState::Pending,
                        skip_reason: r.get(4)?,
                        attempts: r.get(5)?,
                        last_error: r.get(6)?,
                        depth: r.get(7)?,
                        parent: r.get(8)?,
                        http_status: r.get(9)?,
                        final_url: r.get(10)?,
                        etag: r.get(11)?,
                        last_modified: r.get(12)?,
                        content_hash: r.get(13)?,
                        page_path: r.get(14)?,
                        discovered_at: r.get(15)?,
                        updated_at: r.get(16)?,
                        fetched_at: r.get(17)?,
                        fetched_run: r.get(18)?,
                        version: r.get(19)?,
                    },
                ))
            })
            .optional()
            .map_err(self.err())?;
        let Some((kind, state, mut rec)) = row else {
            return Ok(None);
        };
        match (Kind::parse(&kind), UrlState::parse(&state)) {
            (Some(k), Some(s)) => {
                rec.kind = k;
                rec.state = s;
                Ok(Some(rec))
            }
            _ => Err(StateError::Corrupt {
                path: self.path.clone(),
                message: format!("{url}: unknown kind {kind:?} or state {state:?}"),
            }),
        }
    }

    /// Set a crawl metadata value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StateError> {
        let conn = self.lock();
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )
        .map_err(self.err())?;
        Ok(())
    }

    /// A crawl metadata value.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StateError> {
        let conn = self.lock();
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(self.err())
    }
}
