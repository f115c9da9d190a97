//! The shared data folder (`../shared` beside the repository, or `$UNINEWS_SHARED`):
//! the real-page corpus, the generic-extraction sets and the site mirrors that tests and
//! benchmarks read in place. One place decides what a test does when it is absent.
//!
//! Absent, a test is skipped with a line on the real standard output (not the captured
//! one, so `cargo test` shows it beside the test summary); with `UNINEWS_REQUIRE_SHARED=1`
//! (as `.ci/run` sets it) an absent folder is a test failure instead.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The variable that turns a missing shared folder into a failure.
pub const REQUIRE_VAR: &str = "UNINEWS_REQUIRE_SHARED";

/// The shared data folder's root (it may not exist).
pub fn root() -> PathBuf {
    std::env::var_os("UNINEWS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"))
}

/// `sub` inside the shared folder, if present. Absent: `None` after a SKIPPED line, or a
/// panic naming the folder when [`REQUIRE_VAR`] is `1`.
pub fn dir(sub: &str) -> Option<PathBuf> {
    let dir = root().join(sub);
    if dir.is_dir() {
        return Some(dir);
    }
    let reason = format!(
        "{} is absent (set UNINEWS_SHARED to the shared data folder)",
        dir.display()
    );
    if std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "1") {
        panic!("{REQUIRE_VAR}=1 but {reason}");
    }
    skipped(&reason);
    None
}

/// Say that the running test is skipped, and why, on the process's standard output
/// (libtest captures `println!`, not writes to the handle, so the line is always shown).
pub fn skipped(reason: &str) {
    let name = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "SKIPPED {name}: {reason}");
    let _ = out.flush();
}

/// One page of the shared corpus, from its `manifest.tsv`.
#[derive(Debug, Clone)]
pub struct CorpusPage {
    /// Path of the raw page.
    pub path: PathBuf,
    /// The URL it was served at.
    pub url: String,
    /// `article` or `list`.
    pub kind: String,
}

/// Every page listed in `corpus/manifest.tsv` (panics on a malformed manifest: the
/// corpus is test data, and a broken one should fail the test loudly).
pub fn corpus_pages(corpus: &Path) -> Vec<CorpusPage> {
    let text = std::fs::read_to_string(corpus.join("manifest.tsv")).expect("corpus manifest");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("manifest header").split('\t').collect();
    let col = |n: &str| {
        header
            .iter()
            .position(|h| *h == n)
            .expect("manifest column")
    };
    let (f, u, k) = (col("file"), col("url"), col("kind"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            CorpusPage {
                path: corpus.join(c[f]),
                url: c[u].to_string(),
                kind: c[k].to_string(),
            }
        })
        .collect()
}
