//! Pages a hostile (or just broken) server serves to garble decoding, crawled from a raw
//! loopback server (a `Content-Type` with a 0x7F byte cannot be sent through a regular
//! HTTP library): a UTF-8 page with a few invalid bytes, a GBK page labelled UTF-8, a
//! header with a byte outside visible ASCII, and an all-NUL page. Each good page is
//! stored once with readable text; the NUL page is skipped as `empty`, not an article.

use crate::support;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use uninews::crawl::CrawlConfig;
use uninews::extract::{Extractor, ProfileChoice};
use uninews::selectors::ProfileSet;
use url::Url;

/// A UTF-8 article page with 7 invalid bytes in its body text.
fn utf8_with_bad_bytes() -> Vec<u8> {
    let mut b = b"<html><head><meta charset=\"utf-8\"><title>\xe8\xbf\x99\xe6\x98\xaf\xe4\xb8\x80\xe6\x9d\xa1\xe6\x96\xb0\xe9\x97\xbb</title></head><body><h1>".to_vec();
    b.extend_from_slice("这是一条新闻：学校召开工作会议".as_bytes());
    b.extend_from_slice(b"</h1>");
    for bad in [0xFFu8, 0xC3, 0x80, 0xE4, 0xFE, 0xA0, 0x9F] {
        b.extend_from_slice(
            "<p>这是一条新闻，学校召开了工作会议，研究部署下一阶段的重点任务。".as_bytes(),
        );
        b.push(bad);
        b.extend_from_slice("会议要求各单位认真落实。</p>".as_bytes());
    }
    b.extend_from_slice(b"</body></html>");
    b
}

/// A GBK article page whose `<meta>` says UTF-8.
fn gbk_labelled_utf8() -> Vec<u8> {
    let html = "<html><head><meta charset=\"utf-8\"><title>党建工作会议召开</title></head><body><h1>党建工作会议召开</h1><p>各院级单位党组织高度重视，精心谋划，认真组织，扎实将学校党委的各项要求落实落细。</p><p>会议强调，要进一步提高政治站位，把各项工作抓实抓好。</p></body></html>";
    encoding_rs::GBK.encode(html).0.into_owned()
}

fn ascii_article(title: &str) -> Vec<u8> {
    format!("<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><p>学校召开会议，研究部署下一阶段工作，会议要求各单位认真落实各项任务。</p></body></html>").into_bytes()
}

/// The raw response for `path`: head lines (without the status line) and body.
fn reply(path: &str) -> (Vec<u8>, Vec<u8>) {
    let html = b"Content-Type: text/html; charset=utf-8\r\n".to_vec();
    match path {
        "/list.htm" => (
            html,
            b"<html><body><ul>\
              <li><a href=\"/info/1/1.htm\">UTF-8 with bad bytes</a></li>\
              <li><a href=\"/info/1/2.htm\">GBK labelled UTF-8</a></li>\
              <li><a href=\"/info/1/3.htm\">DEL in the Content-Type</a></li>\
              <li><a href=\"/info/1/4.htm\">all NUL</a></li>\
              </ul></body></html>"
                .to_vec(),
        ),
        "/info/1/1.htm" => (html, utf8_with_bad_bytes()),
        "/info/1/2.htm" => (b"Content-Type: text/html\r\n".to_vec(), gbk_labelled_utf8()),
        "/info/1/3.htm" => (
            b"Content-Type: text/html; charset=utf\x7f-8\r\n".to_vec(),
            ascii_article("控制字符标头的页面"),
        ),
        "/info/1/4.htm" => (html, vec![0u8; 4096]),
        _ => (Vec::new(), Vec::new()),
    }
}

/// Serve [`reply`] on 127.0.0.1, one request per connection; 404 for unknown paths.
async fn serve() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut req = Vec::new();
                let mut buf = [0u8; 4096];
                while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&req);
                let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
                let (head, body) = reply(&path);
                let status = if head.is_empty() {
                    "404 Not Found"
                } else {
                    "200 OK"
                };
                let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
                out.extend_from_slice(&head);
                out.extend_from_slice(
                    format!(
                        "Content-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .as_bytes(),
                );
                out.extend_from_slice(&body);
                let _ = sock.write_all(&out).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn hostile_pages_decode_locally_and_the_nul_page_is_no_article() {
    let addr = serve().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let start = Url::parse(&format!("http://127.0.0.1:{}/list.htm", addr.port())).expect("url");
    let extractor = Extractor::new(
        ProfileSet::builtin().expect("built-in profiles"),
        ProfileChoice::Off,
    );
    let mut config = CrawlConfig::new(&out, vec![start], extractor);
    config.fetch = support::fast_fetch(None);
    let summary = support::crawl_within(config, Duration::from_secs(60)).await;

    assert_eq!(summary.run.failed, 0, "{:?}", summary.failures);
    assert_eq!(summary.run.articles, 3, "{:?}", summary.run);
    assert_eq!(summary.run.skipped, 1, "the NUL page: {:?}", summary.run);
    let records = support::records(&out);
    let by_path = |p: &str| {
        records
            .iter()
            .find(|r| r.url.ends_with(p))
            .unwrap_or_else(|| panic!("no record for {p}: {records:?}"))
    };
    let utf8 = serde_json::to_string(by_path("/info/1/1.htm")).expect("json");
    assert!(utf8.contains("这是一条新闻"), "{utf8}");
    assert!(
        !utf8.contains("è¿™"),
        "decoded as UTF-8, not windows-1252: {utf8}"
    );
    let gbk = serde_json::to_string(by_path("/info/1/2.htm")).expect("json");
    assert!(gbk.contains("各院级单位党组织"), "GBK detected: {gbk}");
    assert_eq!(by_path("/info/1/3.htm").title, "控制字符标头的页面");
    assert!(records.iter().all(|r| !r.url.ends_with("/info/1/4.htm")));
    assert!(records.iter().all(|r| !r.title.is_empty()), "{records:?}");
}
