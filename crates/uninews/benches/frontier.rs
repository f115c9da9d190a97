//! The frontier's own throughput, without HTTP: how many pages per second the crawl
//! state can hand out and settle, on SQLite and on PostgreSQL with 1, 2 and 3 workers.
//!
//! Each worker loops as the crawl loop does, at full speed: ask for hosts, claim 8 URLs
//! of each, then one batch that marks every claimed URL done (with validators and a page
//! path) and stores an article record. 300 hosts x 200 URLs are seeded.
//!
//!     UNINEWS_BENCH_POSTGRES=postgres://user@127.0.0.1:PORT/postgres cargo bench --bench frontier
//!
//! Without the variable only SQLite is measured. A fresh database is created per run.

use std::sync::Arc;
use std::time::{Duration, Instant};
use uninews::Record;
use uninews::frontier::pg::{PgFrontier, PgOptions};
use uninews::frontier::state::{CrawlState, Done, NewUrl};
use uninews::frontier::{Frontier, Kind};
use url::Url;

const HOSTS: usize = 300;
const PER_HOST: usize = 200;
const RUN: Duration = Duration::from_secs(10);

fn seed(st: &dyn Frontier) {
    let new: Vec<NewUrl> = (0..HOSTS)
        .flat_map(|h| {
            (0..PER_HOST).map(move |i| {
                let u = Url::parse(&format!("http://h{h}.bench/info/{i}.htm")).expect("url");
                NewUrl::start(u, Kind::Article)
            })
        })
        .collect();
    st.add_many(&new).expect("seed");
}

fn record(url: &Url) -> Record {
    serde_json::from_value(serde_json::json!({
        "schema_version": 1, "url": url.as_str(), "site": url.host_str(), "extractor": "cms:vsb",
        "title": "A title of some length for the bench", "published": "2026-12-01",
        "breadcrumb": ["首页", "新闻"], "version": 1,
        "sections": [{"paragraphs": ["A paragraph of text, as an article has. ".repeat(20)]}],
        "images": [], "attachments": []
    }))
    .expect("record")
}

/// One worker's loop until `RUN` is over; pages settled.
fn work(st: &dyn Frontier) -> u64 {
    let end = Instant::now() + RUN;
    let mut n = 0;
    while Instant::now() < end {
        let hosts = st.pending_hosts().expect("hosts");
        if hosts.is_empty() {
            break;
        }
        let asks: Vec<(&str, usize)> = hosts.iter().take(64).map(|h| (h.as_str(), 8)).collect();
        let claimed: Vec<_> = st
            .claim_hosts(&asks)
            .expect("claim")
            .into_iter()
            .flatten()
            .collect();
        st.batch(|| {
            for c in &claimed {
                let done = Done {
                    http_status: Some(200),
                    etag: Some("\"e\"".into()),
                    content_hash: Some("0123456789abcdef".into()),
                    page_path: Some(format!("pages/{}", c.url.path())),
                    version: Some(1),
                    ..Done::default()
                };
                st.store_record(&record(&c.url))?;
                st.mark_done(&c.url, &done)?;
            }
            Ok::<_, uninews::frontier::StateError>(())
        })
        .expect("batch");
        n += claimed.len() as u64;
    }
    n
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = CrawlState::open_dir(dir.path()).expect("sqlite");
    seed(&sqlite);
    let t = Instant::now();
    let n = work(&sqlite);
    println!(
        "frontier sqlite, 1 worker: {:.0} pages/s",
        n as f64 / t.elapsed().as_secs_f64()
    );

    let Ok(base) = std::env::var("UNINEWS_BENCH_POSTGRES") else {
        println!("frontier postgres: SKIPPED (set UNINEWS_BENCH_POSTGRES=postgres://...)");
        return;
    };
    for workers in 1..=3 {
        let name = format!("bench_frontier_{}_{workers}", std::process::id());
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).expect("connect");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create");
        let mut db = Url::parse(&base).expect("url");
        db.set_path(&name);
        let open = |w: usize| {
            Arc::new(
                PgFrontier::open(PgOptions {
                    url: db.to_string(),
                    worker: format!("w{w}"),
                    lease: Duration::from_secs(30),
                    min_gap: Duration::ZERO,
                    out: "/tmp".into(),
                })
                .expect("open"),
            )
        };
        let fleet: Vec<Arc<PgFrontier>> = (0..workers).map(open).collect();
        seed(&*fleet[0]);
        let t = Instant::now();
        let threads: Vec<_> = fleet
            .iter()
            .map(|w| {
                let w = w.clone();
                std::thread::spawn(move || work(&*w))
            })
            .collect();
        let n: u64 = threads.into_iter().map(|h| h.join().expect("worker")).sum();
        println!(
            "frontier postgres, {workers} worker(s): {:.0} pages/s",
            n as f64 / t.elapsed().as_secs_f64()
        );
        drop(fleet);
        let _ = admin.batch_execute(&format!("DROP DATABASE {name}"));
    }
}
