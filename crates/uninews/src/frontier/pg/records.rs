//! Where records land in the shared frontier, and what `uninews export` and
//! `uninews status` read.
//!
//! Every article record is a row of `records` (JSONB, keyed by `(url, version)`): a
//! record delivered twice (a worker that stored it and died before the batch's commit
//! was seen, then another fetched it again) is stored once. Export writes the newest
//! version of each URL's record, in URL order, as the record type prints it (the same
//! field order as `articles.jsonl`).

use super::{PgFrontier, PgReader};
use crate::frontier::state::StateError;
use crate::record::Record;
use serde::Serialize;

impl PgFrontier {
    /// Insert `record` (part of the open batch); a record already there stays.
    pub(super) fn insert_record(&self, record: &Record) -> Result<(), StateError> {
        let json = serde_json::to_value(record).map_err(|e| {
            self.shared(format!("{}: cannot serialise the record: {e}", record.url))
        })?;
        let url = record.url.clone();
        let version = i32::try_from(record.version.unwrap_or(1)).unwrap_or(i32::MAX);
        let (site, published) = (record.site.clone(), record.published.clone());
        let me = self.opts.worker.clone();
        self.main.call(move |s| {
            s.tx(|s| {
                s.execute(
                    "INSERT INTO records (url, version, site, published, record, worker)
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (url, version) DO NOTHING",
                    &[&url, &version, &site, &published, &json, &me],
                )
            })
        })?;
        Ok(())
    }
}

/// Which records [`PgReader::export`] writes.
#[derive(Debug, Clone, Default)]
pub struct Export {
    /// Only records stored at or after this time (RFC 3339, or a date: its midnight UTC).
    pub stored_since: Option<String>,
    /// Only records published on or after this date (`YYYY-MM-DD`).
    pub published_since: Option<String>,
}

/// One worker, for `uninews status`.
#[derive(Debug, Clone, Serialize)]
pub struct WorkerStatus {
    /// Its name.
    pub name: String,
    /// The machine it runs on, and its process id.
    pub machine: String,
    /// Its pid.
    pub pid: i32,
    /// Its `--out` folder.
    pub out: String,
    /// Seconds since its last heartbeat.
    pub heartbeat_age_secs: f64,
    /// It stopped (finished or interrupted) rather than died.
    pub stopped: bool,
    /// Hosts it holds a lease on.
    pub hosts: i64,
}

/// One lease, for `uninews status`.
#[derive(Debug, Clone, Serialize)]
pub struct HostLease {
    /// The host.
    pub host: String,
    /// The worker holding it.
    pub worker: String,
    /// Seconds until it runs out (negative: expired, not yet taken over).
    pub expires_in_secs: f64,
    /// Its pending URLs.
    pub pending: i64,
    /// Its URLs in flight.
    pub in_flight: i64,
}

/// The state of a shared frontier (`uninews status --frontier`).
#[derive(Debug, Clone, Serialize)]
pub struct FrontierStatus {
    /// The server (without password).
    pub frontier: String,
    /// The current pass.
    pub pass: u32,
    /// Hosts known.
    pub hosts: i64,
    /// Hosts with pending or in-flight URLs.
    pub hosts_with_work: i64,
    /// URL counts per state and kind.
    pub urls: std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>>,
    /// Records stored (all versions) and URLs with a record.
    pub records: i64,
    /// URLs with at least one record.
    pub articles: i64,
    /// Every worker that ever joined.
    pub workers: Vec<WorkerStatus>,
    /// Every lease held now.
    pub leases: Vec<HostLease>,
}

impl PgReader {
    /// Call `write` with each exported record (the newest version per URL, in URL
    /// order), a page of rows at a time. Returns how many.
    pub fn export(
        &self,
        filter: &Export,
        mut write: impl FnMut(&Record) -> std::io::Result<()>,
    ) -> Result<u64, ExportError> {
        let stored = filter.stored_since.clone();
        let published = filter.published_since.clone();
        let mut after = String::new();
        let mut n = 0;
        loop {
            let (a, st, p) = (after.clone(), stored.clone(), published.clone());
            let rows = self.conn.call(move |s| {
                s.query(
                    "SELECT DISTINCT ON (url) url, record FROM records
                     WHERE url > $1
                       AND ($2::text IS NULL OR stored_at >= $2::timestamptz)
                       AND ($3::text IS NULL OR published >= $3)
                     ORDER BY url, version DESC LIMIT 1000",
                    &[&a, &st, &p],
                )
            })?;
            let Some(last) = rows.last() else {
                return Ok(n);
            };
            after = last.get(0);
            for r in &rows {
                let url: String = r.get(0);
                let value: serde_json::Value = r.get(1);
                let record: Record =
                    serde_json::from_value(value).map_err(|e| ExportError::Record {
                        url: url.clone(),
                        message: e.to_string(),
                    })?;
                write(&record).map_err(ExportError::Write)?;
                n += 1;
            }
        }
    }

    /// Hosts, queues, workers and leases.
    pub fn status(&self) -> Result<FrontierStatus, StateError> {
        let rows = self.conn.call(|s| {
            let head = s.query(
                "SELECT (SELECT value FROM meta WHERE key = 'run'),
                        (SELECT count(*) FROM hosts),
                        (SELECT count(*) FROM hosts h WHERE EXISTS (SELECT 1 FROM urls u
                           WHERE u.host = h.host AND u.state IN ('pending', 'in_flight'))),
                        (SELECT count(*) FROM records),
                        (SELECT count(DISTINCT url) FROM records)",
                &[],
            )?;
            let urls = s.query("SELECT state, kind, count(*) FROM urls GROUP BY 1, 2", &[])?;
            let workers = s.query(
                "SELECT w.name, w.machine, w.pid, w.out_dir,
                        extract(epoch FROM now() - w.heartbeat_at)::float8, w.stopped,
                        (SELECT count(*) FROM hosts h WHERE h.worker = w.name)
                 FROM workers w ORDER BY w.name",
                &[],
            )?;
            let leases = s.query(
                "SELECT h.host, h.worker, extract(epoch FROM h.lease_until - now())::float8,
                        (SELECT count(*) FROM urls u WHERE u.host = h.host AND u.state = 'pending'),
                        (SELECT count(*) FROM urls u WHERE u.host = h.host AND u.state = 'in_flight')
                 FROM hosts h WHERE h.worker IS NOT NULL ORDER BY h.worker, h.host",
                &[],
            )?;
            Ok((head, urls, workers, leases))
        })?;
        let (head, urls, workers, leases) = rows;
        let h = head.first();
        let get = |i: usize| h.map_or(0, |r| r.get::<_, i64>(i));
        let mut by: std::collections::BTreeMap<String, std::collections::BTreeMap<String, i64>> =
            Default::default();
        for r in &urls {
            by.entry(r.get(0)).or_default().insert(r.get(1), r.get(2));
        }
        Ok(FrontierStatus {
            frontier: self.target.clone(),
            pass: h
                .and_then(|r| r.get::<_, Option<String>>(0))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            hosts: get(1),
            hosts_with_work: get(2),
            urls: by,
            records: get(3),
            articles: get(4),
            workers: workers
                .iter()
                .map(|r| WorkerStatus {
                    name: r.get(0),
                    machine: r.get(1),
                    pid: r.get(2),
                    out: r.get(3),
                    heartbeat_age_secs: r.get(4),
                    stopped: r.get(5),
                    hosts: r.get(6),
                })
                .collect(),
            leases: leases
                .iter()
                .map(|r| HostLease {
                    host: r.get(0),
                    worker: r.get(1),
                    expires_in_secs: r.get::<_, Option<f64>>(2).unwrap_or(0.0),
                    pending: r.get(3),
                    in_flight: r.get(4),
                })
                .collect(),
        })
    }
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Reading the frontier failed.
    #[error(transparent)]
    State(#[from] StateError),
    /// A stored record is not a valid record.
    #[error("{url}: the stored record is not a valid record: {message}")]
    Record {
        /// The record's URL.
        url: String,
        /// What is wrong.
        message: String,
    },
    /// Writing the output failed.
    #[error("cannot write the export: {0}")]
    Write(std::io::Error),
}
