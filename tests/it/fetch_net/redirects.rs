//! Redirects, followed hop by hop: chains, loops, hop limits, scope and robots.

use super::server::{Server, fetcher, html, redirect, robots};
use std::sync::Arc;
use uninews::fetch::{FetchError, Outcome, Request, SkipReason};
use uninews::frontier::Scope;

async fn site() -> Server {
    Server::start(|hit| {
        let port = hit
            .headers
            .get("host")
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.rsplit(':').next())
            .unwrap_or("0")
            .to_string();
        match hit.path.as_str() {
            "/robots.txt" => robots("User-agent: *\nDisallow: /private/\n"),
            "/a" => redirect(301, "/b#frag"),
            "/b" => redirect(303, "c"),
            "/c" => html("<p>c</p>"),
            "/x" => redirect(302, "/y"),
            "/y" => redirect(302, "/x"),
            "/away" => redirect(302, &format!("http://localhost:{port}/elsewhere")),
            "/go" => redirect(307, "/private/secret"),
            "/bad" => redirect(302, "mailto:someone@example.edu"),
            p if p.starts_with("/n/") => {
                let n: u32 = p[3..].parse().unwrap_or(0);
                redirect(302, &format!("/n/{}", n + 1))
            }
            _ => html("<p>other</p>"),
        }
    })
    .await
}

#[tokio::test]
async fn a_chain_is_followed_to_its_end() {
    let s = site().await;
    let f = fetcher(|_| {});
    match f.fetch(&Request::new(s.url("/a"))).await {
        Outcome::Page(p) => {
            assert_eq!(p.response.final_url, s.url("/c"));
            assert_eq!(p.response.redirects, vec![s.url("/a"), s.url("/b")]);
            assert_eq!(p.response.url, s.url("/a"));
            assert_eq!(p.response.attempts, 3);
            assert_eq!(p.body, b"<p>c</p>");
        }
        other => panic!("expected a page, got {other:?}"),
    }
}

#[tokio::test]
async fn a_loop_is_detected() {
    let s = site().await;
    let f = fetcher(|_| {});
    match f.fetch(&Request::new(s.url("/x"))).await {
        Outcome::Failed(fail) => match fail.error {
            FetchError::RedirectLoop { target, .. } => assert_eq!(target, s.url("/x")),
            e => panic!("unexpected {e:?}"),
        },
        other => panic!("expected failure, got {other:?}"),
    }
    assert_eq!(s.hits_for("/x").len(), 1, "the loop is not walked twice");
}

#[tokio::test]
async fn too_many_hops_fail() {
    let s = site().await;
    let f = fetcher(|c| c.max_redirects = 3);
    match f.fetch(&Request::new(s.url("/n/0"))).await {
        Outcome::Failed(fail) => {
            assert!(
                matches!(fail.error, FetchError::TooManyRedirects { limit: 3, .. }),
                "{:?}",
                fail.error
            );
            assert_eq!(fail.last_url, s.url("/n/3"));
        }
        other => panic!("expected failure, got {other:?}"),
    }
    assert!(s.hits_for("/n/4").is_empty());
}

#[tokio::test]
async fn an_off_scope_redirect_is_reported_not_followed() {
    let s = site().await;
    let f = fetcher(|_| {});
    let scope = Arc::new(Scope::new(["127.0.0.1:*"]));
    let req = Request::new(s.url("/away")).within(scope.clone());
    match f.fetch(&req).await {
        Outcome::Skipped(sk) => {
            assert_eq!(
                sk.reason,
                SkipReason::OffScope {
                    url: s.url_at("localhost", "/elsewhere")
                }
            );
            assert_eq!(sk.redirects, vec![s.url("/away")]);
        }
        other => panic!("expected an off-scope skip, got {other:?}"),
    }
    assert!(
        s.hits().iter().all(|h| h.host == "127.0.0.1"),
        "nothing requested off scope"
    );
    // The request itself off scope: nothing at all is requested.
    let before = s.hits().len();
    let req = Request::new(s.url_at("localhost", "/c")).within(scope);
    assert!(matches!(f.fetch(&req).await, Outcome::Skipped(_)));
    assert_eq!(s.hits().len(), before);
}

#[tokio::test]
async fn a_redirect_to_a_disallowed_path_is_not_fetched() {
    let s = site().await;
    let f = fetcher(|_| {});
    match f.fetch(&Request::new(s.url("/go"))).await {
        Outcome::Skipped(sk) => assert_eq!(
            sk.reason,
            SkipReason::Robots {
                url: s.url("/private/secret")
            }
        ),
        other => panic!("expected a robots skip, got {other:?}"),
    }
    assert!(s.hits_for("/private/secret").is_empty());
}

#[tokio::test]
async fn a_redirect_to_a_non_http_location_fails() {
    let s = site().await;
    let f = fetcher(|_| {});
    match f.fetch(&Request::new(s.url("/bad"))).await {
        Outcome::Failed(fail) => assert!(
            matches!(fail.error, FetchError::BadRedirect { .. }),
            "{:?}",
            fail.error
        ),
        other => panic!("expected failure, got {other:?}"),
    }
}
