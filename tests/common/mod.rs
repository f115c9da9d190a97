//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared data folder (`../shared` beside the project, or `$UNINEWS_SHARED`), if present.
/// Tests that need it call this and return early, saying so on stderr, when it is absent.
pub fn shared_dir(sub: &str) -> Option<PathBuf> {
    let base = std::env::var_os("UNINEWS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = base.join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (set UNINEWS_SHARED to the shared data folder to run this test)",
            dir.display()
        );
        None
    }
}

/// The project root.
pub fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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

/// Every page listed in `corpus/manifest.tsv`.
pub fn corpus_pages(corpus: &std::path::Path) -> Vec<CorpusPage> {
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

/// An extractor with the built-in profiles, choosing by host.
pub fn extractor() -> uninews::extract::Extractor {
    uninews::extract::Extractor::new(
        uninews::selectors::ProfileSet::builtin().expect("built-in profiles load"),
        uninews::extract::ProfileChoice::ByHost,
    )
}
