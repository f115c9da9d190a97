//! `kill -9` of a real `uninews crawl --images` process in the middle of a crawl, twice,
//! then the same command again: every article is stored once with every image's local
//! file in place, and no image stored before a kill is downloaded again.

use super::support::*;
use super::{assets_done, check_file, server_path};
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use uninews::sample::{ServerConfig, SiteConfig};

const KILLS: usize = 2;

fn crawl_command(urls: &[String], out: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_uninews"));
    cmd.arg("crawl")
        .args(urls)
        .arg("--out")
        .arg(out)
        .args(["--images", "--rate", "150", "--concurrency", "3"])
        .args(["--global-concurrency", "4", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn lines(path: &std::path::Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_with_images_then_rerun_downloads_no_stored_image_again() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(60))).await;
    let starts: Vec<String> = server
        .site()
        .start_paths()
        .iter()
        .map(|p| server.url(p).to_string())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("articles.jsonl");
    // Per image stored before a kill: how often the server had served it by then.
    let mut served_when_stored: BTreeMap<String, usize> = BTreeMap::new();
    for k in 1..=KILLS {
        let target = k * 120 / (KILLS + 1);
        let mut child = crawl_command(&starts, dir.path())
            .spawn()
            .expect("uninews runs");
        let deadline = Instant::now() + Duration::from_secs(60);
        while lines(&jsonl) < target && Instant::now() < deadline {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        let done = assets_done(dir.path());
        assert!(
            done.len() > served_when_stored.len(),
            "kill {k}: no progress"
        );
        for u in done {
            let n = server.count(&server_path(&u));
            served_when_stored.entry(u).or_insert(n);
        }
    }
    assert!(
        lines(&jsonl) < 120,
        "the crawl finished before the last kill"
    );

    let status = crawl_command(&starts, dir.path()).status().unwrap();
    assert!(status.success(), "final run: {status}");

    let records = records(dir.path());
    let found = paths(&records);
    assert_eq!(found.len(), 120);
    assert!(found.values().all(|n| *n == 1), "an article stored twice");
    let stored = assets_done(dir.path());
    for im in records.iter().flat_map(|r| &r.images) {
        let local = im.local.as_deref().unwrap_or_else(|| panic!("{}", im.src));
        check_file(dir.path(), "images", local);
        assert!(stored.contains(&im.src), "{} has no asset row", im.src);
    }
    for (u, served) in &served_when_stored {
        assert_eq!(
            server.count(&server_path(u)),
            *served,
            "{u} was stored before a kill and downloaded again"
        );
    }
}
