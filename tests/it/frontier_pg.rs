//! The shared frontier's own rules, on a real PostgreSQL server (see `tests/it/pg.rs`):
//! host leases between workers, takeover after a lease runs out, the wait a host given
//! back keeps, fair shares, worker names, passes, and the records table.

use crate::pg;
use std::time::Duration;
use uninews::Record;
use uninews::frontier::Frontier;
use uninews::frontier::Kind;
use uninews::frontier::pg::{Export, PgFrontier};
use uninews::frontier::state::{NewUrl, UrlState};
use url::Url;

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

fn seed(st: &dyn Frontier, hosts: &[&str], per_host: usize) {
    let new: Vec<NewUrl> = hosts
        .iter()
        .flat_map(|h| {
            (0..per_host)
                .map(move |i| NewUrl::start(url(&format!("http://{h}/{i}")), Kind::Article))
        })
        .collect();
    st.add_many(&new).expect("seed");
}

fn claim(st: &dyn Frontier, host: &str, n: usize) -> Vec<String> {
    st.claim_hosts(&[(host, n)]).expect("claim")[0]
        .iter()
        .map(|c| c.url.to_string())
        .collect()
}

#[test]
fn a_host_is_claimed_by_one_worker_at_a_time() {
    let Some(db) = pg::fresh_database("one_worker_per_host") else {
        return;
    };
    let (w1, w2) = (
        pg::worker(&db, "w1", Duration::from_secs(30)),
        pg::worker(&db, "w2", Duration::from_secs(30)),
    );
    seed(&w1, &["a.edu", "b.edu"], 3);
    assert_eq!(claim(&w1, "a.edu", 1).len(), 1);
    assert!(claim(&w2, "a.edu", 5).is_empty(), "w1 holds a.edu");
    assert!(
        !w2.pending_hosts()
            .expect("hosts")
            .contains(&"a.edu".to_string()),
        "a held host is not offered to another worker"
    );
    assert_eq!(claim(&w2, "b.edu", 5).len(), 3);
    // The holder goes on claiming its host.
    assert_eq!(claim(&w1, "a.edu", 5).len(), 2);
    assert!(claim(&w1, "b.edu", 5).is_empty(), "w2 holds b.edu");
}

#[test]
fn a_dead_workers_hosts_move_on_when_its_lease_runs_out() {
    let Some(db) = pg::fresh_database("lease_takeover") else {
        return;
    };
    let lease = Duration::from_secs(1);
    let w1 = pg::worker(&db, "w1", lease);
    let w2 = pg::worker(&db, "w2", lease);
    seed(&w1, &["a.edu"], 3);
    assert_eq!(claim(&w1, "a.edu", 2).len(), 2);
    // w1 dies: no close, no renewal. Until the lease runs out, w2 gets nothing.
    drop(w1);
    assert!(claim(&w2, "a.edu", 5).is_empty());
    std::thread::sleep(lease + Duration::from_millis(300));
    assert_eq!(w2.pending_hosts().expect("hosts"), ["a.edu"]);
    let got = w2.claim_hosts(&[("a.edu", 5)]).expect("claim");
    let mut attempts: Vec<u32> = got[0].iter().map(|c| c.attempts).collect();
    attempts.sort();
    assert_eq!(
        attempts,
        [1, 2, 2],
        "the 2 URLs w1 left in flight come back (their attempt counted), with the third"
    );
    let counts = w2.counts().expect("counts");
    assert_eq!(counts.state(UrlState::InFlight), 3);
    // w1 restarts under its name: it holds nothing now, and the host is w2's.
    let w1 = pg::worker(&db, "w1", lease);
    assert_eq!(w1.resume().expect("resume"), 0, "w1's URLs were taken over");
    assert!(claim(&w1, "a.edu", 5).is_empty());
    assert_eq!(w1.renew().expect("renew").lost, Vec::<String>::new());
}

#[test]
fn a_host_given_back_keeps_its_wait_and_a_renewal_reports_lost_hosts() {
    let Some(db) = pg::fresh_database("give_back") else {
        return;
    };
    let lease = Duration::from_secs(1);
    let (w1, w2) = (pg::worker(&db, "w1", lease), pg::worker(&db, "w2", lease));
    seed(&w1, &["a.edu", "b.edu"], 4);
    let head = w1.claim_hosts(&[("a.edu", 2)]).expect("claim");
    let unstarted: Vec<Url> = head[0].iter().map(|c| c.url.clone()).collect();
    w1.give_up(
        &[("a.edu".to_string(), Duration::from_millis(1500))],
        &unstarted,
    )
    .expect("give up");
    assert_eq!(
        w1.get(&unstarted[0]).expect("get").expect("row").attempts,
        0,
        "unstarted URLs go back as they were"
    );
    assert!(
        claim(&w2, "a.edu", 5).is_empty(),
        "the host's wait is not over"
    );
    std::thread::sleep(Duration::from_millis(1700));
    assert_eq!(claim(&w2, "a.edu", 5).len(), 4);
    // w1 holds b.edu but stops renewing past its lease; w2 takes it; w1 hears of it.
    assert_eq!(claim(&w1, "b.edu", 1).len(), 1);
    std::thread::sleep(lease + Duration::from_millis(300));
    assert_eq!(claim(&w2, "b.edu", 5).len(), 4, "b.edu moved to w2");
    assert_eq!(w1.renew().expect("renew").lost, ["b.edu"]);
}

#[test]
fn workers_hold_a_fair_share_and_give_back_the_excess() {
    let Some(db) = pg::fresh_database("fair_share") else {
        return;
    };
    let w1 = pg::worker(&db, "w1", Duration::from_secs(30));
    let hosts: Vec<String> = (0..40).map(|i| format!("h{i}.edu")).collect();
    let names: Vec<&str> = hosts.iter().map(String::as_str).collect();
    seed(&w1, &names, 2);
    // Alone, w1 may take every host.
    let offered = w1.pending_hosts().expect("hosts");
    assert_eq!(offered.len(), 40);
    let asks: Vec<(&str, usize)> = offered.iter().map(|h| (h.as_str(), 1)).collect();
    let got = w1.claim_hosts(&asks).expect("claim");
    assert_eq!(got.iter().filter(|v| !v.is_empty()).count(), 40);
    // A second worker joins: the share halves, and w1 is asked to give back 20.
    let w2 = pg::worker(&db, "w2", Duration::from_secs(30));
    assert_eq!(w1.renew().expect("renew").excess, 20);
    assert!(
        w2.pending_hosts().expect("hosts").is_empty(),
        "nothing free yet"
    );
    let back: Vec<(String, Duration)> = hosts[..20]
        .iter()
        .map(|h| (h.clone(), Duration::ZERO))
        .collect();
    let unstarted: Vec<Url> = got[..20].iter().flatten().map(|c| c.url.clone()).collect();
    w1.give_up(&back, &unstarted).expect("give up");
    let offered = w2.pending_hosts().expect("hosts");
    assert_eq!(offered.len(), 20, "w2 sees the hosts given back");
    let asks: Vec<(&str, usize)> = offered.iter().map(|h| (h.as_str(), 5)).collect();
    let taken = w2.claim_hosts(&asks).expect("claim");
    assert_eq!(taken.iter().filter(|v| !v.is_empty()).count(), 20);
    assert_eq!(w1.renew().expect("renew").excess, 0);
    assert_eq!(w2.renew().expect("renew").excess, 0);
}

#[test]
fn a_live_worker_name_is_refused_and_only_the_first_worker_starts_a_pass() {
    let Some(db) = pg::fresh_database("names_passes") else {
        return;
    };
    let w1 = pg::worker(&db, "w1", Duration::from_secs(30));
    let again = PgFrontier::open(uninews::frontier::pg::PgOptions {
        url: db.clone(),
        worker: "w1".into(),
        lease: Duration::from_secs(30),
        min_gap: Duration::ZERO,
        out: "/tmp/other".into(),
    });
    let err = again.expect_err("a live namesake");
    assert!(err.to_string().contains("is running"), "{err}");
    let w2 = pg::worker(&db, "w2", Duration::from_secs(30));
    let p1 = w1.start_pass(true).expect("pass");
    let p2 = w2.start_pass(true).expect("pass");
    assert_eq!((p1.number, p1.new, p2.number, p2.new), (1, true, 1, false));
    // With w2 stopped, a finished frontier starts pass 2.
    w2.close().expect("close");
    let p = w1.start_pass(true).expect("pass");
    assert_eq!((p.number, p.new), (2, true));
    assert!(w1.finished().expect("finished"));
    assert_ne!(w1.local_key("records_len"), w2.local_key("records_len"));
}

fn record(u: &str, version: u32, title: &str) -> Record {
    let mut r: Record = serde_json::from_value(serde_json::json!({
        "schema_version": 1, "url": u, "site": "a.edu", "extractor": "cms:vsb",
        "title": title, "published": "2024-05-20", "breadcrumb": [], "sections": [],
        "images": [], "attachments": []
    }))
    .expect("record");
    r.version = Some(version);
    r
}

#[test]
fn records_are_stored_once_and_export_writes_the_newest_version() {
    let Some(db) = pg::fresh_database("records") else {
        return;
    };
    let w1 = pg::worker(&db, "w1", Duration::from_secs(30));
    let a = "http://a.edu/info/1.htm";
    w1.store_record(&record(a, 1, "first")).expect("store");
    w1.store_record(&record(a, 1, "first again"))
        .expect("re-delivered");
    w1.store_record(&record(a, 2, "second")).expect("store v2");
    w1.store_record(&record("http://a.edu/info/0.htm", 1, "other"))
        .expect("store");
    let reader = PgFrontier::open_reader(&db).expect("reader");
    let mut out = Vec::new();
    let n = reader
        .export(&Export::default(), |r| {
            out.push((r.url.clone(), r.version, r.title.clone()));
            Ok(())
        })
        .expect("export");
    assert_eq!(n, 2);
    assert_eq!(
        out,
        [
            (
                "http://a.edu/info/0.htm".to_string(),
                Some(1),
                "other".to_string()
            ),
            (a.to_string(), Some(2), "second".to_string()),
        ]
    );
    let status = reader.status().expect("status");
    assert_eq!(
        (status.records, status.articles),
        (3, 2),
        "the re-delivery is not stored"
    );
    let later = Export {
        stored_since: Some("2999-01-01T00:00:00Z".into()),
        ..Export::default()
    };
    assert_eq!(reader.export(&later, |_| Ok(())).expect("export"), 0);
}

#[test]
fn a_database_of_a_newer_schema_is_refused() {
    let Some(db) = pg::fresh_database("newer_schema") else {
        return;
    };
    drop(pg::worker(&db, "w1", Duration::from_secs(30)));
    let mut c = postgres::Client::connect(&db, postgres::NoTls).expect("connect");
    let v: i32 = c
        .query_one("SELECT version FROM uninews_schema", &[])
        .expect("version")
        .get(0);
    assert_eq!(v, uninews::frontier::pg::PG_SCHEMA_VERSION);
    c.execute("UPDATE uninews_schema SET version = version + 1", &[])
        .expect("bump");
    let err = PgFrontier::open_reader(&db).expect_err("a newer schema");
    assert!(err.to_string().contains("upgrade uninews"), "{err}");
}
