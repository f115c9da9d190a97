//! Per-host politeness: one GCRA rate limiter (burst 1) shared by every request to the
//! host, a concurrency cap, a host-wide pause after `Retry-After`, and counters.

use super::stats::HostStats;
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
            }),
            not_before: Mutex::new(None),
            stats: HostStats::new(epoch),
        }
    }

    fn pace(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.limiter.lock().unwrap_or_else(|p| p.into_inner())
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

    /// Wait until a request may start: after any host-wide pause, then for the rate
    /// limiter. Call while holding the host and global slots, right before sending.
    pub async fn ready(&self) {
        let until = *self.not_before.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
        let limiter = self.pace().limiter.clone();
        if let Some(l) = limiter {
            l.until_ready().await;
        }
    }
}
