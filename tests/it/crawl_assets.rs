//! `--images` and `--attachments`: crawls of the sample site that also download the files
//! the articles refer to. Checked at the server (what was requested, how often, how far
//! apart) and on disk (every `local` file exists and is named by the SHA-256 of exactly
//! the bytes the server serves for its URL).

mod assets_kill;
use crate::support;

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use support::*;
use uninews::frontier::Kind;
use uninews::frontier::state::{CrawlState, UrlState};
use uninews::record::Record;
use uninews_sample::{Fault, FaultRule, PathMatch, SampleServer, ServerConfig, SiteConfig};
use url::Url;

/// Hex SHA-256, computed here rather than by the code under test.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The path (and query) the server counts requests by.
pub fn server_path(u: &str) -> String {
    let u = Url::parse(u).expect("absolute URL");
    match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    }
}

/// The bytes the server serves for `u`, fetched with a plain client.
async fn served(u: &str) -> Vec<u8> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let r = reqwest::get(u).await.expect("response");
    assert!(r.status().is_success(), "{u}: {}", r.status());
    r.bytes().await.expect("body").to_vec()
}

/// Every file under `dir`, relative to `base`, `/`-separated.
fn files_under(base: &Path, dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p: PathBuf = e.expect("entry").path();
        if p.is_dir() {
            out.extend(files_under(base, &p));
        } else {
            let rel = p.strip_prefix(base).expect("under base");
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    out
}

/// A stored file is `<folder>/<first 2 hex>/<sha256>.<ext>` and its bytes hash to its name.
pub fn check_file(out: &Path, folder: &str, local: &str) -> Vec<u8> {
    let bytes = std::fs::read(out.join(local)).unwrap_or_else(|e| panic!("{local}: {e}"));
    let hash = sha256(&bytes);
    let name = format!("{folder}/{}/{hash}.", &hash[..2]);
    assert!(
        local.starts_with(&name),
        "{local} is not named by the SHA-256 of its bytes ({hash})"
    );
    bytes
}

/// Image src -> the set of `local` values records give it, and how many records use it.
fn images_of(records: &[Record]) -> (BTreeMap<String, BTreeSet<Option<String>>>, usize) {
    let mut by_src: BTreeMap<String, BTreeSet<Option<String>>> = BTreeMap::new();
    let mut refs = 0;
    for r in records {
        let mut seen = BTreeSet::new();
        for im in &r.images {
            by_src
                .entry(im.src.clone())
                .or_default()
                .insert(im.local.clone());
            if seen.insert(&im.src) {
                refs += 1;
            }
        }
    }
    (by_src, refs)
}

async fn crawl_with(
    server: &SampleServer,
    out: &Path,
    rate: Option<f64>,
    images: bool,
    attachments: bool,
) -> uninews::crawl::Summary {
    let mut cfg = config(server, out, fast_fetch(rate));
    cfg.assets.images = images;
    cfg.assets.attachments = attachments;
    crawl(cfg).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_image_is_stored_once_named_by_the_hash_of_the_served_bytes() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(40))).await;
    let dir = tempfile::tempdir().unwrap();
    let summary = crawl_with(&server, dir.path(), None, true, false).await;
    assert!(
        summary.complete && summary.failed_total() == 0,
        "{summary:?}"
    );
    let records = records(dir.path());
    assert_eq!(records.len(), 80);
    let (by_src, refs) = images_of(&records);
    assert!(by_src.len() > 50, "only {} images", by_src.len());

    // Every reference has a local path, the same one in every record.
    let mut srcs_of_file: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (src, locals) in &by_src {
        let local: Vec<_> = locals.iter().collect();
        assert!(
            matches!(local.as_slice(), [Some(_)]),
            "{src}: locals {locals:?}"
        );
        let local = local[0].clone().unwrap();
        srcs_of_file.entry(local).or_default().push(src.clone());
        // Fetched once per crawl, however many articles use it.
        assert_eq!(server.count(&server_path(src)), 1, "{src}");
    }
    let shared = records
        .iter()
        .flat_map(|r| r.images.iter().map(|i| &i.src))
        .fold(BTreeMap::<&String, usize>::new(), |mut m, s| {
            *m.entry(s).or_default() += 1;
            m
        });
    assert!(
        shared.values().any(|&n| n >= 3),
        "some image is used by several articles"
    );
    // A shared image under its VSB and its WebPlus URL: the same bytes, one file.
    assert!(
        srcs_of_file.values().any(|s| s.len() == 2),
        "two URLs with the same bytes share one file"
    );

    // On disk: exactly the files the records name, each named by its bytes' hash, each
    // holding what the server serves for its URL(s).
    let on_disk = files_under(dir.path(), &dir.path().join("images"));
    let named: BTreeSet<String> = srcs_of_file.keys().cloned().collect();
    assert_eq!(on_disk, named, "files on disk vs files the records name");
    for (local, srcs) in &srcs_of_file {
        let bytes = check_file(dir.path(), "images", local);
        let ext = if bytes.starts_with(b"\x89PNG") {
            "png"
        } else {
            "jpg"
        };
        assert!(local.ends_with(ext), "{local}");
        for src in srcs {
            assert_eq!(served(src).await, bytes, "{src} vs {local}");
        }
    }

    // The counters agree with what the server saw.
    let a = &summary.run.assets;
    assert_eq!(a.downloaded, by_src.len() as u64);
    assert_eq!(a.new_files, srcs_of_file.len() as u64);
    assert_eq!(a.reused, (refs - by_src.len()) as u64);
    assert_eq!((a.failed, a.skipped), (0, 0));
    // Attachments were not asked for: none requested, none with a local path.
    for r in &records {
        for att in &r.attachments {
            assert!(att.local.is_none());
            assert_eq!(server.count(&server_path(&att.url)), 0, "{}", att.url);
        }
    }
    // The records with local paths still validate against the schema.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema/article.v1.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).expect("schema compiles");
    for r in &records {
        let json = serde_json::to_value(r).unwrap();
        assert!(v.is_valid(&json), "{}", r.url);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_that_keeps_failing_is_recorded_and_its_articles_are_stored() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(30))).await;
    let site = server.site();
    // The image used by the most articles.
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for p in site.articles() {
        for im in server.expected_record(&p).unwrap().images {
            *uses.entry(im.src).or_default() += 1;
        }
    }
    let (victim, n) = uses.iter().max_by_key(|(_, n)| **n).unwrap();
    assert!(*n >= 2, "a shared image");
    let victim_path = server_path(victim);
    server.add_fault(FaultRule::new(PathMatch::exact(&victim_path), Fault::Status(500)).always());
    let dir = tempfile::tempdir().unwrap();
    let summary = crawl_with(&server, dir.path(), None, true, false).await;

    // The crawl completes with every article; only the victim lacks a local path.
    assert!(summary.complete, "{summary:?}");
    let records = records(dir.path());
    assert_eq!(records.len(), 60);
    let mut victim_refs = 0;
    for im in records.iter().flat_map(|r| &r.images) {
        if &im.src == victim {
            victim_refs += 1;
            assert!(im.local.is_none(), "failed image has a local path");
        } else {
            assert!(im.local.is_some(), "{}", im.src);
        }
    }
    assert_eq!(victim_refs, *n);
    // Tried max_attempts times in all, not once per article.
    assert_eq!(server.count(&victim_path), 4);
    let state = CrawlState::open_dir(dir.path()).unwrap();
    let row = state.get(&Url::parse(victim).unwrap()).unwrap().unwrap();
    assert_eq!((row.kind, row.state), (Kind::Asset, UrlState::Failed));
    assert_eq!(row.http_status, Some(500));
    assert!(row.last_error.unwrap().starts_with("http-500:"));
    assert_eq!(summary.failures_by_cause.get("http-500"), Some(&1));
    assert_eq!(summary.failures.len(), 1);
    assert_eq!(
        (
            summary.failures[0].url.as_str(),
            summary.failures[0].kind.as_str()
        ),
        (victim.as_str(), "asset")
    );
    assert_eq!(summary.run.assets.failed, 1);
    assert_eq!(summary.run.failed, 0, "no page failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_over_the_size_cap_are_recorded_as_failed() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(15))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&server, dir.path(), fast_fetch(None));
    cfg.assets.images = true;
    // The sample's JPEGs are a few hundred bytes, its PNGs about 2.4 KB.
    cfg.assets.max_image_bytes = 1000;
    let summary = crawl(cfg).await;
    assert!(summary.complete);
    let state = CrawlState::open_dir(dir.path()).unwrap();
    let (by_src, _) = images_of(&records(dir.path()));
    let (mut png, mut jpg) = (0, 0);
    for (src, locals) in &by_src {
        let local = locals.iter().next().unwrap();
        if src.ends_with(".png") {
            png += 1;
            assert!(local.is_none(), "{src} is over the cap but stored");
            let row = state.get(&Url::parse(src).unwrap()).unwrap().unwrap();
            assert!(row.last_error.unwrap().starts_with("body-too-large:"));
            assert_eq!(server.count(&server_path(src)), 1, "not retried");
        } else {
            jpg += 1;
            let bytes = check_file(dir.path(), "images", local.as_deref().unwrap());
            assert!(bytes.len() <= 1000);
        }
    }
    assert!(png > 0 && jpg > 0, "{png} PNGs, {jpg} JPEGs");
    assert_eq!(summary.failures_by_cause.get("body-too-large"), Some(&png));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_are_stored_with_attachments_on() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(40))).await;
    let dir = tempfile::tempdir().unwrap();
    let summary = crawl_with(&server, dir.path(), None, false, true).await;
    assert!(summary.complete && summary.failed_total() == 0);
    let records = records(dir.path());
    let mut files = BTreeSet::new();
    let mut vsb = 0;
    for r in &records {
        for im in &r.images {
            assert!(im.local.is_none());
            assert_eq!(server.count(&server_path(&im.src)), 0, "{}", im.src);
        }
        for a in &r.attachments {
            let local = a.local.as_deref().unwrap_or_else(|| panic!("{}", a.url));
            let bytes = check_file(dir.path(), "attachments", local);
            let ext = a.name.rsplit('.').next().unwrap();
            assert!(
                local.ends_with(&format!(".{ext}")),
                "{local} for {}",
                a.name
            );
            assert_eq!(server.count(&server_path(&a.url)), 1, "{}", a.url);
            assert_eq!(served(&a.url).await, bytes, "{}", a.url);
            vsb += usize::from(a.url.contains("download.jsp?"));
            files.insert(local.to_string());
        }
    }
    assert!(
        files.len() >= 5 && vsb >= 2,
        "{} files, {vsb} VSB",
        files.len()
    );
    let on_disk = files_under(dir.path(), &dir.path().join("attachments"));
    assert_eq!(on_disk, files);
    assert!(!dir.path().join("images").exists());
    assert_eq!(summary.run.assets.downloaded, files.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_on_another_host_is_fetched_there_after_its_robots_txt() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(5))).await;
    let site = server.site();
    let src = site
        .articles()
        .iter()
        .flat_map(|p| server.expected_record(p).unwrap().images)
        .map(|i| i.src)
        .next()
        .expect("an image");
    let path = server_path(&src);
    // The image answers with a redirect to the same path on `localhost` (the same server
    // under another host name, outside the crawl's scope).
    server.add_fault(
        FaultRule::new(
            PathMatch::exact(&path),
            Fault::OffsiteRedirect {
                host: "localhost".into(),
            },
        )
        .times(1),
    );
    let dir = tempfile::tempdir().unwrap();
    let summary = crawl_with(&server, dir.path(), None, true, false).await;
    assert!(
        summary.complete && summary.failed_total() == 0,
        "{summary:?}"
    );
    let on_localhost: Vec<String> = server
        .requests()
        .into_iter()
        .filter(|r| {
            r.host
                .as_deref()
                .is_some_and(|h| h.starts_with("localhost"))
        })
        .map(|r| r.path)
        .collect();
    assert_eq!(on_localhost, ["/robots.txt".to_string(), path.clone()]);
    let record = records(dir.path());
    let im = record
        .iter()
        .flat_map(|r| &r.images)
        .find(|i| i.src == src)
        .unwrap();
    let bytes = check_file(dir.path(), "images", im.local.as_deref().unwrap());
    assert_eq!(served(&src).await, bytes);
    let hosts: Vec<&str> = summary.hosts.iter().map(|h| h.host.as_str()).collect();
    assert_eq!(hosts, ["127.0.0.1", "localhost"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_crawl_resumes_without_refetching_stored_images() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(30))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&server, dir.path(), fast_fetch(Some(200.0)));
    cfg.assets.images = true;
    let first = crawl_stopped_after(cfg, 10).await;
    assert!(first.interrupted && !first.complete);
    let stored_before = assets_done(dir.path());
    assert!(stored_before.len() >= 5, "{}", stored_before.len());
    assert!(records(dir.path()).len() < 60);

    let second = crawl_with(&server, dir.path(), Some(200.0), true, false).await;
    assert!(second.complete && second.failed_total() == 0);
    let records = records(dir.path());
    assert_eq!(records.len(), 60);
    for im in records.iter().flat_map(|r| &r.images) {
        let local = im.local.as_deref().unwrap_or_else(|| panic!("{}", im.src));
        check_file(dir.path(), "images", local);
    }
    for u in &stored_before {
        assert_eq!(
            server.count(&server_path(u)),
            1,
            "{u} was stored before the stop but fetched again"
        );
    }
    assert!(second.run.assets.reused > 0);
}

/// Asset URLs the crawl state holds as stored.
pub fn assets_done(dir: &Path) -> BTreeSet<String> {
    let conn = rusqlite::Connection::open(dir.join("crawl.sqlite")).unwrap();
    let mut st = conn
        .prepare("SELECT url FROM urls WHERE kind = 'asset' AND state = 'done'")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}
