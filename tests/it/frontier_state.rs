//! The crawl state in SQLite: add/dedupe, claim/mark, fairness and priority, resume after
//! a drop and after `kill -9`, counts, failures, metadata and schema versioning.

mod kill;

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
fn add_dedupes_and_records_origin() {
    let st = CrawlState::open_in_memory().expect("open");
    let start = url("http://a.edu/news.htm");
    assert!(
        st.add(&NewUrl::start(start.clone(), Kind::List))
            .expect("add")
    );
    assert!(
        !st.add(&NewUrl::start(start.clone(), Kind::List))
            .expect("add again")
    );
    let art = url("http://a.edu/info/1/2.htm");
    let batch = vec![
        NewUrl::found(art.clone(), Kind::Article, &start, 0),
        NewUrl::found(art.clone(), Kind::Article, &start, 0),
        NewUrl::found(url("http://a.edu/info/1/3.htm"), Kind::Article, &start, 0),
        NewUrl::start(start.clone(), Kind::List),
    ];
    assert_eq!(st.add_many(&batch).expect("add_many"), 2);
    let rec = st.get(&art).expect("get").expect("known");
    assert_eq!(rec.kind, Kind::Article);
    assert_eq!(rec.state, UrlState::Pending);
    assert_eq!(rec.depth, 1);
    assert_eq!(rec.parent.as_deref(), Some("http://a.edu/news.htm"));
    assert_eq!(rec.host, "a.edu");
    assert_eq!(rec.attempts, 0);
    assert!(st.get(&url("http://a.edu/unknown")).expect("get").is_none());
    assert_eq!(st.counts().expect("counts").total(), 3);
    // A URL first recorded as skipped stays skipped when found again.
    let off = NewUrl::found(url("http://elsewhere.org/x"), Kind::Other, &start, 0);
    assert!(st.add_skipped(&off, "off-scope").expect("skip"));
    assert!(!st.add(&off).expect("add"));
    let rec = st.get(&off.url).expect("get").expect("known");
    assert_eq!(
        (rec.state, rec.skip_reason.as_deref()),
        (UrlState::Skipped, Some("off-scope"))
    );
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
fn marks_record_results_and_causes() {
    let st = CrawlState::open_in_memory().expect("open");
    let (a, b, c) = (
        url("http://a.edu/1"),
        url("http://a.edu/2"),
        url("http://a.edu/3"),
    );
    for u in [&a, &b, &c] {
        st.add(&NewUrl::start(u.clone(), Kind::Article))
            .expect("add");
    }
    assert_eq!(st.claim(3).expect("claim").len(), 3);
    let done = Done {
        http_status: Some(200),
        final_url: Some(url("https://a.edu/1")),
        etag: Some("\"v1\"".into()),
        last_modified: Some("Tue, 01 Oct 2024 08:00:00 GMT".into()),
        content_hash: Some("abc123".into()),
        page_path: Some("pages/a.edu/1.html".into()),
        version: Some(1),
    };
    st.mark_done(&a, &done).expect("done");
    st.mark_failed(
        &b,
        "HTTP 500 Internal Server Error after 4 attempts",
        Some(500),
    )
    .expect("failed");
    st.mark_skipped(&c, "robots").expect("skipped");

    let rec = st.get(&a).expect("get").expect("a");
    assert_eq!(rec.state, UrlState::Done);
    assert_eq!(rec.http_status, Some(200));
    assert_eq!(rec.final_url.as_deref(), Some("https://a.edu/1"));
    assert_eq!(rec.etag.as_deref(), Some("\"v1\""));
    assert_eq!(rec.content_hash.as_deref(), Some("abc123"));
    assert_eq!(rec.page_path.as_deref(), Some("pages/a.edu/1.html"));
    assert!(rec.fetched_at.is_some());

    let failures = st.failures(10).expect("failures");
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].url, "http://a.edu/2");
    assert_eq!(failures[0].http_status, Some(500));
    assert!(failures[0].error.contains("after 4 attempts"));
    assert_eq!(failures[0].attempts, 1);
    let rec = st.get(&c).expect("get").expect("c");
    assert_eq!(
        (rec.state, rec.skip_reason.as_deref()),
        (UrlState::Skipped, Some("robots"))
    );

    // A later 304 keeps the stored page, hash and validators; the claim offers them.
    st.add(&NewUrl::start(a.clone(), Kind::Article))
        .expect("add");
    st.requeue_failed().expect("requeue");
    let again = st.claim(10).expect("claim");
    assert_eq!(
        urls(&again),
        ["http://a.edu/2"],
        "failed URLs come back, done ones do not"
    );
    let counts = st.counts().expect("counts");
    assert_eq!(counts.get(UrlState::Done, Kind::Article), 1);
    assert_eq!(counts.get(UrlState::InFlight, Kind::Article), 1);
    assert_eq!(counts.kind(Kind::Article), 3);
    assert_eq!(counts.get(UrlState::Done, Kind::List), 0);

    st.mark_done(
        &a,
        &Done {
            http_status: Some(304),
            ..Done::default()
        },
    )
    .expect("304");
    let rec = st.get(&a).expect("get").expect("a");
    assert_eq!(rec.http_status, Some(304));
    assert_eq!(rec.etag.as_deref(), Some("\"v1\""));
    assert_eq!(rec.page_path.as_deref(), Some("pages/a.edu/1.html"));

    st.mark_pending(&b).expect("back to pending");
    assert_eq!(
        st.get(&b).expect("get").expect("b").state,
        UrlState::Pending
    );
    assert_eq!(urls(&st.claim(5).expect("claim")), ["http://a.edu/2"]);

    let unknown = st.mark_done(&url("http://a.edu/none"), &Done::default());
    assert!(
        matches!(unknown, Err(StateError::UnknownUrl { .. })),
        "{unknown:?}"
    );
}

#[test]
fn claim_offers_validators_for_conditional_refetch() {
    let st = CrawlState::open_in_memory().expect("open");
    let a = url("http://a.edu/list.htm");
    st.add(&NewUrl::start(a.clone(), Kind::List)).expect("add");
    st.claim(1).expect("claim");
    let done = Done {
        etag: Some("\"e\"".into()),
        last_modified: Some("lm".into()),
        ..Done::default()
    };
    st.mark_done(&a, &done).expect("done");
    // The integrator's re-crawl puts done list pages back to pending (a later issue);
    // simulate it through a failure and requeue.
    st.mark_failed(&a, "simulated", None).expect("fail");
    st.requeue_failed().expect("requeue");
    let c = st.claim(1).expect("claim");
    assert_eq!(c[0].etag.as_deref(), Some("\"e\""));
    assert_eq!(c[0].last_modified.as_deref(), Some("lm"));
    assert_eq!(c[0].attempts, 2);
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

#[test]
fn requeue_stale_only_requeues_what_an_earlier_pass_settled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let st = CrawlState::open_dir(dir.path()).expect("open");
    assert_eq!(st.begin_run(true).expect("run"), 1);
    let (a, b) = (url("http://a.edu/1"), url("http://a.edu/2"));
    for u in [&a, &b] {
        st.add(&NewUrl::start(u.clone(), Kind::List)).expect("add");
    }
    st.claim(2).expect("claim");
    st.mark_done(&a, &Done::default()).expect("done");
    st.mark_failed(&b, "http-404: gone", Some(404))
        .expect("failed");
    assert!(!st.requeue_stale(&a).expect("requeue"), "done in this pass");
    assert!(
        !st.requeue_stale(&b).expect("requeue"),
        "failed in this pass: no retry loop"
    );
    drop(st);
    let st = CrawlState::open_dir(dir.path()).expect("reopen");
    assert_eq!(
        st.begin_run(false).expect("run"),
        1,
        "resuming keeps the pass"
    );
    assert_eq!(st.begin_run(true).expect("run"), 2, "a new pass");
    assert!(st.requeue_stale(&a).expect("requeue"));
    assert!(st.requeue_stale(&b).expect("requeue"));
    assert_eq!(
        st.get(&a).expect("get").expect("row").state,
        UrlState::Pending
    );
}

#[test]
fn failures_are_counted_by_the_cause_before_the_first_colon() {
    let st = CrawlState::open_in_memory().expect("open");
    let errors = [
        "http-500: HTTP 500 after 4 attempts",
        "http-500: HTTP 500 after 2 attempts",
        "timeout: no response in 30 s: (read)",
        "",
    ];
    for (i, error) in errors.iter().enumerate() {
        let u = url(&format!("http://a.edu/{i}"));
        st.add(&NewUrl::start(u.clone(), Kind::Article))
            .expect("add");
        st.mark_failed(&u, error, None).expect("failed");
    }
    let done = url("http://a.edu/done");
    st.add(&NewUrl::start(done, Kind::Article)).expect("add");
    let by_cause = st.failures_by_cause().expect("counts");
    let got: Vec<(&str, u64)> = by_cause.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(got, [("http-500", 2), ("timeout", 1), ("unknown", 1)]);
}
