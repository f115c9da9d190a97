//! Per-host rate limits: spacing of request starts as the server sees them.

use super::server::{Server, assert_spaced, fetcher, gaps, html, redirect, robots, status};
use std::time::{Duration, Instant};
use uninews::fetch::{Outcome, Request};

fn page(o: &Outcome) -> bool {
    matches!(o, Outcome::Page(_))
}

#[tokio::test]
async fn one_host_is_spaced_by_the_rate_robots_included() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/robots.txt" => robots("User-agent: *\nAllow: /\n"),
        _ => html("<p>ok</p>"),
    })
    .await;
    // 20 req/s; 4 may be in flight, so only the limiter spaces them.
    let f = fetcher(|c| {
        c.rate = Some(20.0);
        c.per_host_concurrency = 4;
    });
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let (f, url) = (f.clone(), server.url(&format!("/p/{i}")));
            tokio::spawn(async move { f.fetch(&Request::new(url).html_only()).await })
        })
        .collect();
    for t in tasks {
        assert!(page(&t.await.expect("join")));
    }
    let hits = server.hits();
    assert_eq!(hits.len(), 9, "robots.txt + 8 pages");
    assert_eq!(hits[0].path, "/robots.txt", "robots.txt comes first");
    assert_spaced(&hits, Duration::from_millis(50), "20 req/s");
    let ua = hits[1]
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        ua.starts_with("uninews/") && ua.contains("+https://"),
        "user agent {ua:?}"
    );
}

#[tokio::test]
async fn two_hosts_proceed_independently() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/robots.txt" => status(404),
        _ => html("<p>ok</p>"),
    })
    .await;
    let f = fetcher(|c| c.rate = Some(5.0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for host in ["127.0.0.1", "localhost"] {
        for i in 0..3 {
            let (f, url) = (f.clone(), server.url_at(host, &format!("/p/{i}")));
            tasks.push(tokio::spawn(
                async move { f.fetch(&Request::new(url)).await },
            ));
        }
    }
    for t in tasks {
        assert!(page(&t.await.expect("join")));
    }
    let elapsed = started.elapsed();
    let hits = server.hits();
    let by = |h: &str| {
        hits.iter()
            .filter(|x| x.host == h)
            .cloned()
            .collect::<Vec<_>>()
    };
    let (a, b) = (by("127.0.0.1"), by("localhost"));
    assert_eq!((a.len(), b.len()), (4, 4), "robots.txt + 3 pages per host");
    assert_spaced(&a, Duration::from_millis(200), "127.0.0.1 at 5 req/s");
    assert_spaced(&b, Duration::from_millis(200), "localhost at 5 req/s");
    // Shared pacing would need 7 gaps of 200 ms; independent hosts need 3.
    assert!(
        elapsed < Duration::from_millis(1_300),
        "hosts waited on each other: {elapsed:?}"
    );
    let all = gaps(&hits);
    assert!(
        all.iter().any(|g| *g < Duration::from_millis(100)),
        "interleaved arrivals: {all:?}"
    );
}

#[tokio::test]
async fn retries_and_redirect_hops_count_against_the_rate() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/robots.txt" => status(404),
        "/flaky" if hit.nth < 2 => status(503),
        "/r1" => redirect(302, "/r2"),
        "/r2" => redirect(301, "/final"),
        _ => html("<p>ok</p>"),
    })
    .await;
    let f = fetcher(|c| {
        c.rate = Some(20.0);
        c.backoff_base = Duration::from_millis(1);
        c.backoff_max = Duration::from_millis(1);
    });
    assert!(page(&f.fetch(&Request::new(server.url("/flaky"))).await));
    assert!(page(&f.fetch(&Request::new(server.url("/r1"))).await));
    let hits = server.hits();
    assert_eq!(hits.len(), 1 + 3 + 3, "robots, 3 attempts, 3 hops");
    assert_spaced(
        &hits,
        Duration::from_millis(50),
        "retries and hops at 20 req/s",
    );
}

#[tokio::test]
async fn rate_limiting_can_be_switched_off() {
    let server = Server::start(|_| html("<p>ok</p>")).await;
    let f = fetcher(|c| {
        c.rate = None;
        c.obey_robots = false;
        c.per_host_concurrency = 10;
    });
    let started = Instant::now();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let (f, url) = (f.clone(), server.url(&format!("/p/{i}")));
            tokio::spawn(async move { f.fetch(&Request::new(url)).await })
        })
        .collect();
    for t in tasks {
        assert!(page(&t.await.expect("join")));
    }
    // At the default 1 req/s this would take 19 s.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let stats = f.host_stats();
    assert_eq!(stats.len(), 1);
    assert_eq!(
        (stats[0].requests, stats[0].failures, stats[0].interval),
        (20, 0, None)
    );
}

#[tokio::test]
async fn host_stats_count_requests_retries_and_failures() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/robots.txt" => status(404),
        "/down" => status(500),
        _ => html("<p>0123456789</p>"),
    })
    .await;
    let f = fetcher(|_| {});
    assert!(page(&f.fetch(&Request::new(server.url("/ok"))).await));
    assert!(matches!(
        f.fetch(&Request::new(server.url("/down"))).await,
        Outcome::Failed(_)
    ));
    let s = &f.host_stats()[0];
    assert_eq!(s.host, "127.0.0.1");
    assert_eq!(
        s.requests,
        server.hits().len() as u64,
        "every request counted"
    );
    assert_eq!((s.requests, s.retries, s.failures), (5, 2, 1));
    assert_eq!(s.bytes, "<p>0123456789</p>".len() as u64);
    assert_eq!(s.interval, Some(Duration::from_millis(20)));
}
