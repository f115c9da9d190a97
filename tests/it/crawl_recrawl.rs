//! Keeping a mirror current: a second pass over a crawled site fetches only what is new
//! (counted at the server), `--refresh` re-validates with conditional requests, a changed
//! article becomes a new version, `--since` skips older articles.

use crate::support;

use std::collections::BTreeSet;
use support::*;
use uninews_sample::{ServerConfig, SiteConfig};

fn article_paths(server: &uninews_sample::SampleServer) -> BTreeSet<String> {
    server.site().articles().into_iter().collect()
}

/// Paths the server was asked for since the log was cleared (robots.txt left out).
fn requested(server: &uninews_sample::SampleServer) -> Vec<(String, Option<u16>)> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path != "/robots.txt")
        .map(|r| (r.path, r.status))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_pass_fetches_only_new_articles_and_the_lists_that_lead_to_them() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(100))).await;
    let dir = tempfile::tempdir().unwrap();
    let first = crawl(config(&server, dir.path(), fast_fetch(None))).await;
    assert_eq!((first.pass, first.run.articles), (1, 200));
    let before = article_paths(&server);

    server.clear_requests();
    let mut added: BTreeSet<String> = server
        .add_articles("xyxw", 7)
        .unwrap()
        .into_iter()
        .collect();
    added.extend(server.add_articles("sx", 5).unwrap());
    let second = crawl(config(&server, dir.path(), fast_fetch(None))).await;
    assert_eq!(second.pass, 2);
    assert_eq!(second.run.articles, 12);

    let asked = requested(&server);
    let articles_asked: BTreeSet<String> = asked
        .iter()
        .filter(|(p, _)| !server.site().is_list_page(p))
        .map(|(p, _)| p.clone())
        .collect();
    assert_eq!(articles_asked, added, "only the new articles are fetched");
    assert!(
        asked.iter().all(|(p, _)| !before.contains(p)),
        "an old article was fetched"
    );
    let lists: Vec<&String> = asked
        .iter()
        .filter(|(p, _)| server.site().is_list_page(p))
        .map(|(p, _)| p)
        .collect();
    // Per section: the newest page, and at most the next one to see 20 known articles.
    assert!(lists.len() <= 4, "list pages fetched: {lists:?}");

    let found = paths(&records(dir.path()));
    assert_eq!(found.len(), 212);
    assert!(found.values().all(|n| *n == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_of_an_unchanged_site_gets_only_304s() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(20))).await;
    let dir = tempfile::tempdir().unwrap();
    crawl(config(&server, dir.path(), fast_fetch(None))).await;
    server.clear_requests();
    let mut cfg = config(&server, dir.path(), fast_fetch(None));
    cfg.recrawl.refresh = true;
    let summary = crawl(cfg).await;
    let articles: Vec<_> = requested(&server)
        .into_iter()
        .filter(|(p, _)| !server.site().is_list_page(p))
        .collect();
    assert_eq!(articles.len(), 40, "every stored article re-validated once");
    assert!(
        articles.iter().all(|(_, s)| *s == Some(304)),
        "{articles:?}"
    );
    assert!(
        server
            .requests()
            .iter()
            .filter(|r| r.path != "/robots.txt")
            .all(|r| r.if_none_match.is_some())
    );
    assert_eq!(summary.run.articles, 0);
    assert!(summary.run.not_modified >= 40);
    assert_eq!(records(dir.path()).len(), 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_article_becomes_a_new_version_and_the_old_page_is_kept() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(10))).await;
    let dir = tempfile::tempdir().unwrap();
    crawl(config(&server, dir.path(), fast_fetch(None))).await;
    let edited = server.site().section_articles("sx").unwrap()[3].clone();
    server.edit_article(&edited).unwrap();
    server.clear_requests();
    let mut cfg = config(&server, dir.path(), fast_fetch(None));
    cfg.recrawl.refresh = true;
    let summary = crawl(cfg).await;
    assert_eq!((summary.run.articles, summary.run.changed), (1, 1));

    let records = records(dir.path());
    assert_eq!(records.len(), 21, "20 first versions and one new version");
    let versions: Vec<_> = records
        .iter()
        .filter(|r| r.url.ends_with(&edited))
        .map(|r| r.version)
        .collect();
    assert_eq!(versions, [Some(1), Some(2)]);
    let latest = records
        .iter()
        .rev()
        .find(|r| r.url.ends_with(&edited))
        .unwrap();
    let mut truth = server.expected_record(&edited).unwrap();
    truth.fetched_at = latest.fetched_at.clone();
    truth.version = Some(2);
    assert_eq!(
        &truth, latest,
        "the new version's record is the edited page's"
    );
    let page = dir
        .path()
        .join("pages")
        .join(uninews::store::pages::relative_path(
            &server.url(&edited),
            1,
        ));
    let page_v2 = dir
        .path()
        .join("pages")
        .join(uninews::store::pages::relative_path(
            &server.url(&edited),
            2,
        ));
    assert!(
        page.exists() && page_v2.exists(),
        "both versions of the page are kept"
    );
    assert_ne!(
        std::fs::read(&page).unwrap(),
        std::fs::read(&page_v2).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn since_skips_older_articles_and_stops_walking_the_list() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(100))).await;
    let site = server.site();
    let base = server.base_url();
    let mut dated: Vec<(String, String)> = site
        .articles()
        .into_iter()
        .map(|p| {
            let d = site.expected_record(&base, &p).unwrap().published.unwrap();
            (d[..10].to_string(), p)
        })
        .collect();
    dated.sort();
    let since = dated[dated.len() * 3 / 4].0.clone();
    let expected: BTreeSet<String> = dated
        .iter()
        .filter(|(d, _)| *d >= since)
        .map(|(_, p)| p.clone())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&server, dir.path(), fast_fetch(None));
    cfg.recrawl.since = Some(since.parse().unwrap());
    crawl(cfg).await;
    let found: BTreeSet<String> = paths(&records(dir.path())).into_keys().collect();
    assert_eq!(found, expected);
    let lists = server
        .requests()
        .iter()
        .filter(|r| site.is_list_page(&r.path))
        .count();
    assert!(
        lists < site.list_pages().len(),
        "walked all {lists} list pages despite --since"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_pages_limits_each_pass_and_a_resumed_pass_counts_what_it_fetched() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(12))).await;
    let dir = tempfile::tempdir().unwrap();
    let limited = |n| {
        let mut cfg = config(&server, dir.path(), fast_fetch(None));
        cfg.max_pages = Some(n);
        cfg
    };
    let first = crawl(limited(5)).await;
    assert!(first.page_limit_reached && !first.complete, "{first:?}");
    assert_eq!(
        requested(&server).len(),
        5,
        "{:?} {first:?}",
        requested(&server)
    );

    // The same limit again resumes the same pass, which has used its 5 pages.
    server.clear_requests();
    let again = crawl(limited(5)).await;
    assert_eq!(
        (again.pass, again.page_limit_reached),
        (1, true),
        "{again:?}"
    );
    assert_eq!(requested(&server).len(), 0);

    // Without a limit the pass finishes.
    let done = crawl(config(&server, dir.path(), fast_fetch(None))).await;
    assert!(done.complete && done.pass == 1, "{done:?}");
    assert_eq!(records(dir.path()).len(), 24);

    // A later pass (a daily re-crawl with the same limit) gets a budget of its own.
    server.add_articles("xyxw", 3).unwrap();
    server.clear_requests();
    let next = crawl(limited(3)).await;
    assert_eq!(next.pass, 2, "{next:?}");
    assert_eq!(requested(&server).len(), 3, "{:?}", requested(&server));
}
