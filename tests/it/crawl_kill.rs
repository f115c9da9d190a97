//! `kill -9` of a real `uninews crawl` process, several times in the middle of a crawl,
//! then the same command again: every article ends up stored exactly once, and no page
//! that was stored before a kill is fetched again (counted at the server).

use crate::support;

use std::collections::BTreeSet;
use support::*;
use uninews::frontier::state::{CrawlState, UrlState};
use uninews_sample::{ServerConfig, SiteConfig};

/// How many times the crawl is killed before it is let finish.
const KILLS: usize = 3;

/// URLs a crawl holds in flight at once (`--global-concurrency`): fetched, or being
/// fetched, but not yet stored. Only these may be fetched again after a kill.
const IN_FLIGHT: usize = 4;

/// The crawl under test: at most IN_FLIGHT requests in flight.
fn crawl_under_test(urls: &[String], out: &std::path::Path) -> std::process::Command {
    let in_flight = IN_FLIGHT.to_string();
    crawl_command(
        urls,
        out,
        &[
            "--rate",
            "150",
            "--concurrency",
            "3",
            "--global-concurrency",
            &in_flight,
        ],
    )
}

/// Every URL (article or list) the state holds as done.
fn done_urls(dir: &std::path::Path, candidates: &[String]) -> BTreeSet<String> {
    let state = CrawlState::open_dir(dir).expect("state opens after the kill");
    candidates
        .iter()
        .filter(|u| {
            let url = url::Url::parse(u).unwrap();
            state
                .get(&url)
                .unwrap()
                .is_some_and(|r| r.state == UrlState::Done)
        })
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_then_rerun_stores_every_article_exactly_once() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(150))).await;
    let site = server.site();
    let starts = start_urls(&server);
    let mut pages: Vec<String> = site.articles();
    pages.extend(site.list_pages());
    let urls: Vec<String> = pages.iter().map(|p| server.url(p).to_string()).collect();
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("articles.jsonl");

    // Per URL stored before a kill: how often the server had served it by then.
    let mut served_when_stored: std::collections::BTreeMap<String, usize> = Default::default();
    let mut done_before_kill = BTreeSet::new();
    for k in 1..=KILLS {
        let target = k * 300 / (KILLS + 1);
        kill_at_lines(&mut crawl_under_test(&starts, dir.path()), &jsonl, target).await;
        let done = done_urls(dir.path(), &urls);
        assert!(done.len() > done_before_kill.len(), "kill {k}: no progress");
        for u in &done {
            let path = url::Url::parse(u).unwrap().path().to_string();
            served_when_stored
                .entry(u.clone())
                .or_insert_with(|| server.count(&path));
        }
        done_before_kill = done;
    }
    assert!(
        done_before_kill.len() < urls.len(),
        "the crawl finished before the last kill"
    );

    let status = crawl_under_test(&starts, dir.path()).status().unwrap();
    assert!(status.success(), "final run: {status}");

    let found = paths(&records(dir.path()));
    let expected = site.articles();
    assert_eq!(found.len(), expected.len());
    for p in &expected {
        assert_eq!(
            found.get(p),
            Some(&1),
            "{p} stored {:?} times",
            found.get(p)
        );
    }
    for (u, served) in &served_when_stored {
        let path = url::Url::parse(u).unwrap().path().to_string();
        assert_eq!(
            server.count(&path),
            *served,
            "{u} was stored before a kill and fetched again"
        );
    }
    let refetched = pages.iter().filter(|p| server.count(p) > 1).count();
    assert!(
        refetched <= KILLS * IN_FLIGHT,
        "{refetched} pages fetched twice; only pages in flight at a kill ({IN_FLIGHT} per kill) may be"
    );
}
