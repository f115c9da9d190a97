//! Fetching: the HTTP client, per-host rate limits, robots.txt, retries and redirects.
//!
//! ```no_run
//! # async fn demo() -> Result<(), uninews::fetch::BuildError> {
//! use uninews::fetch::{FetchConfig, Fetcher, Outcome, Request};
//! let fetcher = Fetcher::new(FetchConfig::default())?;
//! let url = url::Url::parse("https://news.example.edu.cn/xwzx.htm").expect("url");
//! match fetcher.fetch(&Request::new(url).html_only()).await {
//!     Outcome::Page(page) => { /* page.body, page.response.final_url, ... */ }
//!     Outcome::NotModified(_) | Outcome::Skipped(_) => {}
//!     Outcome::Failed(f) => tracing::warn!(error = %f.error, "gave up"),
//! }
//! # Ok(()) }
//! ```
//!
//! Politeness, per host (host name, any port or scheme):
//! - one `governor` GCRA limiter with burst 1: two request starts are never closer than
//!   `1/rate` (default 1 request/s). Every HTTP request counts: retries, redirect hops
//!   and the robots.txt fetch. `rate: None` switches the limiter off (benchmarks);
//! - robots.txt `Crawl-delay` slows the host when slower than the rate (capped at
//!   `max_crawl_delay`, default 30 s, with a warning);
//! - at most `per_host_concurrency` (default 1) requests in flight per host, and
//!   `global_concurrency` (default 16) overall;
//! - `Retry-After` on a 429/5xx pauses the whole host.
//!
//! Robustness: connect/read/total timeouts; up to `max_attempts` (default 4) attempts
//! per hop on connect errors, timeouts, broken bodies, 429 and 5xx, with exponential
//! backoff (2 s, 4 s, 8 s, ... up to 60 s, each jittered to 50-100 %) or the server's
//! `Retry-After` if longer (capped at 5 min); redirects followed hop by hop (up to 10),
//! each through the rate limiter and robots.txt, within the request's scope; bodies
//! capped at 10 MiB after decompression (or per request: [`Request::max_body`]). See
//! [`robots`] for the robots.txt policy.
//!
//! Archiving: [`Fetcher::with_recorder`] hands every exchange (request and response as
//! sent and received) to an [`ExchangeRecorder`]; see [`recorder`].

mod client;
pub mod config;
mod content;
mod exchange;
mod host;
pub mod outcome;
pub mod recorder;
pub mod retry;
pub mod robots;
pub mod stats;

pub use client::Fetcher;
pub use config::{BuildError, DEFAULT_GLOBAL_CONCURRENCY, DEFAULT_USER_AGENT, FetchConfig};
pub use host::Readiness;
pub use outcome::{
    Accept, Cause, Failure, FetchError, Outcome, Page, Request, Response, SkipReason, Skipped,
};
pub use recorder::{BodyEnd, Exchange, ExchangeRecorder, RecordError};
pub use stats::HostSnapshot;
