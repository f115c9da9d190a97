//! Fetch settings and their defaults (the polite ones: one request per second per host,
//! one at a time, robots.txt obeyed).

use std::time::Duration;

/// The default User-Agent: names uninews, its version and where to learn about it.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "uninews/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/uninews/uninews)"
);
/// Default requests per second per host.
pub const DEFAULT_RATE: f64 = 1.0;
/// Default concurrent requests per host.
pub const DEFAULT_PER_HOST_CONCURRENCY: usize = 1;
/// Default requests on the wire over all hosts. Requests waiting for a host's rate limit
/// take no slot, so this bounds sockets and parse work, not politeness: 256 keeps a few
/// hundred hosts at 1 request per second busy (each answering in under 250 ms) within
/// the common limit of 1024 open files.
pub const DEFAULT_GLOBAL_CONCURRENCY: usize = 256;
/// A robots.txt `Crawl-delay` above this is capped (and a warning logged).
pub const DEFAULT_MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);
/// How long a host whose robots.txt answered 5xx (or not at all) stays blocked before
/// robots.txt is fetched again.
pub const DEFAULT_ROBOTS_RETRY_AFTER: Duration = Duration::from_secs(600);
/// Default TCP/TLS connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default timeout between two reads of a response.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Default timeout for one whole exchange (connect, headers and body).
pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(120);
/// Default attempts per request (first try included).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 4;
/// Default first retry delay; it doubles with each retry.
pub const DEFAULT_BACKOFF_BASE: Duration = Duration::from_secs(2);
/// Default ceiling of the retry delay.
pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(60);
/// A `Retry-After` longer than this is capped (and a warning logged).
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(300);
/// Default redirect hops followed per request.
pub const DEFAULT_MAX_REDIRECTS: u32 = 10;
/// Default cap on a decoded response body: 10 MiB.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 10 * 1024 * 1024;
/// robots.txt bodies are parsed up to this size (RFC 9309: at least 500 KiB); the rest of
/// a larger file is not read.
pub const ROBOTS_MAX_BYTES: u64 = 500 * 1024;
/// Default of [`FetchConfig::robots_max_tries`].
pub const DEFAULT_ROBOTS_MAX_TRIES: u32 = 3;

/// Why a [`Fetcher`](super::Fetcher) could not be built.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A setting is out of range.
    #[error("invalid fetch settings: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {message}")]
    Client {
        /// The client's message.
        message: String,
    },
}

/// How the fetcher behaves. [`FetchConfig::default`] is the polite configuration.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// The User-Agent header. Its product token (the text before the first `/`) is the
    /// agent name matched against robots.txt groups.
    pub user_agent: String,
    /// Requests per second per host; `None` switches rate limiting off (benchmarks).
    /// The gap between two request starts to one host is never below `1/rate`.
    pub rate: Option<f64>,
    /// Requests in flight per host.
    pub per_host_concurrency: usize,
    /// Requests in flight overall.
    pub global_concurrency: usize,
    /// Obey robots.txt (`Disallow`/`Allow`, `Crawl-delay`). `--no-robots` turns it off.
    pub obey_robots: bool,
    /// Cap on a robots.txt `Crawl-delay`.
    pub max_crawl_delay: Duration,
    /// How long a 5xx/unreachable robots.txt blocks its host before a re-fetch.
    pub robots_retry_after: Duration,
    /// Fetches of an unavailable robots.txt before the host is given up: its URLs then
    /// fail with `robots-unavailable` (so a host waits at most about
    /// `robots_max_tries × robots_retry_after`).
    pub robots_max_tries: u32,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Timeout between reads.
    pub read_timeout: Duration,
    /// Timeout of one whole exchange.
    pub total_timeout: Duration,
    /// Attempts per request, first try included (at least 1).
    pub max_attempts: u32,
    /// First retry delay (doubled per retry, jittered to 50-100 %).
    pub backoff_base: Duration,
    /// Ceiling of the retry delay.
    pub backoff_max: Duration,
    /// Cap on a server's `Retry-After`.
    pub max_retry_after: Duration,
    /// Redirect hops followed per request.
    pub max_redirects: u32,
    /// Cap on a decoded body, in bytes.
    pub max_body_bytes: u64,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            rate: Some(DEFAULT_RATE),
            per_host_concurrency: DEFAULT_PER_HOST_CONCURRENCY,
            global_concurrency: DEFAULT_GLOBAL_CONCURRENCY,
            obey_robots: true,
            max_crawl_delay: DEFAULT_MAX_CRAWL_DELAY,
            robots_retry_after: DEFAULT_ROBOTS_RETRY_AFTER,
            robots_max_tries: DEFAULT_ROBOTS_MAX_TRIES,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            total_timeout: DEFAULT_TOTAL_TIMEOUT,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            backoff_base: DEFAULT_BACKOFF_BASE,
            backoff_max: DEFAULT_BACKOFF_MAX,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl FetchConfig {
    /// Check the values; `rate = Some(inf)` is normalised to `None`.
    pub fn validated(mut self) -> Result<FetchConfig, BuildError> {
        let bad = |message: String| Err(BuildError::Config { message });
        match self.rate {
            Some(r) if r.is_infinite() && r > 0.0 => self.rate = None,
            Some(r) if r.is_nan() || r <= 0.0 => {
                return bad(format!("rate must be above 0 requests/s, got {r}"));
            }
            _ => {}
        }
        if self.per_host_concurrency == 0 || self.global_concurrency == 0 {
            return bad("concurrency caps must be at least 1".into());
        }
        if self.max_attempts == 0 {
            return bad("max_attempts must be at least 1".into());
        }
        if self.user_agent.trim().is_empty() {
            return bad("the user agent must not be empty".into());
        }
        Ok(self)
    }

    /// The configured minimum gap between request starts to one host (`1/rate`).
    pub fn interval(&self) -> Option<Duration> {
        self.rate.map(|r| Duration::from_secs_f64(1.0 / r))
    }

    /// The product token robots.txt groups are matched against (`uninews`).
    pub fn robots_agent(&self) -> &str {
        self.user_agent
            .split(|c: char| c == '/' || c.is_whitespace())
            .next()
            .filter(|t| !t.is_empty())
            .unwrap_or("uninews")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_polite_and_valid() {
        let c = FetchConfig::default().validated().expect("valid");
        assert_eq!(c.interval(), Some(Duration::from_secs(1)));
        assert!(c.user_agent.starts_with("uninews/0."));
        assert!(c.user_agent.contains("(+https://"));
        assert_eq!(c.robots_agent(), "uninews");
        assert!(c.obey_robots);
        assert_eq!(c.per_host_concurrency, 1);
    }

    #[test]
    fn rates_are_checked() {
        let with = |rate| {
            FetchConfig {
                rate,
                ..FetchConfig::default()
            }
            .validated()
        };
        assert_eq!(with(Some(f64::INFINITY)).expect("inf").rate, None);
        assert!(with(Some(0.0)).is_err());
        assert!(with(Some(-1.0)).is_err());
        assert!(with(Some(f64::NAN)).is_err());
        assert_eq!(
            with(Some(4.0)).expect("4").interval(),
            Some(Duration::from_millis(250))
        );
    }
}
