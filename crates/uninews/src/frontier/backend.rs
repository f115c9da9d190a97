//! The frontier interface: what the crawl asks of its state, whichever database holds it.
//!
//! Two backends implement [`Frontier`]:
//!
//! - [`CrawlState`]: SQLite in the crawl folder (`DIR/crawl.sqlite`), one process. The
//!   default.
//! - [`PgFrontier`](crate::frontier::pg::PgFrontier): PostgreSQL, shared by any number
//!   of worker processes on any number of machines. A worker leases the hosts it
//!   fetches, so a host is fetched by one worker at a time and politeness holds across
//!   the fleet.
//!
//! The methods are blocking and short (one transaction each, or part of a
//! [`batch`](dyn Frontier::batch)); both backends pass the same test suite
//! (`tests/it/frontier_state.rs`). The lease hooks ([`Frontier::renew`],
//! [`Frontier::give_up`], [`Frontier::finished`]) have single-process defaults: nothing
//! to renew, nothing shared, done when the local queue is.

use super::state::{
    AssetOutcome, Claimed, Counts, CrawlState, Done, FailedUrl, NewUrl, StateError, UrlRecord,
};
use crate::record::Record;
use std::collections::BTreeMap;
use std::time::Duration;
use url::Url;

/// How a crawl run started its pass (see [`Frontier::start_pass`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassStart {
    /// The pass number (1 for a first crawl).
    pub number: u32,
    /// True when this run started the pass; false when it joined or resumed one.
    pub new: bool,
}

/// What a lease renewal found (see [`Frontier::renew`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renewal {
    /// Hosts this worker held whose lease another worker has taken (this worker was too
    /// slow to renew it): stop fetching them.
    pub lost: Vec<String>,
    /// How many hosts this worker holds beyond its fair share: give that many back.
    pub excess: usize,
}

/// The crawl's state: URLs, their kinds, states, attempts, validators and results.
///
/// Keys are normalised URLs. Every method commits its change before it returns, unless
/// it runs inside a [`batch`](dyn Frontier::batch).
pub trait Frontier: Send + Sync + std::fmt::Debug {
    /// Where the state lives, for messages (a path, or a URL without its password).
    fn location(&self) -> String;

    /// Add a pending URL; `true` when it was new (a known URL is left as it is).
    fn add(&self, new: &NewUrl) -> Result<bool, StateError>;
    /// Add many pending URLs in one transaction; how many were new.
    fn add_many(&self, new: &[NewUrl]) -> Result<usize, StateError>;
    /// Add pending URLs in one call; for each, in order, `true` when it was new (a URL
    /// given twice is new the first time only). A shared frontier writes them in one
    /// statement: a list page's links cost one server round trip, not one each.
    fn add_each(&self, new: &[NewUrl]) -> Result<Vec<bool>, StateError> {
        new.iter().map(|n| self.add(n)).collect()
    }
    /// Record a URL that will not be fetched (`off-scope`, ...), unless known.
    fn add_skipped(&self, new: &NewUrl, reason: &str) -> Result<bool, StateError>;
    /// Everything stored about `url`.
    fn get(&self, url: &Url) -> Result<Option<UrlRecord>, StateError>;

    /// Hosts this process may claim URLs of now (pending work, and for a shared frontier
    /// a lease it holds or can take).
    fn pending_hosts(&self) -> Result<Vec<String>, StateError>;
    /// Claim up to `n` pending URLs of each host asked for (lists first, then articles,
    /// other pages, assets, each oldest first): they become `in_flight`, their attempts
    /// go up by one. One list per host asked for, in order; empty when the host has
    /// nothing pending (or, shared, another worker holds it).
    fn claim_hosts(&self, wanted: &[(&str, usize)]) -> Result<Vec<Vec<Claimed>>, StateError>;
    /// Hand back claimed URLs never fetched: `pending` again, the attempt undone.
    fn release(&self, urls: &[Url]) -> Result<usize, StateError>;

    /// Mark `url` fetched (`None` fields of `done` keep what is stored).
    fn mark_done(&self, url: &Url, done: &Done) -> Result<(), StateError> {
        self.mark_all_done_and_set(&[url], done, None)
    }
    /// Mark several URLs done with one result and set a metadata key, in one transaction.
    fn mark_all_done_and_set(
        &self,
        urls: &[&Url],
        done: &Done,
        meta: Option<(&str, &str)>,
    ) -> Result<(), StateError>;
    /// Mark `url` failed with its cause.
    fn mark_failed(
        &self,
        url: &Url,
        error: &str,
        http_status: Option<u16>,
    ) -> Result<(), StateError>;
    /// Mark `url` skipped on purpose.
    fn mark_skipped(&self, url: &Url, reason: &str) -> Result<(), StateError>;
    /// Put `url` back to `pending`, its attempts as they are.
    fn mark_pending(&self, url: &Url) -> Result<(), StateError>;
    /// Record how an asset download ended; `false` when the URL is a page.
    fn settle_asset(&self, new: &NewUrl, outcome: &AssetOutcome) -> Result<bool, StateError>;

    /// Start a run: a new pass when `want_new` (nothing was left to do), else the current
    /// one. A shared frontier starts a new pass only when no other worker is running.
    fn start_pass(&self, want_new: bool) -> Result<PassStart, StateError>;
    /// The current pass (0 before [`start_pass`](Self::start_pass)).
    fn run(&self) -> u32;
    /// Queue `url` again if an earlier pass settled it.
    fn requeue_stale(&self, url: &Url) -> Result<bool, StateError>;
    /// Queue every article fetched in an earlier pass again (`--refresh`).
    fn requeue_articles(&self) -> Result<usize, StateError>;
    /// Put URLs this process left `in_flight` (a crash) back to `pending`.
    fn resume(&self) -> Result<usize, StateError>;
    /// Put every failed page back to `pending`.
    fn requeue_failed(&self) -> Result<usize, StateError>;

    /// URL counts by state and kind.
    fn counts(&self) -> Result<Counts, StateError>;
    /// URLs pending (the progress line asks twice a second).
    fn queued(&self) -> Result<u64, StateError> {
        Ok(self.counts()?.state(super::state::UrlState::Pending))
    }
    /// Up to `limit` failed URLs, oldest first.
    fn failures(&self, limit: usize) -> Result<Vec<FailedUrl>, StateError>;
    /// Failed URLs per cause.
    fn failures_by_cause(&self) -> Result<BTreeMap<String, u64>, StateError>;
    /// Pages fetched (done or failed) in the current pass.
    fn pages_fetched_in_run(&self) -> Result<u64, StateError>;
    /// Set a metadata value.
    fn set_meta(&self, key: &str, value: &str) -> Result<(), StateError>;
    /// A metadata value.
    fn meta(&self, key: &str) -> Result<Option<String>, StateError>;

    /// Open a transaction that the following calls join, until [`end_batch`](Self::end_batch).
    fn begin_batch(&self) -> Result<(), StateError>;
    /// Commit (or roll back) the open batch.
    fn end_batch(&self, commit: bool) -> Result<(), StateError>;

    /// The metadata key for something that belongs to this process's output folder (the
    /// committed length of its `articles.jsonl`): the key itself, or one per worker.
    fn local_key(&self, key: &str) -> String {
        key.to_string()
    }
    /// Store an article record where data teams query it (a shared frontier's records
    /// table; part of the open batch). The local backend keeps records in
    /// `articles.jsonl` only.
    fn store_record(&self, _record: &Record) -> Result<(), StateError> {
        Ok(())
    }
    /// How often the crawl must call [`renew`](Self::renew); `None`: never (no leases).
    fn renew_every(&self) -> Option<Duration> {
        None
    }
    /// Renew this worker's leases and heartbeat.
    fn renew(&self) -> Result<Renewal, StateError> {
        Ok(Renewal::default())
    }
    /// Give hosts back (idle, or beyond the fair share): their unstarted URLs go back to
    /// the queue, and no worker may take a host before its delay (the wait its rate
    /// or Crawl-delay still asks for) has passed.
    fn give_up(&self, hosts: &[(String, Duration)], unstarted: &[Url]) -> Result<(), StateError> {
        let _ = hosts;
        self.release(unstarted).map(|_| ())
    }
    /// True when the whole frontier has nothing pending or in flight. A shared frontier
    /// may still have work when this process's queue is empty: other workers' hosts,
    /// which it takes over if their leases run out.
    fn finished(&self) -> Result<bool, StateError> {
        Ok(true)
    }
    /// The crawl is over (or stopped): release what this process holds.
    fn close(&self) -> Result<(), StateError> {
        Ok(())
    }
}

impl dyn Frontier + '_ {
    /// Run `f` with every state change it makes in one transaction: committed when `f`
    /// succeeds, rolled back when it fails.
    pub fn batch<R, E: From<StateError>>(&self, f: impl FnOnce() -> Result<R, E>) -> Result<R, E> {
        self.begin_batch()?;
        let result = f();
        self.end_batch(result.is_ok())?;
        result
    }
}

impl Frontier for CrawlState {
    fn location(&self) -> String {
        self.path().display().to_string()
    }
    fn add(&self, new: &NewUrl) -> Result<bool, StateError> {
        CrawlState::add(self, new)
    }
    fn add_many(&self, new: &[NewUrl]) -> Result<usize, StateError> {
        CrawlState::add_many(self, new)
    }
    fn add_skipped(&self, new: &NewUrl, reason: &str) -> Result<bool, StateError> {
        CrawlState::add_skipped(self, new, reason)
    }
    fn get(&self, url: &Url) -> Result<Option<UrlRecord>, StateError> {
        CrawlState::get(self, url)
    }
    fn pending_hosts(&self) -> Result<Vec<String>, StateError> {
        CrawlState::pending_hosts(self)
    }
    fn claim_hosts(&self, wanted: &[(&str, usize)]) -> Result<Vec<Vec<Claimed>>, StateError> {
        CrawlState::claim_hosts(self, wanted)
    }
    fn release(&self, urls: &[Url]) -> Result<usize, StateError> {
        CrawlState::release(self, urls)
    }
    fn mark_all_done_and_set(
        &self,
        urls: &[&Url],
        done: &Done,
        meta: Option<(&str, &str)>,
    ) -> Result<(), StateError> {
        CrawlState::mark_all_done_and_set(self, urls, done, meta)
    }
    fn mark_failed(
        &self,
        url: &Url,
        error: &str,
        http_status: Option<u16>,
    ) -> Result<(), StateError> {
        CrawlState::mark_failed(self, url, error, http_status)
    }
    fn mark_skipped(&self, url: &Url, reason: &str) -> Result<(), StateError> {
        CrawlState::mark_skipped(self, url, reason)
    }
    fn mark_pending(&self, url: &Url) -> Result<(), StateError> {
        CrawlState::mark_pending(self, url)
    }
    fn settle_asset(&self, new: &NewUrl, outcome: &AssetOutcome) -> Result<bool, StateError> {
        CrawlState::settle_asset(self, new, outcome)
    }
    fn start_pass(&self, want_new: bool) -> Result<PassStart, StateError> {
        let before = self.stored_run()?;
        let number = self.begin_run(want_new)?;
        Ok(PassStart {
            number,
            new: number != before,
        })
    }
    fn run(&self) -> u32 {
        CrawlState::run(self)
    }
    fn requeue_stale(&self, url: &Url) -> Result<bool, StateError> {
        CrawlState::requeue_stale(self, url)
    }
    fn requeue_articles(&self) -> Result<usize, StateError> {
        CrawlState::requeue_articles(self)
    }
    fn resume(&self) -> Result<usize, StateError> {
        CrawlState::resume(self)
    }
    fn requeue_failed(&self) -> Result<usize, StateError> {
        CrawlState::requeue_failed(self)
    }
    fn counts(&self) -> Result<Counts, StateError> {
        CrawlState::counts(self)
    }
    fn failures(&self, limit: usize) -> Result<Vec<FailedUrl>, StateError> {
        CrawlState::failures(self, limit)
    }
    fn failures_by_cause(&self) -> Result<BTreeMap<String, u64>, StateError> {
        CrawlState::failures_by_cause(self)
    }
    fn pages_fetched_in_run(&self) -> Result<u64, StateError> {
        CrawlState::pages_fetched_in_run(self)
    }
    fn set_meta(&self, key: &str, value: &str) -> Result<(), StateError> {
        CrawlState::set_meta(self, key, value)
    }
    fn meta(&self, key: &str) -> Result<Option<String>, StateError> {
        CrawlState::meta(self, key)
    }
    fn begin_batch(&self) -> Result<(), StateError> {
        CrawlState::begin_batch(self)
    }
    fn end_batch(&self, commit: bool) -> Result<(), StateError> {
        CrawlState::end_batch(self, commit)
    }
}
