//! The crawler against a site that misbehaves on purpose (a loopback server, one scenario
//! per misbehaviour): every crawl must end within a bound, store every good article once,
//! keep its files inside `--out` (paths are built of normal components only: see
//! `store::pages` and the path property), and leave a folder its next run accepts.
//!
//! `scripts/hostile.sh` runs each scenario as its own process and measures its time and
//! peak RSS; `scripts/fuzz.sh` runs the property tests long. Body caps, bombs and broken
//! framing are tested in `fetch_net/body.rs` (see `docs/hostile.md`).

use crate::support::{crawl_within, fast_fetch, paths, records};
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uninews::crawl::{CrawlConfig, TrapGuards};
use uninews::extract::{Extractor, ProfileChoice};
use uninews::selectors::ProfileSet;
use url::Url;

/// What `/robots.txt` does.
#[derive(Clone)]
enum Robots {
    /// 200 with this body.
    Text(String),
    /// This status.
    Status(u16),
    /// A redirect to itself.
    Loop,
    /// A redirect to the same host and port over https (the server speaks plain http).
    ToHttps,
}

/// The hostile site's behaviour.
#[derive(Clone)]
struct Site {
    robots: Robots,
    /// List pages (`/news/?page=N`, N from 1); `None` = endless.
    pages: Option<u32>,
    /// Articles per list page.
    per_page: u32,
    /// Extra hrefs in page 1's list.
    extra: Vec<String>,
}

#[derive(Clone)]
struct Shared {
    site: Arc<Site>,
    port: u16,
    hits: Arc<Mutex<Vec<String>>>,
}

fn article_path(n: u32) -> String {
    format!("/2024/05/story-{n}.html")
}

fn list_page(site: &Site, n: u32) -> String {
    let mut items = String::new();
    for k in 0..site.per_page {
        let a = (n - 1) * site.per_page + k;
        items.push_str(&format!(
            "<li><a href=\"{}\">The university opens a new research centre, report number {a}</a></li>\n",
            article_path(a)
        ));
    }
    if n == 1 {
        for (i, href) in site.extra.iter().enumerate() {
            items.push_str(&format!(
                "<li><a href=\"{href}\">An unusual link on the list page, entry number {i}</a></li>\n"
            ));
        }
    }
    let next = match site.pages {
        Some(last) if n >= last => String::new(),
        _ => format!("<a href=\"?page={}\">下一页</a>", n + 1),
    };
    format!(
        "<html><head><title>News</title></head><body><div class=\"content\"><ul class=\"items\">\n{items}</ul>\n<div class=\"pager\">{next}</div></div></body></html>"
    )
}

fn article(path: &str) -> String {
    format!(
        "<html><head><title>Story</title></head><body><article><h1>Story at {}</h1>\
         <p>The university announced today that its new research centre will open next \
         month, with laboratories for physics, chemistry and biology.</p>\
         <p>Students and staff are invited to the opening ceremony.</p></article></body></html>",
        path.len()
    )
}

async fn handle(State(s): State<Shared>, uri: Uri) -> Response {
    let path = uri.path().to_string();
    s.hits
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(uri.to_string());
    let html =
        |body: String| ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response();
    if path == "/robots.txt" {
        return match &s.site.robots {
            Robots::Text(t) => ([(header::CONTENT_TYPE, "text/plain")], t.clone()).into_response(),
            Robots::Status(c) => StatusCode::from_u16(*c)
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response(),
            Robots::Loop => {
                (StatusCode::FOUND, [(header::LOCATION, "/robots.txt")]).into_response()
            }
            Robots::ToHttps => (
                StatusCode::MOVED_PERMANENTLY,
                [(
                    header::LOCATION,
                    format!("https://127.0.0.1:{}/robots.txt", s.port),
                )],
            )
                .into_response(),
        };
    }
    if path == "/news/" {
        let n = uri
            .query()
            .and_then(|q| q.strip_prefix("page="))
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(1);
        if s.site.pages.is_some_and(|last| n > last) || n == 0 {
            return StatusCode::NOT_FOUND.into_response();
        }
        return html(list_page(&s.site, n));
    }
    if path.ends_with(".html") || path.ends_with(".htm") {
        return html(article(&path));
    }
    StatusCode::NOT_FOUND.into_response()
}

/// A running hostile server and its request log.
struct Hostile {
    port: u16,
    hits: Arc<Mutex<Vec<String>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Hostile {
    async fn start(site: Site) -> Hostile {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let hits = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            site: Arc::new(site),
            port,
            hits: hits.clone(),
        };
        let app = axum::Router::new().fallback(handle).with_state(shared);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Hostile {
            port,
            hits,
            _task: task,
        }
    }

    fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1:{}{path}", self.port)).expect("url")
    }

    fn hits(&self) -> Vec<String> {
        self.hits.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

fn site(robots: Robots) -> Site {
    Site {
        robots,
        pages: Some(2),
        per_page: 5,
        extra: Vec::new(),
    }
}

/// A site whose `?page=N` pagination never ends, `per_page` articles a page.
fn endless(per_page: u32) -> Site {
    Site {
        pages: None,
        per_page,
        ..site(Robots::Status(404))
    }
}

fn config(server: &Hostile, out: &Path) -> CrawlConfig {
    let extractor = Extractor::new(
        ProfileSet::builtin().expect("built-in profiles"),
        ProfileChoice::ByHost,
    );
    let mut c = CrawlConfig::new(out, vec![server.url("/news/")], extractor);
    c.fetch = fast_fetch(None);
    c.fetch.robots_retry_after = Duration::from_millis(200);
    c.fetch.robots_max_tries = 3;
    c
}

/// The good articles of a site of `pages` × `per_page` are stored exactly once each.
fn assert_good_articles_once(out: &Path, pages: u32, per_page: u32) {
    let recs = records(out);
    let counts = paths(&recs);
    for a in 0..pages * per_page {
        assert_eq!(
            counts.get(&article_path(a)).copied(),
            Some(1),
            "{} stored once",
            article_path(a)
        );
    }
}

/// Every file under `out` is a regular file or folder inside it (no symlinks out).
fn assert_contained(out: &Path) {
    let mut stack = vec![out.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let e = e.expect("entry");
            let t = e.file_type().expect("type");
            assert!(!t.is_symlink(), "{}", e.path().display());
            if t.is_dir() {
                stack.push(e.path());
            }
        }
    }
}

#[tokio::test]
async fn deep_and_colliding_paths_fail_nothing_and_resume_cleanly() {
    let deep = format!("/2024/05/{}deep.html", "d/".repeat(3000));
    let mut s = site(Robots::Status(404));
    s.extra = vec![
        deep.clone(),
        "/2024/05/19.htm".into(),
        "/2024/05/19.htm.html/2024/05/20.htm".into(),
        format!("/2024/05/{}.html", "长".repeat(300)),
        "/2024/05/a:b.html".into(),
        "/2024/05/a_b.html".into(),
    ];
    let server = Hostile::start(s).await;
    let out = tempfile::tempdir().expect("tempdir");
    let summary = crawl_within(config(&server, out.path()), Duration::from_secs(60)).await;
    assert_eq!(summary.failed_total(), 0, "{:?}", summary.failures);
    let counts = paths(&records(out.path()));
    assert_good_articles_once(out.path(), 2, 5);
    for p in [
        "/2024/05/19.htm",
        "/2024/05/19.htm.html/2024/05/20.htm",
        "/2024/05/a:b.html",
        "/2024/05/a_b.html",
    ] {
        assert_eq!(counts.get(p).copied(), Some(1), "{p} stored once");
    }
    assert!(
        counts.keys().any(|k| k.ends_with("/deep.html")),
        "the deep page is stored"
    );
    assert_contained(out.path());
    // The folder's own next run accepts it and finishes.
    let again = crawl_within(config(&server, out.path()), Duration::from_secs(60)).await;
    assert!(again.complete, "second pass completes");
    assert_eq!(again.failed_total(), 0);
    assert_good_articles_once(out.path(), 2, 5);
}

#[tokio::test]
async fn a_robots_txt_that_answers_5xx_ends_the_crawl_with_failures() {
    let server = Hostile::start(site(Robots::Status(503))).await;
    let out = tempfile::tempdir().expect("tempdir");
    let summary = crawl_within(config(&server, out.path()), Duration::from_secs(60)).await;
    assert!(
        summary.failures_by_cause.contains_key("robots-unavailable"),
        "{:?}",
        summary.failures_by_cause
    );
    assert!(summary.failed_total() >= 1);
    assert!(
        !server.hits().iter().any(|h| h.starts_with("/news/")),
        "no page of a host whose robots.txt is unavailable is fetched"
    );
}

#[tokio::test]
async fn a_robots_redirect_to_https_on_a_plain_port_ends_the_crawl() {
    let server = Hostile::start(site(Robots::ToHttps)).await;
    let out = tempfile::tempdir().expect("tempdir");
    let summary = crawl_within(config(&server, out.path()), Duration::from_secs(60)).await;
    assert!(
        summary.failures_by_cause.contains_key("robots-unavailable"),
        "{:?}",
        summary.failures_by_cause
    );
}

#[tokio::test]
async fn a_robots_redirect_loop_means_allow() {
    let server = Hostile::start(site(Robots::Loop)).await;
    let out = tempfile::tempdir().expect("tempdir");
    let summary = crawl_within(config(&server, out.path()), Duration::from_secs(60)).await;
    assert_eq!(summary.failed_total(), 0, "{:?}", summary.failures);
    assert_good_articles_once(out.path(), 2, 5);
}

#[tokio::test]
async fn an_oversized_robots_txt_is_parsed_up_to_500_kib() {
    let mut robots = String::from("User-agent: *\nDisallow: /private/\n");
    while robots.len() < 600 * 1024 {
        robots
            .push_str("# a long comment line that pads the robots.txt file well past its limit\n");
    }
    robots.push_str("Disallow: /2024/\n"); // beyond 500 KiB: never read
    let mut s = site(Robots::Text(robots));
    s.extra = vec!["/private/secret.html".into()];
    let server = Hostile::start(s).await;
    let out = tempfile::tempdir().expect("tempdir");
    let summary = crawl_within(config(&server, out.path()), Duration::from_secs(60)).await;
    assert_good_articles_once(out.path(), 2, 5);
    assert!(summary.run.skipped >= 1, "the disallowed page is skipped");
    assert!(
        !server.hits().iter().any(|h| h.starts_with("/private/")),
        "the rule in the first 500 KiB holds"
    );
}

#[tokio::test]
async fn links_to_another_port_of_the_host_are_not_followed() {
    let other = Hostile::start(site(Robots::Status(404))).await;
    let mut s = site(Robots::Status(404));
    s.extra = vec![format!(
        "http://127.0.0.1:{}/2024/05/probe.html",
        other.port
    )];
    let server = Hostile::start(s).await;
    let out = tempfile::tempdir().expect("tempdir");
    let summary = crawl_within(config(&server, out.path()), Duration::from_secs(60)).await;
    assert_eq!(summary.failed_total(), 0);
    assert_good_articles_once(out.path(), 2, 5);
    assert!(
        other.hits().is_empty(),
        "the other port was probed: {:?}",
        other.hits()
    );
}

#[tokio::test]
async fn endless_pagination_stops_at_the_list_depth_guard() {
    let server = Hostile::start(endless(2)).await;
    let out = tempfile::tempdir().expect("tempdir");
    let mut c = config(&server, out.path());
    c.guards = TrapGuards {
        max_list_depth: Some(30),
        ..TrapGuards::default()
    };
    let summary = crawl_within(c, Duration::from_secs(60)).await;
    assert!(summary.run.guards.list_depth >= 1, "the guard is reported");
    let lists: BTreeSet<String> = server
        .hits()
        .into_iter()
        .filter(|h| h.starts_with("/news/"))
        .collect();
    assert!(lists.len() <= 32, "{} list pages fetched", lists.len());
    assert!(lists.len() >= 30, "{} list pages fetched", lists.len());
}

#[tokio::test]
async fn a_host_budget_caps_the_urls_queued_per_pass() {
    let server = Hostile::start(endless(10)).await;
    let out = tempfile::tempdir().expect("tempdir");
    let mut c = config(&server, out.path());
    c.guards = TrapGuards {
        max_urls_per_host: Some(50),
        ..TrapGuards::default()
    };
    let summary = crawl_within(c, Duration::from_secs(60)).await;
    let hits = summary.run.guards.host_budget.values().sum::<u64>();
    assert!(
        hits >= 1,
        "the budget is reported: {:?}",
        summary.run.guards
    );
    // The start URL plus at most 50 queued URLs.
    assert!(server.hits().iter().filter(|h| *h != "/robots.txt").count() <= 51);
}

#[tokio::test]
async fn a_page_that_cannot_be_stored_fails_its_url_and_the_crawl_goes_on() {
    let server = Hostile::start(site(Robots::Status(404))).await;
    let out = tempfile::tempdir().expect("tempdir");
    // A file where the host's page folder must go: every page write fails (ENOTDIR),
    // also for root, whom permissions would not stop.
    let pages = out.path().join(uninews::crawl::PAGES_DIR);
    std::fs::create_dir_all(&pages).expect("pages dir");
    std::fs::write(pages.join(format!("127.0.0.1_{}", server.port)), b"x").expect("blocker");
    let summary = crawl_within(config(&server, out.path()), Duration::from_secs(60)).await;
    assert_eq!(
        summary.failures_by_cause.get("store").copied(),
        Some(summary.failed_total()),
        "every failure is a store failure: {:?}",
        summary.failures_by_cause
    );
    assert!(summary.failed_total() >= 1);
    assert!(
        records(out.path()).is_empty(),
        "no record without its stored page"
    );
}
