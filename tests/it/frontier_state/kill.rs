//! `kill -9` in the middle of state writes: a helper process (this test binary, run for
//! one ignored test) writes until killed; every change it reported must be there.

use super::url;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use uninews::frontier::Kind;
use uninews::frontier::state::{CrawlState, Done, NewUrl, STATE_FILE, UrlState};

const CHILD_ENV: &str = "UNINEWS_TEST_STATE_CHILD";

/// Helper process for `kill_nine_loses_no_committed_change`: adds, claims and marks URLs
/// forever, printing each URL after its change committed. Runs only when asked.
#[test]
#[ignore = "helper process, run by kill_nine_loses_no_committed_change"]
fn state_child_writer() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let st = CrawlState::open(std::path::Path::new(&path)).expect("child open");
    let mut out = std::io::stdout();
    for i in 0.. {
        let u = url(&format!("http://a.edu/{i}"));
        st.add(&NewUrl::start(u.clone(), Kind::Article))
            .expect("add");
        st.claim(1).expect("claim");
        if i % 2 == 0 {
            st.mark_done(
                &u,
                &Done {
                    http_status: Some(200),
                    ..Done::default()
                },
            )
            .expect("done");
            writeln!(out, "done {i}").expect("stdout");
        } else {
            writeln!(out, "inflight {i}").expect("stdout");
        }
        out.flush().expect("flush");
    }
}

#[test]
fn kill_nine_loses_no_committed_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(STATE_FILE);
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "frontier_state::kill::state_child_writer",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("child stdout");
    let mut reported = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        if let Some(rest) = line
            .strip_prefix("done ")
            .or_else(|| line.strip_prefix("inflight "))
        {
            reported.push((
                line.starts_with("done"),
                rest.parse::<u32>().expect("number"),
            ));
        }
        if reported.len() >= 300 {
            break;
        }
    }
    assert_eq!(
        reported.len(),
        300,
        "the helper process reported its changes"
    );
    child.kill().expect("kill -9"); // SIGKILL on Unix
    child.wait().expect("reap");

    let st = CrawlState::open(&path).expect("reopen after kill");
    for (done, i) in &reported {
        let rec = st
            .get(&url(&format!("http://a.edu/{i}")))
            .expect("get")
            .expect("committed row");
        let want = if *done {
            UrlState::Done
        } else {
            UrlState::InFlight
        };
        assert_eq!(rec.state, want, "url {i}");
    }
    let in_flight = st.counts().expect("counts").state(UrlState::InFlight);
    assert!(in_flight >= 150, "{in_flight}");
    assert_eq!(st.resume().expect("resume"), in_flight as usize);
    assert_eq!(st.counts().expect("counts").state(UrlState::InFlight), 0);
}
