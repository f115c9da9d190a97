//! `--images`: the per-host rate holds for image requests too, measured at the server.
//! In a test binary of its own, so no other crawl in the process competes with the
//! server for the CPU while it stamps arrivals.

use crate::support;

use std::time::Duration;
use support::*;
use uninews_sample::{SampleServer, ServerConfig, SiteConfig};

/// How much earlier than the limiter's spacing a request may seem to arrive at the
/// server: the server stamps arrival after accept and parse, and the client sends after
/// the limiter admits it, each a scheduling hop that a loaded 2-core machine can delay by
/// tens of milliseconds (40 ms was seen at load 9). Used with a 100 ms interval, so a
/// burst (two requests admitted together) still fails the gap check, and a limiter
/// running too fast fails the window check.
const GAP_TOLERANCE: Duration = Duration::from_millis(50);

/// A sample server on a runtime (and OS thread) of its own, so that the crawl's work on
/// the test's runtime does not delay the server's arrival stamps.
struct OwnServer {
    server: Option<SampleServer>,
    rt: Option<tokio::runtime::Runtime>,
}

impl OwnServer {
    fn start(config: ServerConfig) -> OwnServer {
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("runtime");
            let server = rt.block_on(SampleServer::start(config)).expect("server");
            OwnServer {
                server: Some(server),
                rt: Some(rt),
            }
        })
        .join()
        .expect("server thread")
    }
}

impl std::ops::Deref for OwnServer {
    type Target = SampleServer;
    fn deref(&self) -> &SampleServer {
        self.server.as_ref().expect("running")
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        drop(self.server.take());
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn image_requests_keep_the_per_host_rate() {
    let server = OwnServer::start(ServerConfig::new(SiteConfig::default().with_articles(12)));
    let dir = tempfile::tempdir().unwrap();
    let rate = 10.0;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let mut cfg = config(&server, dir.path(), fast_fetch(Some(rate)));
    cfg.fetch.per_host_concurrency = 4;
    cfg.assets.images = true;
    let summary = crawl(cfg).await;
    assert!(summary.complete && summary.run.assets.downloaded > 0);
    // In arrival order (the log is written as responses finish).
    let mut requests = server.requests();
    requests.sort_by_key(|r| r.at);
    let images = requests
        .iter()
        .filter(|r| r.path.starts_with("/__local/") || r.path.starts_with("/_upload/article/"))
        .count();
    assert!(images >= 15, "only {images} image requests");
    // No two requests closer than the interval (minus the tolerance) ...
    let too_close: Vec<_> = (1..requests.len())
        .map(|i| {
            let gap = |j: usize| requests[j].at - requests[j - 1].at;
            (i, &requests[i].path, gap(i), (i > 1).then(|| gap(i - 1)))
        })
        .filter(|(_, _, gap, _)| *gap + GAP_TOLERANCE < interval)
        .collect();
    assert!(
        too_close.is_empty(),
        "gaps below {interval:?} - {GAP_TOLERANCE:?} among {} requests (index, path, gap, gap before): {too_close:?}",
        requests.len()
    );
    // ... and no run of k+1 requests within less than k intervals (minus the tolerance).
    for i in 0..requests.len() {
        for j in i + 1..requests.len() {
            let span = requests[j].at - requests[i].at;
            let least = interval * (j - i) as u32;
            assert!(
                span + GAP_TOLERANCE >= least,
                "requests {i}..={j} within {span:?}, less than {least:?}"
            );
        }
    }
}
