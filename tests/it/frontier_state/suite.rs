//! The frontier test suite, run on both backends: SQLite (`crawl.sqlite`) and, when a
//! server is configured, PostgreSQL (a fresh database per test; see `tests/it/pg.rs`).
//! Every test goes through the [`Frontier`] interface the crawl uses.

use crate::pg;
use std::time::Duration;
use uninews::frontier::Frontier;
use uninews::frontier::Kind;
use uninews::frontier::state::{
    AssetOutcome, Claimed, CrawlState, Done, NewUrl, StateError, UrlState,
};
use url::Url;

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

/// Both backends, fresh: `(name, frontier)`.
fn backends(test: &str) -> Vec<(&'static str, Box<dyn Frontier>)> {
    let mut v: Vec<(&'static str, Box<dyn Frontier>)> = vec![(
        "sqlite",
        Box::new(CrawlState::open_in_memory().expect("open sqlite")),
    )];
    if let Some(db) = pg::fresh_database(test) {
        v.push((
            "postgres",
            Box::new(pg::worker(&db, "w1", Duration::from_secs(30))),
        ));
    }
    v
}

/// Claim up to `n` URLs of every host with pending work, as the crawl's scheduler does.
fn claim_all(st: &dyn Frontier, n: usize) -> Vec<Claimed> {
    let hosts = st.pending_hosts().expect("pending hosts");
    let wanted: Vec<(&str, usize)> = hosts.iter().map(|h| (h.as_str(), n)).collect();
    st.claim_hosts(&wanted)
        .expect("claim")
        .into_iter()
        .flatten()
        .collect()
}

fn urls(claimed: &[Claimed]) -> Vec<&str> {
    claimed.iter().map(|c| c.url.as_str()).collect()
}

#[test]
fn add_dedupes_and_records_origin_on_both_backends() {
    for (name, st) in backends("add_dedupes") {
        let st = &*st;
        let start = url("http://a.edu/news.htm");
        assert!(
            st.add(&NewUrl::start(start.clone(), Kind::List))
                .expect("add")
        );
        assert!(
            !st.add(&NewUrl::start(start.clone(), Kind::List))
                .expect("add"),
            "{name}"
        );
        let art = url("http://a.edu/info/1/2.htm");
        let batch = vec![
            NewUrl::found(art.clone(), Kind::Article, &start, 0),
            NewUrl::found(art.clone(), Kind::Article, &start, 0),
            NewUrl::found(url("http://a.edu/info/1/3.htm"), Kind::Article, &start, 0),
            NewUrl::start(start.clone(), Kind::List),
        ];
        assert_eq!(st.add_many(&batch).expect("add_many"), 2, "{name}");
        let rec = st.get(&art).expect("get").expect("known");
        assert_eq!(
            (rec.kind, rec.state, rec.depth, rec.attempts),
            (Kind::Article, UrlState::Pending, 1, 0),
            "{name}"
        );
        assert_eq!(
            rec.parent.as_deref(),
            Some("http://a.edu/news.htm"),
            "{name}"
        );
        assert_eq!(rec.host, "a.edu");
        assert!(st.get(&url("http://a.edu/unknown")).expect("get").is_none());
        assert_eq!(st.counts().expect("counts").total(), 3, "{name}");
        let off = NewUrl::found(url("http://elsewhere.org/x"), Kind::Other, &start, 0);
        assert!(st.add_skipped(&off, "off-scope").expect("skip"));
        assert!(!st.add(&off).expect("add"), "{name}: skipped stays skipped");
        let rec = st.get(&off.url).expect("get").expect("known");
        assert_eq!(
            (rec.state, rec.skip_reason.as_deref()),
            (UrlState::Skipped, Some("off-scope")),
            "{name}"
        );
    }
}

#[test]
fn claim_hosts_takes_lists_first_and_release_undoes_it_on_both_backends() {
    for (name, st) in backends("claim_release") {
        let st = &*st;
        for (u, k) in [
            ("http://a.edu/1", Kind::Article),
            ("http://a.edu/list", Kind::List),
            ("http://a.edu/2", Kind::Article),
            ("http://a.edu/asset.jpg", Kind::Asset),
            ("http://b.edu/1", Kind::Other),
        ] {
            st.add(&NewUrl::start(url(u), k)).expect("add");
        }
        let mut hosts = st.pending_hosts().expect("hosts");
        hosts.sort();
        assert_eq!(hosts, ["a.edu", "b.edu"], "{name}");
        let got = st
            .claim_hosts(&[("a.edu", 3), ("c.edu", 5), ("b.edu", 5)])
            .expect("claim");
        let got_urls: Vec<Vec<&str>> = got.iter().map(|v| urls(v)).collect();
        assert_eq!(
            got_urls,
            vec![
                vec!["http://a.edu/list", "http://a.edu/1", "http://a.edu/2"],
                vec![],
                vec!["http://b.edu/1"]
            ],
            "{name}"
        );
        assert!(got.iter().flatten().all(|c| c.attempts == 1), "{name}");
        let row = st.get(&url("http://a.edu/1")).expect("get").expect("row");
        assert_eq!((row.state, row.attempts), (UrlState::InFlight, 1), "{name}");
        // Fetch one, hand the rest back: only URLs still in flight go back, attempt undone.
        st.mark_failed(&got[0][0].url, "http-500: x", Some(500))
            .expect("fail");
        let back: Vec<Url> = got[0].iter().map(|c| c.url.clone()).collect();
        assert_eq!(st.release(&back).expect("release"), 2, "{name}");
        let row = st.get(&url("http://a.edu/2")).expect("get").expect("row");
        assert_eq!((row.state, row.attempts), (UrlState::Pending, 0), "{name}");
        let rest = claim_all(st, 10);
        assert_eq!(
            urls(&rest),
            ["http://a.edu/1", "http://a.edu/2", "http://a.edu/asset.jpg"],
            "{name}: then the asset, last"
        );
    }
}

#[test]
fn marks_record_results_and_causes_on_both_backends() {
    for (name, st) in backends("marks") {
        let st = &*st;
        let (a, b, c) = (
            url("http://a.edu/1"),
            url("http://a.edu/2"),
            url("http://a.edu/3"),
        );
        for u in [&a, &b, &c] {
            st.add(&NewUrl::start(u.clone(), Kind::Article))
                .expect("add");
        }
        assert_eq!(claim_all(st, 3).len(), 3, "{name}");
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
        st.mark_failed(&b, "http-500: HTTP 500 after 4 attempts", Some(500))
            .expect("failed");
        st.mark_skipped(&c, "robots").expect("skipped");
        let rec = st.get(&a).expect("get").expect("a");
        assert_eq!(rec.state, UrlState::Done, "{name}");
        assert_eq!(rec.http_status, Some(200));
        assert_eq!(rec.final_url.as_deref(), Some("https://a.edu/1"));
        assert_eq!(rec.etag.as_deref(), Some("\"v1\""));
        assert_eq!(rec.page_path.as_deref(), Some("pages/a.edu/1.html"));
        assert_eq!(rec.version, 1, "{name}");
        assert!(rec.fetched_at.is_some());
        let failures = st.failures(10).expect("failures");
        assert_eq!(failures.len(), 1, "{name}");
        assert_eq!(
            (
                failures[0].url.as_str(),
                failures[0].http_status,
                failures[0].attempts
            ),
            ("http://a.edu/2", Some(500), 1),
            "{name}"
        );
        let rec = st.get(&c).expect("get").expect("c");
        assert_eq!(
            (rec.state, rec.skip_reason.as_deref()),
            (UrlState::Skipped, Some("robots"))
        );
        // Failed pages come back; a 304 keeps the stored page and validators, which the
        // next claim offers.
        assert_eq!(st.requeue_failed().expect("requeue"), 1, "{name}");
        assert_eq!(urls(&claim_all(st, 10)), ["http://a.edu/2"], "{name}");
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
        assert_eq!(rec.etag.as_deref(), Some("\"v1\""), "{name}");
        st.mark_pending(&a).expect("pending");
        let again = claim_all(st, 10);
        assert_eq!(again[0].etag.as_deref(), Some("\"v1\""), "{name}");
        assert_eq!(again[0].attempts, 2, "{name}");
        let unknown = st.mark_done(&url("http://a.edu/none"), &Done::default());
        assert!(
            matches!(unknown, Err(StateError::UnknownUrl { .. })),
            "{name}: {unknown:?}"
        );
    }
}

#[test]
fn a_failed_batch_changes_nothing_and_metadata_commits_with_marks_on_both_backends() {
    for (name, st) in backends("batch") {
        let st = &*st;
        let (a, b) = (url("http://a.edu/1"), url("http://a.edu/2"));
        for u in [&a, &b] {
            st.add(&NewUrl::start(u.clone(), Kind::Article))
                .expect("add");
        }
        claim_all(st, 5);
        let r: Result<(), StateError> = st.batch(|| {
            st.mark_done(&a, &Done::default())?;
            st.mark_done(&url("http://a.edu/none"), &Done::default())
        });
        assert!(r.is_err(), "{name}");
        assert_eq!(
            st.get(&a).expect("get").expect("a").state,
            UrlState::InFlight,
            "{name}: rolled back"
        );
        let key = st.local_key("records_len");
        st.batch(|| st.mark_all_done_and_set(&[&a, &b], &Done::default(), Some((&key, "42"))))
            .expect("batch");
        assert_eq!(
            st.meta(&key).expect("meta").as_deref(),
            Some("42"),
            "{name}"
        );
        assert_eq!(
            st.counts().expect("counts").state(UrlState::Done),
            2,
            "{name}"
        );
        st.set_meta("k", "1").expect("meta");
        st.set_meta("k", "2").expect("meta");
        assert_eq!(st.meta("k").expect("meta").as_deref(), Some("2"));
        assert_eq!(st.meta("absent").expect("meta"), None, "{name}");
    }
}

#[test]
fn passes_requeue_only_what_an_earlier_pass_settled_on_both_backends() {
    for (name, st) in backends("passes") {
        let st = &*st;
        let first = st.start_pass(true).expect("pass");
        assert_eq!((first.number, first.new), (1, true), "{name}");
        let (a, b) = (url("http://a.edu/1"), url("http://a.edu/2"));
        for u in [&a, &b] {
            st.add(&NewUrl::start(u.clone(), Kind::List)).expect("add");
        }
        claim_all(st, 2);
        st.mark_done(&a, &Done::default()).expect("done");
        st.mark_failed(&b, "http-404: gone", Some(404))
            .expect("failed");
        assert!(
            !st.requeue_stale(&a).expect("requeue"),
            "{name}: done in this pass"
        );
        assert!(
            !st.requeue_stale(&b).expect("requeue"),
            "{name}: no retry loop"
        );
        let resumed = st.start_pass(false).expect("pass");
        assert_eq!(
            (resumed.number, resumed.new),
            (1, false),
            "{name}: resuming keeps it"
        );
        let second = st.start_pass(true).expect("pass");
        assert_eq!((second.number, second.new), (2, true), "{name}");
        assert!(st.requeue_stale(&a).expect("requeue"), "{name}");
        assert!(st.requeue_stale(&b).expect("requeue"), "{name}");
        assert_eq!(
            st.get(&a).expect("get").expect("a").state,
            UrlState::Pending
        );
        assert_eq!(
            st.pages_fetched_in_run().expect("fetched"),
            0,
            "{name}: pass 2 fetched none"
        );
    }
}

#[test]
fn resume_puts_what_this_process_left_in_flight_back_on_both_backends() {
    for (name, st) in backends("resume") {
        let st = &*st;
        for i in 0..5 {
            st.add(&NewUrl::start(
                url(&format!("http://a.edu/{i}")),
                Kind::Article,
            ))
            .expect("add");
        }
        let c = st.claim_hosts(&[("a.edu", 3)]).expect("claim");
        assert_eq!(c[0].len(), 3);
        st.mark_done(&c[0][0].url, &Done::default()).expect("done");
        assert_eq!(st.resume().expect("resume"), 2, "{name}");
        let counts = st.counts().expect("counts");
        assert_eq!(
            (
                counts.state(UrlState::Pending),
                counts.state(UrlState::Done)
            ),
            (4, 1),
            "{name}"
        );
        assert_eq!(st.queued().expect("queued"), 4, "{name}");
        let again = claim_all(st, 10);
        assert_eq!(again.len(), 4, "{name}");
        assert_eq!(
            again.iter().filter(|c| c.attempts == 2).count(),
            2,
            "{name}: the interrupted attempts count"
        );
    }
}

#[test]
fn failures_are_counted_by_the_cause_before_the_first_colon_on_both_backends() {
    for (name, st) in backends("causes") {
        let st = &*st;
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
        st.add(&NewUrl::start(url("http://a.edu/done"), Kind::Article))
            .expect("add");
        let by_cause = st.failures_by_cause().expect("counts");
        let got: Vec<(&str, u64)> = by_cause.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            got,
            [("http-500", 2), ("timeout", 1), ("unknown", 1)],
            "{name}"
        );
    }
}

#[test]
fn assets_settle_once_and_never_overwrite_a_page_on_both_backends() {
    for (name, st) in backends("assets") {
        let st = &*st;
        let page = url("http://a.edu/info/1.htm");
        st.add(&NewUrl::start(page.clone(), Kind::Article))
            .expect("add");
        let img = NewUrl::found(url("http://cdn.a.edu/p.jpg"), Kind::Asset, &page, 0);
        let stored = AssetOutcome::Stored {
            path: "images/ab/ab.jpg".into(),
            content_hash: "ab".into(),
            http_status: 200,
            final_url: img.url.clone(),
        };
        assert!(st.settle_asset(&img, &stored).expect("settle"), "{name}");
        let row = st.get(&img.url).expect("get").expect("asset row");
        assert_eq!(
            (row.kind, row.state, row.page_path.as_deref(), row.attempts),
            (Kind::Asset, UrlState::Done, Some("images/ab/ab.jpg"), 1),
            "{name}"
        );
        let failed = AssetOutcome::Failed {
            error: "http-404: gone".into(),
            http_status: Some(404),
        };
        assert!(
            st.settle_asset(&img, &failed).expect("settle again"),
            "{name}"
        );
        let row = st.get(&img.url).expect("get").expect("asset row");
        assert_eq!(
            (row.state, row.attempts, row.version),
            (UrlState::Failed, 2, 1),
            "{name}"
        );
        // A page row is never turned into an asset.
        let as_asset = NewUrl::found(page.clone(), Kind::Asset, &page, 0);
        assert!(
            !st.settle_asset(&as_asset, &stored).expect("settle"),
            "{name}"
        );
        assert_eq!(
            st.get(&page).expect("get").expect("page").kind,
            Kind::Article,
            "{name}"
        );
        assert!(
            st.pending_hosts()
                .expect("hosts")
                .iter()
                .all(|h| h != "cdn.a.edu"),
            "{name}: assets are never queued"
        );
    }
}

#[test]
fn add_each_reports_what_was_new_in_order_on_both_backends() {
    for (name, st) in backends("add_each") {
        let st = &*st;
        let list = url("http://a.edu/list.htm");
        st.add(&NewUrl::start(list.clone(), Kind::List))
            .expect("add");
        // Holding a.edu (a shared frontier writes its URLs in one statement) but not b.edu.
        assert_eq!(st.claim_hosts(&[("a.edu", 1)]).expect("claim")[0].len(), 1);
        let found = |u: &str| NewUrl::found(url(u), Kind::Article, &list, 0);
        let got = st
            .add_each(&[
                NewUrl::start(list.clone(), Kind::List),
                found("http://a.edu/1.htm"),
                found("http://a.edu/1.htm"),
                found("http://b.edu/2.htm"),
                found("http://a.edu/3.htm"),
            ])
            .expect("add_each");
        assert_eq!(got, [false, true, false, true, true], "{name}");
        let rec = st
            .get(&url("http://a.edu/3.htm"))
            .expect("get")
            .expect("row");
        assert_eq!(
            (rec.state, rec.depth, rec.host.as_str()),
            (UrlState::Pending, 1, "a.edu"),
            "{name}"
        );
        assert_eq!(
            rec.parent.as_deref(),
            Some("http://a.edu/list.htm"),
            "{name}"
        );
        assert_eq!(st.counts().expect("counts").total(), 4, "{name}");
        let mut hosts = st.pending_hosts().expect("hosts");
        hosts.sort();
        assert_eq!(hosts, ["a.edu", "b.edu"], "{name}: b.edu's host row exists");
    }
}
