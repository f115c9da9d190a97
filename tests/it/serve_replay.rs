//! `uninews serve`: a crawl replayed on 127.0.0.1 and crawled again gives identical
//! records, without a single request to the original site; and the replay's HTTP
//! behaviour (content types, validators, hosts, redirects, robots.txt, 404); mirrored
//! images and attachments are replayed too.

use crate::support;

use support::*;
use uninews::record::Record;
use uninews::serve::ReplayServer;
use uninews_sample::{ServerConfig, SiteConfig};

/// Every `.meta.json` under `dir`.
fn metas(dir: &std::path::Path) -> Vec<uninews::store::PageMeta> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(metas(&path));
        } else if path.to_string_lossy().ends_with(".meta.json") {
            out.push(serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap());
        }
    }
    out
}

/// Records as comparable JSON: origin rewritten to `ORIGIN`, `fetched_at` dropped, sorted.
fn comparable(records: Vec<Record>, origin: &str) -> Vec<String> {
    let mut out: Vec<String> = records
        .into_iter()
        .map(|mut r| {
            assert!(r.fetched_at.take().is_some());
            serde_json::to_string(&r).unwrap().replace(origin, "ORIGIN")
        })
        .collect();
    out.sort();
    out
}

/// A crawl of the replay into `out`, from the sample site's start pages at the replay.
fn replay_config(
    site: &uninews_sample::SampleServer,
    replay: &ReplayServer,
    out: &std::path::Path,
) -> uninews::crawl::CrawlConfig {
    let starts: Vec<url::Url> = site
        .site()
        .start_paths()
        .iter()
        .map(|p| replay.base_url().join(p).unwrap())
        .collect();
    let mut cfg = config(site, out, fast_fetch(None));
    cfg.scope = uninews::frontier::Scope::of_urls(&starts);
    cfg.start_urls = starts;
    cfg
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_of_the_replay_gives_identical_records() {
    // 30 articles per section: every 10th is GBK, so charsets are replayed too.
    let site = server(ServerConfig::new(SiteConfig::default().with_articles(30))).await;
    let work = tempfile::tempdir().unwrap();
    let (first, second) = (work.path().join("first"), work.path().join("second"));
    let s1 = crawl(config(&site, &first, fast_fetch(None))).await;
    assert!(s1.complete && s1.failed_total() == 0, "{s1:?}");

    let replay = ReplayServer::start(&first, 0).await.expect("replay starts");
    site.clear_requests();
    let s2 = crawl(replay_config(&site, &replay, &second)).await;
    assert!(s2.complete && s2.failed_total() == 0, "{s2:?}");
    assert_eq!(
        site.requests().len(),
        0,
        "the replay never asks the original site"
    );
    // robots.txt decisions are replayed: the same private pages are skipped.
    assert_eq!(s2.run.skipped, s1.run.skipped);
    assert_eq!(s2.run.skipped, site.site().private_pages().len() as u64);

    let a = comparable(records(&first), site.base_url().as_str());
    let b = comparable(records(&second), replay.base_url().as_str());
    assert_eq!(a.len(), 60);
    assert_eq!(a, b);
    // Some replayed pages were GBK, declared in the HTTP header (for some, only there).
    let gbk_header = metas(&first.join("pages"))
        .iter()
        .filter(|m| {
            m.content_type
                .as_deref()
                .is_some_and(|c| c.to_ascii_lowercase().contains("gbk"))
        })
        .count();
    assert!(gbk_header > 0, "the sample site serves GBK pages");
    replay.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_replay_answers_like_the_crawled_site() {
    let site = server(ServerConfig::new(SiteConfig::default().with_articles(10))).await;
    let dir = tempfile::tempdir().unwrap();
    crawl(config(&site, dir.path(), fast_fetch(None))).await;
    // An article edited on the site and re-fetched: the replay serves the new version.
    let edited = site.site().section_articles("xyxw").unwrap()[3].clone();
    site.edit_article(&edited).unwrap();
    let mut again = config(&site, dir.path(), fast_fetch(None));
    again.recrawl.refresh = true;
    let s = crawl(again).await;
    assert_eq!(s.run.changed, 1, "{s:?}");

    let replay = ReplayServer::start(dir.path(), 0).await.unwrap();
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(replay.base_url().join(path).unwrap());
    let live = |path: &str| client.get(site.url(path));

    // Every article: the same bytes and Content-Type as the site serves (GBK included).
    for path in site.site().articles() {
        let want = live(&path).send().await.unwrap();
        let want_type = want.headers()["content-type"].clone();
        let want_body = want.bytes().await.unwrap();
        let got = get(&path).send().await.unwrap();
        assert_eq!(got.status(), 200, "{path}");
        assert_eq!(got.headers()["content-type"], want_type, "{path}");
        assert_eq!(got.bytes().await.unwrap(), want_body, "{path}");
    }

    // Validators are replayed: a matching If-None-Match gets 304.
    let first = get(&edited).send().await.unwrap();
    let etag = first.headers()["etag"].clone();
    let cond = get(&edited)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cond.status(), 304);
    let head = client
        .head(replay.base_url().join(&edited).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert!(head.bytes().await.unwrap().is_empty());
    let post = client
        .post(replay.base_url().join(&edited).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(get("/not/crawled.htm").send().await.unwrap().status(), 404);
    let robots = get("/robots.txt")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for p in site.site().private_pages() {
        assert!(robots.contains(&format!("Disallow: {p}\n")), "{robots}");
    }
    // Asked with the crawled host's name, the replay answers as that host.
    let original_host = site.addr().to_string();
    let by_host = get(&edited)
        .header("host", &original_host)
        .send()
        .await
        .unwrap();
    assert_eq!(by_host.status(), 200);
    let other = get(&edited)
        .header("host", "127.0.0.1:1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        200,
        "an unknown host falls back to the path"
    );
    replay.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_and_attachments_are_replayed_and_mirrored_again_identically() {
    let site = server(ServerConfig::new(SiteConfig::default().with_articles(8))).await;
    let work = tempfile::tempdir().unwrap();
    let (first, second) = (work.path().join("first"), work.path().join("second"));
    let mut cfg = config(&site, &first, fast_fetch(None));
    cfg.assets.images = true;
    cfg.assets.attachments = true;
    let s1 = crawl(cfg).await;
    assert!(s1.complete && s1.failed_total() == 0, "{s1:?}");
    let recs = records(&first);
    let files: Vec<(String, String)> = recs
        .iter()
        .flat_map(|r| {
            let images = r.images.iter().map(|i| (i.src.clone(), i.local.clone()));
            let attachments = r
                .attachments
                .iter()
                .map(|a| (a.url.clone(), a.local.clone()));
            images.chain(attachments).collect::<Vec<_>>()
        })
        .map(|(u, l)| (u, l.expect("every file was mirrored")))
        .collect();
    assert!(
        files.iter().any(|(_, l)| l.starts_with("images/"))
            && files.iter().any(|(_, l)| l.starts_with("attachments/")),
        "{files:?}"
    );

    let replay = ReplayServer::start(&first, 0).await.expect("replay starts");
    site.clear_requests();
    let client = reqwest::Client::new();
    for (src, local) in &files {
        assert!(src.starts_with(site.base_url().as_str()), "{src}");
        let at = src.replacen(site.base_url().as_str(), replay.base_url().as_str(), 1);
        let got = client.get(&at).send().await.unwrap();
        assert_eq!(got.status(), 200, "{src}");
        assert_eq!(
            got.bytes().await.unwrap(),
            std::fs::read(first.join(local)).unwrap(),
            "{src} is served from {local}"
        );
    }

    // Mirroring the replay again gives the same records, local paths included: the files
    // are content-addressed, so the same bytes land at the same paths.
    let mut cfg = replay_config(&site, &replay, &second);
    cfg.assets.images = true;
    cfg.assets.attachments = true;
    let s2 = crawl(cfg).await;
    assert!(s2.complete && s2.failed_total() == 0, "{s2:?}");
    assert_eq!(site.requests().len(), 0, "the replay never asks the site");
    assert_eq!(s2.run.assets.downloaded, s1.run.assets.downloaded);
    let a = comparable(recs, site.base_url().as_str());
    let b = comparable(records(&second), replay.base_url().as_str());
    assert_eq!(a, b);
    replay.shutdown().await;
}
