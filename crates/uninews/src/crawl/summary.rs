//! The crawl's report: live progress for the display, and the final summary written to
//! `DIR/summary.json`.

use crate::fetch::HostSnapshot;
use serde::Serialize;
use std::collections::BTreeMap;

/// Counters of one run (this invocation), updated as pages are stored.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct RunCounts {
    /// Pages fetched and stored (lists, articles, other).
    pub pages: u64,
    /// Article records appended to `articles.jsonl` (new articles and changed versions).
    pub articles: u64,
    /// Of those, new versions of articles stored before (`--refresh`).
    pub changed: u64,
    /// Re-fetched articles whose content had not changed (no new version).
    pub unchanged: u64,
    /// List pages read.
    pub lists: u64,
    /// `304 Not Modified` answers.
    pub not_modified: u64,
    /// URLs that failed for good.
    pub failed: u64,
    /// URLs skipped on purpose (robots.txt, off-scope redirects, not HTML).
    pub skipped: u64,
    /// Articles whose URL redirected to an article already stored.
    pub duplicates: u64,
    /// Body bytes stored.
    pub bytes: u64,
    /// Images and attachments of stored articles (`--images`, `--attachments`).
    pub assets: AssetCounts,
    /// Trap guards that triggered in this run.
    pub guards: GuardCounts,
}

/// How often the trap guards stopped the crawl from queueing URLs.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct GuardCounts {
    /// List pages deeper than `max_list_depth` whose pagination was not followed.
    pub list_depth: u64,
    /// Hosts that reached `max_urls_per_host`, with the URLs not queued because of it.
    pub host_budget: BTreeMap<String, u64>,
}

/// Counters of the images and attachments of one run.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct AssetCounts {
    /// Asset URLs downloaded and stored.
    pub downloaded: u64,
    /// Of those, how many added a file (the others' bytes were stored already, from
    /// another URL).
    pub new_files: u64,
    /// References to an asset that was already stored (by this run or an earlier one):
    /// no download.
    pub reused: u64,
    /// Asset URLs that failed (after retries, too large, an HTML page instead of a file);
    /// they are among the summary's failed URLs, kind `asset`.
    pub failed: u64,
    /// Asset URLs not downloaded on purpose (disallowed by robots.txt).
    pub skipped: u64,
    /// Bytes downloaded.
    pub bytes: u64,
}

/// A snapshot for the progress display.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// This run's counters.
    pub run: RunCounts,
    /// URLs waiting to be fetched.
    pub queued: u64,
    /// URLs being fetched now.
    pub in_flight: u64,
    /// Hosts with a request on the wire (or a page being processed).
    pub hosts_active: u64,
    /// Hosts with URLs waiting for their rate limit or Crawl-delay.
    pub hosts_waiting: u64,
    /// Hosts with URLs held back by a `Retry-After` pause or an unavailable robots.txt.
    pub hosts_paused: u64,
    /// Per-host request counters and current rates.
    pub hosts: Vec<HostSnapshot>,
}

/// Receives progress while a crawl runs (the CLI draws it; tests may ignore it).
pub trait Observer: Send + Sync {
    /// Called about twice a second while [`Observer::wants_progress`] is true.
    fn progress(&self, progress: &Progress);

    /// False when nothing is shown (progress then costs nothing: counting the queue is a
    /// query over the crawl state).
    fn wants_progress(&self) -> bool {
        true
    }
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Observer for Quiet {
    fn progress(&self, _: &Progress) {}

    fn wants_progress(&self) -> bool {
        false
    }
}

/// One host's totals in the summary.
#[derive(Debug, Clone, Serialize)]
pub struct HostSummary {
    /// The host.
    pub host: String,
    /// HTTP requests sent (retries, redirect hops and robots.txt included).
    pub requests: u64,
    /// Of those, retries.
    pub retries: u64,
    /// Body bytes received.
    pub bytes: u64,
    /// The minimum gap between requests that was in force, in seconds.
    pub min_interval_secs: Option<f64>,
}

impl From<&HostSnapshot> for HostSummary {
    fn from(h: &HostSnapshot) -> Self {
        HostSummary {
            host: h.host.clone(),
            requests: h.requests,
            retries: h.retries,
            bytes: h.bytes,
            min_interval_secs: h.interval.map(|d| d.as_secs_f64()),
        }
    }
}

/// A URL that failed for good, as `summary.json` lists it (the row it comes from is
/// [`crate::frontier::state::FailedUrl`]).
#[derive(Debug, Clone, Serialize)]
pub struct FailureLine {
    /// The URL.
    pub url: String,
    /// `list`, `article`, ...
    pub kind: String,
    /// Times it was tried (claims across runs).
    pub attempts: u32,
    /// The last error.
    pub error: String,
}

/// The final report of a run, also written to `DIR/summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// When it ended.
    pub finished_at: String,
    /// Wall-clock seconds.
    pub elapsed_secs: f64,
    /// True when nothing is left to fetch.
    pub complete: bool,
    /// True when the run was stopped (Ctrl-C); re-run the same command to resume.
    pub interrupted: bool,
    /// The pass over the site this run belongs to (1: the first crawl of the folder).
    pub pass: u32,
    /// True when the crawl stopped at `--max-pages`.
    pub page_limit_reached: bool,
    /// Pages that were in flight when an earlier run died, put back in the queue.
    pub resumed_in_flight: u64,
    /// This run's counters.
    pub run: RunCounts,
    /// URLs known to the crawl, by state then kind (all runs of this folder).
    pub urls: BTreeMap<String, BTreeMap<String, u64>>,
    /// URLs failed for good, counted by cause (`http-500`, `timeout`, ...).
    pub failures_by_cause: BTreeMap<String, u64>,
    /// The failed URLs (the first 1,000).
    pub failures: Vec<FailureLine>,
    /// Per-host request totals of this run.
    pub hosts: Vec<HostSummary>,
}

impl Summary {
    /// Failed URLs in total (all runs).
    pub fn failed_total(&self) -> u64 {
        self.failures_by_cause.values().sum()
    }
}
