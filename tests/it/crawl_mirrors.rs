//! End-to-end crawls of two offline mirrors of real university news sites, each served on
//! 127.0.0.1 from `../shared/sites/` in place (see `common/mirror.rs` for how files are
//! served), crawled with no site profile.
//!
//! - `cqjtu-yjszs`: a VSB/博达 site (live at `http://yjszs.cqjtu.edu.cn`) saved by Teleport
//!   Ultra: links keep the live URL in `tppabs="http://yjszs.cqjtu.edu.cn/..."`, some files
//!   are renamed (`info/1078/1591-1.htm` is the live `/info/1078/1591.htm`; the file
//!   `1591.htm` beside it is the same article saved from `/info//1078/1591.htm`), and
//!   out-of-bounds links are `javascript:if(confirm(...))window.location=...` wrappers.
//! - `fudan-cs`: a WebPlus/SudyTech site (live at `https://cs.fudan.edu.cn`) saved with
//!   `.html` where the live site says `.htm` (`24258/list.html`, `.../page.html`); links
//!   to pages it did not save still say `/xx/yy/cNaM/page.htm` and are 404 here.
//!
//! How links are read on loopback: the page's own host is 127.0.0.1, so every `tppabs`
//! (and every absolute link to the live host) is off scope. A link goes where the mirror's
//! `href` goes when that is in scope, and its `tppabs` original only says what kind of page
//! it is (a renamed `1591-1.htm` is still an article). The crawl therefore stores records at
//! the mirror's own paths; nothing is rewritten to the live host during the crawl.
//!
//! What is checked, per mirror:
//! 1. The expected articles are computed independently of the crawler's discovery code
//!    (`common/mirror_walk.rs`: plain regexes over the files, from the section list pages
//!    through their pagination to the article links whose files exist, site chrome aside).
//! 2. The crawl (unlimited rate, short backoff) stores each of them exactly once in
//!    `articles.jsonl`, compared by URL path on 127.0.0.1 (no normalisation: both sides are
//!    the mirror's own paths), and fetches no path twice. Every URL it gave up on is one the
//!    mirror does not hold (pages enumerated from a pager that were not saved, live-style
//!    `.htm` links). Extras (articles found that the expected set lacks) are listed on
//!    stderr and are not errors as long as they are article pages of the mirror: the
//!    crawler enumerates pages from the pager's count, which may reach pages no saved link
//!    leads to.
//! 3. For crawled pages byte-identical to a page of `../shared/corpus`, the record, mapped
//!    back to the live site (loopback origin to the live origin in every string, and the
//!    URL's `.html` to `.htm` where the manifest URL says `.htm`), is compared with the
//!    corpus label as `uninews::fixtures::check::compare` does, and with `Extractor::extract_bytes`
//!    on the corpus page at its manifest URL: it must differ from the label in no field
//!    where extract's record does not, and agree with extract's record on every field that
//!    does not depend on the host (differences in `images`/`attachments` are noted on
//!    stderr). Relative on purpose: the extraction engine changes independently. Teleport's
//!    renamed copies (`1591-1.htm`) are not byte-identical to the corpus page and are not
//!    compared.

use crate::common;
mod mirror;
mod mirror_walk;

use mirror::MirrorServer;
use mirror_walk::{Cms, expected_articles};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use uninews::crawl::{CrawlConfig, Quiet, Summary};
use uninews::extract::{Extractor, ProfileChoice};
use uninews::fetch::FetchConfig;
use uninews::selectors::ProfileSet;
use url::Url;

fn extractor() -> Extractor {
    Extractor::new(
        ProfileSet::builtin().expect("built-in profiles load"),
        ProfileChoice::Off,
    )
}

async fn crawl(server: &MirrorServer, starts: &[String], out: &Path) -> Summary {
    let urls = starts.iter().map(|p| server.url(p)).collect();
    let mut config = CrawlConfig::new(out, urls, extractor());
    config.fetch = FetchConfig {
        rate: None,
        per_host_concurrency: 8,
        global_concurrency: 8,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        max_attempts: 2,
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(20),
        total_timeout: Duration::from_secs(30),
        ..FetchConfig::default()
    };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let summary = uninews::crawl::run(config, Arc::new(Quiet), stop_rx)
        .await
        .expect("the crawl runs");
    drop(stop_tx);
    summary
}

/// The records of `articles.jsonl`.
fn records(out: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(out.join(uninews::crawl::RECORDS_FILE)).expect("records");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record per line"))
        .collect()
}

/// Every string in `v` with `from` replaced by `to`.
fn rewrite(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::String(s) if s.contains(from) => *s = s.replace(from, to),
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite(i, from, to)),
        Value::Object(map) => map.values_mut().for_each(|i| rewrite(i, from, to)),
        _ => {}
    }
}

/// One article page of the corpus.
struct CorpusPage {
    /// Its manifest URL (on the live site).
    url: String,
    label: PathBuf,
    /// Listed in the manifest as "also in sites/<site>".
    listed: bool,
}

/// The corpus article pages of `site`, by their bytes.
fn corpus_articles(corpus: &Path, site: &str) -> HashMap<Vec<u8>, CorpusPage> {
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv")).expect("manifest");
    let also = format!("also in sites/{site}");
    manifest
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c.len() > 2 && c[0].starts_with(&format!("{site}/")) && c[2] == "article")
        .map(|c| {
            let page = corpus.join(c[0]);
            let bytes = std::fs::read(&page).expect("corpus page");
            let p = CorpusPage {
                url: c[1].to_string(),
                label: page.with_extension("expected.json"),
                listed: c.get(5).is_some_and(|n| n.contains(&also)),
            };
            (bytes, p)
        })
        .collect()
}

/// The crawl's record of a corpus page, mapped back to the live site: the loopback
/// origin becomes the live one in every string, and the URL's `.html` becomes `.htm`
/// where the live URL says `.htm`.
fn to_live(record: &Value, origin: &str, live_url: &str) -> Value {
    let live = Url::parse(live_url).expect("manifest URL");
    let mut out = record.clone();
    rewrite(&mut out, origin, &live.origin().ascii_serialization());
    if let Some(Value::String(u)) = out.get_mut("url")
        && live_url.ends_with(".htm")
        && u.ends_with(".html")
    {
        u.pop();
    }
    if let Some(map) = out.as_object_mut() {
        map.remove("fetched_at");
    }
    out
}

/// Compare the crawl's records of corpus pages with their labels and with `extract`.
/// Returns how many pages were compared.
fn check_corpus(site: &str, server: &MirrorServer, found: &BTreeMap<String, Value>) -> usize {
    let Some(corpus) = common::shared_dir("corpus") else {
        return 0;
    };
    let pages = corpus_articles(&corpus, site);
    let mut compared = BTreeSet::new();
    for (path, record) in found {
        let file = server
            .file_for(path, None)
            .expect("a stored page is a mirror file");
        let bytes = std::fs::read(&file).expect("mirror file");
        let Some(page) = pages.get(&bytes) else {
            continue;
        };
        compared.insert(page.url.clone());
        let crawled = to_live(record, &server.origin(), &page.url);
        assert_eq!(
            crawled["url"],
            page.url.as_str(),
            "{path}: maps back to its live URL"
        );
        let live = Url::parse(&page.url).expect("manifest URL");
        let extracted = extractor().extract_bytes(&bytes, &live, None).record;
        let extracted = serde_json::to_value(&extracted).expect("record JSON");
        let label: Value =
            serde_json::from_str(&std::fs::read_to_string(&page.label).expect("label"))
                .expect("label JSON");
        let by_crawl = uninews::fixtures::check::compare(&label, &crawled);
        let by_extract = uninews::fixtures::check::compare(&label, &extracted);
        let extract_misses = uninews::fixtures::check::differing_fields(&by_extract);
        let worse: Vec<&str> = uninews::fixtures::check::differing_fields(&by_crawl)
            .into_iter()
            .filter(|f| !extract_misses.contains(f))
            .collect();
        assert!(
            worse.is_empty(),
            "{path} ({}): the crawl's record misses the label in {worse:?}, extract's does not:\n{}",
            page.url,
            uninews::fixtures::check::render(&by_crawl, "  ")
        );
        // Record fields that do not depend on the page's host.
        let text_fields = uninews::selectors::FIELD_NAMES.iter().chain(&["sections"]);
        for field in text_fields {
            assert_eq!(
                crawled[field], extracted[field],
                "{path}: `{field}`, crawl vs extract"
            );
        }
        for field in ["images", "attachments"] {
            if crawled[field] != extracted[field] {
                eprintln!(
                    "NOTE {site}{path}: `{field}` of crawl (mapped) and extract differ: {} vs {}",
                    crawled[field], extracted[field]
                );
            }
        }
    }
    // Every page the manifest says the mirror holds was compared, if the crawl reached it.
    for page in pages.values().filter(|p| p.listed) {
        let live = Url::parse(&page.url).expect("manifest URL");
        let html = format!("{}l", live.path());
        let path = [live.path(), html.as_str()]
            .into_iter()
            .find(|p| server.file_for(p, None).is_some());
        if path.is_some_and(|p| found.contains_key(p)) {
            assert!(
                compared.contains(&page.url),
                "{site}: corpus page {} was crawled but not compared",
                page.url
            );
        }
    }
    eprintln!(
        "{site}: {} crawled pages are corpus pages ({} of the {} listed as also in sites/{site})",
        compared.len(),
        pages
            .values()
            .filter(|p| p.listed && compared.contains(&p.url))
            .count(),
        pages.values().filter(|p| p.listed).count(),
    );
    compared.len()
}

async fn check_mirror(site: &str, cms: Cms) {
    let Some(root) = common::shared_dir(&format!("sites/{site}")) else {
        return;
    };
    let starts = cms.start_pages(&root);
    let (expected, chrome_only) = expected_articles(&root, cms, &starts);
    assert!(
        !starts.is_empty() && !expected.is_empty(),
        "{site}: nothing to crawl"
    );

    let server = MirrorServer::start(&root).await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let summary = crawl(&server, &starts, &out).await;
    assert!(summary.complete, "{site}: the crawl finished its queue");

    // Each expected article stored exactly once, at the mirror's own path.
    let mut found: BTreeMap<String, Value> = BTreeMap::new();
    for record in records(&out) {
        let url = Url::parse(record["url"].as_str().expect("record url")).expect("URL");
        assert_eq!(
            url.origin().ascii_serialization(),
            server.origin(),
            "{site}: stored at the mirror's origin"
        );
        let path = url.path().to_string();
        assert!(
            found.insert(path.clone(), record).is_none(),
            "{site}: {path} stored twice"
        );
    }
    let missing: Vec<(&String, &String)> = expected
        .iter()
        .filter(|(p, _)| !found.contains_key(*p))
        .collect();
    assert!(
        missing.is_empty(),
        "{site}: {} of {} expected articles not stored (path, linked from): {missing:#?}",
        missing.len(),
        expected.len()
    );
    let requests = server.requests();
    for path in expected.keys() {
        assert_eq!(requests.get(path), Some(&1), "{site}: {path} fetched once");
    }

    // Extras: article-shaped pages (Teleport's renamed `-N.htm` files included).
    let extras: Vec<&String> = found
        .keys()
        .filter(|p| !expected.contains_key(*p))
        .collect();
    for p in &extras {
        assert!(
            cms.is_article_file(p),
            "{site}: extra {p} is not an article page"
        );
    }
    // Failures: only what the mirror does not hold.
    let state = uninews::frontier::CrawlState::open_dir(&out).expect("crawl state");
    let failures = state.failures(usize::MAX).expect("failures");
    assert_eq!(
        failures.len() as u64,
        summary.failed_total(),
        "{site}: failures"
    );
    for f in &failures {
        let u = Url::parse(&f.url).expect("failed URL");
        assert!(
            server.file_for(u.path(), u.query()).is_none(),
            "{site}: the crawl gave up on {}, which the mirror holds: {}",
            f.url,
            f.error
        );
    }
    // Nothing was fetched twice.
    let again: Vec<_> = requests.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        again.is_empty(),
        "{site}: fetched more than once: {again:?}"
    );
    let compared = check_corpus(site, &server, &found);
    eprintln!(
        "{site}: {} start pages, {} expected articles (not expected, linked only by the site chrome: {chrome_only:?}), {} stored, {} extras {extras:?}, {} lists fetched, {} failed (not in the mirror), {compared} compared with the corpus",
        starts.len(),
        expected.len(),
        found.len(),
        extras.len(),
        summary.run.lists,
        summary.run.failed,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vsb_teleport_mirror_cqjtu() {
    check_mirror("cqjtu-yjszs", Cms::Vsb).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webplus_mirror_fudan_cs() {
    check_mirror("fudan-cs", Cms::WebPlus).await;
}

/// The mirror server itself, on a folder written here.
#[tokio::test]
async fn mirror_server_serves_files_as_they_are() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    let files = [
        "a.htm",
        "sub dir/x.html",
        "list.jsp?id=1",
        "docs/index.html",
        "f.pdf",
    ];
    for f in files {
        let path = root.join(f);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, f).expect("write");
    }
    std::fs::write(tmp.path().join("secret"), "outside").expect("write");
    let server = MirrorServer::start(&root).await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let get = async |path: &str| {
        let r = client.get(server.url(path)).send().await.expect("response");
        let ct = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().expect("ASCII").to_string());
        (r.status().as_u16(), ct, r.text().await.expect("body"))
    };
    let html = Some("text/html".to_string());
    assert_eq!(get("/a.htm").await, (200, html.clone(), "a.htm".into()));
    assert_eq!(get("/a.html").await.0, 404, "no .htm/.html fallback");
    assert_eq!(
        get("/sub%20dir/x.html").await,
        (200, html.clone(), "sub dir/x.html".into())
    );
    assert_eq!(get("/list.jsp?id=1").await.2, "list.jsp?id=1");
    assert_eq!(get("/list.jsp?id=2").await.0, 404);
    assert_eq!(get("/a.htm?x=1").await.0, 404, "a query names another file");
    assert_eq!(get("/docs/").await.2, "docs/index.html");
    assert_eq!(get("/f.pdf").await.1.as_deref(), Some("application/pdf"));
    assert_eq!(
        get("/sub%2F..%2F..%2Fsecret").await.0,
        404,
        "no way out of the folder"
    );
    assert_eq!(get("/robots.txt").await.0, 404);
    get("/a.htm").await;
    let counts = server.requests();
    assert_eq!(counts.get("/a.htm"), Some(&2));
    assert_eq!(
        counts.get("/sub dir/x.html"),
        Some(&1),
        "counted by decoded path"
    );
    assert_eq!(counts.get("/list.jsp?id=2"), Some(&1));
}
