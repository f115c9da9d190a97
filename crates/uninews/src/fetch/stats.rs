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
        self.request_at(retry, Instant::now());
    }

    fn request_at(&self, retry: bool, at: Instant) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        if retry {
            self.retries.fetch_add(1, Ordering::Relaxed);
        }
        let sec = self.second(at) & 0xFFFF_FFFF;
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
        self.rate_at(Instant::now())
    }

    fn rate_at(&self, at: Instant) -> f64 {
        let now = self.second(at) & 0xFFFF_FFFF;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_counts_the_last_whole_seconds() {
        let t0 = Instant::now();
        let s = HostStats::new(t0);
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        // 3 requests in second 0, 2 in second 1, 5 in second 9.
        for ms in [0, 300, 900, 1_100, 1_500] {
            s.request_at(false, at(ms));
        }
        assert_eq!(
            s.rate_at(at(1_999)),
            3.0 / RATE_WINDOW_SECS as f64,
            "second 1 still running"
        );
        assert_eq!(s.rate_at(at(2_000)), 5.0 / RATE_WINDOW_SECS as f64);
        assert_eq!(
            s.rate_at(at(6_500)),
            2.0 / RATE_WINDOW_SECS as f64,
            "second 0 left the window"
        );
        assert_eq!(s.rate_at(at(7_000)), 0.0);
        for ms in [9_000, 9_100, 9_200, 9_300, 9_400] {
            s.request_at(true, at(ms));
        }
        // Second 9 reuses second 1's ring slot: the old count must not leak in.
        assert_eq!(s.rate_at(at(10_000)), 5.0 / RATE_WINDOW_SECS as f64);
        let snap = s.snapshot("a.edu", None);
        assert_eq!((snap.requests, snap.retries), (10, 5));
    }
}
