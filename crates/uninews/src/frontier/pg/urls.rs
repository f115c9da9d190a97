//! [`Frontier`] for [`PgFrontier`]: URL rows, marks and reads, the SQL of
//! `crawl.sqlite` in PostgreSQL's dialect. Leases are in `lease.rs`.

use super::PgFrontier;
use super::conn::Session;
use crate::frontier::Kind;
use crate::frontier::backend::{Frontier, PassStart, Renewal};
use crate::frontier::state::{
    AssetOutcome, Claimed, Counts, Done, FailedUrl, NewUrl, StateError, UrlRecord, host_of, now,
};
use crate::record::Record;
use postgres::Row;
use postgres::error::SqlState;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::time::Duration;
use url::Url;

const INSERT: &str = "INSERT INTO urls (url, host, kind, priority, state, skip_reason, depth,
        parent, discovered_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (url) DO NOTHING";

/// The longest time between two renewals: also how soon hosts given back, or held by a
/// worker that died, are looked for again.
const RENEW_AT_MOST: Duration = Duration::from_secs(5);

/// Many new URLs of hosts this worker holds (their host rows exist), in one statement;
/// returns the URLs that were new.
const INSERT_MANY: &str = "INSERT INTO urls (url, host, kind, priority, state, skip_reason,
        depth, parent, discovered_at, updated_at)
    SELECT u, h, k, p, $7, $8, d, par, $9, $9
    FROM unnest($1::text[], $2::text[], $3::text[], $4::int4[], $5::int4[], $6::text[])
        AS t(u, h, k, p, d, par)
    ON CONFLICT (url) DO NOTHING RETURNING url";

/// [`INSERT_MANY`]'s parameters: one array per column.
struct Columns {
    url: Vec<String>,
    host: Vec<String>,
    kind: Vec<&'static str>,
    priority: Vec<i32>,
    depth: Vec<i32>,
    parent: Vec<Option<String>>,
}

impl Columns {
    fn of<'a>(rows: impl Iterator<Item = &'a NewRow>) -> Columns {
        let mut c = Columns {
            url: Vec::new(),
            host: Vec::new(),
            kind: Vec::new(),
            priority: Vec::new(),
            depth: Vec::new(),
            parent: Vec::new(),
        };
        for r in rows {
            c.url.push(r.url.clone());
            c.host.push(r.host.clone());
            c.kind.push(r.kind);
            c.priority.push(r.priority);
            c.depth.push(r.depth);
            c.parent.push(r.parent.clone());
        }
        c
    }
}

pub(super) const INSERT_HOST: &str =
    "INSERT INTO hosts (host) VALUES ($1) ON CONFLICT (host) DO NOTHING";

const MARK_DONE: &str = "UPDATE urls SET state = 'done', last_error = NULL, skip_reason = NULL,
        http_status = COALESCE($2, http_status), final_url = COALESCE($3, final_url),
        etag = COALESCE($4, etag), last_modified = COALESCE($5, last_modified),
        content_hash = COALESCE($6, content_hash), page_path = COALESCE($7, page_path),
        version = COALESCE($9, version), fetched_run = $10, fetched_at = $8, updated_at = $8
    WHERE url = $1";

const SET_META: &str = "INSERT INTO meta (key, value) VALUES ($1, $2)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/// A new URL row, owned (it is sent to the connection thread).
#[derive(Clone)]
pub(super) struct NewRow {
    pub url: String,
    pub host: String,
    kind: &'static str,
    priority: i32,
    pub depth: i32,
    pub parent: Option<String>,
}

impl NewRow {
    pub fn of(n: &NewUrl) -> NewRow {
        NewRow {
            url: n.url.to_string(),
            host: host_of(&n.url),
            kind: n.kind.as_str(),
            priority: n.kind.priority() as i32,
            depth: i32::try_from(n.depth).unwrap_or(i32::MAX),
            parent: n.parent.as_ref().map(Url::to_string),
        }
    }

    fn insert(
        &self,
        s: &mut Session,
        state: &str,
        reason: Option<&str>,
        t: &str,
    ) -> Result<bool, postgres::Error> {
        let n = s.execute(
            INSERT,
            &[
                &self.url,
                &self.host,
                &self.kind,
                &self.priority,
                &state,
                &reason,
                &self.depth,
                &self.parent,
                &t,
            ],
        )?;
        if n == 1 {
            s.execute(INSERT_HOST, &[&self.host])?;
        }
        Ok(n == 1)
    }
}

pub(super) fn int(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn uint(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

impl PgFrontier {
    /// Insert URLs (`state`, `reason`); for each, in order, whether it was new. Those
    /// of hosts this worker holds go in one statement on the main connection (joining an
    /// open batch), the others on the side connection, one short autocommitted statement
    /// each (see the module doc of [`super`]).
    fn insert(
        &self,
        new: &[NewUrl],
        state: &'static str,
        reason: Option<&str>,
    ) -> Result<Vec<bool>, StateError> {
        let rows: Vec<NewRow> = new.iter().map(NewRow::of).collect();
        let (mine, other): (Vec<usize>, Vec<usize>) = {
            let held = self.held();
            (0..rows.len()).partition(|&i| held.contains(&rows[i].host))
        };
        let reason = reason.map(str::to_string);
        let mut out = vec![false; rows.len()];
        if !mine.is_empty() {
            let cols = Columns::of(mine.iter().map(|&i| &rows[i]));
            let reason = reason.clone();
            let added: std::collections::HashSet<String> = self.main.call(move |s| {
                s.tx(|s| {
                    let t = now();
                    let rows = s.query(
                        INSERT_MANY,
                        &[
                            &cols.url,
                            &cols.host,
                            &cols.kind,
                            &cols.priority,
                            &cols.depth,
                            &cols.parent,
                            &state,
                            &reason,
                            &t,
                        ],
                    )?;
                    Ok(rows.iter().map(|r| r.get(0)).collect())
                })
            })?;
            let mut seen = std::collections::HashSet::new();
            for &i in &mine {
                let u = &rows[i].url;
                out[i] = added.contains(u) && seen.insert(u.clone());
            }
        }
        if !other.is_empty() {
            let other_rows: Vec<NewRow> = other.iter().map(|&i| rows[i].clone()).collect();
            // A URL another worker is inserting right now (its batch holds the row) is
            // known, not new: nothing here waits long for it.
            let added = self.side.call(move |s| {
                let t = now();
                let mut v = Vec::with_capacity(other_rows.len());
                for r in &other_rows {
                    match r.insert(s, state, reason.as_deref(), &t) {
                        Ok(new) => v.push(new),
                        Err(e) if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) => v.push(false),
                        Err(e) => return Err(e),
                    }
                }
                Ok(v)
            })?;
            for (&i, a) in other.iter().zip(added) {
                out[i] = a;
            }
        }
        Ok(out)
    }

    /// Run one update of `url`'s row on the main connection; unknown URL when it
    /// changed nothing.
    fn update_one(
        &self,
        url: &Url,
        f: impl FnOnce(&mut Session, &str) -> Result<u64, postgres::Error> + Send + 'static,
    ) -> Result<(), StateError> {
        let u = url.to_string();
        let n = self.main.call(move |s| f(s, &u))?;
        if n == 0 {
            return Err(StateError::UnknownUrl {
                url: url.to_string(),
            });
        }
        Ok(())
    }

    pub(super) fn corrupt(&self, message: String) -> StateError {
        self.shared(format!("corrupt state: {message}"))
    }

    /// A claimed row: `url, kind, depth, attempts, etag, last_modified` from `at`.
    pub(super) fn claimed_of(&self, r: &Row, at: usize) -> Result<Claimed, StateError> {
        let url: String = r.get(at);
        let kind: String = r.get(at + 1);
        match Url::parse(&url).ok().zip(Kind::parse(&kind)) {
            Some((url, kind)) => Ok(Claimed {
                url,
                kind,
                depth: uint(r.get(at + 2)),
                attempts: uint(r.get(at + 3)),
                etag: r.get(at + 4),
                last_modified: r.get(at + 5),
            }),
            None => Err(self.corrupt(format!(
                "row {url:?} has an unparsable URL or kind {kind:?}"
            ))),
        }
    }
}

impl Frontier for PgFrontier {
    fn location(&self) -> String {
        format!("{} (worker {})", self.target, self.opts.worker)
    }

    fn add(&self, new: &NewUrl) -> Result<bool, StateError> {
        Ok(self.insert(std::slice::from_ref(new), "pending", None)?[0])
    }

    fn add_many(&self, new: &[NewUrl]) -> Result<usize, StateError> {
        Ok(self
            .insert(new, "pending", None)?
            .into_iter()
            .filter(|a| *a)
            .count())
    }

    fn add_each(&self, new: &[NewUrl]) -> Result<Vec<bool>, StateError> {
        self.insert(new, "pending", None)
    }

    fn add_skipped(&self, new: &NewUrl, reason: &str) -> Result<bool, StateError> {
        Ok(self.insert(std::slice::from_ref(new), "skipped", Some(reason))?[0])
    }

    fn get(&self, url: &Url) -> Result<Option<UrlRecord>, StateError> {
        self.get_row(url)
    }

    fn pending_hosts(&self) -> Result<Vec<String>, StateError> {
        self.leasable_hosts()
    }

    fn claim_hosts(&self, wanted: &[(&str, usize)]) -> Result<Vec<Vec<Claimed>>, StateError> {
        self.claim_leased(wanted)
    }

    fn release(&self, urls: &[Url]) -> Result<usize, StateError> {
        let urls: Vec<String> = urls.iter().map(Url::to_string).collect();
        self.main.call(move |s| s.tx(|s| release(s, &urls)))
    }

    fn mark_all_done_and_set(
        &self,
        urls: &[&Url],
        done: &Done,
        meta: Option<(&str, &str)>,
    ) -> Result<(), StateError> {
        let list: Vec<String> = urls.iter().map(|u| u.to_string()).collect();
        let status = done.http_status.map(i32::from);
        let final_url = done.final_url.as_ref().map(Url::to_string);
        let (etag, lm, hash, path) = (
            done.etag.clone(),
            done.last_modified.clone(),
            done.content_hash.clone(),
            done.page_path.clone(),
        );
        let version = done.version.map(int);
        let run = int(self.run());
        let meta = meta.map(|(k, v)| (k.to_string(), v.to_string()));
        let unknown = self.main.call(move |s| {
            s.tx(|s| {
                let t = now();
                for u in &list {
                    let n = s.execute(
                        MARK_DONE,
                        &[
                            u, &status, &final_url, &etag, &lm, &hash, &path, &t, &version, &run,
                        ],
                    )?;
                    if n == 0 {
                        return Ok(Some(u.clone()));
                    }
                }
                if let Some((k, v)) = &meta {
                    s.execute(SET_META, &[k, v])?;
                }
                Ok(None)
            })
        })?;
        match unknown {
            Some(url) => Err(StateError::UnknownUrl { url }),
            None => Ok(()),
        }
    }

    fn mark_failed(
        &self,
        url: &Url,
        error: &str,
        http_status: Option<u16>,
    ) -> Result<(), StateError> {
        let (error, status, run) = (
            error.to_string(),
            http_status.map(i32::from),
            int(self.run()),
        );
        self.update_one(url, move |s, u| {
            s.execute(
                "UPDATE urls SET state = 'failed', last_error = $2,
                    http_status = COALESCE($3, http_status), updated_at = $4, fetched_run = $5
                 WHERE url = $1",
                &[&u, &error, &status, &now(), &run],
            )
        })
    }

    fn mark_skipped(&self, url: &Url, reason: &str) -> Result<(), StateError> {
        let (reason, run) = (reason.to_string(), int(self.run()));
        self.update_one(url, move |s, u| {
            s.execute(
                "UPDATE urls SET state = 'skipped', skip_reason = $2, updated_at = $3,
                    fetched_run = $4
                 WHERE url = $1",
                &[&u, &reason, &now(), &run],
            )
        })
    }

    fn mark_pending(&self, url: &Url) -> Result<(), StateError> {
        self.update_one(url, move |s, u| {
            s.execute(
                "UPDATE urls SET state = 'pending', updated_at = $2 WHERE url = $1",
                &[&u, &now()],
            )
        })
    }

    fn settle_asset(&self, new: &NewUrl, outcome: &AssetOutcome) -> Result<bool, StateError> {
        self.settle(new, outcome)
    }

    fn start_pass(&self, want_new: bool) -> Result<PassStart, StateError> {
        let pass = self.begin_pass(want_new)?;
        self.run.store(pass.number, Ordering::Relaxed);
        Ok(pass)
    }

    fn run(&self) -> u32 {
        self.run.load(Ordering::Relaxed)
    }

    fn requeue_stale(&self, url: &Url) -> Result<bool, StateError> {
        let (u, run) = (url.to_string(), int(self.run()));
        let n = self.main.call(move |s| {
            s.execute(
                "UPDATE urls SET state = 'pending', updated_at = $3
                 WHERE url = $1 AND state IN ('done', 'failed', 'skipped') AND fetched_run < $2",
                &[&u, &run, &now()],
            )
        })?;
        Ok(n == 1)
    }

    fn requeue_articles(&self) -> Result<usize, StateError> {
        let run = int(self.run());
        let n = self.main.call(move |s| {
            s.execute(
                "UPDATE urls SET state = 'pending', updated_at = $2
                 WHERE kind = 'article' AND state = 'done' AND fetched_run < $1",
                &[&run, &now()],
            )
        })?;
        Ok(n as usize)
    }

    fn resume(&self) -> Result<usize, StateError> {
        let me = self.opts.worker.clone();
        let n = self.main.call(move |s| {
            s.execute(
                "UPDATE urls SET state = 'pending', worker = NULL, updated_at = $2
                 WHERE state = 'in_flight' AND worker = $1",
                &[&me, &now()],
            )
        })?;
        Ok(n as usize)
    }

    fn requeue_failed(&self) -> Result<usize, StateError> {
        let n = self.main.call(move |s| {
            s.execute(
                "UPDATE urls SET state = 'pending', updated_at = $1
                 WHERE state = 'failed' AND kind != 'asset'",
                &[&now()],
            )
        })?;
        Ok(n as usize)
    }

    fn counts(&self) -> Result<Counts, StateError> {
        self.count_all()
    }

    fn queued(&self) -> Result<u64, StateError> {
        // An index scan of `urls_state`, not the GROUP BY over every row of `counts`.
        let rows = self
            .main
            .call(|s| s.query("SELECT count(*) FROM urls WHERE state = 'pending'", &[]))?;
        Ok(rows
            .first()
            .map_or(0, |r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0)))
    }

    fn failures(&self, limit: usize) -> Result<Vec<FailedUrl>, StateError> {
        self.failed(limit)
    }

    fn failures_by_cause(&self) -> Result<BTreeMap<String, u64>, StateError> {
        self.causes()
    }

    fn pages_fetched_in_run(&self) -> Result<u64, StateError> {
        self.fetched_in_run()
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<(), StateError> {
        let (k, v) = (key.to_string(), value.to_string());
        self.main
            .call(move |s| s.execute(SET_META, &[&k, &v]))
            .map(|_| ())
    }

    fn meta(&self, key: &str) -> Result<Option<String>, StateError> {
        let k = key.to_string();
        let rows = self
            .main
            .call(move |s| s.query("SELECT value FROM meta WHERE key = $1", &[&k]))?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn begin_batch(&self) -> Result<(), StateError> {
        self.main.call(|s| s.set_batch(true, false))
    }

    fn end_batch(&self, commit: bool) -> Result<(), StateError> {
        self.main.call(move |s| s.set_batch(false, commit))
    }

    fn local_key(&self, key: &str) -> String {
        format!("{key}@{}", self.opts.worker)
    }

    fn store_record(&self, record: &Record) -> Result<(), StateError> {
        self.insert_record(record)
    }

    fn renew_every(&self) -> Option<Duration> {
        Some((self.opts.lease / 3).min(RENEW_AT_MOST))
    }

    fn renew(&self) -> Result<Renewal, StateError> {
        self.renew_leases()
    }

    fn give_up(&self, hosts: &[(String, Duration)], unstarted: &[Url]) -> Result<(), StateError> {
        self.give_back(hosts, unstarted)
    }

    fn finished(&self) -> Result<bool, StateError> {
        let rows = self.main.call(|s| {
            s.query(
                "SELECT NOT EXISTS (SELECT 1 FROM urls WHERE state IN ('pending', 'in_flight'))",
                &[],
            )
        })?;
        Ok(rows.first().is_some_and(|r| r.get(0)))
    }

    fn close(&self) -> Result<(), StateError> {
        self.leave()
    }
}

/// Claimed URLs never fetched go back: `pending`, the attempt undone.
pub(super) fn release(s: &mut Session, urls: &[String]) -> Result<usize, postgres::Error> {
    let t = now();
    let mut n = 0;
    for u in urls {
        n += s.execute(
            "UPDATE urls SET state = 'pending', attempts = GREATEST(attempts - 1, 0), worker = NULL,
                updated_at = $2
             WHERE url = $1 AND state = 'in_flight'",
            &[u, &t],
        )? as usize;
    }
    Ok(n)
}
