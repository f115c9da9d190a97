//! The [`Fetcher`]: one HTTP client, per-host politeness, robots.txt, retries and
//! hop-by-hop redirects.

use super::config::{BuildError, ROBOTS_MAX_BYTES};
use super::exchange::{Hop, HopError};
use super::host::{Host, Readiness};
use super::outcome::{Failure, Outcome, Page, Request, Response, SkipReason, Skipped};
use super::recorder::ExchangeRecorder;
use super::robots::{self, Rules, Slot, Verdict};
use super::stats::HostSnapshot;
use super::{FetchConfig, FetchError};
use reqwest::header::{CONTENT_TYPE, ETAG, HeaderMap, LAST_MODIFIED, LOCATION};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;
use tokio::sync::Semaphore;
use url::Url;

/// How long an idle connection to a host is kept for the next request.
const POOL_IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// robots.txt redirects followed (RFC 9309 asks for at least five).
const ROBOTS_MAX_REDIRECTS: u32 = 5;

/// The polite HTTP fetcher. Clone it freely: clones share the client, the per-host
/// limiters, the robots.txt cache and the counters.
#[derive(Debug, Clone)]
pub struct Fetcher {
    pub(super) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(super) struct Inner {
    pub client: reqwest::Client,
    pub config: FetchConfig,
    pub global: Semaphore,
    hosts: RwLock<HashMap<String, Arc<Host>>>,
    robots: Mutex<HashMap<String, Arc<robots::Entry>>>,
    epoch: Instant,
    pub recorder: Option<Arc<dyn ExchangeRecorder>>,
}

impl Fetcher {
    /// A fetcher with `config` (checked with [`FetchConfig::validated`]).
    pub fn new(config: FetchConfig) -> Result<Fetcher, BuildError> {
        Fetcher::build(config, None)
    }

    /// A fetcher that hands every HTTP exchange it makes (each attempt that got a
    /// response, each redirect hop, robots.txt) to `recorder`, e.g. a WARC writer.
    pub fn with_recorder(
        config: FetchConfig,
        recorder: Arc<dyn ExchangeRecorder>,
    ) -> Result<Fetcher, BuildError> {
        Fetcher::build(config, Some(recorder))
    }

    fn build(
        config: FetchConfig,
        recorder: Option<Arc<dyn ExchangeRecorder>>,
    ) -> Result<Fetcher, BuildError> {
        let config = config.validated()?;
        // reqwest with `rustls-no-provider` panics without a process-wide provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .timeout(config.total_timeout)
            // Content decoding is ours (content.rs): the client's would strip
            // Content-Encoding/Content-Length before the recorder sees them.
            .gzip(false)
            .brotli(false)
            .deflate(false)
            // A header line with bytes a header may not hold (0x7F, control bytes) is
            // dropped, as browsers do, instead of failing the whole response.
            .http1_ignore_invalid_headers_in_responses(true)
            // One pool per host, kept small: with thousands of hosts, idle connections
            // are file descriptors. A host asked once a second reuses its connection.
            .pool_max_idle_per_host(config.per_host_concurrency)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build()
            .map_err(|e| BuildError::Client {
                message: super::exchange::chain(&e),
            })?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                global: Semaphore::new(config.global_concurrency),
                config,
                hosts: RwLock::new(HashMap::new()),
                robots: Mutex::new(HashMap::new()),
                epoch: Instant::now(),
                recorder,
            }),
        })
    }

    /// The settings in force.
    pub fn config(&self) -> &FetchConfig {
        &self.inner.config
    }

    pub(super) fn host(&self, url: &Url) -> Arc<Host> {
        let name = url.host_str().unwrap_or_default().to_ascii_lowercase();
        if let Some(h) = self
            .inner
            .hosts
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&name)
        {
            return h.clone();
        }
        let mut hosts = self.inner.hosts.write().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(name.clone())
            .or_insert_with(|| {
                Arc::new(Host::new(
                    &name,
                    self.inner.config.interval(),
                    self.inner.config.per_host_concurrency,
                    self.inner.epoch,
                ))
            })
            .clone()
    }

    /// Counters of every host contacted so far, sorted by host. Never waits for fetches.
    pub fn host_stats(&self) -> Vec<HostSnapshot> {
        let hosts: Vec<Arc<Host>> = self
            .inner
            .hosts
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect();
        let mut out: Vec<HostSnapshot> = hosts
            .iter()
            .map(|h| h.stats.snapshot(&h.name, h.interval()))
            .collect();
        out.sort_by(|a, b| a.host.cmp(&b.host));
        out
    }

    /// Fetch `req`: robots.txt checked (unless off), rate-limited per host, retried on
    /// transient errors, redirects followed hop by hop within the request's scope.
    pub async fn fetch(&self, req: &Request) -> Outcome {
        let c = &self.inner.config;
        let cap = req.max_body_bytes.unwrap_or(c.max_body_bytes);
        let outcome = self.run(req, c.obey_robots, c.max_redirects, cap).await;
        if let Outcome::Failed(f) = &outcome {
            self.host(&f.last_url).stats.failure();
        }
        outcome
    }

    async fn run(
        &self,
        req: &Request,
        check_robots: bool,
        max_redirects: u32,
        cap: u64,
    ) -> Outcome {
        let started = Instant::now();
        let mut url = req.url.clone();
        url.set_fragment(None);
        let mut redirects: Vec<Url> = Vec::new();
        let mut attempts = 0u32;
        let skipped = |reason, redirects: Vec<Url>, response| {
            Outcome::Skipped(Skipped {
                url: req.url.clone(),
                redirects,
                reason,
                response,
            })
        };
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            let error = FetchError::Unsupported { url: url.clone() };
            return self.failed(req, url, attempts, None, error);
        }
        if req.scope.as_ref().is_some_and(|s| !s.contains(&url)) {
            return skipped(SkipReason::OffScope { url }, redirects, None);
        }
        loop {
            if check_robots {
                match self.robots_verdict(&url).await {
                    Verdict::Allowed => {}
                    Verdict::Disallowed => {
                        return skipped(SkipReason::Robots { url }, redirects, None);
                    }
                    Verdict::Unavailable(error) => {
                        return self.failed(req, url, attempts, None, error);
                    }
                }
            }
            let hop: Hop = match self.exchange(&url, req, cap, &mut attempts).await {
                Ok(h) => h,
                Err(HopError { error, status, .. }) => {
                    return self.failed(req, url, attempts, status, error);
                }
            };
            let status = hop.status.as_u16();
            if hop.status.is_redirection() && status != 304 {
                let location = hop
                    .headers
                    .get(LOCATION)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                let Some(location) = location else {
                    let error = FetchError::Status {
                        url: url.clone(),
                        status,
                    };
                    return self.failed(req, url, attempts, Some(status), error);
                };
                let target = url
                    .join(location.trim())
                    .ok()
                    .filter(|t| matches!(t.scheme(), "http" | "https"))
                    .map(|mut t| {
                        t.set_fragment(None);
                        t
                    });
                let Some(target) = target else {
                    let error = FetchError::BadRedirect {
                        url: url.clone(),
                        location,
                    };
                    return self.failed(req, url, attempts, Some(status), error);
                };
                if redirects.len() as u32 >= max_redirects {
                    let error = FetchError::TooManyRedirects {
                        url: req.url.clone(),
                        limit: max_redirects,
                    };
                    return self.failed(req, url, attempts, Some(status), error);
                }
                if target == url || redirects.contains(&target) {
                    let error = FetchError::RedirectLoop {
                        url: req.url.clone(),
                        target,
                    };
                    return self.failed(req, url, attempts, Some(status), error);
                }
                redirects.push(url);
                if req.scope.as_ref().is_some_and(|s| !s.contains(&target)) {
                    return skipped(SkipReason::OffScope { url: target }, redirects, None);
                }
                tracing::debug!(from = %redirects[redirects.len() - 1], to = %target, status, "redirect");
                url = target;
                continue;
            }
            let response = Response {
                url: req.url.clone(),
                final_url: url.clone(),
                redirects,
                status,
                etag: header(&hop.headers, ETAG),
                last_modified: header(&hop.headers, LAST_MODIFIED),
                content_type: header(&hop.headers, CONTENT_TYPE),
                headers: hop.headers,
                record_id: hop.record_id,
                attempts,
                elapsed: started.elapsed(),
            };
            if status == 304 {
                return Outcome::NotModified(response);
            }
            if !hop.status.is_success() {
                let error = FetchError::Status {
                    url: url.clone(),
                    status,
                };
                return self.failed(req, url, attempts, Some(status), error);
            }
            return match (hop.not_html, hop.body) {
                (Some(content_type), _) => {
                    let redirects = response.redirects.clone();
                    skipped(
                        SkipReason::NotHtml { content_type },
                        redirects,
                        Some(response),
                    )
                }
                (None, body) => Outcome::Page(Page {
                    response,
                    body: body.unwrap_or_default(),
                }),
            };
        }
    }

    fn failed(
        &self,
        req: &Request,
        last_url: Url,
        attempts: u32,
        status: Option<u16>,
        error: FetchError,
    ) -> Outcome {
        tracing::debug!(url = %req.url, %error, attempts, "fetch failed");
        Outcome::Failed(Failure {
            url: req.url.clone(),
            last_url,
            attempts,
            status,
            error,
        })
    }

    /// The cache entry of `url`'s origin (created empty), marked as used now.
    fn robots_entry(&self, url: &Url) -> Arc<robots::Entry> {
        let key = robots::origin_key(url);
        let mut map = self.inner.robots.lock().unwrap_or_else(|p| p.into_inner());
        if !map.contains_key(&key) {
            robots::evict(&mut map, robots::CACHE_LIMIT);
        }
        let entry = map.entry(key).or_default().clone();
        let used = self.inner.epoch.elapsed().as_millis() as u64;
        entry.used.store(used, std::sync::atomic::Ordering::Relaxed);
        entry
    }

    /// When a request to `url` could start, without waiting or spending anything: its
    /// origin's robots.txt first (if robots.txt is obeyed and not known), else its
    /// host's pause and rate. A scheduler serves hosts that are ready now and comes back
    /// to the others at the time given; [`fetch`](Self::fetch) keeps every rule anyway.
    pub fn readiness(&self, url: &Url) -> Readiness {
        if self.inner.config.obey_robots {
            let entry = self.robots_entry(url);
            // Locked: robots.txt is being fetched now; the request would wait for it.
            let Ok(slot) = entry.slot.try_lock() else {
                return Readiness::NeedsRobots;
            };
            let now = tokio::time::Instant::now();
            match &*slot {
                Slot::Unavailable { until, .. } if *until > now => {
                    return Readiness::Paused(*until);
                }
                s if s.due(now) => return Readiness::NeedsRobots,
                _ => {}
            }
        }
        self.host(url).ready_at()
    }

    /// Fetch `url`'s robots.txt now if it is due (through the host's rate limiter, like
    /// any request), so that the page requests after it find it known.
    pub async fn prepare(&self, url: &Url) {
        if self.inner.config.obey_robots {
            let _ = self.robots_verdict(url).await;
        }
    }

    async fn robots_verdict(&self, url: &Url) -> Verdict {
        let entry = self.robots_entry(url);
        let mut slot = entry.slot.lock().await;
        let failures = match &*slot {
            Slot::Unavailable { failures, .. } => *failures,
            _ => 0,
        };
        if slot.due(tokio::time::Instant::now()) {
            *slot = self.fetch_robots(url, failures).await;
        }
        match &*slot {
            Slot::Ready { rules, .. } if rules.allowed(url) => Verdict::Allowed,
            Slot::Ready { .. } => Verdict::Disallowed,
            Slot::Unavailable { cause, .. } => {
                Verdict::Unavailable(FetchError::RobotsUnavailable {
                    url: url.clone(),
                    cause: cause.clone(),
                    retry: true,
                })
            }
            Slot::GaveUp { cause } => Verdict::Unavailable(FetchError::RobotsUnavailable {
                url: url.clone(),
                cause: cause.clone(),
                retry: false,
            }),
            Slot::Unknown => Verdict::Allowed,
        }
    }

    /// Fetch and parse `url`'s robots.txt; `failures` earlier fetches were unavailable.
    async fn fetch_robots(&self, url: &Url, failures: u32) -> Slot {
        let Some(robots_url) = robots::robots_url(url) else {
            return ready(Rules::AllowAll);
        };
        let mut req = Request::new(robots_url.clone());
        req.truncate_body = true;
        let outcome = Box::pin(self.run(&req, false, ROBOTS_MAX_REDIRECTS, ROBOTS_MAX_BYTES)).await;
        let c = &self.inner.config;
        match outcome {
            Outcome::Page(page) => {
                let (rules, delay) = robots::parse(c.robots_agent(), &page.body, &robots_url);
                if let Some(delay) = delay {
                    let host = self.host(url);
                    host.slow_to(robots::capped_delay(delay, c.max_crawl_delay, &host.name));
                }
                tracing::debug!(%robots_url, "robots.txt in force");
                ready(rules)
            }
            Outcome::Failed(f)
                if f.status
                    .is_some_and(|s| (400..500).contains(&s) && s != 429) =>
            {
                tracing::debug!(%robots_url, status = f.status, "no robots.txt: everything allowed");
                ready(Rules::AllowAll)
            }
            Outcome::Failed(f)
                if matches!(
                    f.error,
                    FetchError::TooManyRedirects { .. }
                        | FetchError::RedirectLoop { .. }
                        | FetchError::BadRedirect { .. }
                ) =>
            {
                tracing::info!(%robots_url, error = %f.error, "robots.txt redirects nowhere usable: everything allowed");
                ready(Rules::AllowAll)
            }
            Outcome::Failed(f) if failures + 1 >= c.robots_max_tries => {
                tracing::warn!(
                    %robots_url,
                    error = %f.error,
                    tries = failures + 1,
                    "robots.txt still unavailable: giving the host up, its URLs fail"
                );
                Slot::GaveUp {
                    cause: f.error.to_string(),
                }
            }
            Outcome::Failed(f) => {
                tracing::warn!(
                    %robots_url,
                    error = %f.error,
                    pause = ?c.robots_retry_after,
                    "robots.txt unavailable: treating the host as disallowed for now"
                );
                Slot::Unavailable {
                    until: tokio::time::Instant::now() + c.robots_retry_after,
                    cause: f.error.to_string(),
                    failures: failures + 1,
                }
            }
            Outcome::NotModified(_) | Outcome::Skipped(_) => ready(Rules::AllowAll),
        }
    }
}

/// Rules in force from now for [`robots::MAX_AGE`].
fn ready(rules: Rules) -> Slot {
    Slot::Ready {
        rules: Arc::new(rules),
        expires: tokio::time::Instant::now() + robots::MAX_AGE,
    }
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
}
