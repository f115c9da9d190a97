//! Retries: transient errors, Retry-After, permanent failures, refused connections.

use super::server::{Reply, Server, fetcher, html, status};
use axum::http::header;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use uninews::fetch::{FetchError, Outcome, Request};

fn no_robots(c: &mut uninews::fetch::FetchConfig) {
    c.obey_robots = false;
}

#[tokio::test]
async fn two_500s_then_200_succeeds_on_the_third_attempt() {
    let server = Server::start(|hit| {
        if hit.nth < 2 {
            status(500)
        } else {
            html("<p>third</p>")
        }
    })
    .await;
    let f = fetcher(no_robots);
    match f.fetch(&Request::new(server.url("/flaky"))).await {
        Outcome::Page(p) => {
            assert_eq!(p.response.attempts, 3);
            assert_eq!(p.body, b"<p>third</p>");
        }
        other => panic!("expected a page, got {other:?}"),
    }
    assert_eq!(server.hits().len(), 3);
}

#[tokio::test]
async fn permanent_500_fails_after_max_attempts_with_the_last_error() {
    let server = Server::start(|_| status(500)).await;
    let f = fetcher(|c| {
        no_robots(c);
        c.max_attempts = 4;
    });
    let url = server.url("/down");
    match f.fetch(&Request::new(url.clone())).await {
        Outcome::Failed(fail) => {
            assert_eq!((fail.attempts, fail.status), (4, Some(500)));
            assert!(
                matches!(&fail.error, FetchError::Status { status: 500, .. }),
                "{:?}",
                fail.error
            );
            assert_eq!(fail.url, url);
            assert!(fail.error.to_string().contains("HTTP 500"));
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(server.hits().len(), 4);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = Server::start(|_| status(404)).await;
    let f = fetcher(no_robots);
    match f.fetch(&Request::new(server.url("/gone"))).await {
        Outcome::Failed(fail) => assert_eq!((fail.attempts, fail.status), (1, Some(404))),
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(server.hits().len(), 1);
}

fn with_retry_after(code: u16, value: String) -> Reply {
    let mut r = status(code);
    r.response
        .headers_mut()
        .insert(header::RETRY_AFTER, value.parse().expect("header"));
    r
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let server = Server::start(|hit| {
        if hit.nth == 0 {
            with_retry_after(429, "1".into())
        } else {
            html("ok")
        }
    })
    .await;
    let f = fetcher(no_robots);
    assert!(matches!(
        f.fetch(&Request::new(server.url("/busy"))).await,
        Outcome::Page(_)
    ));
    let hits = server.hits();
    assert_eq!(hits.len(), 2);
    let gap = hits[1].at - hits[0].at;
    assert!(
        gap >= Duration::from_secs(1),
        "retried after {gap:?}, Retry-After was 1 s"
    );
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    // The date: two seconds ahead, rounded up to a whole second (HTTP dates have no
    // fractions); the retry must not arrive before it.
    let target = std::sync::Arc::new(std::sync::Mutex::new(SystemTime::UNIX_EPOCH));
    let t = target.clone();
    let server = Server::start(move |hit| {
        if hit.nth > 0 {
            return html("ok");
        }
        let secs = hit
            .wall
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_secs()
            + 2;
        let at = UNIX_EPOCH + Duration::from_secs(secs);
        *t.lock().expect("target") = at;
        let ts = jiff::Timestamp::from_second(secs as i64).expect("timestamp");
        let date = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&ts)
            .expect("http date");
        with_retry_after(503, date)
    })
    .await;
    let f = fetcher(no_robots);
    assert!(matches!(
        f.fetch(&Request::new(server.url("/later"))).await,
        Outcome::Page(_)
    ));
    let hits = server.hits();
    let due = *target.lock().expect("target");
    assert!(
        hits[1].wall >= due,
        "retry at {:?}, Retry-After date {:?}",
        hits[1].wall,
        due
    );
}

#[tokio::test]
async fn long_retry_after_is_capped() {
    let server = Server::start(|hit| {
        if hit.nth == 0 {
            with_retry_after(503, "86400".into())
        } else {
            html("ok")
        }
    })
    .await;
    let f = fetcher(|c| {
        no_robots(c);
        c.max_retry_after = Duration::from_millis(300);
    });
    let started = std::time::Instant::now();
    assert!(matches!(
        f.fetch(&Request::new(server.url("/x"))).await,
        Outcome::Page(_)
    ));
    let hits = server.hits();
    assert!(hits[1].at - hits[0].at >= Duration::from_millis(300));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn refused_connection_fails_after_max_attempts() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    }; // dropped: nothing listens there now
    let f = fetcher(|_| {});
    let url = url::Url::parse(&format!("http://127.0.0.1:{port}/x")).expect("url");
    match f.fetch(&Request::new(url)).await {
        // robots.txt is unreachable first: the host is paused, the cause carried along.
        Outcome::Failed(fail) => match &fail.error {
            FetchError::RobotsUnavailable { cause, .. } => {
                assert!(cause.contains("connect"), "{cause}")
            }
            e => panic!("unexpected error {e:?}"),
        },
        other => panic!("expected failure, got {other:?}"),
    }
    let f = fetcher(no_robots);
    let url = url::Url::parse(&format!("http://127.0.0.1:{port}/x")).expect("url");
    match f.fetch(&Request::new(url)).await {
        Outcome::Failed(fail) => {
            assert!(
                matches!(fail.error, FetchError::Connect { .. }),
                "{:?}",
                fail.error
            );
            assert_eq!((fail.attempts, fail.status), (3, None));
        }
        other => panic!("expected failure, got {other:?}"),
    }
}

#[tokio::test]
async fn slow_responses_time_out_and_are_retried() {
    let server = Server::start(|_| Reply {
        delay: Duration::from_secs(2),
        ..html("late")
    })
    .await;
    let f = fetcher(|c| {
        no_robots(c);
        c.total_timeout = Duration::from_millis(200);
        c.max_attempts = 2;
    });
    match f.fetch(&Request::new(server.url("/slow"))).await {
        Outcome::Failed(fail) => {
            assert!(
                matches!(fail.error, FetchError::Timeout { .. }),
                "{:?}",
                fail.error
            );
            assert_eq!(fail.attempts, 2);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(server.hits().len(), 2);
}

#[tokio::test]
async fn non_http_urls_fail_without_a_request() {
    let f = fetcher(|_| {});
    let url = url::Url::parse("ftp://127.0.0.1/file").expect("url");
    match f.fetch(&Request::new(url)).await {
        Outcome::Failed(fail) => {
            assert!(
                matches!(fail.error, FetchError::Unsupported { .. }),
                "{:?}",
                fail.error
            );
            assert_eq!(fail.attempts, 0);
            assert!(!fail.retry_later());
        }
        other => panic!("expected failure, got {other:?}"),
    }
}
