//! The crawl state: the frontier suite on both backends (`suite`), then what is
//! SQLite's own: fairness of `claim(n)`, reopening the file after a drop and after
//! `kill -9`, and the file's schema versioning.

mod kill;
mod suite;

use uninews::frontier::Kind;
use uninews::frontier::state::{
    Claimed, CrawlState, Done, NewUrl, SCHEMA_VERSION, STATE_FILE, StateError, UrlState,
};
use url::Url;

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

fn urls(claimed: &[Claimed]) -> Vec<&str> {
    claimed.iter().map(|c| c.url.as_str()).collect()
}

#[test]
fn claim_is_fair_across_hosts_and_lists_come_first() {
    let st = CrawlState::open_in_memory().expect("open");
    let mut batch = Vec::new();
    for i in 0..10 {
        batch.push(NewUrl::start(
            url(&format!("http://a.edu/info/{i}.htm")),
            Kind::Article,
        ));
    }
    batch.push(NewUrl::start(url("http://b.edu/x.htm"), Kind::Other));
    batch.push(NewUrl::start(url("http://b.edu/info/1.htm"), Kind::Article));
    batch.push(NewUrl::start(url("http://a.edu/list/2.htm"), Kind::List));
    st.add_many(&batch).expect("add");

    let first = st.claim(4).expect("claim");
    assert_eq!(first.len(), 4);
    let a: Vec<&str> = urls(&first)
        .into_iter()
        .filter(|u| u.contains("a.edu"))
        .collect();
    let b: Vec<&str> = urls(&first)
        .into_iter()
        .filter(|u| u.contains("b.edu"))
        .collect();
    // Two from each host; within a host list pages first, then articles, then others,
    // oldest first.
    assert_eq!(a, ["http://a.edu/list/2.htm", "http://a.edu/info/0.htm"]);
    assert_eq!(b, ["http://b.edu/info/1.htm", "http://b.edu/x.htm"]);
    assert!(first.iter().all(|c| c.attempts == 1));
    // Claimed URLs are in flight and are not handed out again.
    let rest = st.claim(100).expect("claim rest");
    assert_eq!(rest.len(), 9);
    assert!(
        urls(&rest)
            .iter()
            .all(|u| u.starts_with("http://a.edu/info/"))
    );
    assert!(st.claim(5).expect("claim empty").is_empty());
    let counts = st.counts().expect("counts");
    assert_eq!(counts.state(UrlState::InFlight), 13);
    assert_eq!(counts.state(UrlState::Pending), 0);
}

#[test]
fn reopen_after_drop_resumes_in_flight() {
    let dir = tempfile::tempdir().expect("tempdir");
    let crawl = dir.path().join("crawl-dir");
    {
        let st = CrawlState::open_dir(&crawl).expect("open");
        assert_eq!(st.path(), crawl.join(STATE_FILE));
        for i in 0..5 {
            st.add(&NewUrl::start(
                url(&format!("http://a.edu/{i}")),
                Kind::Article,
            ))
            .expect("add");
        }
        assert_eq!(st.claim(3).expect("claim").len(), 3);
        st.mark_done(&url("http://a.edu/0"), &Done::default())
            .expect("done");
        st.set_meta("start_urls", "http://a.edu/").expect("meta");
        st.set_meta("start_urls", "http://a.edu/news")
            .expect("meta overwrite");
    }
    let st = CrawlState::open_dir(&crawl).expect("reopen");
    let counts = st.counts().expect("counts");
    assert_eq!(counts.state(UrlState::InFlight), 2);
    assert_eq!(st.resume().expect("resume"), 2);
    let counts = st.counts().expect("counts");
    assert_eq!(
        (
            counts.state(UrlState::Pending),
            counts.state(UrlState::Done)
        ),
        (4, 1)
    );
    let again = st.claim(10).expect("claim");
    assert_eq!(again.len(), 4);
    let one = again
        .iter()
        .find(|c| c.url.as_str() == "http://a.edu/1")
        .expect("a/1");
    assert_eq!(one.attempts, 2, "the interrupted attempt counts");
    assert_eq!(
        st.meta("start_urls").expect("meta").as_deref(),
        Some("http://a.edu/news")
    );
    assert_eq!(st.meta("absent").expect("meta"), None);
}

#[test]
fn schema_is_versioned_and_newer_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(STATE_FILE);
    drop(CrawlState::open(&path).expect("create"));
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(v, SCHEMA_VERSION);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .expect("bump");
    drop(conn);
    let err = CrawlState::open(&path).expect_err("newer schema");
    assert!(
        matches!(err, StateError::TooNew { found, .. } if found == SCHEMA_VERSION + 1),
        "{err}"
    );

    let other = dir.path().join("other.sqlite");
    let conn = rusqlite::Connection::open(&other).expect("sqlite");
    conn.execute_batch("CREATE TABLE t (x)").expect("table");
    drop(conn);
    assert!(matches!(
        CrawlState::open(&other),
        Err(StateError::NotState { .. })
    ));
}

#[test]
fn large_queue_is_claimed_in_batches() {
    let st = CrawlState::open_in_memory().expect("open");
    let batch: Vec<NewUrl> = (0..20_000)
        .map(|i| NewUrl::start(url(&format!("http://h{}.edu/a/{i}", i % 4)), Kind::Article))
        .collect();
    assert_eq!(st.add_many(&batch).expect("add"), 20_000);
    let c = st.claim(8).expect("claim");
    assert_eq!(c.len(), 8);
    let mut hosts: Vec<&str> = c.iter().filter_map(|c| c.url.host_str()).collect();
    hosts.sort_unstable();
    assert_eq!(
        hosts,
        [
            "h0.edu", "h0.edu", "h1.edu", "h1.edu", "h2.edu", "h2.edu", "h3.edu", "h3.edu"
        ]
    );
    assert_eq!(
        st.counts().expect("counts").state(UrlState::Pending),
        19_992
    );
}
