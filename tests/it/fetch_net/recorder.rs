//! The exchange recorder hook: every exchange that got a response reaches the recorder
//! with what was sent and what was received (body as received: gzip stays gzip).

use super::server::{Reply, Server, chunked, gzip_stored, html, redirect, robots, status};
use axum::http::header;
use axum::response::IntoResponse;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uninews::fetch::{
    BodyEnd, Exchange, ExchangeRecorder, FetchConfig, Fetcher, Outcome, RecordError, Request,
};

/// One exchange as the recorder saw it (owned).
#[derive(Debug, Clone)]
struct Seen {
    url: String,
    request: Vec<(String, String)>,
    status: u16,
    response: Vec<(String, String)>,
    body: Vec<u8>,
    end: BodyEnd,
    ip: Option<std::net::IpAddr>,
}

impl Seen {
    fn req(&self, name: &str) -> Option<&str> {
        self.request
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn resp(&self, name: &str) -> Option<&str> {
        self.response
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
struct Collect(Mutex<Vec<Seen>>);

impl ExchangeRecorder for Collect {
    fn record(&self, ex: &Exchange<'_>) -> Result<Option<String>, RecordError> {
        let pairs = |m: &axum::http::HeaderMap| {
            m.iter()
                .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                .collect()
        };
        let mut v = self.0.lock().unwrap();
        v.push(Seen {
            url: ex.url.to_string(),
            request: pairs(ex.request_headers),
            status: ex.status.as_u16(),
            response: pairs(ex.response_headers),
            body: ex.body.to_vec(),
            end: ex.body_end,
            ip: ex.remote_ip,
        });
        Ok(Some(format!("rec-{}", v.len())))
    }
}

fn fetcher_with(rec: Arc<Collect>, tweak: impl FnOnce(&mut FetchConfig)) -> Fetcher {
    let mut c = FetchConfig {
        rate: Some(50.0),
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        max_attempts: 3,
        ..FetchConfig::default()
    };
    tweak(&mut c);
    Fetcher::with_recorder(c, rec).expect("fetcher")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_exchange_reaches_the_recorder_as_sent_and_received() {
    let text = "<p>压缩的新闻</p>".repeat(50);
    let gz = gzip_stored(text.as_bytes());
    let gz2 = gz.clone();
    let server = Server::start(move |hit| match hit.path.as_str() {
        "/robots.txt" => robots("User-agent: *\nDisallow: /private/\n"),
        "/old" => redirect(301, "/gz"),
        "/gz" => Reply::from(
            (
                [
                    (header::CONTENT_TYPE, "text/html"),
                    (header::CONTENT_ENCODING, "gzip"),
                    (header::ETAG, "\"g1\""),
                ],
                gz2.clone(),
            )
                .into_response(),
        ),
        "/flaky" if hit.nth == 0 => status(503),
        "/flaky" => chunked(
            "text/html",
            vec![b"<p>a</p>".to_vec(), b"<p>b</p>".to_vec()],
        ),
        "/file.pdf" => Reply::from(
            ([(header::CONTENT_TYPE, "application/pdf")], vec![7u8; 5000]).into_response(),
        ),
        _ => html("<p>x</p>"),
    })
    .await;
    let rec = Arc::new(Collect::default());
    let f = fetcher_with(rec.clone(), |_| {});

    let page = match f.fetch(&Request::new(server.url("/old")).html_only()).await {
        Outcome::Page(p) => p,
        other => panic!("expected a page, got {other:?}"),
    };
    // The crawl gets the decoded body; the recorder got the bytes as received.
    assert_eq!(page.body, text.as_bytes());
    let seen = rec.0.lock().unwrap().clone();
    let urls: Vec<&str> = seen.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            server.url("/robots.txt").as_str(),
            server.url("/old").as_str(),
            server.url("/gz").as_str()
        ]
    );
    assert_eq!(page.response.record_id.as_deref(), Some("rec-3"));
    let (robots_x, hop, gz_x) = (&seen[0], &seen[1], &seen[2]);
    assert_eq!(robots_x.status, 200);
    assert_eq!(robots_x.req("accept"), Some("*/*"));
    assert_eq!(hop.status, 301);
    assert_eq!(hop.resp("location"), Some("/gz"));
    assert_eq!(hop.end, BodyEnd::Complete);
    assert_eq!(gz_x.body, gz, "the archived body is the gzip as received");
    assert_eq!(gz_x.resp("content-encoding"), Some("gzip"));
    assert_eq!(
        gz_x.resp("content-length"),
        Some(gz.len().to_string().as_str())
    );
    assert!(page.response.headers.get("content-encoding").is_none());
    assert_eq!(gz_x.ip, Some("127.0.0.1".parse().unwrap()));
    // The request headers recorded are the ones the server received.
    let hit = &server.hits_for("/gz")[0];
    let names: Vec<&str> = gz_x.request.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["host", "user-agent", "accept", "accept-encoding"],
        "{:?}",
        gz_x.request
    );
    for (name, value) in &gz_x.request {
        let got = hit.headers.get(name.as_str()).map(|v| v.to_str().unwrap());
        assert_eq!(got, Some(value.as_str()), "{name}");
    }
    let mut server_names: Vec<&str> = hit.headers.keys().map(|k| k.as_str()).collect();
    server_names.sort();
    let mut ours = names.clone();
    ours.sort();
    assert_eq!(
        server_names, ours,
        "the server got exactly the recorded headers"
    );

    // A retried 503: both attempts recorded, the first with its body not read.
    rec.0.lock().unwrap().clear();
    let p = match f.fetch(&Request::new(server.url("/flaky"))).await {
        Outcome::Page(p) => p,
        other => panic!("expected a page, got {other:?}"),
    };
    let seen = rec.0.lock().unwrap().clone();
    assert_eq!(
        seen.iter().map(|s| (s.status, s.end)).collect::<Vec<_>>(),
        [(503, BodyEnd::NotRead), (200, BodyEnd::Complete)]
    );
    assert_eq!(seen[1].body, b"<p>a</p><p>b</p>");
    assert_eq!(seen[1].resp("transfer-encoding"), Some("chunked"));
    assert_eq!(p.response.record_id.as_deref(), Some("rec-2"));

    // A non-HTML answer to an HTML-only request: recorded, body not read.
    rec.0.lock().unwrap().clear();
    match f
        .fetch(&Request::new(server.url("/file.pdf")).html_only())
        .await
    {
        Outcome::Skipped(s) => {
            assert_eq!(
                s.response.and_then(|r| r.record_id).as_deref(),
                Some("rec-1")
            )
        }
        other => panic!("expected a skip, got {other:?}"),
    }
    let seen = rec.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].end, seen[0].body.len()), (BodyEnd::NotRead, 0));

    // A conditional request: the validators are recorded as sent.
    rec.0.lock().unwrap().clear();
    let req = Request::new(server.url("/gz")).conditional(Some("\"g1\"".into()), None);
    let _ = f.fetch(&req).await;
    let seen = rec.0.lock().unwrap().clone();
    assert_eq!(seen[0].req("if-none-match"), Some("\"g1\""));
}

#[tokio::test]
async fn brotli_bodies_are_decoded_for_the_crawl_and_kept_for_the_archive() {
    let text = "<p>brotli 新闻</p>".repeat(40);
    let mut w = brotli::CompressorWriter::new(Vec::new(), 4096, 9, 22);
    w.write_all(text.as_bytes()).unwrap();
    let br = w.into_inner();
    let br2 = br.clone();
    let server = Server::start(move |_| {
        Reply::from(
            (
                [
                    (header::CONTENT_TYPE, "text/html"),
                    (header::CONTENT_ENCODING, "br"),
                ],
                br2.clone(),
            )
                .into_response(),
        )
    })
    .await;
    let rec = Arc::new(Collect::default());
    let f = fetcher_with(rec.clone(), |c| c.obey_robots = false);
    match f.fetch(&Request::new(server.url("/a.htm"))).await {
        Outcome::Page(p) => assert_eq!(p.body, text.as_bytes()),
        other => panic!("expected a page, got {other:?}"),
    }
    assert_eq!(rec.0.lock().unwrap()[0].body, br);
    let hit = &server.hits()[0];
    assert_eq!(
        hit.headers.get(header::ACCEPT_ENCODING).unwrap(),
        "gzip, deflate, br"
    );
}
