//! The shared frontier: the crawl state in PostgreSQL, for workers on many machines.
//!
//! `uninews crawl --frontier postgres://... --worker NAME` keeps its URLs, states,
//! attempts, validators and versions here instead of `crawl.sqlite`; any number of
//! workers share one database. Politeness holds across the fleet through **host
//! leases**: a worker claims URLs of a host only while it holds the host's lease (row
//! `hosts`, taken with `FOR UPDATE SKIP LOCKED`), renews its leases every third of the
//! lease time (at least every 5 s), gives back hosts that are idle or beyond its fair
//! share (hosts with work divided by live workers), and a host given back cannot be taken
//! before the wait its rate or Crawl-delay still asks for. A worker killed with `kill -9` stops renewing;
//! when its leases run out another worker takes its hosts and puts the URLs it left in
//! flight back in the queue. What was in flight is fetched again; nothing else is.
//!
//! Writes of a page's results (its marks, the article record in `records`, the worker's
//! committed `articles.jsonl` length) commit together in the crawl's batch, as with
//! SQLite. URLs of hosts the worker does not hold, and asset rows, are written on a
//! second connection in their own short transactions, so two workers' batches never wait
//! on each other's rows (no deadlocks).
//!
//! The schema is created and migrated by uninews ([`schema`]).

mod assets;
mod conn;
mod lease;
mod read;
mod records;
mod schema;
mod urls;

pub use records::{Export, ExportError, FrontierStatus, HostLease, WorkerStatus};
pub use schema::PG_SCHEMA_VERSION;

use crate::frontier::state::StateError;
use conn::Conn;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicUsize};
use std::time::Duration;

/// The default lease time.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(30);

/// How a worker joins a shared frontier.
#[derive(Debug, Clone)]
pub struct PgOptions {
    /// The server: a `postgres://user:password@host:port/database` URL.
    pub url: String,
    /// This worker's name, unique in the fleet (a restarted worker reuses its name to
    /// resume what it left in flight).
    pub worker: String,
    /// How long a lease lasts without renewal (renewed every third of it, at least every
    /// 5 s).
    pub lease: Duration,
    /// The smallest wait between two requests to a host (the crawl's rate): the wait a
    /// host given back keeps, when its rate says nothing longer.
    pub min_gap: Duration,
    /// The worker's output folder (recorded in `workers` for `uninews status`).
    pub out: String,
}

/// The shared frontier (see the module doc). Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct PgFrontier {
    /// Batches, claims and this worker's own hosts' URLs.
    main: Conn,
    /// Short transactions of their own: URLs of other hosts, assets, heartbeats.
    side: Conn,
    opts: PgOptions,
    target: String,
    /// The current pass (0 before `start_pass`).
    run: AtomicU32,
    /// Hosts this worker holds a lease on (as far as it knows).
    held: Mutex<HashSet<String>>,
    /// Hosts this worker may hold: its fair share (recomputed at each renewal).
    share: AtomicUsize,
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

impl PgFrontier {
    /// Connect, create or migrate the schema, and register the worker. Fails when a
    /// worker of the same name is alive (its heartbeat is younger than the lease and it is
    /// not a dead process of this machine).
    pub fn open(opts: PgOptions) -> Result<PgFrontier, StateError> {
        let target = redact(&opts.url);
        if opts.worker.trim().is_empty() {
            return Err(StateError::Shared {
                target,
                message: "the worker name is empty".into(),
            });
        }
        if opts.lease < Duration::from_secs(1) || opts.lease < 2 * opts.min_gap {
            return Err(StateError::Shared {
                target,
                message: format!(
                    "the lease ({:?}) must be at least 1 s and twice the time between two requests to a host ({:?})",
                    opts.lease, opts.min_gap
                ),
            });
        }
        let main = Conn::open(&opts.url, &target)?;
        match main.call(schema::migrate)? {
            schema::Migrated::Current => {}
            schema::Migrated::TooNew(found) => {
                return Err(StateError::Shared {
                    target,
                    message: format!(
                        "the database has schema version {found}, this uninews reads up to {PG_SCHEMA_VERSION}; upgrade uninews"
                    ),
                });
            }
        }
        let side = Conn::open(&opts.url, &target)?;
        let frontier = PgFrontier {
            main,
            side,
            opts,
            target,
            run: AtomicU32::new(0),
            held: Mutex::new(HashSet::new()),
            share: AtomicUsize::new(usize::MAX),
        };
        frontier.register()?;
        Ok(frontier)
    }

    /// Connect to read only (`uninews status`, `uninews export`): no worker is
    /// registered, the schema must exist.
    pub fn open_reader(url: &str) -> Result<PgReader, StateError> {
        let target = redact(url);
        let conn = Conn::open(url, &target)?;
        match conn.call(schema::migrate)? {
            schema::Migrated::Current => Ok(PgReader { conn, target }),
            schema::Migrated::TooNew(found) => Err(StateError::Shared {
                target,
                message: format!(
                    "the database has schema version {found}, this uninews reads up to {PG_SCHEMA_VERSION}; upgrade uninews"
                ),
            }),
        }
    }

    /// This worker's name.
    pub fn worker(&self) -> &str {
        &self.opts.worker
    }

    fn lease_secs(&self) -> f64 {
        self.opts.lease.as_secs_f64()
    }

    fn held(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn shared(&self, message: String) -> StateError {
        StateError::Shared {
            target: self.target.clone(),
            message,
        }
    }
}

/// A read-only connection to a shared frontier (see [`PgFrontier::open_reader`]).
#[derive(Debug)]
pub struct PgReader {
    conn: Conn,
    target: String,
}

/// The machine's name, for the `workers` table.
fn machine() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Whether process `pid` runs on this machine (Linux: `/proc/PID`); `true` when unknown.
fn process_alive(pid: i32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new(&format!("/proc/{pid}")).exists()
}
