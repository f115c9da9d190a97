//! A PostgreSQL server for the shared-frontier tests: a fresh database per test on the
//! server `UNINEWS_TEST_POSTGRES` names (`scripts/pg-server.sh start DIR` starts one and
//! prints the variable; `.ci/run` does it). Without it the tests say SKIPPED, loudly, and
//! pass; with `UNINEWS_REQUIRE_POSTGRES=1` (as `.ci/run` sets it) they fail instead.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use uninews::frontier::pg::{PgFrontier, PgOptions};

static SEQ: AtomicUsize = AtomicUsize::new(0);

/// The URL of a new, empty database for `test`, or `None` (after saying SKIPPED) when no
/// server is configured.
pub fn fresh_database(test: &str) -> Option<String> {
    let Ok(base) = std::env::var("UNINEWS_TEST_POSTGRES") else {
        assert!(
            std::env::var_os("UNINEWS_REQUIRE_POSTGRES").is_none(),
            "{test}: UNINEWS_REQUIRE_POSTGRES is set but UNINEWS_TEST_POSTGRES is not"
        );
        eprintln!(
            "SKIPPED (postgres) {test}: set UNINEWS_TEST_POSTGRES=postgres://... \
             (eval \"$(scripts/pg-server.sh start /tmp/uninews-pg)\") to run it"
        );
        return None;
    };
    let name = format!(
        "t_{}_{}_{}",
        test.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = postgres::Client::connect(&base, postgres::NoTls)
        .unwrap_or_else(|e| panic!("{test}: cannot connect to {base}: {e}"));
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin.batch_execute(&sql).unwrap_or_else(|e| {
            let detail = e.as_db_error().map(|d| d.message().to_string());
            panic!("{test}: {sql}: {e} {detail:?}")
        });
    }
    let mut url = url::Url::parse(&base).expect("UNINEWS_TEST_POSTGRES is a URL");
    url.set_path(&name);
    Some(url.to_string())
}

/// A worker on `url` with a lease of `lease`.
pub fn worker(url: &str, name: &str, lease: Duration) -> PgFrontier {
    PgFrontier::open(PgOptions {
        url: url.to_string(),
        worker: name.to_string(),
        lease,
        min_gap: Duration::ZERO,
        out: format!("/tmp/{name}"),
    })
    .unwrap_or_else(|e| panic!("open worker {name}: {e}"))
}
