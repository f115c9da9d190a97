//! The crawl: the one place that wires fetch, frontier, extract and store together.
//!
//! ```text
//!  CrawlState.claim ──► fetch (async, polite) ──► process (blocking pool: decode,
//!        ▲                                         discover or extract)
//!        └──────────── Sink.store (one writer: pages, articles.jsonl, state) ◄──┘
//! ```
//!
//! With `--images` / `--attachments`, an article's task downloads the files its record
//! refers to between extraction and the sink (see `crawl/assets.rs`), so the record
//! is written once, with its `local` paths.
//!
//! With [`CrawlConfig::warc`], the fetcher also hands every HTTP exchange to a
//! [`WarcArchiver`] (`DIR/warc/`), article records carry the ID of their page's WARC
//! record, and the crawl stops with an error if a WARC write fails.
//!
//! The queue lives in SQLite (`DIR/crawl.sqlite`), so memory does not grow with the size
//! of the crawl, and a crawl killed at any moment resumes where it stopped when the same
//! command runs again: URLs that were in flight go back to the queue, pages already stored
//! are not fetched again, and `articles.jsonl` is cut back to its last committed record.

mod assets;
mod config;
mod failure;
pub use failure::PageFailure;
mod process;
mod schedule;
mod sink;
mod summary;

pub use assets::{ATTACHMENTS_DIR, IMAGES_DIR};
pub use config::{
    AssetConfig, CrawlConfig, DEFAULT_MAX_ATTACHMENT_BYTES, DEFAULT_MAX_IMAGE_BYTES,
    DEFAULT_MAX_LIST_DEPTH, DEFAULT_MAX_URLS_PER_HOST, DEFAULT_STOP_AFTER_KNOWN, FrontierConfig,
    Recrawl, TrapGuards,
};
pub use sink::page_meta;
pub use summary::{
    AssetCounts, FailureLine, GuardCounts, HostSummary, Observer, Progress, Quiet, RunCounts,
    Summary,
};

use crate::fetch::Readiness;
use crate::fetch::{BuildError, Fetcher, Request};
use crate::frontier::pg::PgFrontier;
use crate::frontier::state::{Claimed, CrawlState, NewUrl, STATE_FILE, StateError, UrlState};
use crate::frontier::{Frontier, Kind, normalize};
use crate::store::warc::{WARC_DIR, WarcArchiver, WarcError};
use crate::store::{PageStore, RecordLog, StoreError, write_atomic};
use assets::Mirror;
use process::{Context, Processed, process};
use schedule::{HostStates, Scheduler, Work};
use sink::{Pass, RECORDS_LEN, Sink};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// File names inside the output folder.
pub const RECORDS_FILE: &str = "articles.jsonl";
/// The raw pages' folder.
pub const PAGES_DIR: &str = "pages";
/// The final report.
pub const SUMMARY_FILE: &str = "summary.json";

/// URLs of a host claimed from the state at a time (the head kept in memory; the rest
/// of the host's queue stays in `crawl.sqlite`).
const HEAD_LEN: usize = 8;

/// `summary.json` lists at most this many failed URLs (all are counted by cause; the
/// state holds every one).
const MAX_LISTED_FAILURES: usize = 1000;

/// How often the observer hears of progress.
const PROGRESS_EVERY: Duration = Duration::from_millis(500);

/// Why a crawl could not run (or had to stop).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CrawlError {
    /// No start URL was given.
    #[error("invalid crawl settings: no start URL")]
    NoStartUrl,
    /// An image or attachment size cap of 0 bytes.
    #[error("invalid crawl settings: the image and attachment size caps must be at least 1 byte")]
    ZeroAssetCap,
    /// The output folder's record log holds records its crawl state does not know about
    /// (another tool's file, or a folder mixed up with another).
    #[error("{} holds records that {STATE_FILE} does not know about; use another --out folder or move the file away", .path.display())]
    UnknownRecords {
        /// The record log.
        path: std::path::PathBuf,
    },
    /// The HTTP client could not be built.
    #[error(transparent)]
    Fetch(#[from] BuildError),
    /// The crawl state failed.
    #[error(transparent)]
    State(#[from] StateError),
    /// Writing pages or records failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the WARC files failed.
    #[error(transparent)]
    Warc(#[from] WarcError),
    /// A worker task died (a bug).
    #[error("a crawl task failed: {0}")]
    Task(String),
}

/// Run a crawl until nothing is left, `max_pages` is reached, or `stop` turns true.
/// Returns the summary (also written to `DIR/summary.json`).
pub async fn run(
    config: CrawlConfig,
    observer: Arc<dyn Observer>,
    mut stop: watch::Receiver<bool>,
) -> Result<Summary, CrawlError> {
    let started = Instant::now();
    let started_at = jiff::Timestamp::now();
    if config.start_urls.is_empty() {
        return Err(CrawlError::NoStartUrl);
    }
    if config.assets.max_image_bytes == 0 || config.assets.max_attachment_bytes == 0 {
        return Err(CrawlError::ZeroAssetCap);
    }
    let state = open_frontier(&config)?;
    let resumed = state.resume()? as u64;
    let unfinished = state.counts()?.state(UrlState::Pending) > 0;
    let pass_start = state.start_pass(!unfinished)?;
    let pass = pass_start.number;
    if !pass_start.new {
        tracing::info!(
            "resuming pass {pass}: {resumed} URLs that were in flight go back to the queue"
        );
    } else if pass > 1 {
        let retried = state.requeue_failed()?;
        let refreshed = if config.recrawl.refresh {
            state.requeue_articles()?
        } else {
            0
        };
        tracing::info!(
            "pass {pass} over a crawled site: list pages are read again{}; {retried} failed URLs retried, {refreshed} articles re-validated",
            if config.recrawl.full {
                " in full"
            } else {
                " until known articles"
            }
        );
    }
    let log = open_records(&config, &*state)?;
    for url in &config.start_urls {
        let url = normalize(url, &[]).unwrap_or_else(|| url.clone());
        if !state.add(&NewUrl::start(url.clone(), Kind::List))? {
            state.requeue_stale(&url)?;
        }
    }
    let warc = match &config.warc {
        Some(w) => Some(Arc::new(WarcArchiver::open(
            &config.out.join(WARC_DIR),
            w,
            &config.fetch,
        )?)),
        None => None,
    };
    let fetcher = match &warc {
        Some(w) => Fetcher::with_recorder(config.fetch.clone(), w.clone())?,
        None => Fetcher::new(config.fetch.clone())?,
    };
    let mirror = Mirror::new(&config.out, &config.assets, &fetcher, &state);
    let renew_every = state.renew_every();
    let mut next_renewal = renew_every.map(|d| tokio::time::Instant::now() + d);
    let scope = Arc::new(config.scope.clone());
    let ctx = Arc::new(Context {
        extractor: config.extractor.clone(),
        scope: config.scope.clone(),
    });
    let mut sink = Sink {
        state: &*state,
        pages: PageStore::new(config.out.join(PAGES_DIR)),
        log,
        max_depth: config.max_depth,
        guards: config.guards,
        queued_per_host: Default::default(),
        pass: Pass {
            number: pass,
            full: config.recrawl.full,
            since: config.recrawl.since,
            stop_after_known: config.recrawl.stop_after_known,
        },
        known_runs: Default::default(),
        lists_seen: Default::default(),
        run: RunCounts::default(),
        touched: Default::default(),
    };
    // --max-pages is per pass: a resumed pass counts what it fetched before.
    let fetched_before = state.pages_fetched_in_run()?;
    let mut budget = config.max_pages.map(|m| m.saturating_sub(fetched_before));
    let cap = config.fetch.global_concurrency.max(1);
    let per_host = config.fetch.per_host_concurrency.max(1);
    let mut sched = Scheduler::new(
        per_host,
        HEAD_LEN.max(2 * per_host),
        config.fetch.interval(),
    );
    for host in state.pending_hosts()? {
        sched.more(&host);
    }
    // Slots on the wire are the fetcher's global cap; the tasks beyond it parse pages,
    // download a record's files, or wait out a retry's backoff.
    let max_tasks = 2 * cap;
    let mut tasks: JoinSet<Finished> = JoinSet::new();
    let mut pages_in_flight = 0usize;
    let mut interrupted = false;
    let mut last_progress = Instant::now();
    loop {
        let wanted = sched.wanted();
        if !wanted.is_empty() {
            let asks: Vec<(&str, usize)> = wanted.iter().map(|(h, n)| (h.as_str(), *n)).collect();
            let claimed = state.claim_hosts(&asks)?;
            let now = tokio::time::Instant::now();
            for ((host, n), c) in wanted.iter().zip(claimed) {
                sched.fill(host, c, *n, now);
            }
        }
        let now = tokio::time::Instant::now();
        while !interrupted && tasks.len() < max_tasks && budget != Some(0) {
            let Some(work) = sched.next(now, |u| fetcher.readiness(u)) else {
                break;
            };
            match work {
                Work::Robots { host, url } => {
                    let fetcher = fetcher.clone();
                    tasks.spawn(async move {
                        fetcher.prepare(&url).await;
                        Finished::Robots { host }
                    });
                }
                Work::Fetch { host, claimed } => {
                    budget = budget.map(|b| b.saturating_sub(1));
                    pages_in_flight += 1;
                    let (fetcher, ctx, mirror) = (fetcher.clone(), ctx.clone(), mirror.clone());
                    let scope = scope.clone();
                    tasks.spawn(async move {
                        let processed = fetch_page(fetcher, ctx, mirror, scope, claimed).await;
                        Finished::Page {
                            host,
                            processed: Box::new(processed),
                        }
                    });
                }
            }
        }
        if let Some(at) = next_renewal
            && tokio::time::Instant::now() >= at
        {
            next_renewal = renew_every.map(|d| tokio::time::Instant::now() + d);
            share_hosts(&*state, &mut sched, &fetcher)?;
        }
        let wake = match (sched.wake(), next_renewal) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if tasks.is_empty() {
            if interrupted || budget == Some(0) {
                break;
            }
            // With a shared frontier, other workers may still hold hosts with work: then
            // wait for the next renewal, which takes over the hosts of a worker whose
            // leases ran out.
            if sched.is_idle() && !sched.has_fill() && state.finished()? {
                break;
            }
            if wake.is_none() {
                if sched.has_fill() {
                    continue;
                }
                tracing::debug!("no host has work left");
                break;
            }
        }
        tokio::select! {
            joined = tasks.join_next(), if !tasks.is_empty() => {
                // Store this page and every other one already finished in one transaction.
                let mut ready = Vec::new();
                let mut next = joined;
                let now = tokio::time::Instant::now();
                while let Some(result) = next {
                    match result {
                        Ok(Finished::Page { host, processed }) => {
                            pages_in_flight -= 1;
                            sched.done(&host, now);
                            ready.push(*processed);
                        }
                        Ok(Finished::Robots { host }) => sched.robots_done(&host, now),
                        Err(e) if e.is_cancelled() => {}
                        Err(e) => return Err(CrawlError::Task(e.to_string())),
                    }
                    next = tasks.try_join_next();
                }
                // The page budget was spent at dispatch; give back what fetched no page.
                let unspent = ready.iter().filter(|p| !p.counts_as_page()).count() as u64;
                budget = budget.map(|b| b + unspent);
                let writer = &mut sink;
                state.batch(|| ready.into_iter().try_for_each(|p| writer.store(p)))?;
                for host in sink.take_touched() {
                    sched.more(&host);
                }
                if let Some(w) = &warc {
                    w.check()?;
                }
            }
            () = sleep_until(wake) => {}
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    tracing::warn!("stopping: {pages_in_flight} requests in flight are abandoned and will be fetched again on resume");
                    interrupted = true;
                    tasks.abort_all();
                    while tasks.join_next().await.is_some() {}
                }
            }
        }
        if observer.wants_progress() && last_progress.elapsed() >= PROGRESS_EVERY {
            last_progress = Instant::now();
            let run = run_counts(&sink.run, mirror.as_deref());
            let hosts = sched.states();
            observer.progress(&progress(&*state, &fetcher, &run, pages_in_flight, hosts)?);
        }
    }
    // URLs claimed for a host but never started go back to the queue as they were.
    let unstarted = sched.drain_heads();
    if !unstarted.is_empty() {
        state.release(&unstarted)?;
    }
    if observer.wants_progress() {
        let run = run_counts(&sink.run, mirror.as_deref());
        observer.progress(&progress(&*state, &fetcher, &run, 0, sched.states())?);
    }
    state.close()?;
    if let Some(w) = &warc {
        w.close()?;
    }
    let summary = summarize(
        &*state,
        &fetcher,
        run_counts(&sink.run, mirror.as_deref()),
        started_at,
        started,
        resumed,
        interrupted,
        budget == Some(0),
    )?;
    let mut json = serde_json::to_vec_pretty(&summary).map_err(|e| StoreError::Corrupt {
        path: config.out.join(SUMMARY_FILE),
        message: e.to_string(),
    })?;
    json.push(b'\n');
    write_atomic(&config.out.join(SUMMARY_FILE), &json)?;
    Ok(summary)
}

/// What a crawl task came to.
enum Finished {
    /// A robots.txt asked for by the scheduler is known (or known to be unavailable).
    Robots { host: String },
    /// A page was fetched and processed (or failed).
    Page {
        host: String,
        processed: Box<Processed>,
    },
}

/// Fetch one claimed URL, process it on the blocking pool, and download its record's
/// files if asked.
async fn fetch_page(
    fetcher: Fetcher,
    ctx: Arc<Context>,
    mirror: Option<Arc<Mirror>>,
    scope: Arc<crate::frontier::Scope>,
    claimed: Claimed,
) -> Processed {
    let req = Request::new(claimed.url.clone())
        .html_only()
        .conditional(claimed.etag.clone(), claimed.last_modified.clone())
        .within(scope);
    let outcome = fetcher.fetch(&req).await;
    let fallback = claimed.clone();
    let processed = match tokio::task::spawn_blocking(move || process(&ctx, claimed, outcome)).await
    {
        Ok(p) => p,
        Err(e) => Processed::Failed {
            failure: PageFailure::Panicked {
                url: fallback.url.clone(),
                message: e.to_string(),
            },
            claimed: fallback,
            status: None,
        },
    };
    match &mirror {
        Some(m) => m.complete(processed).await,
        None => processed,
    }
}

/// Open the crawl state the configuration names.
fn open_frontier(config: &CrawlConfig) -> Result<Arc<dyn Frontier>, CrawlError> {
    Ok(match &config.frontier {
        FrontierConfig::Local => Arc::new(CrawlState::open_dir(&config.out)?),
        FrontierConfig::Postgres(opts) => {
            std::fs::create_dir_all(&config.out).map_err(|source| StateError::Io {
                path: config.out.clone(),
                source,
            })?;
            let mut opts = opts.clone();
            if opts.min_gap.is_zero() {
                opts.min_gap = config.fetch.interval().unwrap_or_default();
            }
            if opts.out.is_empty() {
                opts.out = config.out.display().to_string();
            }
            Arc::new(PgFrontier::open(opts)?)
        }
    })
}

/// The lease round of a shared frontier: renew, stop serving hosts taken by others,
/// give back idle hosts and hosts beyond the fair share (each with the wait its rate or
/// Crawl-delay still asks for), and look for hosts to take.
fn share_hosts(
    state: &dyn Frontier,
    sched: &mut Scheduler,
    fetcher: &Fetcher,
) -> Result<(), CrawlError> {
    let renewal = state.renew()?;
    for host in &renewal.lost {
        sched.forget(host);
    }
    let give = sched.hosts_to_give(renewal.excess);
    if renewal.excess > 0 {
        tracing::info!(
            "giving back {} host(s) beyond this worker's share",
            renewal.excess
        );
    }
    tracing::debug!(
        "lease round: {} lost, {} excess, {} to give back",
        renewal.lost.len(),
        renewal.excess,
        give.len()
    );
    if !give.is_empty() {
        let now = tokio::time::Instant::now();
        let mut unstarted = Vec::new();
        let mut hosts = Vec::with_capacity(give.len());
        for (host, last) in give {
            let wait = match last.map(|u| fetcher.readiness(&u)) {
                Some(Readiness::Wait(t) | Readiness::Paused(t)) => t.saturating_duration_since(now),
                _ => Duration::ZERO,
            };
            unstarted.extend(sched.forget(&host));
            hosts.push((host, wait));
        }
        state.give_up(&hosts, &unstarted)?;
    }
    for host in state.pending_hosts()? {
        sched.more(&host);
    }
    Ok(())
}

/// Sleep until `at`; forever when there is nothing to wake for.
async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Open `articles.jsonl`, cut back to what the state last committed.
fn open_records(config: &CrawlConfig, state: &dyn Frontier) -> Result<RecordLog, CrawlError> {
    let path = config.out.join(RECORDS_FILE);
    let key = state.local_key(RECORDS_LEN);
    let committed = match state.meta(&key)? {
        Some(v) => Some(v.parse::<u64>().map_err(|_| StateError::Corrupt {
            path: config.out.join(STATE_FILE),
            message: format!("{RECORDS_LEN} is not a number: {v:?}"),
        })?),
        None => None,
    };
    if committed.is_none() {
        if std::fs::metadata(&path).is_ok_and(|m| m.len() > 0) {
            return Err(CrawlError::UnknownRecords { path });
        }
        // From now on the log is this crawl's: a record appended but not yet committed
        // when the process dies is cut off on resume, never taken for a foreign file.
        state.set_meta(&key, "0")?;
    }
    Ok(RecordLog::open(&path, Some(committed.unwrap_or(0)))?)
}

/// The sink's counters with the asset counters of the mirror, if any.
fn run_counts(sink: &RunCounts, mirror: Option<&Mirror>) -> RunCounts {
    let mut run = sink.clone();
    if let Some(m) = mirror {
        run.assets = m.counts();
    }
    run
}

fn progress(
    state: &dyn Frontier,
    fetcher: &Fetcher,
    run: &RunCounts,
    in_flight: usize,
    hosts: HostStates,
) -> Result<Progress, CrawlError> {
    Ok(Progress {
        run: run.clone(),
        queued: state.queued()?,
        in_flight: in_flight as u64,
        hosts_active: hosts.active,
        hosts_waiting: hosts.waiting,
        hosts_paused: hosts.paused,
        hosts: fetcher.host_stats(),
    })
}

#[allow(clippy::too_many_arguments)]
fn summarize(
    state: &dyn Frontier,
    fetcher: &Fetcher,
    run: RunCounts,
    started_at: jiff::Timestamp,
    started: Instant,
    resumed: u64,
    interrupted: bool,
    page_limit_reached: bool,
) -> Result<Summary, CrawlError> {
    let counts = state.counts()?;
    let mut urls: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for ((s, k), n) in &counts.by {
        urls.entry(s.as_str().to_string())
            .or_default()
            .insert(k.as_str().to_string(), *n);
    }
    let failures_by_cause = state.failures_by_cause()?;
    let failed = state.failures(MAX_LISTED_FAILURES)?;
    let pending = counts.state(UrlState::Pending) + counts.state(UrlState::InFlight);
    Ok(Summary {
        started_at: started_at.to_string(),
        finished_at: jiff::Timestamp::now().to_string(),
        elapsed_secs: started.elapsed().as_secs_f64(),
        complete: pending == 0 && !interrupted,
        interrupted,
        pass: state.run(),
        page_limit_reached: page_limit_reached && pending > 0,
        resumed_in_flight: resumed,
        run,
        urls,
        failures_by_cause,
        failures: failed
            .into_iter()
            .map(|f| FailureLine {
                url: f.url,
                kind: f.kind.as_str().to_string(),
                attempts: f.attempts,
                error: f.error,
            })
            .collect(),
        hosts: fetcher.host_stats().iter().map(HostSummary::from).collect(),
    })
}
