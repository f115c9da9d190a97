//! What the binary writes where: a closed stdout pipe is not an error (`extract DIR |
//! head -1` exits 0 quietly), and log lines on a stderr that is not a terminal carry no
//! ANSI escape codes.

use crate::common;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn uninews() -> Command {
    Command::new(env!("CARGO_BIN_EXE_uninews"))
}

#[test]
fn a_reader_that_goes_away_ends_extract_quietly_with_exit_0() {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = std::fs::read(common::project_dir().join("fixtures/handmade/generic-en.html"))
        .expect("fixture page");
    // Far more output than a pipe buffers (64 KiB), so writes hit the closed pipe.
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("p{i:03}.html")), &page).expect("write page");
    }
    let mut child = uninews()
        .args([
            "extract",
            "--jobs",
            "1",
            "--url",
            "http://news.example.edu/a.htm",
        ])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn uninews");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("first line");
    // The reader is dropped here: the pipe is closed, as `head -1` closes it.
    let out = child.wait_with_output().expect("wait");
    assert!(first.starts_with('{'), "a record came first: {first:?}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("error"),
        "no error reported: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A crawl of a port nobody listens on (robots.txt ignored, one attempt) logs warnings; redirected to a pipe, with and
/// without `NO_COLOR`, they hold no escape byte.
#[test]
fn logs_to_a_pipe_have_no_colour_codes() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener); // nothing listens there now: every request fails to connect
    for no_color in [None, Some("1")] {
        let out_dir = tempfile::tempdir().expect("tempdir");
        let mut cmd = uninews();
        cmd.args([
            "crawl",
            &format!("http://127.0.0.1:{port}/news.htm"),
            "--max-attempts",
            "1",
            "--no-robots",
        ])
        .arg("--out")
        .arg(out_dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().expect("run crawl");
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(
            log.contains("WARN") || log.contains("failed"),
            "the crawl logged: {log}"
        );
        assert!(
            !log.contains('\u{1b}'),
            "escape codes in a piped log: {log:?}"
        );
    }
}

#[test]
fn an_unreachable_frontier_is_a_configuration_error_and_worker_needs_frontier() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = uninews()
        .args(["crawl", "http://127.0.0.1:9/news/", "--out"])
        .arg(dir.path())
        .args([
            "--frontier",
            "postgres://nobody:secret@127.0.0.1:9/none",
            "--worker",
            "w1",
        ])
        .output()
        .expect("uninews runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("shared frontier"), "{err}");
    assert!(
        !err.contains("secret"),
        "the password is not printed: {err}"
    );
    let out = uninews()
        .args(["crawl", "http://127.0.0.1:9/news/", "--out"])
        .arg(dir.path())
        .args(["--worker", "w1"])
        .output()
        .expect("uninews runs");
    assert_eq!(out.status.code(), Some(2), "--worker without --frontier");
    let out = uninews()
        .args(["status", "--frontier", "postgres://nobody@127.0.0.1:9/none"])
        .output()
        .expect("uninews runs");
    assert_eq!(out.status.code(), Some(3));
}
