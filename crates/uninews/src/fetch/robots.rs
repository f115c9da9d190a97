//! robots.txt: fetched once per origin (scheme, host, port) and cached for the crawl.
//!
//! Policy, following RFC 9309 (the convention Google documents):
//! - **2xx**: parsed; the group for our agent token (`uninews`, from the User-Agent) or
//!   else `*` applies; `Allow` overrides `Disallow` by the longest match.
//!   `Crawl-delay` slows the host (the slower of it and the configured rate wins), capped
//!   at `max_crawl_delay` with a warning.
//! - **4xx** (404, 403, 410, ...): no usable robots.txt, every path allowed.
//! - **More than 5 redirects, a redirect loop or an unusable redirect**: like 4xx, no
//!   usable robots.txt, every path allowed (RFC 9309, 2.3.1.2).
//! - **5xx, or unreachable** (after the normal retries): the whole host is treated as
//!   disallowed — its URLs fail with [`FetchError::RobotsUnavailable`] without a request
//!   — for `robots_retry_after` (default 10 minutes); then robots.txt is fetched again.
//!   We pick "pause and retry" over "allow": a server in trouble is the last one to crawl.
//!   After `robots_max_tries` such fetches (default 3) the host is given up: its URLs fail
//!   for good with `robots-unavailable`, so a crawl always ends.
//! - **Larger than 500 KiB**: the first 500 KiB are parsed, the rest is not read.
//!
//! The robots.txt request goes through the host's rate limiter like any other request,
//! follows up to 5 redirects, and reads at most [`ROBOTS_MAX_BYTES`](super::config::ROBOTS_MAX_BYTES).

use super::FetchError;
use std::sync::Arc;
use std::time::Duration;
use texting_robots::Robot;
use url::Url;

/// The parsed rules of one origin.
#[derive(Debug)]
pub(crate) enum Rules {
    /// No robots.txt (4xx) or robots switched off: everything allowed.
    AllowAll,
    /// Parsed rules.
    Parsed(Box<Robot>),
}

impl Rules {
    pub fn allowed(&self, url: &Url) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::Parsed(r) => r.allowed(url.as_str()),
        }
    }
}

/// What is known about one origin's robots.txt.
#[derive(Debug, Default)]
pub(crate) enum Slot {
    /// Not fetched yet.
    #[default]
    Unknown,
    /// Fetched and in force until `expires` (RFC 9309 caps caching at 24 hours).
    Ready {
        rules: Arc<Rules>,
        expires: tokio::time::Instant,
    },
    /// 5xx or unreachable: everything disallowed until `until`, after `failures` fetches.
    Unavailable {
        until: tokio::time::Instant,
        cause: String,
        failures: u32,
    },
    /// Unavailable `robots_max_tries` times: the host is given up.
    GaveUp { cause: String },
}

/// How long fetched rules stay in force before robots.txt is fetched again.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(24 * 3600);

/// At most this many origins' rules are cached; past it the least recently used ones
/// that no request is using are dropped (and fetched again if their origin comes back).
pub(crate) const CACHE_LIMIT: usize = 4096;

/// One origin's cache entry; the async lock makes concurrent first requests wait for
/// the single robots.txt fetch.
#[derive(Debug, Default)]
pub(crate) struct Entry {
    pub slot: tokio::sync::Mutex<Slot>,
    /// When the entry was last asked for, in milliseconds since the fetcher started.
    pub used: std::sync::atomic::AtomicU64,
}

impl Slot {
    /// Is robots.txt to be fetched (again) before the next request?
    pub fn due(&self, now: tokio::time::Instant) -> bool {
        match self {
            Slot::Unknown => true,
            Slot::Ready { expires, .. } => now >= *expires,
            Slot::Unavailable { until, .. } => now >= *until,
            Slot::GaveUp { .. } => false,
        }
    }
}

/// Drop the least recently used entries nobody holds until `cache` has room for one more
/// under `limit`; at least a tenth of the limit goes at once, so eviction is rare.
pub(crate) fn evict(cache: &mut std::collections::HashMap<String, Arc<Entry>>, limit: usize) {
    if cache.len() < limit {
        return;
    }
    let mut idle: Vec<(u64, String)> = cache
        .iter()
        .filter(|(_, e)| Arc::strong_count(e) == 1)
        .map(|(k, e)| (e.used.load(std::sync::atomic::Ordering::Relaxed), k.clone()))
        .collect();
    idle.sort_unstable();
    let excess = cache.len() + 1 - limit;
    for (_, key) in idle.into_iter().take(excess.max(limit / 10)) {
        cache.remove(&key);
    }
}

/// The verdict for one URL.
#[derive(Debug)]
pub(crate) enum Verdict {
    Allowed,
    Disallowed,
    Unavailable(FetchError),
}

/// The robots.txt URL of `url`'s origin.
pub(crate) fn robots_url(url: &Url) -> Option<Url> {
    let mut u = url.clone();
    u.set_username("").ok()?;
    u.set_password(None).ok()?;
    u.set_query(None);
    u.set_fragment(None);
    u.set_path("/robots.txt");
    Some(u)
}

/// The origin key of `url`: `scheme://host:port`.
pub(crate) fn origin_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default().to_ascii_lowercase(),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// Parse a fetched robots.txt for `agent`; returns the rules and the crawl delay.
pub(crate) fn parse(agent: &str, body: &[u8], url: &Url) -> (Rules, Option<Duration>) {
    match Robot::new(agent, body) {
        Ok(robot) => {
            let delay = robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_millis((f64::from(d) * 1000.0).round() as u64));
            (Rules::Parsed(Box::new(robot)), delay)
        }
        Err(e) => {
            tracing::warn!(%url, error = %e, "robots.txt does not parse; treating every path as allowed");
            (Rules::AllowAll, None)
        }
    }
}

/// Cap a `Crawl-delay` at `max`, with a warning when it is larger.
pub(crate) fn capped_delay(delay: Duration, max: Duration, host: &str) -> Duration {
    if delay > max {
        tracing::warn!(
            host,
            crawl_delay = ?delay,
            cap = ?max,
            "robots.txt Crawl-delay is very large; using the cap"
        );
        max
    } else {
        delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eviction_keeps_the_recent_and_the_busy() {
        let mut cache = std::collections::HashMap::new();
        for i in 0..10u64 {
            let e = Arc::new(Entry::default());
            e.used.store(i, std::sync::atomic::Ordering::Relaxed);
            cache.insert(format!("o{i}"), e);
        }
        let busy = cache["o0"].clone(); // held by a request: never dropped
        evict(&mut cache, 10);
        assert_eq!(cache.len(), 9);
        assert!(cache.contains_key("o0"), "an entry in use stays");
        assert!(
            !cache.contains_key("o1"),
            "the least recently used idle entry goes"
        );
        drop(busy);
        evict(&mut cache, 100);
        assert_eq!(cache.len(), 9, "under the limit nothing goes");
    }

    #[test]
    fn rules_are_due_again_after_they_expire() {
        let now = tokio::time::Instant::now();
        let ready = |expires| Slot::Ready {
            rules: Arc::new(Rules::AllowAll),
            expires,
        };
        assert!(Slot::Unknown.due(now));
        assert!(!ready(now + MAX_AGE).due(now));
        assert!(ready(now).due(now));
        assert!(
            !Slot::GaveUp {
                cause: String::new()
            }
            .due(now)
        );
    }

    #[test]
    fn robots_url_and_origin() {
        let u = Url::parse("https://user:pw@News.Example.edu:8443/a/b.htm?x=1#f").expect("url");
        assert_eq!(
            robots_url(&u).map(String::from).as_deref(),
            Some("https://news.example.edu:8443/robots.txt")
        );
        assert_eq!(origin_key(&u), "https://news.example.edu:8443");
        let u = Url::parse("http://a.edu/x").expect("url");
        assert_eq!(origin_key(&u), "http://a.edu:80");
    }

    #[test]
    fn our_group_allow_overrides_and_delay() {
        let txt = b"User-agent: *\nDisallow: /\n\nUser-agent: uninews\nDisallow: /private/\nAllow: /private/open/\nCrawl-delay: 2.5\n";
        let u = Url::parse("http://a.edu/robots.txt").expect("url");
        let (rules, delay) = parse("uninews", txt, &u);
        let at = |p: &str| rules.allowed(&u.join(p).expect("join"));
        assert!(at("/news/1.htm"));
        assert!(!at("/private/x.htm"));
        assert!(at("/private/open/x.htm"));
        assert_eq!(delay, Some(Duration::from_millis(2500)));
        let (other, _) = parse("otherbot", txt, &u);
        assert!(!other.allowed(&u.join("/news/1.htm").expect("join")));
        assert_eq!(
            capped_delay(Duration::from_secs(99), Duration::from_secs(30), "a.edu"),
            Duration::from_secs(30)
        );
    }
}
