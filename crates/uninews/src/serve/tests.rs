//! The archive index on a hand-made crawl state: hosts, path fallback, versions,
//! redirects, stored files outside `pages/`, hostile paths, robots.txt.

use super::{Archive, Found};
use crate::frontier::Kind;
use crate::frontier::state::{CrawlState, Done, NewUrl};
use std::path::Path;
use url::Url;

/// Add `url` as done with `page_path` (and a redirect target), writing `body` there.
fn stored(state: &CrawlState, dir: &Path, url: &str, page_path: &str, final_url: Option<&str>) {
    let u = Url::parse(url).unwrap();
    state.add(&NewUrl::start(u.clone(), Kind::Article)).unwrap();
    let done = Done {
        page_path: Some(page_path.to_string()),
        final_url: final_url.map(|f| Url::parse(f).unwrap()),
        ..Done::default()
    };
    state.mark_done(&u, &done).unwrap();
    let file = if page_path.starts_with("images/") {
        dir.join(page_path)
    } else {
        dir.join("pages").join(page_path)
    };
    if !page_path.contains("..") {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, url).unwrap();
    }
}

fn archive() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let state = CrawlState::open_dir(d).unwrap();
    stored(
        &state,
        d,
        "http://a.edu.cn/x.htm",
        "a.edu.cn/x.htm.html",
        None,
    );
    stored(
        &state,
        d,
        "http://a.edu.cn/y.htm",
        "a.edu.cn/y.htm.v3.html",
        None,
    );
    stored(
        &state,
        d,
        "http://a.edu.cn/q.jsp?id=1",
        "a.edu.cn/q.jsp~1.html",
        None,
    );
    stored(
        &state,
        d,
        "http://a.edu.cn/old.htm",
        "a.edu.cn/new.htm.html",
        Some("http://a.edu.cn/new.htm"),
    );
    stored(
        &state,
        d,
        "http://a.edu.cn/pic.jpg",
        "images/ab/cd.jpg",
        None,
    );
    stored(
        &state,
        d,
        "http://a.edu.cn/evil.htm",
        "../../etc/passwd",
        None,
    );
    stored(
        &state,
        d,
        "http://b.edu.cn:8080/x.htm",
        "b.edu.cn_8080/x.htm.html",
        None,
    );
    stored(
        &state,
        d,
        "http://b.edu.cn:8080/only-b.htm",
        "b.edu.cn_8080/only-b.htm.html",
        None,
    );
    let private = Url::parse("http://a.edu.cn/private/1.htm").unwrap();
    state
        .add(&NewUrl::start(private.clone(), Kind::Article))
        .unwrap();
    state.mark_skipped(&private, "robots").unwrap();
    drop(state);
    let archive = Archive::open(d).unwrap();
    (dir, archive)
}

fn body(found: &Found) -> String {
    match found {
        Found::File(p) => std::fs::read_to_string(p).unwrap(),
        other => panic!("not a file: {other:?}"),
    }
}

#[test]
fn a_crawl_host_sees_its_own_urls() {
    let (_d, a) = archive();
    assert_eq!(
        body(&a.lookup(Some("a.edu.cn"), "/x.htm")),
        "http://a.edu.cn/x.htm"
    );
    assert_eq!(
        body(&a.lookup(Some("B.edu.cn:8080"), "/x.htm")),
        "http://b.edu.cn:8080/x.htm"
    );
    assert_eq!(a.lookup(Some("a.edu.cn"), "/only-b.htm"), Found::NotFound);
    assert_eq!(
        body(&a.lookup(Some("a.edu.cn:80"), "/q.jsp?id=1")),
        "http://a.edu.cn/q.jsp?id=1"
    );
    assert_eq!(a.lookup(Some("a.edu.cn"), "/q.jsp?id=2"), Found::NotFound);
}

#[test]
fn another_host_sees_all_paths_and_the_bigger_host_wins() {
    let (_d, a) = archive();
    assert_eq!(a.authorities().len(), 2);
    for host in [Some("127.0.0.1:8000"), None] {
        assert_eq!(body(&a.lookup(host, "/x.htm")), "http://a.edu.cn/x.htm");
        assert_eq!(
            body(&a.lookup(host, "/only-b.htm")),
            "http://b.edu.cn:8080/only-b.htm"
        );
        assert_eq!(a.lookup(host, "/nothing.htm"), Found::NotFound);
    }
}

#[test]
fn latest_versions_redirects_and_other_stored_files() {
    let (_d, a) = archive();
    let h = Some("a.edu.cn");
    // The state's page_path is the latest version's file.
    assert_eq!(body(&a.lookup(h, "/y.htm")), "http://a.edu.cn/y.htm");
    assert_eq!(a.lookup(h, "/old.htm"), Found::Redirect("/new.htm".into()));
    assert_eq!(body(&a.lookup(h, "/new.htm")), "http://a.edu.cn/old.htm");
    assert_eq!(body(&a.lookup(h, "/pic.jpg")), "http://a.edu.cn/pic.jpg");
    assert_eq!(a.lookup(h, "/evil.htm"), Found::NotFound);
    assert_eq!(a.lookup(h, "x.htm"), Found::NotFound);
}

#[test]
fn robots_txt_replays_the_crawls_decisions() {
    let (_d, a) = archive();
    let robots = a.robots_txt(Some("a.edu.cn"));
    assert!(robots.contains("Disallow: /private/1.htm\n"), "{robots}");
    let b = a.robots_txt(Some("b.edu.cn:8080"));
    assert!(b.contains("Disallow:\n") && !b.contains("/private/"), "{b}");
    assert!(a.robots_txt(Some("127.0.0.1:9")).contains("/private/1.htm"));
}

#[test]
fn a_folder_without_a_crawl_is_refused_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let err = Archive::open(dir.path()).unwrap_err();
    assert!(err.to_string().contains("no crawl"), "{err}");
    assert!(!dir.path().join("crawl.sqlite").exists());
}
