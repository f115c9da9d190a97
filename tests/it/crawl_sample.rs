//! End-to-end crawls of the bundled sample site on 127.0.0.1: discovery completeness,
//! records, politeness (rate, robots.txt, Crawl-delay, Retry-After), redirects, failures.

use crate::support;

use std::time::Duration;
use support::*;
use uninews::extract::{Extractor, ProfileChoice};
use uninews::fixtures::check::{compare, render};
use uninews::frontier::state::{CrawlState, UrlState};
use uninews::selectors::ProfileSet;
use uninews_sample::{
    Fault, FaultRule, PathMatch, RetryAfter, RobotsConfig, ServerConfig, SiteConfig,
};

/// Clock tolerance when comparing server-observed request gaps with the configured rate:
/// the server stamps arrival after accept and parse, so gaps can look shorter by this much.
const GAP_TOLERANCE: Duration = Duration::from_millis(15);

/// Gaps between consecutive request arrivals at the server (all paths).
fn arrival_gaps(server: &uninews_sample::SampleServer) -> Vec<Duration> {
    let times: Vec<Duration> = server.requests().iter().map(|r| r.at).collect();
    times
        .windows(2)
        .map(|w| w[1].saturating_sub(w[0]))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_article_is_found_once_and_matches_the_ground_truth() {
    let server = server(ServerConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let summary = crawl(config(&server, dir.path(), fast_fetch(None))).await;
    assert!(summary.complete, "{summary:?}");
    let site = server.site();
    let records = records(dir.path());
    let found = paths(&records);
    let expected = site.articles();
    assert_eq!(expected.len(), 300);
    let missing: Vec<_> = expected
        .iter()
        .filter(|p| !found.contains_key(*p))
        .collect();
    assert!(missing.is_empty(), "articles not found: {missing:?}");
    let twice: Vec<_> = found.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "articles stored more than once: {twice:?}"
    );
    assert_eq!(
        found.len(),
        expected.len(),
        "records for pages that are not articles"
    );
    // Each page fetched exactly once, and robots-disallowed pages never.
    for p in &expected {
        assert_eq!(server.count(p), 1, "{p} fetched {} times", server.count(p));
    }
    for p in site.private_pages() {
        assert_eq!(
            server.count(&p),
            0,
            "{p} is disallowed by robots.txt but was fetched"
        );
    }
    assert_eq!(summary.run.skipped, site.private_pages().len() as u64);
    // Every record equals the site's own ground truth (built from the generator's data).
    let mut wrong = Vec::new();
    for r in &records {
        let path = url::Url::parse(&r.url).unwrap().path().to_string();
        let truth = server
            .expected_record(&path)
            .expect("an article of the site");
        let diffs = compare(
            &serde_json::to_value(&truth).unwrap(),
            &serde_json::to_value(r).unwrap(),
        );
        if !diffs.is_empty() {
            wrong.push(format!("{path}\n{}", render(&diffs, "  ")));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} records differ from the ground truth:\n{}",
        wrong.len(),
        records.len(),
        wrong.iter().take(3).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_equal_what_extract_gives_on_the_stored_pages() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(20))).await;
    let dir = tempfile::tempdir().unwrap();
    crawl(config(&server, dir.path(), fast_fetch(None))).await;
    let state = CrawlState::open_dir(dir.path()).unwrap();
    let extractor = Extractor::new(ProfileSet::builtin().unwrap(), ProfileChoice::ByHost);
    let records = records(dir.path());
    assert_eq!(records.len(), 40);
    for mut r in records {
        let url = url::Url::parse(&r.url).unwrap();
        let row = state.get(&url).unwrap().expect("URL in state");
        assert_eq!(row.state, UrlState::Done);
        let page = dir
            .path()
            .join("pages")
            .join(row.page_path.expect("page stored"));
        let bytes = std::fs::read(&page).unwrap();
        let meta = uninews::store::read_meta(&page)
            .unwrap()
            .expect("meta beside page");
        assert_eq!(meta.url, r.url);
        assert_eq!(
            row.content_hash.as_deref(),
            Some(uninews::store::content_hash(&bytes).as_str())
        );
        let again = extractor.extract_bytes(&bytes, &url, meta.charset()).record;
        assert!(
            r.fetched_at.take().is_some(),
            "crawl records carry fetched_at"
        );
        assert_eq!(
            r.version.take(),
            Some(1),
            "crawl records carry their version"
        );
        assert_eq!(again, r, "{}", page.display());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_to_a_host_never_exceed_the_rate() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(15))).await;
    let dir = tempfile::tempdir().unwrap();
    let rate = 25.0;
    let mut cfg = config(&server, dir.path(), fast_fetch(Some(rate)));
    cfg.fetch.per_host_concurrency = 4;
    crawl(cfg).await;
    let gaps = arrival_gaps(&server);
    assert!(gaps.len() >= 30, "only {} requests", gaps.len() + 1);
    let min_gap = Duration::from_secs_f64(1.0 / rate) - GAP_TOLERANCE;
    let too_close: Vec<_> = gaps.iter().filter(|g| **g < min_gap).collect();
    assert!(
        too_close.is_empty(),
        "gaps below {min_gap:?}: {too_close:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_crawl_delay_is_honoured() {
    let mut site = SiteConfig::default().with_articles(4);
    site.robots = Some(RobotsConfig {
        disallow_private: true,
        crawl_delay: Some(Duration::from_millis(200)),
    });
    let server = server(ServerConfig::new(site)).await;
    let dir = tempfile::tempdir().unwrap();
    let summary = crawl(config(&server, dir.path(), fast_fetch(Some(100.0)))).await;
    assert_eq!(summary.run.articles, 8);
    let gaps = arrival_gaps(&server);
    // The robots.txt fetch itself comes before the delay is known; every later gap obeys it.
    let later = &gaps[1..];
    let min = Duration::from_millis(200) - GAP_TOLERANCE;
    assert!(later.iter().all(|g| *g >= min), "gaps: {later:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_is_honoured_and_the_page_is_stored() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(5))).await;
    let victim = server.site().section_articles("xyxw").unwrap()[2].clone();
    server.add_fault(
        FaultRule::new(
            PathMatch::exact(victim.clone()),
            Fault::TooManyRequests(RetryAfter::Seconds(1)),
        )
        .times(1),
    );
    let dir = tempfile::tempdir().unwrap();
    let summary = crawl(config(&server, dir.path(), fast_fetch(Some(50.0)))).await;
    assert_eq!(summary.run.failed, 0);
    let hits: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path == victim)
        .collect();
    assert_eq!(hits.len(), 2, "one 429, one success");
    assert_eq!(hits[0].status, Some(429));
    assert!(hits[1].at - hits[0].at >= Duration::from_secs(1) - GAP_TOLERANCE);
    assert_eq!(paths(&records(dir.path())).get(&victim), Some(&1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn off_site_redirects_are_recorded_not_followed() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(5))).await;
    let victim = server.site().section_articles("xyxw").unwrap()[1].clone();
    server.add_fault(
        FaultRule::new(
            PathMatch::exact(victim.clone()),
            Fault::OffsiteRedirect {
                host: "localhost".into(),
            },
        )
        .always(),
    );
    let dir = tempfile::tempdir().unwrap();
    let summary = crawl(config(&server, dir.path(), fast_fetch(None))).await;
    let off_site: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| {
            r.host
                .as_deref()
                .is_some_and(|h| h.starts_with("localhost"))
        })
        .collect();
    assert!(
        off_site.is_empty(),
        "followed an off-site redirect: {off_site:?}"
    );
    let state = CrawlState::open_dir(dir.path()).unwrap();
    let row = state.get(&server.url(&victim)).unwrap().unwrap();
    assert_eq!(row.state, UrlState::Skipped);
    assert_eq!(row.skip_reason.as_deref(), Some("off-scope"));
    assert_eq!(summary.run.articles, 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_chains_are_followed_and_an_article_is_stored_once() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(5))).await;
    let sx = server.site().section_articles("sx").unwrap();
    let (alias, target) = (sx[0].clone(), sx[1].clone());
    server.add_fault(
        FaultRule::new(
            PathMatch::exact(alias.clone()),
            Fault::RedirectChain {
                hops: 3,
                to: Some(target.clone()),
            },
        )
        .always(),
    );
    let dir = tempfile::tempdir().unwrap();
    let summary = crawl(config(&server, dir.path(), fast_fetch(None))).await;
    assert_eq!(summary.run.failed, 0, "{:?}", summary.failures);
    let found = paths(&records(dir.path()));
    assert_eq!(
        found.get(&target),
        Some(&1),
        "the redirect target is stored once"
    );
    assert_eq!(
        found.get(&alias),
        None,
        "the alias is not stored as an article of its own"
    );
    assert_eq!(found.len(), 9);
    let state = CrawlState::open_dir(dir.path()).unwrap();
    let row = state.get(&server.url(&alias)).unwrap().unwrap();
    assert_eq!(row.state, UrlState::Done);
    assert_eq!(row.final_url.as_deref(), Some(server.url(&target).as_str()));
    // Three 302s: the alias itself, then two intermediate hops.
    assert_eq!(
        server
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/__hop"))
            .count(),
        2
    );
    assert_eq!(server.count(&alias), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_that_keep_failing_are_recorded_with_their_cause() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(5))).await;
    let victim = server.site().section_articles("xyxw").unwrap()[3].clone();
    server.add_fault(FaultRule::new(PathMatch::exact(victim.clone()), Fault::Status(500)).always());
    let dir = tempfile::tempdir().unwrap();
    let summary = crawl(config(&server, dir.path(), fast_fetch(None))).await;
    assert_eq!(server.count(&victim), 4, "max_attempts requests");
    assert_eq!(summary.run.failed, 1);
    assert_eq!(summary.failures_by_cause.get("http-500"), Some(&1));
    assert!(summary.failures[0].url.ends_with(&victim));
    assert!(!summary.complete || summary.failed_total() == 1);
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(on_disk["failures_by_cause"]["http-500"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_crawl_resumes_without_refetching_stored_pages() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(30))).await;
    let dir = tempfile::tempdir().unwrap();
    // Stop once some articles are stored.
    let cfg = config(&server, dir.path(), fast_fetch(Some(200.0)));
    let first = crawl_stopped_after(cfg, 10).await;
    assert!(first.interrupted && !first.complete);
    let stored_before: Vec<String> = paths(&records(dir.path())).into_keys().collect();
    assert!(
        stored_before.len() >= 10 && stored_before.len() < 60,
        "{}",
        stored_before.len()
    );
    let second = crawl(config(&server, dir.path(), fast_fetch(Some(200.0)))).await;
    assert!(second.complete);
    let found = paths(&records(dir.path()));
    assert_eq!(found.len(), 60);
    assert!(found.values().all(|n| *n == 1));
    for p in &stored_before {
        assert_eq!(
            server.count(p),
            1,
            "{p} was stored before the stop but fetched again"
        );
    }
}
