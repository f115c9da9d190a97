//! Bodies: the size cap, gzip decoding, HTML-only mode and conditional requests.

use super::server::{Reply, Server, chunked, fetcher, gzip_stored, html};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use uninews::fetch::{FetchError, Outcome, Request, SkipReason};

fn no_robots(c: &mut uninews::fetch::FetchConfig) {
    c.obey_robots = false;
}

fn too_large(o: Outcome) -> bool {
    matches!(o, Outcome::Failed(f) if matches!(f.error, FetchError::BodyTooLarge { limit: 2048, .. }) && f.attempts == 1)
}

#[tokio::test]
async fn bodies_over_the_cap_fail_declared_or_streamed() {
    let server = Server::start(|hit| match hit.path.as_str() {
        "/big" => html(&"x".repeat(4096)),
        "/stream" => chunked("text/html", vec![vec![b'y'; 1000]; 5]),
        "/exact" => html(&"z".repeat(2048)),
        _ => chunked("text/html", vec![vec![b'k'; 1000]; 2]),
    })
    .await;
    let f = fetcher(|c| {
        no_robots(c);
        c.max_body_bytes = 2048;
    });
    assert!(too_large(f.fetch(&Request::new(server.url("/big"))).await));
    assert!(too_large(
        f.fetch(&Request::new(server.url("/stream"))).await
    ));
    match f.fetch(&Request::new(server.url("/exact"))).await {
        Outcome::Page(p) => assert_eq!(p.body.len(), 2048),
        other => panic!("a body of exactly the cap is fine, got {other:?}"),
    }
    match f.fetch(&Request::new(server.url("/small-stream"))).await {
        Outcome::Page(p) => assert_eq!(p.body, vec![b'k'; 2000]),
        other => panic!("expected a page, got {other:?}"),
    }
}

#[tokio::test]
async fn a_request_can_set_its_own_cap() {
    let server = Server::start(|_| chunked("image/png", vec![vec![b'p'; 1000]; 3])).await;
    let f = fetcher(|c| {
        no_robots(c);
        c.max_body_bytes = 2048;
    });
    // Above the fetcher's cap, within the request's own.
    match f
        .fetch(&Request::new(server.url("/a.png")).max_body(4096))
        .await
    {
        Outcome::Page(p) => assert_eq!(p.body.len(), 3000),
        other => panic!("a 3000-byte body under a 4096 cap is fine, got {other:?}"),
    }
    // Below it.
    let o = f
        .fetch(&Request::new(server.url("/b.png")).max_body(2999))
        .await;
    assert!(
        matches!(&o, Outcome::Failed(f) if matches!(f.error, FetchError::BodyTooLarge { limit: 2999, .. })),
        "{o:?}"
    );
}

#[tokio::test]
async fn gzip_is_decoded_and_the_cap_applies_to_decoded_bytes() {
    let text = "<p>压缩的新闻</p>".repeat(200);
    let gz = gzip_stored(text.as_bytes());
    let server = Server::start(move |hit| {
        let accepts = hit
            .headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("gzip"));
        if !accepts {
            return StatusCode::NOT_ACCEPTABLE.into();
        }
        let r = (
            [
                (header::CONTENT_TYPE, "text/html"),
                (header::CONTENT_ENCODING, "gzip"),
            ],
            gz.clone(),
        );
        Reply::from(r.into_response())
    })
    .await;
    let f = fetcher(no_robots);
    match f.fetch(&Request::new(server.url("/gz")).html_only()).await {
        Outcome::Page(p) => {
            assert_eq!(p.body, text.as_bytes());
            assert!(p.response.headers.get(header::CONTENT_ENCODING).is_none());
        }
        other => panic!("expected a page, got {other:?}"),
    }
    let capped = fetcher(|c| {
        no_robots(c);
        c.max_body_bytes = (text.len() - 1) as u64;
    });
    let r = capped.fetch(&Request::new(server.url("/gz"))).await;
    assert!(matches!(r, Outcome::Failed(f) if matches!(f.error, FetchError::BodyTooLarge { .. })));
}

#[tokio::test]
async fn html_only_skips_other_types_without_downloading() {
    let big = vec![0u8; 1 << 20];
    let server = Server::start(move |hit| match hit.path.as_str() {
        "/photo.jpg" => {
            Reply::from(([(header::CONTENT_TYPE, "image/jpeg")], big.clone()).into_response())
        }
        "/untyped" => Reply::from(axum::body::Body::from("<p>no content type</p>")),
        _ => html("<p>page</p>"),
    })
    .await;
    let f = fetcher(no_robots);
    match f
        .fetch(&Request::new(server.url("/photo.jpg")).html_only())
        .await
    {
        Outcome::Skipped(s) => {
            assert_eq!(
                s.reason,
                SkipReason::NotHtml {
                    content_type: "image/jpeg".into()
                }
            );
            assert_eq!(s.response.map(|r| r.status), Some(200));
        }
        other => panic!("expected a not-html skip, got {other:?}"),
    }
    assert!(
        f.host_stats()[0].bytes < 1 << 20,
        "the image body was not read"
    );
    assert!(matches!(
        f.fetch(&Request::new(server.url("/untyped")).html_only())
            .await,
        Outcome::Page(_)
    ));
    // Asking for any content downloads it.
    match f.fetch(&Request::new(server.url("/photo.jpg"))).await {
        Outcome::Page(p) => {
            assert_eq!(p.body.len(), 1 << 20);
            assert_eq!(p.response.content_type.as_deref(), Some("image/jpeg"));
        }
        other => panic!("expected the image, got {other:?}"),
    }
}

#[tokio::test]
async fn conditional_requests_end_in_not_modified() {
    let server = Server::start(|hit| {
        let inm = hit
            .headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok());
        let ims = hit
            .headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok());
        let lm = "Tue, 01 Oct 2024 08:00:00 GMT";
        let headers = [
            (header::ETAG, "\"v1\""),
            (header::LAST_MODIFIED, lm),
            (header::CONTENT_TYPE, "text/html"),
        ];
        if inm == Some("\"v1\"") || ims == Some(lm) {
            Reply::from((StatusCode::NOT_MODIFIED, headers).into_response())
        } else {
            Reply::from((headers, [("x-served-by", "test")], "<p>v1</p>").into_response())
        }
    })
    .await;
    let f = fetcher(no_robots);
    let url = server.url("/article");
    let (etag, lm) = match f.fetch(&Request::new(url.clone())).await {
        Outcome::Page(p) => {
            assert_eq!(
                p.response.headers.get("x-served-by").map(|v| v.as_bytes()),
                Some(&b"test"[..])
            );
            (p.response.etag, p.response.last_modified)
        }
        other => panic!("expected a page, got {other:?}"),
    };
    assert_eq!(etag.as_deref(), Some("\"v1\""));
    assert_eq!(lm.as_deref(), Some("Tue, 01 Oct 2024 08:00:00 GMT"));
    for (e, l) in [(etag.clone(), None), (None, lm.clone())] {
        match f.fetch(&Request::new(url.clone()).conditional(e, l)).await {
            Outcome::NotModified(r) => {
                assert_eq!(r.status, 304);
                assert_eq!(r.etag.as_deref(), Some("\"v1\""));
            }
            other => panic!("expected 304, got {other:?}"),
        }
    }
}
