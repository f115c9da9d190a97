//! A fleet of workers on one shared frontier: 3 `uninews crawl --frontier ... --worker`
//! processes over 30 loopback hosts (127.0.0.2, ...), one of them killed with `kill -9`
//! mid-way, on a real PostgreSQL server (see `tests/it/pg.rs`).
//!
//! Judged from the servers' request logs and the frontier's tables: every article is in
//! `records` exactly once; no host is asked twice within less than its interval (minus
//! a clock tolerance), so no two workers fetched one host at once; each host changes
//! worker at most a few times (a late joiner's share, the kill), never back and forth;
//! the killed worker's hosts are fetched again within about a lease; only what was in
//! flight at the kill is fetched twice; and `uninews export` equals, record for record,
//! what a single-machine crawl of the same hosts stores.

use crate::{pg, support};

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::*;
use uninews_sample::SiteConfig;

const HOSTS: usize = 30;
/// Articles per section (two sections) per host.
const ARTICLES: u64 = 6;
const RATE: f64 = 5.0;
/// Lease time of the workers (they renew every third of it).
const LEASE_SECS: u64 = 3;
/// Each worker's global concurrency; it runs at most twice that many page tasks, the
/// most a kill can leave in flight.
const GLOBAL: usize = 8;
/// See `crawl_hosts.rs`: debug servers beside debug crawlers on 2 cores log a request
/// up to ~100 ms late.
const GAP_TOLERANCE: Duration = Duration::from_millis(100);

fn worker(db: &str, name: &str, starts: &Path, out: &Path) -> Child {
    let log = std::fs::File::create(out.with_extension("log")).expect("log file");
    Command::new(env!("CARGO_BIN_EXE_uninews"))
        .args(["crawl", "--start-urls"])
        .arg(starts)
        .arg("--out")
        .arg(out)
        .args([
            "--frontier",
            db,
            "--worker",
            name,
            "--lease",
            &LEASE_SECS.to_string(),
        ])
        .args([
            "--rate",
            &RATE.to_string(),
            "--global-concurrency",
            &GLOBAL.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("uninews runs")
}

fn wait_for(child: &mut Child, bound: Duration, what: &str, log: &Path) {
    let deadline = Instant::now() + bound;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            assert!(status.success(), "{what}: {status}\n{text}");
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let text = std::fs::read_to_string(log).unwrap_or_default();
            panic!("{what}: still running after {bound:?}\n{text}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A record without what differs between two crawls of the same pages (fetch time).
fn comparable(line: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(line).expect("a JSON record");
    if let Some(o) = v.as_object_mut() {
        o.remove("fetched_at");
    }
    v
}

#[test]
fn three_workers_share_thirty_hosts_survive_a_kill_and_export_what_one_machine_stores() {
    let Some(db) = pg::fresh_database("crawl_workers") else {
        return;
    };
    let hosts = loopback_hosts(HOSTS, |_| {
        SiteConfig::default()
            .with_articles(ARTICLES)
            .with_per_page(5)
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let starts = dir.path().join("starts.txt");
    let all: Vec<String> = hosts.iter().flat_map(start_urls).collect();
    std::fs::write(&starts, all.join("\n")).expect("starts");
    let total: usize = hosts.iter().map(|s| s.site().articles().len()).sum();
    let mut pgc = postgres::Client::connect(&db, postgres::NoTls).expect("connect");

    let outs: Vec<_> = (1..=3).map(|i| dir.path().join(format!("w{i}"))).collect();
    let mut workers: Vec<Child> = (0..3)
        .map(|i| worker(&db, &format!("w{}", i + 1), &starts, &outs[i]))
        .collect();
    // Kill w2 once a third of the articles are stored (w2 has some by then).
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let n: i64 = pgc
            .query_one("SELECT count(*) FROM records", &[])
            .map(|r| r.get(0))
            .unwrap_or(0);
        if n as usize >= total / 3 || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let killed_at = Instant::now();
    workers[1].kill().expect("kill -9");
    workers[1].wait().expect("reap");
    let w2_hosts: i64 = pgc
        .query_one("SELECT count(*) FROM hosts WHERE worker = 'w2'", &[])
        .expect("hosts")
        .get(0);
    for (i, w) in workers.iter_mut().enumerate() {
        if i != 1 {
            let log = outs[i].with_extension("log");
            wait_for(
                w,
                Duration::from_secs(180),
                &format!("worker w{}", i + 1),
                &log,
            );
        }
    }
    eprintln!(
        "fleet done {:?} after the kill; w2 held {w2_hosts} hosts when killed",
        killed_at.elapsed()
    );

    // Every article once in the table.
    let rows = pgc
        .query("SELECT url, count(*) FROM records GROUP BY url", &[])
        .expect("records");
    let stored: BTreeMap<String, i64> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let expected: BTreeSet<String> = hosts
        .iter()
        .flat_map(|s| {
            s.site()
                .articles()
                .iter()
                .map(|p| s.url(p).to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(stored.keys().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(stored.values().all(|n| *n == 1), "a record stored twice");

    // Politeness across the fleet, from each server's own log; who fetched what.
    let owner: BTreeMap<String, String> = pgc
        .query("SELECT url, worker FROM urls WHERE worker IS NOT NULL", &[])
        .expect("urls")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let interval = Duration::from_secs_f64(1.0 / RATE);
    let mut refetched = 0;
    let mut max_gap = Duration::ZERO;
    for s in hosts.iter() {
        let mut log = s.requests();
        log.sort_by_key(|r| r.at);
        for w in log.windows(2) {
            let gap = w[1].at - w[0].at;
            assert!(
                gap + GAP_TOLERANCE >= interval,
                "{}: {} then {} only {gap:?} apart",
                s.base_url(),
                w[0].path,
                w[1].path
            );
            max_gap = max_gap.max(gap);
        }
        let by: Vec<&String> = log
            .iter()
            .filter_map(|r| owner.get(s.url(&r.path).as_str()))
            .collect();
        let switches = by.windows(2).filter(|w| w[0] != w[1]).count();
        assert!(
            switches <= 3,
            "{}: the host went back and forth between workers ({switches} switches): {by:?}",
            s.base_url()
        );
        refetched += s
            .site()
            .articles()
            .iter()
            .filter(|p| s.count(p) > 1)
            .count();
    }
    assert!(
        refetched <= 2 * GLOBAL,
        "{refetched} articles fetched twice; only those w2 had in flight may be"
    );
    // A killed worker's hosts wait at most a lease (plus a renewal round) for a new holder.
    let bound = Duration::from_secs(2 * LEASE_SECS + 2);
    assert!(
        max_gap <= bound,
        "a host waited {max_gap:?} (bound {bound:?})"
    );
    eprintln!("largest gap on a host {max_gap:?}; {refetched} articles fetched twice");

    // Status: three workers, two stopped cleanly, the killed one not; no lease left but
    // the dead worker's expired ones on hosts that had no work left.
    let status = Command::new(env!("CARGO_BIN_EXE_uninews"))
        .args(["status", "--frontier", &db, "--json"])
        .output()
        .expect("status runs");
    assert!(status.status.success(), "{status:?}");
    let st: serde_json::Value = serde_json::from_slice(&status.stdout).expect("status JSON");
    let stopped: Vec<(String, bool)> = st["workers"]
        .as_array()
        .expect("workers")
        .iter()
        .map(|w| {
            (
                w["name"].as_str().unwrap_or("").to_string(),
                w["stopped"] == true,
            )
        })
        .collect();
    assert_eq!(
        stopped,
        [
            ("w1".to_string(), true),
            ("w2".to_string(), false),
            ("w3".to_string(), true)
        ]
    );
    for lease in st["leases"].as_array().expect("leases") {
        assert_eq!(lease["worker"], "w2", "{st}");
        assert!(lease["expires_in_secs"].as_f64() < Some(0.0), "{st}");
        assert_eq!(
            (lease["pending"].as_i64(), lease["in_flight"].as_i64()),
            (Some(0), Some(0))
        );
    }
    assert_eq!(st["hosts_with_work"], 0);
    assert_eq!(st["articles"], total);

    // Export equals a single-machine crawl of the same hosts.
    let export = Command::new(env!("CARGO_BIN_EXE_uninews"))
        .args(["-q", "export", "--frontier", &db])
        .output()
        .expect("export runs");
    assert!(export.status.success(), "{export:?}");
    let exported: Vec<serde_json::Value> = String::from_utf8(export.stdout)
        .expect("utf-8")
        .lines()
        .map(comparable)
        .collect();
    for s in hosts.iter() {
        s.clear_requests();
    }
    let single = dir.path().join("single");
    let status = crawl_command(
        &[],
        &single,
        &[
            "--start-urls",
            starts.to_str().expect("path"),
            "--rate",
            "50",
        ],
    )
    .status()
    .expect("single crawl");
    assert!(status.success());
    let text = std::fs::read_to_string(single.join("articles.jsonl")).expect("records");
    let mut local: Vec<serde_json::Value> = text.lines().map(comparable).collect();
    local.sort_by_key(|v| v["url"].as_str().unwrap_or_default().to_string());
    assert_eq!(exported.len(), total);
    assert_eq!(
        exported, local,
        "export differs from the single-machine records"
    );
    // Printed as articles.jsonl prints them: the same fields in the same order (JSONB
    // keeps neither; export writes them through the record type).
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    for (e, l) in exported.iter().zip(&local) {
        assert_eq!(keys(e), keys(l), "field order of {}", e["url"]);
    }
}
