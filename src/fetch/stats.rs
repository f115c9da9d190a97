//! Per-host counters for the progress display: plain atomics, so reading them never
//! blocks a fetch.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The current rate is averaged over this many whole seconds before the current one.
pub const RATE_WINDOW_SECS: u64 = 5;
const BUCKETS: usize = 8;

/// Counters of one host.
#[derive(Debug)]
pub(crate) struct HostStats {
    epoch: Instant,
    requests: AtomicU64,
    retries: AtomicU64,
    failures: AtomicU64,
    bytes: AtomicU64,
    /// Requests started per second: `(second << 32) | count` per ring slot.
    ring: [AtomicU64; BUCKETS],
}

impl HostStats {
    pub fn new(epoch: Instant) -> HostStats {
        HostStats {
            epoch,
            requests: AtomicU64::new(0),
            retries: AtomicU64::new(0),
            failures: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            ring: Default::default(),
        }
    }

    fn second(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.epoch).as_secs()
    }

    /// An HTTP request was sent (`retry`: it repeats an earlier attempt).
    pub fn request(&self, retry: bool) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        if retry {
            self.retries.fetch_add(1, Ordering::Relaxed);
        }
        let sec = self.second(Instant::now()) & 0xFFFF_FFFF;
        let slot = &self.ring[(sec as usize) % BUCKETS];
        let mut cur = slot.load(Ordering::Relaxed);
        loop {
            let next = if cur >> 32 == sec {
                cur + 1
            } else {
                (sec << 32) | 1
            };
            match slot.compare_exchange_weak(cur, next, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => break,
                Err(actual) => cur = actual,
            }
        }
    }

    /// A fetch ended in failure.
    pub fn failure(&self) {
        self.failures.fetch_add(1, Ordering::Relaxed);
    }

    /// Body bytes received.
    pub fn bytes(&self, n: u64) {
        self.bytes.fetch_add(n, Ordering::Relaxed);
    }

    /// Requests per second over the last [`RATE_WINDOW_SECS`] whole seconds.
    pub fn current_rate(&self) -> f64 {
        let now = self.second(Instant::now()) & 0xFFFF_FFFF;
        let mut total = 0;
        for back in 1..=RATE_WINDOW_SECS {
            let Some(sec) = now.checked_sub(back) else {
                break;
            };
            let v = self.ring[(sec as usize) % BUCKETS].load(Ordering::Relaxed);
            if v >> 32 == sec {
                total += v & 0xFFFF_FFFF;
            }
        }
        total as f64 / RATE_WINDOW_SECS as f64
    }

    pub fn snapshot(&self, host: &str, interval: Option<Duration>) -> HostSnapshot {
        HostSnapshot {
            host: host.to_string(),
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            failures: self.failures.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            rate: self.current_rate(),
            interval,
        }
    }
}

/// A host's counters at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct HostSnapshot {
    /// The host.
    pub host: String,
    /// HTTP requests sent (retries, redirect hops and robots.txt included).
    pub requests: u64,
    /// Of those, retries.
    pub retries: u64,
    /// Fetches that ended in failure.
    pub failures: u64,
    /// Body bytes received.
    pub bytes: u64,
    /// Requests per second over the last few seconds.
    pub rate: f64,
    /// The minimum gap between request starts now in force (`None`: unlimited).
    pub interval: Option<Duration>,
}
