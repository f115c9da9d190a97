//! Many hosts in one crawl: 50 sample sites of different sizes, each on its own loopback
//! address (127.0.0.2, 127.0.0.3, ...), crawled at once by the host-aware scheduler.
//!
//! Judged from each server's own request log: every article of every host is stored
//! exactly once, no host is asked twice within less than its interval (minus a clock
//! tolerance), the small hosts are done before the big ones (fairness: a big site does
//! not hold the slots), and `kill -9` twice in the middle then a resumed run loses and
//! duplicates nothing.

use crate::support;

use std::collections::BTreeMap;
use std::time::Duration;
use support::*;
use uninews::crawl::CrawlConfig;
use uninews::extract::{Extractor, ProfileChoice};
use uninews::selectors::ProfileSet;
use uninews_sample::{SampleServer, SiteConfig};

/// Hosts in the crawl.
const HOSTS: usize = 50;
/// Every BIG-th host is big (the rest are small).
const BIG: usize = 5;
/// Articles per section (two sections) on a small and on a big host.
const SMALL_ARTICLES: u64 = 4;
const BIG_ARTICLES: u64 = 15;
/// Requests per second per host.
const RATE: f64 = 5.0;
/// How much shorter than the interval a gap between two requests may look in the
/// servers' logs. The crawler spaces the starts of its requests; a server logs a request
/// when its handler runs, and 50 debug-built servers on 2 cores beside the crawl queue a
/// handler by up to about 60 ms (seen when all 50 robots.txt requests arrive at once).
/// `scripts/bench-hosts.sh` (release build, server in its own process) judges with 50 ms.
/// Runs of requests are judged too: k+1 requests span at least k intervals minus this.
const GAP_TOLERANCE: Duration = Duration::from_millis(100);

/// 50 sample servers, one per loopback address, every BIG-th one big.
fn servers() -> LoopbackHosts {
    loopback_hosts(HOSTS, |i| {
        let n = if is_big(i) {
            BIG_ARTICLES
        } else {
            SMALL_ARTICLES
        };
        SiteConfig::default().with_articles(n).with_per_page(5)
    })
}

fn is_big(i: usize) -> bool {
    i.is_multiple_of(BIG)
}

/// Every host's start pages.
fn all_starts(servers: &[SampleServer]) -> Vec<String> {
    servers.iter().flat_map(start_urls).collect()
}

/// Each server's articles are stored exactly once among the records in `out`.
fn assert_each_article_once(servers: &[SampleServer], out: &std::path::Path) {
    let mut stored: BTreeMap<String, usize> = BTreeMap::new();
    for r in records(out) {
        *stored.entry(r.url.clone()).or_insert(0) += 1;
    }
    let mut expected = 0;
    for s in servers {
        for p in s.site().articles() {
            expected += 1;
            let u = s.url(&p).to_string();
            assert_eq!(
                stored.get(&u),
                Some(&1),
                "{u} stored {:?} times",
                stored.get(&u)
            );
        }
    }
    assert_eq!(
        stored.len(),
        expected,
        "records for URLs that are not articles"
    );
}

/// No two requests to one server closer than 1/RATE minus the tolerance.
fn assert_polite(servers: &[SampleServer]) {
    let interval = Duration::from_secs_f64(1.0 / RATE);
    for s in servers {
        let mut log = s.requests();
        log.sort_by_key(|r| r.at);
        // Every run of k+1 consecutive requests (k = 1 is a single gap).
        let close: Vec<_> = (1..log.len())
            .flat_map(|k| log.windows(k + 1).map(move |w| (k, w)))
            .filter(|(k, w)| w[*k].at - w[0].at + GAP_TOLERANCE < interval * *k as u32)
            .map(|(k, w)| (k, &w[0].path, &w[k].path, w[k].at - w[0].at))
            .take(5)
            .collect();
        if !close.is_empty() {
            for r in &log {
                eprintln!(
                    "{:?} {} {} {:?} {:?}",
                    r.at, r.method, r.path, r.status, r.faults
                );
            }
        }
        assert!(
            close.is_empty(),
            "{}: k+1 requests within less than k x {interval:?} - {GAP_TOLERANCE:?} (k, first, last, span): {close:?}",
            s.base_url()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_hosts_every_article_once_polite_and_fair() {
    let servers = servers();
    let dir = tempfile::tempdir().unwrap();
    let starts = all_starts(&servers)
        .iter()
        .map(|u| url::Url::parse(u).unwrap())
        .collect();
    let extractor = Extractor::new(ProfileSet::builtin().unwrap(), ProfileChoice::ByHost);
    let mut config = CrawlConfig::new(dir.path(), starts, extractor);
    config.fetch = fast_fetch(Some(RATE));
    let summary = crawl_within(config, Duration::from_secs(120)).await;
    assert_eq!(summary.run.failed, 0, "{summary:?}");

    assert_each_article_once(&servers, dir.path());
    assert_polite(&servers);

    // Fairness: the last request to every small host comes before the last request to
    // any big host. A big host needs about 3x the requests, so at its rate it cannot be
    // done first; a scheduler that served hosts in order, or let the big ones hold the
    // slots, would finish some small host late.
    let last = |s: &SampleServer| {
        let t = s.requests().iter().map(|r| r.at).max().unwrap_or_default();
        s.started_at() + t
    };
    let small_done = (0..HOSTS)
        .filter(|i| !is_big(*i))
        .map(|i| last(&servers[i]))
        .max()
        .unwrap();
    let big_done = (0..HOSTS)
        .filter(|i| is_big(*i))
        .map(|i| last(&servers[i]))
        .min()
        .unwrap();
    assert!(
        small_done < big_done,
        "a small host was still fetched {:?} after the first big host was done",
        small_done - big_done
    );
}

/// The killed crawl's `--global-concurrency`. It runs at most twice that many page
/// tasks (on the wire, or parsed and not yet stored): only those may be fetched again.
const GLOBAL: usize = 16;
const IN_FLIGHT: usize = 2 * GLOBAL;
/// Kills before the crawl is let finish.
const KILLS: usize = 2;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_hosts_kill_9_twice_then_resume_loses_and_duplicates_nothing() {
    let servers = servers();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("start-urls.txt");
    std::fs::write(&list, all_starts(&servers).join("\n")).unwrap();
    let out = dir.path().join("out");
    let jsonl = out.join("articles.jsonl");
    let total: usize = servers.iter().map(|s| s.site().articles().len()).sum();
    let rate = RATE.to_string();
    let global = GLOBAL.to_string();
    let args = [
        "--start-urls",
        list.to_str().unwrap(),
        "--rate",
        &rate,
        "--global-concurrency",
        &global,
    ];

    let mut stored_before = 0;
    for k in 1..=KILLS {
        let target = k * total / (KILLS + 1);
        kill_at_lines(&mut crawl_command(&[], &out, &args), &jsonl, target).await;
        let now = lines(&jsonl);
        assert!(now > stored_before, "kill {k}: no progress");
        assert!(now < total, "kill {k}: the crawl finished before the kill");
        stored_before = now;
    }
    let status = crawl_command(&[], &out, &args).status().unwrap();
    assert!(status.success(), "final run: {status}");

    // Politeness is not judged across the runs: a fresh process does not know when the
    // killed one last asked a host (the first test judges it within a run).
    assert_each_article_once(&servers, &out);
    let refetched: usize = servers
        .iter()
        .map(|s| {
            s.site()
                .articles()
                .iter()
                .filter(|p| s.count(p) > 1)
                .count()
        })
        .sum();
    assert!(
        refetched <= KILLS * IN_FLIGHT,
        "{refetched} articles fetched twice; only those in flight at a kill may be"
    );
}
