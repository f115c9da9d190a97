//! Shared set-up for crawl tests: a sample server and a crawl of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uninews::crawl::{self, CrawlConfig, Quiet, Summary};
use uninews::extract::{Extractor, ProfileChoice};
use uninews::fetch::FetchConfig;
use uninews::record::Record;
use uninews::selectors::ProfileSet;
use uninews_sample::{SampleServer, ServerConfig, SiteConfig, loopback_ips};

/// Fetch settings for tests: fast retries, a generous but bounded rate.
pub fn fast_fetch(rate: Option<f64>) -> FetchConfig {
    FetchConfig {
        rate,
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        max_attempts: 4,
        ..FetchConfig::default()
    }
}

/// A crawl of the server's start pages into `out`.
pub fn config(server: &SampleServer, out: &Path, fetch: FetchConfig) -> CrawlConfig {
    let starts = server
        .site()
        .start_paths()
        .iter()
        .map(|p| server.url(p))
        .collect();
    let extractor = Extractor::new(
        ProfileSet::builtin().expect("built-in profiles"),
        ProfileChoice::ByHost,
    );
    let mut c = CrawlConfig::new(out, starts, extractor);
    c.fetch = fetch;
    c
}

/// Run a crawl to its end (no stop signal).
pub async fn crawl(config: CrawlConfig) -> Summary {
    let (_tx, rx) = tokio::sync::watch::channel(false);
    crawl::run(config, Arc::new(Quiet), rx)
        .await
        .expect("crawl runs")
}

/// Run a crawl that must end within `bound`.
pub async fn crawl_within(config: CrawlConfig, bound: Duration) -> Summary {
    let started = Instant::now();
    let summary = tokio::time::timeout(bound, crawl(config))
        .await
        .unwrap_or_else(|_| panic!("the crawl did not end within {bound:?}"));
    assert!(started.elapsed() <= bound);
    summary
}

/// The records in `out/articles.jsonl`.
pub fn records(out: &Path) -> Vec<Record> {
    uninews::store::read_records(&out.join(crawl::RECORDS_FILE))
        .expect("articles.jsonl")
        .map(|r| r.expect("record parses"))
        .collect()
}

/// How many times each URL path occurs among the records.
pub fn paths(records: &[Record]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in records {
        let path = url::Url::parse(&r.url)
            .expect("record URL")
            .path()
            .to_string();
        *m.entry(path).or_insert(0) += 1;
    }
    m
}

/// Start a sample server.
pub async fn server(config: ServerConfig) -> SampleServer {
    SampleServer::start(config)
        .await
        .expect("sample server starts")
}

/// Sample servers on loopback addresses (127.0.0.2, 127.0.0.3, ...), one per host, on a
/// runtime of their own, so that a crawl's work cannot hold up a server and skew the
/// request times it logs. Dropping it stops them.
pub struct LoopbackHosts {
    servers: Vec<SampleServer>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::ops::Deref for LoopbackHosts {
    type Target = [SampleServer];
    fn deref(&self) -> &[SampleServer] {
        &self.servers
    }
}

impl Drop for LoopbackHosts {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// `n` sample servers, the `i`-th serving `site(i)` (see [`LoopbackHosts`]). Callable from
/// a test's own runtime or from a plain test.
pub fn loopback_hosts(n: usize, site: impl Fn(usize) -> SiteConfig) -> LoopbackHosts {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("server runtime");
    let servers = loopback_ips(n)
        .into_iter()
        .enumerate()
        .map(|(i, ip)| {
            let (tx, rx) = std::sync::mpsc::channel();
            let config = ServerConfig::new(site(i)).ip(ip);
            runtime.spawn(async move {
                let _ = tx.send(server(config).await);
            });
            rx.recv().expect("sample server starts")
        })
        .collect();
    LoopbackHosts {
        servers,
        runtime: Some(runtime),
    }
}

/// The sample site's start pages, as absolute URLs.
pub fn start_urls(server: &SampleServer) -> Vec<String> {
    server
        .site()
        .start_paths()
        .iter()
        .map(|p| server.url(p).to_string())
        .collect()
}

/// A real `uninews crawl URLS --out OUT -q ARGS…` process (output discarded).
pub fn crawl_command(urls: &[String], out: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_uninews"));
    cmd.arg("crawl")
        .args(urls)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

/// Lines in a file (0 while it does not exist).
pub fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

/// Run `cmd` until `file` has at least `target` lines (or it exits, or 60 s pass), then
/// `kill -9` it and reap it.
pub async fn kill_at_lines(cmd: &mut std::process::Command, file: &Path, target: usize) {
    let mut child = cmd.spawn().expect("uninews runs");
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while lines(file) < target && std::time::Instant::now() < deadline {
        if child.try_wait().expect("child status").is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
}

/// Run a crawl in-process and stop it (as Ctrl-C does) once `articles.jsonl` has at
/// least `n` records (or after 10 s). Returns the stopped crawl's summary.
pub async fn crawl_stopped_after(config: CrawlConfig, n: usize) -> Summary {
    let jsonl = config.out.join("articles.jsonl");
    let (tx, rx) = tokio::sync::watch::channel(false);
    let run = tokio::spawn(crawl::run(config, Arc::new(Quiet), rx));
    for _ in 0..1000 {
        if lines(&jsonl) >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tx.send(true).expect("the crawl listens for stop");
    run.await.expect("crawl task").expect("crawl runs")
}
