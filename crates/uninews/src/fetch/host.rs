//! Per-host politeness: one GCRA rate limiter (burst 1) shared by every request to the
//! host, a concurrency cap, a host-wide pause after `Retry-After`, and counters.
//!
//! The limiter is the authority: a request starts only when [`Host::try_start`] takes a
//! cell from it. Beside it the host keeps the time it will next admit a request, so a
//! scheduler can ask [`Host::ready_at`] without spending a cell, and serve a host that is
//! ready instead of waiting on one that is not.

use super::stats::HostStats;
use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, SemaphorePermit};

type Limiter = DefaultDirectRateLimiter;

/// One host's politeness state.
#[derive(Debug)]
pub(crate) struct Host {
    pub name: String,
    permits: Semaphore,
    limiter: Mutex<Pace>,
    not_before: Mutex<Option<tokio::time::Instant>>,
    pub stats: HostStats,
}

#[derive(Debug)]
struct Pace {
    interval: Option<Duration>,
    limiter: Option<Arc<Limiter>>,
    /// When the limiter next admits a request (the last start plus the interval).
    next: Option<tokio::time::Instant>,
}

/// When a host may be asked next (see [`Fetcher::readiness`](super::Fetcher::readiness)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    /// A request may start now.
    Now,
    /// The origin's robots.txt must be fetched first (it is not known, or due again).
    NeedsRobots,
    /// The rate (or `Crawl-delay`) allows the next request at this time.
    Wait(tokio::time::Instant),
    /// The host is paused (a server's `Retry-After`, or its robots.txt is unavailable)
    /// until this time.
    Paused(tokio::time::Instant),
}

fn limiter(interval: Duration) -> Option<Arc<Limiter>> {
    Quota::with_period(interval).map(|q| Arc::new(RateLimiter::direct(q)))
}

impl Host {
    pub fn new(name: &str, interval: Option<Duration>, concurrency: usize, epoch: Instant) -> Host {
        Host {
            name: name.to_string(),
            permits: Semaphore::new(concurrency),
            limiter: Mutex::new(Pace {
                interval,
                limiter: interval.and_then(limiter),
                next: None,
            }),
            not_before: Mutex::new(None),
            stats: HostStats::new(epoch),
        }
    }

    fn pace(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.limiter.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn pause(&self) -> Option<tokio::time::Instant> {
        *self.not_before.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The minimum gap between request starts now in force.
    pub fn interval(&self) -> Option<Duration> {
        self.pace().interval
    }

    /// Slow the host down to at least `interval` between request starts (robots.txt
    /// `Crawl-delay`). Never speeds it up. The new limiter starts with its first cell
    /// spent, so the gap after the request just made (robots.txt itself) is kept too.
    pub fn slow_to(&self, interval: Duration) {
        let mut pace = self.pace();
        if pace.interval.is_some_and(|cur| cur >= interval) {
            return;
        }
        let Some(new) = limiter(interval) else {
            return;
        };
        // A fresh GCRA limiter always admits its first cell: spend it now.
        let _ = new.check();
        pace.interval = Some(interval);
        pace.limiter = Some(new);
        pace.next = Some(tokio::time::Instant::now() + interval);
    }

    /// A request's response (or its failure) came back now: the next request waits a
    /// whole interval from here too. The server saw the request before this moment, so
    /// the gap it sees is at least the interval, however late the request reached the
    /// wire after its start was admitted (a busy runtime, a slow connect).
    pub fn answered(&self) {
        let mut pace = self.pace();
        if let Some(i) = pace.interval {
            let after = tokio::time::Instant::now() + i;
            if pace.next.is_none_or(|n| n < after) {
                pace.next = Some(after);
            }
        }
    }

    /// Pause the whole host until `until` (a server's `Retry-After`).
    pub fn pause_until(&self, until: tokio::time::Instant) {
        let mut nb = self.not_before.lock().unwrap_or_else(|p| p.into_inner());
        if nb.is_none_or(|cur| cur < until) {
            *nb = Some(until);
        }
    }

    /// Take a concurrency slot for one exchange.
    pub async fn slot(&self) -> Option<SemaphorePermit<'_>> {
        self.permits.acquire().await.ok()
    }

    /// When the host may be asked next, without spending anything.
    pub fn ready_at(&self) -> Readiness {
        let now = tokio::time::Instant::now();
        if let Some(until) = self.pause().filter(|u| *u > now) {
            return Readiness::Paused(until);
        }
        match self.pace().next {
            Some(next) if next > now => Readiness::Wait(next),
            _ => Readiness::Now,
        }
    }

    /// Start a request now if the host allows it: past any host-wide pause, and a cell of
    /// the rate limiter taken. Otherwise the time to try again.
    pub fn try_start(&self) -> Result<(), tokio::time::Instant> {
        let now = tokio::time::Instant::now();
        if let Some(until) = self.pause().filter(|u| *u > now) {
            return Err(until);
        }
        let mut pace = self.pace();
        if let Some(next) = pace.next.filter(|n| *n > now) {
            return Err(next);
        }
        let Some(l) = pace.limiter.clone() else {
            return Ok(());
        };
        match l.check() {
            Ok(()) => {
                pace.next = pace.interval.map(|i| now + i);
                Ok(())
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(l.clock().now());
                // Never spin: a limiter that says "now" after refusing waits a millisecond.
                Err(now + wait.max(Duration::from_millis(1)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn ready_at_tells_the_next_start_without_spending_it() {
        let host = Host::new("h", Some(Duration::from_millis(200)), 1, Instant::now());
        assert_eq!(host.ready_at(), Readiness::Now);
        // Asking does not spend the cell.
        assert_eq!(host.ready_at(), Readiness::Now);
        assert!(host.try_start().is_ok());
        let Readiness::Wait(next) = host.ready_at() else {
            panic!("after a start the host waits");
        };
        let gap = next - tokio::time::Instant::now();
        assert!(gap > Duration::from_millis(150) && gap <= Duration::from_millis(200));
        // The limiter agrees: a second start is refused until about then.
        let retry = host.try_start().expect_err("the cell is spent");
        assert!(retry + Duration::from_millis(20) >= next);
    }

    #[tokio::test]
    async fn the_interval_also_counts_from_the_answer() {
        let host = Host::new("h", Some(Duration::from_millis(200)), 1, Instant::now());
        assert!(host.try_start().is_ok());
        tokio::time::sleep(Duration::from_millis(150)).await;
        host.answered();
        // The limiter alone would admit the next start in 50 ms; the answer moves it.
        let retry = host.try_start().expect_err("an interval from the answer");
        assert!(retry >= tokio::time::Instant::now() + Duration::from_millis(150));
        assert!(matches!(host.ready_at(), Readiness::Wait(at) if at == retry));
    }

    #[tokio::test]
    async fn a_pause_is_reported_as_paused() {
        let host = Host::new("h", None, 1, Instant::now());
        let until = tokio::time::Instant::now() + Duration::from_secs(5);
        host.pause_until(until);
        assert_eq!(host.ready_at(), Readiness::Paused(until));
        assert_eq!(host.try_start(), Err(until));
    }

    #[tokio::test]
    async fn crawl_delay_moves_the_next_start() {
        let host = Host::new("h", Some(Duration::from_millis(10)), 1, Instant::now());
        host.slow_to(Duration::from_secs(3));
        let Readiness::Wait(next) = host.ready_at() else {
            panic!("slow_to spends the first cell");
        };
        assert!(next > tokio::time::Instant::now() + Duration::from_millis(2900));
    }
}
