//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

pub use uninews_sample::shared::{corpus_pages, skipped};

/// The shared data folder's `sub` folder, if present (see [`uninews_sample::shared::dir`]:
/// SKIPPED when absent, a failure with `UNINEWS_REQUIRE_SHARED=1`).
pub fn shared_dir(sub: &str) -> Option<PathBuf> {
    uninews_sample::shared::dir(sub)
}

/// The project root.
pub fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// An extractor with the built-in profiles, choosing by host.
pub fn extractor() -> uninews::extract::Extractor {
    uninews::extract::Extractor::new(
        uninews::selectors::ProfileSet::builtin().expect("built-in profiles load"),
        uninews::extract::ProfileChoice::ByHost,
    )
}
