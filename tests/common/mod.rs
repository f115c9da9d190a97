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
