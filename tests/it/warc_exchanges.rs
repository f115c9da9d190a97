//! WARC records of exchanges the sample site does not produce (gzip, chunked, redirects,
//! a retried 503, a 404, a body not read), fetched from a scripted server on 127.0.0.1,
//! read back and, when `warcio` is on PATH, checked by it (`UNINEWS_REQUIRE_WARCIO=1`
//! makes a missing warcio a failure).

use crate::crawl_warc::warc;
use crate::support;

use std::collections::BTreeMap;
use std::sync::Arc;
use support::fast_fetch;
use uninews::fetch::{Fetcher, Outcome, Request};
use uninews::store::warc::{WarcArchiver, WarcConfig};
use warc::*;

use crate::fetch_net::server as scripted;

/// Encodings and framings the sample site does not produce: gzip, chunked, redirects,
/// a retried 503, a 404, a body not read. The archive keeps bodies as received and stays
/// valid for warcio.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_chunked_redirects_and_unread_bodies_are_archived_as_received() {
    use axum::http::header;
    use axum::response::IntoResponse;
    use scripted::{Reply, Server, chunked, gzip_stored, redirect, status};
    let text = "<p>压缩的新闻</p>".repeat(100);
    let gz = gzip_stored(text.as_bytes());
    let gz2 = gz.clone();
    let server = Server::start(move |hit| match hit.path.as_str() {
        "/gz" => Reply::from(
            (
                [
                    (header::CONTENT_TYPE, "text/html"),
                    (header::CONTENT_ENCODING, "gzip"),
                ],
                gz2.clone(),
            )
                .into_response(),
        ),
        "/moved" => redirect(301, "/gz"),
        "/chunked" => chunked(
            "text/html",
            vec![b"<p>one</p>".to_vec(), b"<p>two</p>".to_vec()],
        ),
        "/flaky" if hit.nth == 0 => status(503),
        "/flaky" => chunked("text/html", vec![b"<p>ok</p>".to_vec()]),
        "/doc.pdf" => Reply::from(
            ([(header::CONTENT_TYPE, "application/pdf")], vec![1u8; 9000]).into_response(),
        ),
        _ => {
            Reply::from((axum::http::StatusCode::NOT_FOUND, "<p>no such page</p>").into_response())
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let rec = Arc::new(
        WarcArchiver::open_with_info(dir.path(), &WarcConfig::default(), Vec::new()).unwrap(),
    );
    let f = Fetcher::with_recorder(fast_fetch(None), rec.clone()).unwrap();
    let mut ids = BTreeMap::new();
    for p in ["/moved", "/chunked", "/flaky", "/doc.pdf", "/missing"] {
        let id = match f.fetch(&Request::new(server.url(p)).html_only()).await {
            Outcome::Page(pg) => {
                if p == "/moved" {
                    assert_eq!(pg.body, text.as_bytes());
                }
                pg.response.record_id
            }
            Outcome::Skipped(s) => s.response.and_then(|r| r.record_id),
            Outcome::Failed(_) => None,
            other => panic!("{p}: {other:?}"),
        };
        ids.insert(p, id);
    }
    rec.close().unwrap();
    let files = warc_files(dir.path());
    let all: Vec<Rec> = files.iter().flat_map(|f| read_warc(f)).collect();
    check_every_record(&all);
    let by_id = index_by_id(&all);
    let responses = |path: &str| -> Vec<&Rec> {
        let uri = server.url(path).to_string();
        all.iter()
            .filter(|r| r.kind() == "response" && r.get("WARC-Target-URI") == Some(uri.as_str()))
            .collect()
    };
    // robots.txt (404) and every hop are there.
    assert_eq!(responses("/robots.txt").len(), 1);
    assert!(
        responses("/robots.txt")[0]
            .text()
            .starts_with("HTTP/1.1 404 Not Found\r\n")
    );
    assert!(responses("/moved")[0].text().contains("location: /gz\r\n"));
    let g = by_id[ids["/moved"].as_deref().unwrap()];
    assert_eq!(g.get("WARC-Target-URI"), Some(server.url("/gz").as_str()));
    assert_eq!(g.payload(), gz, "gzip stored as received");
    assert!(g.text().contains("content-encoding: gzip\r\n"));
    assert_eq!(g.get("WARC-Payload-Digest"), Some(sha1_b32(&gz).as_str()));
    let c = by_id[ids["/chunked"].as_deref().unwrap()];
    assert_eq!(c.payload(), b"<p>one</p><p>two</p>");
    let head = c.text();
    assert!(
        head.contains("x-archive-orig-transfer-encoding: chunked\r\n"),
        "{head}"
    );
    assert!(head.contains("content-length: 20\r\n"), "{head}");
    let flaky = responses("/flaky");
    assert_eq!(flaky.len(), 2, "both attempts archived");
    assert!(flaky[0].text().starts_with("HTTP/1.1 503 "));
    assert_eq!(flaky[0].get("WARC-Truncated"), Some("length"));
    assert_eq!(
        flaky[1].get("WARC-Record-ID"),
        ids["/flaky"].as_deref(),
        "the page carries the successful attempt's record"
    );
    let pdf = by_id[ids["/doc.pdf"].as_deref().unwrap()];
    assert_eq!(pdf.get("WARC-Truncated"), Some("length"));
    assert_eq!(pdf.get("WARC-Payload-Digest"), None);
    assert!(pdf.payload().is_empty());
    let head = pdf.text();
    assert!(
        head.contains("x-archive-orig-content-length: 9000\r\n"),
        "{head}"
    );
    assert!(head.ends_with("content-length: 0\r\n\r\n"), "{head}");
    let missing = responses("/missing");
    assert_eq!(missing[0].payload(), b"<p>no such page</p>");
    warcio_accepts(&files);
}
