//! `kill -9` of a real `uninews crawl --images` process in the middle of a crawl, twice,
//! then the same command again: every article is stored once with every image's local
//! file in place, and no image stored before a kill is downloaded again.

use super::support::*;
use super::{assets_done, check_file, server_path};
use std::collections::BTreeMap;
use uninews_sample::{ServerConfig, SiteConfig};

const KILLS: usize = 2;

fn crawl_under_test(urls: &[String], out: &std::path::Path) -> std::process::Command {
    crawl_command(
        urls,
        out,
        &[
            "--images",
            "--rate",
            "150",
            "--concurrency",
            "3",
            "--global-concurrency",
            "4",
        ],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_with_images_then_rerun_downloads_no_stored_image_again() {
    let server = server(ServerConfig::new(SiteConfig::default().with_articles(60))).await;
    let starts = start_urls(&server);
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("articles.jsonl");
    // Per image stored before a kill: how often the server had served it by then.
    let mut served_when_stored: BTreeMap<String, usize> = BTreeMap::new();
    for k in 1..=KILLS {
        let target = k * 120 / (KILLS + 1);
        kill_at_lines(&mut crawl_under_test(&starts, dir.path()), &jsonl, target).await;
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

    let status = crawl_under_test(&starts, dir.path()).status().unwrap();
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
