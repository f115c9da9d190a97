//! `--warc`: a crawl of the sample site on 127.0.0.1 archives every HTTP exchange as
//! WARC/1.1 records, read back here with a reader of this test's own (flate2 + manual
//! parsing) and, when `warcio` is on PATH, with the archivists' tool itself
//! (`warcio check`, `warcio index`). Set `UNINEWS_REQUIRE_WARCIO=1` to make a missing
//! warcio a failure instead of a skip (CI does). Covers rotation, article → record links,
//! revisits on a re-crawl and on 304, and `kill -9` of a real `uninews crawl --warc`.

use crate::support;
pub(crate) mod warc;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use support::*;
use uninews::fetch::{Fetcher, Outcome, Request};
use uninews::frontier::state::CrawlState;
use uninews::store::warc::{WarcArchiver, WarcConfig};
use uninews_sample::{ServerConfig, SiteConfig};
use warc::*;

const PROFILE_IDENTICAL: &str = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
const PROFILE_NOT_MODIFIED: &str = "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

/// A file closes once it reaches this: small, so the crawl rotates through many files.
const LIMIT: u64 = 20_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crawl_archives_every_exchange_and_a_recrawl_writes_revisits() {
    // No validators: the re-fetches are full 200s with the same bytes (a 304 would make a
    // server-not-modified revisit instead; the next test covers that).
    let server =
        server(ServerConfig::new(SiteConfig::default().with_articles(12)).validators(false)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&server, dir.path(), fast_fetch(None));
    cfg.warc = Some(WarcConfig {
        max_file_size: LIMIT,
    });
    let summary = crawl(cfg.clone()).await;
    assert!(summary.complete, "{summary:?}");
    let warc_dir = dir.path().join("warc");

    // --- Files: all closed, rotated at the limit, each starting with warcinfo. ---
    let files = warc_files(&warc_dir);
    assert!(files.len() >= 3, "expected rotation, got {files:?}");
    let mut all: Vec<Rec> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let recs = read_warc(f);
        assert_eq!(
            recs[0].get("WARC-Type"),
            Some("warcinfo"),
            "{}",
            f.display()
        );
        assert!(
            recs[0].text().contains("software: uninews/"),
            "{}",
            recs[0].text()
        );
        let len = std::fs::metadata(f).unwrap().len();
        if i + 1 < files.len() {
            assert!(len >= LIMIT, "{} closed early at {len}", f.display());
        }
        all.extend(recs);
    }
    check_every_record(&all);

    // --- Every request the server answered was archived, request and response. ---
    let served = server.requests();
    let requests: Vec<&Rec> = all.iter().filter(|r| r.kind() == "request").collect();
    assert_eq!(
        requests.len(),
        served.len(),
        "one request record per HTTP request the server saw"
    );
    let by_id = index_by_id(&all);
    let mut per_uri: BTreeMap<String, usize> = BTreeMap::new();
    for req in &requests {
        let uri = req.get("WARC-Target-URI").unwrap();
        *per_uri.entry(uri.to_string()).or_default() += 1;
        let resp = by_id[req.get("WARC-Concurrent-To").expect("Concurrent-To")];
        assert_eq!(resp.kind(), "response", "first crawl: no revisits");
        assert_eq!(resp.get("WARC-Target-URI"), Some(uri));
        assert_eq!(resp.get("WARC-Date"), req.get("WARC-Date"));
    }
    for r in &served {
        let uri = server.url(&r.path).to_string();
        assert!(per_uri.contains_key(&uri), "{uri} fetched but not archived");
    }
    assert!(per_uri.contains_key(&server.url("/robots.txt").to_string()));

    // --- Article records point at the response record of their page. ---
    let first = records(dir.path());
    assert_eq!(first.len(), 24);
    let state = CrawlState::open_dir(dir.path()).unwrap();
    let mut first_ids: BTreeMap<String, String> = BTreeMap::new();
    for rec in &first {
        let id = rec
            .warc_record_id
            .clone()
            .expect("article carries warc_record_id");
        let resp = by_id.get(id.as_str()).expect("the ID names a record");
        assert_eq!(resp.kind(), "response");
        assert_eq!(resp.get("WARC-Target-URI"), Some(rec.url.as_str()));
        let url = url::Url::parse(&rec.url).unwrap();
        let row = state.get(&url).unwrap().expect("URL in state");
        let page = dir.path().join("pages").join(row.page_path.unwrap());
        assert_eq!(
            resp.payload(),
            std::fs::read(&page).unwrap(),
            "the archived payload is the stored page"
        );
        first_ids.insert(rec.url.clone(), id);
    }

    // --- A second crawl re-fetching every page finds the same payloads: revisits. ---
    let fetched: BTreeSet<String> = served
        .iter()
        .filter(|r| r.path != "/robots.txt")
        .map(|r| server.url(&r.path).to_string())
        .collect();
    for u in &fetched {
        state.mark_pending(&url::Url::parse(u).unwrap()).unwrap();
    }
    drop(state);
    server.clear_requests();
    let summary = crawl(cfg).await;
    assert!(summary.complete, "{summary:?}");
    let files2 = warc_files(&warc_dir);
    assert!(files2.len() > files.len());
    let new_files: Vec<_> = files2.iter().filter(|f| !files.contains(f)).collect();
    let mut second: Vec<Rec> = Vec::new();
    for f in &new_files {
        second.extend(read_warc(f));
    }
    check_every_record(&second);
    let revisits: Vec<&Rec> = second.iter().filter(|r| r.kind() == "revisit").collect();
    let refetched = server.requests().len();
    assert_eq!(
        refetched,
        fetched.len() + 1,
        "every page again, and robots.txt"
    );
    assert_eq!(
        revisits.len(),
        refetched,
        "every re-fetched page (and robots.txt) came back identical and became a revisit"
    );
    assert_eq!(second.iter().filter(|r| r.kind() == "response").count(), 0);
    let both: Vec<Rec> = all.iter().chain(second.iter()).cloned().collect();
    let by_id = index_by_id(&both);
    for r in &revisits {
        assert_eq!(r.get("WARC-Profile"), Some(PROFILE_IDENTICAL));
        let target = by_id[r.get("WARC-Refers-To").unwrap()];
        assert_eq!(target.kind(), "response");
        assert_eq!(
            r.get("WARC-Refers-To-Target-URI"),
            target.get("WARC-Target-URI")
        );
        assert_eq!(r.get("WARC-Refers-To-Date"), target.get("WARC-Date"));
        assert_eq!(
            r.get("WARC-Payload-Digest"),
            target.get("WARC-Payload-Digest")
        );
    }
    // Unchanged articles add no records (records.jsonl holds versions, not fetches), and
    // each article's revisit refers to the response its record names.
    assert_eq!(records(dir.path()).len(), first.len(), "no new versions");
    for (url, id) in &first_ids {
        let r = revisits
            .iter()
            .find(|r| r.get("WARC-Target-URI") == Some(url.as_str()))
            .unwrap_or_else(|| panic!("no revisit for {url}"));
        assert_eq!(r.get("WARC-Refers-To"), Some(id.as_str()));
    }

    warcio_accepts(&files2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_modified_is_archived_as_a_server_not_modified_revisit() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(2))).await;
    let dir = tempfile::tempdir().unwrap();
    let rec = Arc::new(
        WarcArchiver::open_with_info(dir.path(), &WarcConfig::default(), Vec::new()).unwrap(),
    );
    let f = Fetcher::with_recorder(fast_fetch(None), rec.clone()).unwrap();
    let path = server.site().articles()[0].clone();
    let url = server.url(&path);
    let page = match f.fetch(&Request::new(url.clone()).html_only()).await {
        Outcome::Page(p) => p,
        other => panic!("expected a page, got {other:?}"),
    };
    let req = Request::new(url.clone())
        .html_only()
        .conditional(page.response.etag.clone(), None);
    let not_modified = match f.fetch(&req).await {
        Outcome::NotModified(r) => r,
        other => panic!("expected 304, got {other:?}"),
    };
    rec.close().unwrap();
    let files = warc_files(dir.path());
    let all: Vec<Rec> = files.iter().flat_map(|f| read_warc(f)).collect();
    check_every_record(&all);
    let by_id = index_by_id(&all);
    let revisit = by_id[not_modified.record_id.as_deref().unwrap()];
    assert_eq!(revisit.kind(), "revisit");
    assert_eq!(revisit.get("WARC-Profile"), Some(PROFILE_NOT_MODIFIED));
    assert_eq!(
        revisit.get("WARC-Refers-To"),
        page.response.record_id.as_deref()
    );
    assert!(revisit.block.starts_with(b"HTTP/1.1 304 Not Modified\r\n"));
    let request = all
        .iter()
        .find(|r| r.get("WARC-Concurrent-To") == Some(revisit.get("WARC-Record-ID").unwrap()))
        .unwrap();
    let etag = page.response.etag.unwrap();
    assert!(
        request
            .text()
            .contains(&format!("if-none-match: {etag}\r\n")),
        "{}",
        request.text()
    );
    warcio_accepts(&files);
}

/// With `--images --attachments`, the downloads are archived too: each mirrored file's
/// URL has a response record whose payload is the stored file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mirrored_images_and_attachments_are_archived() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(6))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&server, dir.path(), fast_fetch(None));
    cfg.warc = Some(WarcConfig::default());
    cfg.assets.images = true;
    cfg.assets.attachments = true;
    let summary = crawl(cfg).await;
    assert!(
        summary.complete && summary.failed_total() == 0,
        "{summary:?}"
    );
    let files = warc_files(&dir.path().join("warc"));
    let all: Vec<Rec> = files.iter().flat_map(|f| read_warc(f)).collect();
    check_every_record(&all);
    let mut mirrored = BTreeMap::new();
    for r in records(dir.path()) {
        for im in r.images {
            mirrored.insert(im.src, im.local.expect("image mirrored"));
        }
        for a in r.attachments {
            mirrored.insert(a.url, a.local.expect("attachment mirrored"));
        }
    }
    assert!(mirrored.len() > 5, "{mirrored:?}");
    for (url, local) in &mirrored {
        let response = all
            .iter()
            .find(|r| r.kind() == "response" && r.get("WARC-Target-URI") == Some(url.as_str()))
            .unwrap_or_else(|| panic!("no response record for {url}"));
        assert_eq!(
            response.payload(),
            std::fs::read(dir.path().join(local)).unwrap(),
            "{url}"
        );
    }
    warcio_accepts(&files);
}

/// `kill -9` of a real `uninews crawl --warc` several times, then the same command to
/// the end: no file is left open or torn, warcio accepts every file, every article
/// names a record that exists, and every revisit refers to a record that exists (the
/// index never names a record lost in a kill).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_leaves_only_whole_records_and_a_consistent_index() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(100))).await;
    let starts = start_urls(&server);
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        crawl_command(
            &starts,
            dir.path(),
            &[
                "--warc",
                "--warc-max-size",
                "30K",
                "--rate",
                "150",
                "--concurrency",
                "3",
                "--global-concurrency",
                "4",
            ],
        )
    };
    let jsonl = dir.path().join("articles.jsonl");
    let mut left_open = 0;
    for k in 1..=3 {
        kill_at_lines(&mut run(), &jsonl, k * 45).await;
        left_open += std::fs::read_dir(dir.path().join("warc"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".open")
            })
            .count();
    }
    assert!(
        lines(&jsonl) < 200,
        "the crawl finished before the last kill"
    );
    assert!(
        left_open > 0,
        "no kill left a file open: nothing was repaired"
    );
    let status = run().status().unwrap();
    assert!(status.success(), "final run: {status}");

    let warc_dir = dir.path().join("warc");
    let files = warc_files(&warc_dir);
    let all: Vec<Rec> = files.iter().flat_map(|f| read_warc(f)).collect();
    check_every_record(&all);
    let by_id = index_by_id(&all);
    let articles = records(dir.path());
    assert_eq!(articles.len(), 200);
    for a in &articles {
        let id = a.warc_record_id.as_deref().expect("warc_record_id");
        let r = by_id
            .get(id)
            .unwrap_or_else(|| panic!("{}: {id} not in any file", a.url));
        assert!(matches!(r.kind(), "response" | "revisit"));
        assert_eq!(r.get("WARC-Target-URI"), Some(a.url.as_str()));
    }
    for r in all.iter().filter(|r| r.kind() == "revisit") {
        let to = r.get("WARC-Refers-To").expect("Refers-To");
        assert!(
            by_id.contains_key(to),
            "revisit refers to a missing record {to}"
        );
    }
    warcio_accepts(&files);
}
