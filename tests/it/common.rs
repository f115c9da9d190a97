//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::HashMap;
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

/// A bag (multiset) of `items`, for the bag-of-tokens F1 the score scripts use.
pub fn bag<I: IntoIterator<Item = String>>(items: I) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for i in items {
        *m.entry(i).or_default() += 1;
    }
    m
}

/// F1 of two bags (`score.py` / `score_text.py`: both empty is 1.0).
pub fn f1(gold: &HashMap<String, usize>, pred: &HashMap<String, usize>) -> f64 {
    if gold.is_empty() && pred.is_empty() {
        return 1.0;
    }
    let inter: usize = gold
        .iter()
        .map(|(k, n)| (*n).min(*pred.get(k).unwrap_or(&0)))
        .sum();
    let p = inter as f64 / pred.values().sum::<usize>().max(1) as f64;
    let r = inter as f64 / gold.values().sum::<usize>().max(1) as f64;
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}
