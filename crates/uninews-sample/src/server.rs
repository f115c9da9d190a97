//! The loopback server: serves a [`SampleSite`] on 127.0.0.1 (or another loopback
//! address, [`ServerConfig::ip`], so that many servers look like many hosts) with axum,
//! in-process (tests, `uninews demo`) or for `uninews serve-sample`. Logs every request; the site and the
//! faults can be changed while it runs.

use super::conn::{ConnHandle, KillableListener};
use super::faults::{FaultRule, Faults};
use super::handler::{self, Shared, lock, read, write};
use super::log::{RequestLog, RequestRecord};
use super::{SampleError, SampleSite, SiteConfig};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;
use uninews::record::Record;
use uninews::server_task::ServerTask;
use url::Url;

/// `n` distinct loopback addresses for `n` servers that look like `n` hosts: 127.0.0.2,
/// 127.0.0.3, ... on through 127.0.1.x and beyond, skipping addresses that end in .0 or
/// .255. (Linux routes all of 127.0.0.0/8 to the loopback interface.)
pub fn loopback_ips(n: usize) -> Vec<Ipv4Addr> {
    let first = u32::from(Ipv4Addr::new(127, 0, 0, 2));
    (first..u32::from(Ipv4Addr::new(127, 255, 255, 254)))
        .map(Ipv4Addr::from)
        .filter(|ip| !matches!(ip.octets()[3], 0 | 255))
        .take(n)
        .collect()
}

/// How to start a [`SampleServer`].
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The address to bind (127.0.0.1 by default; any of 127.0.0.0/8 is loopback).
    pub ip: Ipv4Addr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// The site.
    pub site: SiteConfig,
    /// Faults active from the start.
    pub faults: Faults,
    /// How many recent requests [`SampleServer::requests`] keeps (per-path counts are
    /// always complete).
    pub log_limit: usize,
    /// Send `ETag`/`Last-Modified` and answer conditional requests with `304` (the
    /// default). `false` acts like the many servers that do neither: every re-fetch is a
    /// full `200`.
    pub validators: bool,
}

impl Default for ServerConfig {
    /// Any free port, the default site, no faults, the last 100,000 requests logged.
    fn default() -> Self {
        ServerConfig::new(SiteConfig::default())
    }
}

impl ServerConfig {
    /// Serve `site` on any free port, without faults.
    pub fn new(site: SiteConfig) -> Self {
        ServerConfig {
            ip: Ipv4Addr::LOCALHOST,
            port: 0,
            site,
            faults: Faults::none(),
            log_limit: 100_000,
            validators: true,
        }
    }

    /// What `uninews demo` serves: [`SiteConfig::demo`] with [`Faults::demo`] (a few
    /// recoverable faults: 500s, a 429, a delay, a slow body, a mid-body reset).
    pub fn demo() -> Self {
        let site = SiteConfig::demo();
        let faults =
            SampleSite::new(site.clone()).map_or_else(|_| Faults::none(), |s| Faults::demo(&s));
        ServerConfig::new(site).faults(faults)
    }

    /// Bind this address instead of 127.0.0.1 (e.g. 127.0.0.2, 127.0.0.3, ... for one
    /// host each).
    pub fn ip(mut self, ip: Ipv4Addr) -> Self {
        self.ip = ip;
        self
    }

    /// Use this port (0 = any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Send validators and answer conditional requests (`true`, the default) or not.
    pub fn validators(mut self, on: bool) -> Self {
        self.validators = on;
        self
    }

    /// Start with these faults.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }
}

/// A running sample server. Dropping it stops it (abruptly); [`SampleServer::shutdown`]
/// stops it gracefully.
#[derive(Debug)]
pub struct SampleServer {
    shared: Arc<Shared>,
    addr: SocketAddr,
    task: ServerTask,
}

impl SampleServer {
    /// Bind `config.ip`:`config.port` (127.0.0.1 unless set) and serve the site (call from a tokio runtime).
    pub async fn start(config: ServerConfig) -> Result<SampleServer, SampleError> {
        let site = SampleSite::new(config.site)?;
        let bind = |source| SampleError::Bind {
            port: config.port,
            source,
        };
        let listener = tokio::net::TcpListener::bind((config.ip, config.port))
            .await
            .map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let shared = Arc::new(Shared {
            site: RwLock::new(site),
            faults: Mutex::new(config.faults),
            log: Mutex::new(RequestLog::new(config.log_limit)),
            started: Instant::now(),
            port: addr.port(),
            validators: config.validators,
        });
        let app = axum::Router::new()
            .fallback(handler::handle)
            .with_state(shared.clone())
            .into_make_service_with_connect_info::<ConnHandle>();
        let task = ServerTask::spawn("sample server", |stopped| {
            axum::serve(KillableListener(listener), app)
                .with_graceful_shutdown(stopped.wait())
                .into_future()
        });
        tracing::debug!("sample server listening on {addr}");
        Ok(SampleServer { shared, addr, task })
    }

    /// The socket address (ip:port).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://IP:PORT/`.
    pub fn base_url(&self) -> Url {
        Url::parse(&format!("http://{}/", self.addr)).expect("http://IP:PORT/ is a valid URL")
    }

    /// The absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> Url {
        self.base_url()
            .join(path)
            .unwrap_or_else(|_| self.base_url())
    }

    /// The requests so far (the most recent [`ServerConfig::log_limit`]), in arrival order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.log).records()
    }

    /// How many requests asked for `path` (compared with path and query when `path` has a
    /// `?`, else with the path alone). Complete even past the log limit.
    pub fn count(&self, path: &str) -> usize {
        lock(&self.shared.log).count(path)
    }

    /// Forget the request log and the counts.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// When the server started: [`RequestRecord::at`] is measured from here.
    pub fn started_at(&self) -> Instant {
        self.shared.started
    }

    /// A snapshot of the site as it is now (ground truth: articles, list pages, records).
    pub fn site(&self) -> SampleSite {
        read(&self.shared.site).clone()
    }

    /// The record a correct extractor produces for the article at `path`, with absolute
    /// URLs on this server.
    pub fn expected_record(&self, path: &str) -> Option<Record> {
        read(&self.shared.site).expected_record(&self.base_url(), path)
    }

    /// See [`SampleSite::add_articles`].
    pub fn add_articles(&self, section: &str, n: u64) -> Result<Vec<String>, SampleError> {
        write(&self.shared.site).add_articles(section, n)
    }

    /// See [`SampleSite::edit_article`].
    pub fn edit_article(&self, path: &str) -> Result<(), SampleError> {
        write(&self.shared.site).edit_article(path)
    }

    /// See [`SampleSite::set_template_variant`].
    pub fn set_template_variant(&self, section: &str, variant: u32) -> Result<(), SampleError> {
        write(&self.shared.site).set_template_variant(section, variant)
    }

    /// Replace all faults (their request counts start again from zero).
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }

    /// Add one fault rule.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.shared.faults).push(rule);
    }

    /// Remove all faults.
    pub fn clear_faults(&self) {
        self.set_faults(Faults::none());
    }

    /// Stop accepting, let in-flight responses finish (at most 2 s), then stop.
    pub async fn shutdown(self) {
        self.task.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::loopback_ips;
    use std::net::Ipv4Addr;

    #[test]
    fn loopback_ips_are_distinct_and_skip_network_and_broadcast_octets() {
        let ips = loopback_ips(600);
        assert_eq!(ips.len(), 600);
        assert_eq!(ips[0], Ipv4Addr::new(127, 0, 0, 2));
        assert_eq!(ips[253], Ipv4Addr::new(127, 0, 1, 1));
        assert!(
            ips.iter()
                .all(|ip| ip.is_loopback() && !matches!(ip.octets()[3], 0 | 255))
        );
        let unique: std::collections::HashSet<_> = ips.iter().collect();
        assert_eq!(unique.len(), 600);
    }
}
