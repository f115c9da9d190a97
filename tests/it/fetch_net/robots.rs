//! robots.txt: rules, Crawl-delay, caching and the unavailable-robots policy.

use super::server::{Server, assert_spaced, fetcher, html, robots, status};
use std::time::{Duration, Instant};
use uninews::fetch::{FetchError, Outcome, Request, SkipReason};

#[tokio::test]
async fn disallow_is_obeyed_and_allow_overrides() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/robots.txt" => robots(
            "User-agent: *\nDisallow: /\n\n\
             User-agent: uninews\nDisallow: /private/\nAllow: /private/open/\n",
        ),
        _ => html("<p>ok</p>"),
    })
    .await;
    let f = fetcher(|_| {});
    let closed = server.url("/private/report.htm");
    match f.fetch(&Request::new(closed.clone())).await {
        Outcome::Skipped(s) => assert_eq!(s.reason, SkipReason::Robots { url: closed }),
        other => panic!("expected a robots skip, got {other:?}"),
    }
    // Our own group applies (not `*`, which disallows everything).
    assert!(matches!(
        f.fetch(&Request::new(server.url("/news/1.htm"))).await,
        Outcome::Page(_)
    ));
    assert!(matches!(
        f.fetch(&Request::new(server.url("/private/open/a.htm")))
            .await,
        Outcome::Page(_)
    ));
    assert!(
        server.hits_for("/private/report.htm").is_empty(),
        "disallowed URL never requested"
    );
    assert_eq!(server.hits_for("/robots.txt").len(), 1);
}

#[tokio::test]
async fn robots_is_fetched_once_per_host() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/robots.txt" => robots("User-agent: *\nDisallow: /x\n"),
        _ => html("<p>ok</p>"),
    })
    .await;
    let f = fetcher(|c| c.per_host_concurrency = 4);
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let (f, url) = (f.clone(), server.url(&format!("/p/{i}")));
            tokio::spawn(async move { f.fetch(&Request::new(url)).await })
        })
        .collect();
    for t in tasks {
        assert!(matches!(t.await.expect("join"), Outcome::Page(_)));
    }
    assert!(matches!(
        f.fetch(&Request::new(server.url("/x"))).await,
        Outcome::Skipped(_)
    ));
    assert_eq!(server.hits_for("/robots.txt").len(), 1);
    // Another host name is another robots.txt.
    let other = server.url_at("localhost", "/p/9");
    assert!(matches!(
        f.fetch(&Request::new(other)).await,
        Outcome::Page(_)
    ));
    assert_eq!(server.hits_for("/robots.txt").len(), 2);
}

#[tokio::test]
async fn crawl_delay_slows_a_faster_rate() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/robots.txt" => robots("User-agent: *\nCrawl-delay: 0.2\n"),
        _ => html("<p>ok</p>"),
    })
    .await;
    let f = fetcher(|c| {
        c.rate = Some(50.0);
        c.per_host_concurrency = 3;
    });
    let tasks: Vec<_> = (0..3)
        .map(|i| {
            let (f, url) = (f.clone(), server.url(&format!("/p/{i}")));
            tokio::spawn(async move { f.fetch(&Request::new(url)).await })
        })
        .collect();
    for t in tasks {
        assert!(matches!(t.await.expect("join"), Outcome::Page(_)));
    }
    // robots.txt, then three pages, each 200 ms apart (not 20 ms).
    assert_spaced(
        &server.hits(),
        Duration::from_millis(200),
        "Crawl-delay 0.2",
    );
    assert_eq!(f.host_stats()[0].interval, Some(Duration::from_millis(200)));
}

#[tokio::test]
async fn huge_crawl_delay_is_capped() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/robots.txt" => robots("User-agent: *\nCrawl-delay: 3600\n"),
        _ => html("<p>ok</p>"),
    })
    .await;
    let f = fetcher(|c| c.max_crawl_delay = Duration::from_millis(150));
    let started = Instant::now();
    for i in 0..3 {
        let r = f.fetch(&Request::new(server.url(&format!("/p/{i}")))).await;
        assert!(matches!(r, Outcome::Page(_)));
    }
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "cap not applied: {:?}",
        started.elapsed()
    );
    assert_spaced(
        &server.hits(),
        Duration::from_millis(150),
        "capped Crawl-delay",
    );
    assert_eq!(f.host_stats()[0].interval, Some(Duration::from_millis(150)));
}

#[tokio::test]
async fn unavailable_robots_pauses_the_host_then_retries() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/robots.txt" if hit.nth < 2 => status(503),
        "/robots.txt" => robots("User-agent: *\nAllow: /\n"),
        _ => html("<p>ok</p>"),
    })
    .await;
    let f = fetcher(|c| {
        c.max_attempts = 2;
        c.robots_retry_after = Duration::from_millis(400);
    });
    match f.fetch(&Request::new(server.url("/a"))).await {
        Outcome::Failed(fail) => {
            assert!(
                matches!(fail.error, FetchError::RobotsUnavailable { .. }),
                "{:?}",
                fail.error
            )
        }
        other => panic!("expected failure, got {other:?}"),
    }
    // Within the pause: no request at all, not even robots.txt.
    assert!(matches!(
        f.fetch(&Request::new(server.url("/b"))).await,
        Outcome::Failed(_)
    ));
    assert_eq!(
        server.hits_for("/robots.txt").len(),
        2,
        "two attempts, then paused"
    );
    assert!(server.hits_for("/a").is_empty() && server.hits_for("/b").is_empty());
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert!(matches!(
        f.fetch(&Request::new(server.url("/c"))).await,
        Outcome::Page(_)
    ));
    assert_eq!(
        server.hits_for("/robots.txt").len(),
        3,
        "re-fetched after the pause"
    );
}

#[tokio::test]
async fn robots_404_allows_everything_and_no_robots_mode_skips_it() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/robots.txt" if hit.host == "localhost" => robots("User-agent: *\nDisallow: /\n"),
        "/robots.txt" => status(404),
        _ => html("<p>ok</p>"),
    })
    .await;
    let polite = fetcher(|_| {});
    assert!(matches!(
        polite.fetch(&Request::new(server.url("/a"))).await,
        Outcome::Page(_)
    ));
    let ignoring = fetcher(|c| c.obey_robots = false);
    let url = server.url_at("localhost", "/b");
    assert!(matches!(
        ignoring.fetch(&Request::new(url)).await,
        Outcome::Page(_)
    ));
    let robots_hosts: Vec<String> = server
        .hits_for("/robots.txt")
        .into_iter()
        .map(|h| h.host)
        .collect();
    assert_eq!(
        robots_hosts,
        ["127.0.0.1"],
        "--no-robots never asks for robots.txt"
    );
}
