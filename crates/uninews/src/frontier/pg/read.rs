//! Read-side queries of the shared frontier: one URL's row, counts, failures.

use super::PgFrontier;
use crate::frontier::Kind;
use crate::frontier::state::{Counts, FailedUrl, StateError, UrlRecord, UrlState};
use postgres::Row;
use std::collections::BTreeMap;
use url::Url;

const GET: &str = "SELECT url, host, kind, state, skip_reason, attempts, last_error, depth, parent,
        http_status, final_url, etag, last_modified, content_hash, page_path,
        discovered_at, updated_at, fetched_at, fetched_run, version
    FROM urls WHERE url = $1";

fn uint(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

impl PgFrontier {
    /// Everything stored about `url`.
    pub(super) fn get_row(&self, url: &Url) -> Result<Option<UrlRecord>, StateError> {
        let u = url.to_string();
        let rows = self.main.call(move |s| s.query(GET, &[&u]))?;
        rows.first().map(|r| self.record_of(r)).transpose()
    }

    fn record_of(&self, r: &Row) -> Result<UrlRecord, StateError> {
        let kind: String = r.get(2);
        let state: String = r.get(3);
        let url: String = r.get(0);
        let (Some(kind), Some(state)) = (Kind::parse(&kind), UrlState::parse(&state)) else {
            return Err(self.corrupt(format!("{url}: unknown kind {kind:?} or state {state:?}")));
        };
        Ok(UrlRecord {
            url,
            host: r.get(1),
            kind,
            state,
            skip_reason: r.get(4),
            attempts: uint(r.get(5)),
            last_error: r.get(6),
            depth: uint(r.get(7)),
            parent: r.get(8),
            http_status: r
                .get::<_, Option<i32>>(9)
                .and_then(|s| u16::try_from(s).ok()),
            final_url: r.get(10),
            etag: r.get(11),
            last_modified: r.get(12),
            content_hash: r.get(13),
            page_path: r.get(14),
            discovered_at: r.get(15),
            updated_at: r.get(16),
            fetched_at: r.get(17),
            fetched_run: uint(r.get(18)),
            version: uint(r.get(19)),
        })
    }

    /// URL counts by state and kind.
    pub(super) fn count_all(&self) -> Result<Counts, StateError> {
        let rows = self.main.call(|s| {
            s.query(
                "SELECT state, kind, count(*) FROM urls GROUP BY state, kind",
                &[],
            )
        })?;
        let mut counts = Counts::default();
        for r in rows {
            let (st, k, n): (String, String, i64) = (r.get(0), r.get(1), r.get(2));
            let key = UrlState::parse(&st)
                .zip(Kind::parse(&k))
                .ok_or_else(|| self.corrupt(format!("unknown state {st:?} or kind {k:?}")))?;
            counts.by.insert(key, u64::try_from(n).unwrap_or(0));
        }
        Ok(counts)
    }

    /// Up to `limit` failed URLs, oldest first.
    pub(super) fn failed(&self, limit: usize) -> Result<Vec<FailedUrl>, StateError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.main.call(move |s| {
            s.query(
                "SELECT url, kind, attempts, http_status, COALESCE(last_error, '') FROM urls
                 WHERE state = 'failed' ORDER BY id LIMIT $1",
                &[&limit],
            )
        })?;
        Ok(rows
            .iter()
            .map(|r| FailedUrl {
                url: r.get(0),
                kind: Kind::parse(&r.get::<_, String>(1)).unwrap_or(Kind::Other),
                attempts: uint(r.get(2)),
                http_status: r
                    .get::<_, Option<i32>>(3)
                    .and_then(|s| u16::try_from(s).ok()),
                error: r.get(4),
            })
            .collect())
    }

    /// Failed URLs per cause (the text of the last error before its first `:`).
    pub(super) fn causes(&self) -> Result<BTreeMap<String, u64>, StateError> {
        let rows = self.main.call(|s| {
            s.query(
                "SELECT trim(split_part(COALESCE(last_error, ''), ':', 1)), count(*)
                 FROM urls WHERE state = 'failed' GROUP BY 1",
                &[],
            )
        })?;
        let mut out = BTreeMap::new();
        for r in rows {
            let (cause, n): (String, i64) = (r.get(0), r.get(1));
            let cause = if cause.is_empty() {
                "unknown".to_string()
            } else {
                cause
            };
            *out.entry(cause).or_default() += u64::try_from(n).unwrap_or(0);
        }
        Ok(out)
    }

    /// Pages fetched (done or failed) in the current pass.
    pub(super) fn fetched_in_run(&self) -> Result<u64, StateError> {
        let run = i32::try_from(crate::frontier::Frontier::run(self)).unwrap_or(i32::MAX);
        let rows = self.main.call(move |s| {
            s.query(
                "SELECT count(*) FROM urls
                 WHERE fetched_run = $1 AND state IN ('done', 'failed') AND kind != 'asset'",
                &[&run],
            )
        })?;
        Ok(rows
            .first()
            .map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)))
    }
}
