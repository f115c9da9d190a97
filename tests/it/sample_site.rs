//! The sample site and its loopback server, end to end over HTTP: list pages and
//! pagination, robots.txt, conditional requests, images and attachments, GBK pages, the
//! request log, and (in the submodules) faults, live mutation and a 100,000-article site.

mod content;
mod faults;
mod large;
mod mutation;

use reqwest::StatusCode;
use scraper::{Html, Selector};
use std::collections::{HashMap, HashSet};
use uninews_sample::{RobotsConfig, SampleServer, ServerConfig, SiteConfig};
use url::Url;

/// A client that does not follow redirects (tests look at each hop).
pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("client")
}

pub async fn start(site: SiteConfig) -> SampleServer {
    SampleServer::start(ServerConfig::new(site))
        .await
        .expect("server starts")
}

pub async fn get(
    c: &reqwest::Client,
    url: &Url,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let r = c.get(url.clone()).send().await.expect("response");
    let status = r.status();
    let headers = r.headers().clone();
    (status, headers, r.bytes().await.expect("body").to_vec())
}

/// Decode a page the way the extractor will: HTTP charset, then the page's own.
pub fn text_of(headers: &reqwest::header::HeaderMap, body: &[u8]) -> String {
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    uninews::decode::decode(
        body,
        uninews::decode::charset_from_content_type(ct),
        Some("cn"),
    )
    .text
}

/// Every `href` matching `selector` in `html`, resolved against `page`.
pub fn links(page: &Url, html: &str, selector: &str) -> Vec<Url> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| !h.starts_with("javascript:"))
        .filter_map(|h| page.join(h).ok())
        .collect()
}

/// Walk one section's list pages by its CMS's own next-page link, checking that each page
/// links to exactly its articles; returns how often each article was linked.
async fn walk(
    server: &SampleServer,
    c: &reqwest::Client,
    first: &str,
    next_sel: &str,
    item_sel: &str,
) -> (usize, HashMap<String, usize>) {
    let site = server.site();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut url = server.url(first);
    let mut pages = 0;
    loop {
        let (status, headers, body) = get(c, &url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        let html = text_of(&headers, &body);
        let items: Vec<String> = links(&url, &html, item_sel)
            .iter()
            .map(|u| u.path().to_string())
            .collect();
        assert_eq!(
            Some(items.clone()),
            site.list_links(url.path()),
            "items of {url}"
        );
        for i in items {
            *seen.entry(i).or_default() += 1;
        }
        pages += 1;
        let next = links(&url, &html, next_sel);
        assert!(next.len() <= 1, "{url}: {next:?}");
        assert_eq!(
            next.first().map(|u| u.path().to_string()),
            site.next_list_page(url.path()),
            "next of {url}"
        );
        match next.into_iter().next() {
            Some(n) => url = n,
            None => break,
        }
    }
    (pages, seen)
}

#[tokio::test]
async fn pagination_reaches_every_article_exactly_once() {
    let server = start(SiteConfig::default().with_articles(95).with_per_page(20)).await;
    let c = client();
    let site = server.site();
    let (vsb_pages, vsb) = walk(
        &server,
        &c,
        "/xyxw.htm",
        "span.p_next a",
        "ul.list-news li a",
    )
    .await;
    let (wp_pages, wp) = walk(
        &server,
        &c,
        "/9364/list.htm",
        "ul.wp_paging a.next",
        "ul.wp_article_list a",
    )
    .await;
    assert_eq!((vsb_pages, wp_pages), (5, 5));
    for (key, seen) in [("xyxw", &vsb), ("sx", &wp)] {
        let want = site.section_articles(key).expect("section");
        assert_eq!(want.len(), 95);
        for a in &want {
            assert_eq!(seen.get(a), Some(&1), "{a} linked {:?} times", seen.get(a));
        }
    }
    assert_eq!(vsb.len(), 95 + 2, "plus the two pinned private pages");
    assert_eq!(wp.len(), 95);
    assert_eq!(site.list_pages().len(), 10);
    assert_eq!(site.start_paths(), ["/xyxw.htm", "/9364/list.htm"]);
    // The VSB paging text and the numbering of older pages.
    let (_, h, b) = get(&c, &server.url("/xyxw.htm")).await;
    let html = text_of(&h, &b);
    assert!(html.contains("共95条&nbsp;&nbsp;1/5"), "paging text");
    let old: Vec<String> = links(&server.url("/xyxw.htm"), &html, "span.p_no a")
        .iter()
        .map(|u| u.path().to_string())
        .collect();
    assert_eq!(old, ["/xyxw/4.htm", "/xyxw/3.htm", "/xyxw/1.htm"]);
    let (_, h, b) = get(&c, &server.url("/xyxw/1.htm")).await;
    let oldest = site
        .section_articles("xyxw")
        .expect("section")
        .pop()
        .expect("one");
    assert!(
        text_of(&h, &b).contains(&oldest[1..]),
        "page 1 holds the oldest article"
    );
}

#[tokio::test]
async fn home_robots_and_private_pages() {
    let server = start(SiteConfig::default().with_articles(30)).await;
    let c = client();
    let (status, _, body) = get(&c, &server.url("/")).await;
    assert_eq!(status, StatusCode::OK);
    let home = String::from_utf8(body).expect("utf-8");
    let targets: HashSet<String> = links(&server.base_url(), &home, "a")
        .iter()
        .map(|u| u.path().to_string())
        .collect();
    assert!(
        targets.contains("/xyxw.htm") && targets.contains("/9364/list.htm"),
        "{targets:?}"
    );
    let (status, headers, body) = get(&c, &server.url("/robots.txt")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/plain")
    );
    let robots = String::from_utf8(body).expect("utf-8");
    assert!(
        robots.contains("User-agent: *\nDisallow: /private/\n"),
        "{robots}"
    );
    assert!(!robots.contains("Crawl-delay"));
    let private = server.site().private_pages();
    assert_eq!(
        private,
        ["/private/info/1078/1.htm", "/private/info/1078/2.htm"]
    );
    let (_, h, b) = get(&c, &server.url("/xyxw.htm")).await;
    let listed: Vec<String> = links(&server.url("/xyxw.htm"), &text_of(&h, &b), "a")
        .iter()
        .map(|u| u.path().to_string())
        .collect();
    for p in &private {
        assert!(listed.contains(p), "{p} is linked from the list");
        assert_eq!(
            get(&c, &server.url(p)).await.0,
            StatusCode::OK,
            "{p} is served"
        );
    }
    assert_eq!(
        get(&c, &server.url("/no/such/page.htm")).await.0,
        StatusCode::NOT_FOUND
    );
    server.shutdown().await;

    let mut cfg = SiteConfig::default().with_articles(3);
    cfg.robots = Some(RobotsConfig {
        disallow_private: true,
        crawl_delay: Some(std::time::Duration::from_millis(1500)),
    });
    let server = start(cfg.clone()).await;
    let (_, _, body) = get(&c, &server.url("/robots.txt")).await;
    assert!(
        String::from_utf8(body)
            .expect("utf-8")
            .contains("Crawl-delay: 1.5\n")
    );
    cfg.robots = None;
    let server = start(cfg).await;
    assert_eq!(
        get(&c, &server.url("/robots.txt")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn conditional_requests_get_304() {
    let server = start(SiteConfig::default().with_articles(10)).await;
    let c = client();
    let site = server.site();
    for path in [
        site.articles()[3].as_str(),
        "/xyxw.htm",
        "/9364/list.htm",
        "/",
    ] {
        let url = server.url(path);
        let (status, h, _) = get(&c, &url).await;
        assert_eq!(status, StatusCode::OK);
        let etag = h["etag"].to_str().expect("ascii").to_string();
        let lm = h["last-modified"].to_str().expect("ascii").to_string();
        assert!(etag.starts_with('"') && lm.ends_with(" GMT"), "{etag} {lm}");
        let send =
            |name: &'static str, value: String| c.get(url.clone()).header(name, value).send();
        assert_eq!(
            send("if-none-match", etag.clone())
                .await
                .expect("r")
                .status(),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(
            send("if-none-match", format!("W/{etag}, \"x\""))
                .await
                .expect("r")
                .status(),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(
            send("if-none-match", "\"stale\"".into())
                .await
                .expect("r")
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            send("if-modified-since", lm.clone())
                .await
                .expect("r")
                .status(),
            StatusCode::NOT_MODIFIED
        );
        let older = "Sat, 01 Jan 2000 00:00:00 GMT".to_string();
        assert_eq!(
            send("if-modified-since", older).await.expect("r").status(),
            StatusCode::OK
        );
        let r = c
            .get(url.clone())
            .header("if-none-match", "\"stale\"")
            .header("if-modified-since", lm)
            .send()
            .await
            .expect("r");
        assert_eq!(
            r.status(),
            StatusCode::OK,
            "If-None-Match wins over If-Modified-Since"
        );
    }
    let log = server.requests();
    assert!(
        log.iter()
            .any(|r| r.if_none_match.is_some() && r.status == Some(304))
    );
    assert!(
        log.iter()
            .any(|r| r.if_modified_since.is_some() && r.status == Some(304))
    );
}

#[tokio::test]
async fn request_log_has_time_host_and_counts() {
    let server = start(SiteConfig::default().with_articles(5)).await;
    let c = client();
    for _ in 0..3 {
        get(&c, &server.url("/xyxw.htm")).await;
    }
    get(&c, &server.url("/robots.txt")).await;
    let log = server.requests();
    assert_eq!(log.len(), 4);
    assert_eq!(server.count("/xyxw.htm"), 3);
    assert_eq!(server.count("/robots.txt"), 1);
    assert_eq!(server.count("/9364/list.htm"), 0);
    assert!(log.windows(2).all(|w| w[0].at <= w[1].at));
    let host = format!("127.0.0.1:{}", server.addr().port());
    assert!(log.iter().all(|r| r.host.as_deref() == Some(host.as_str())
        && r.method == "GET"
        && r.status == Some(200)));
    server.clear_requests();
    assert!(server.requests().is_empty());
    let addr = server.addr();
    server.shutdown().await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "port closed after shutdown"
    );
}
