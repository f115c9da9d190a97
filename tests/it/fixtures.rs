//! The fixture regression check, as `cargo test` runs it: the project's own `fixtures/`
//! must pass exactly; the shared corpus (when present) must pass its labels closely, and
//! the seed article exactly.

use crate::common;

use uninews::fixtures::check::{Verdict, check_fixtures, differing_fields, render};

/// Share of labelled fields (over all corpus pages) that must equal the label exactly.
/// Text-heavy fields (`sections`) count as one field each, compared exactly, so this is
/// stricter than score.py's text F1.
const CORPUS_MIN_FIELD_ACCURACY: f64 = 0.98;

#[test]
fn project_fixtures_all_pass() {
    let root = common::project_dir().join("fixtures");
    let report = check_fixtures(&root, &common::extractor()).expect("fixtures readable");
    assert!(
        report.results.len() >= 3,
        "expected the hand-made fixtures at least, found {}",
        report.results.len()
    );
    let mut problems = String::new();
    for r in &report.results {
        match &r.outcome {
            Verdict::Pass => {}
            Verdict::Mismatch(d) => {
                problems += &format!("MISMATCH {}\n{}", r.fixture.page.display(), render(d, "  "))
            }
            Verdict::New => {
                problems += &format!("NEW (no expectation) {}\n", r.fixture.page.display())
            }
            Verdict::Error(e) => problems += &format!("ERROR {}: {e}\n", r.fixture.page.display()),
        }
    }
    assert!(problems.is_empty(), "{}\n{}", report.summary(), problems);
}

#[test]
fn shared_corpus_matches_its_labels() {
    let Some(corpus) = common::shared_dir("corpus") else {
        return;
    };
    let report = check_fixtures(&corpus, &common::extractor()).expect("corpus readable");
    assert!(
        report.results.len() >= 30,
        "labelled pages: {}",
        report.results.len()
    );
    let (mut fields, mut wrong) = (0usize, 0usize);
    let mut detail = String::new();
    for r in &report.results {
        let expected = r.fixture.expected.as_ref().expect("labelled");
        fields += expected.as_object().map_or(0, |o| o.len());
        if let Verdict::Mismatch(d) = &r.outcome {
            let f = differing_fields(d);
            wrong += f.len();
            detail += &format!("{}: {}\n", r.fixture.page.display(), f.join(", "));
        }
        if r.fixture.page.ends_with("upc/seed.html") {
            assert!(
                matches!(r.outcome, Verdict::Pass),
                "the seed article must be perfect: {:?}",
                r.outcome
            );
        }
    }
    let accuracy = 1.0 - wrong as f64 / fields as f64;
    eprintln!(
        "{}\nfield accuracy {accuracy:.4} ({wrong} of {fields} fields differ)\n{detail}",
        report.summary()
    );
    assert!(
        accuracy >= CORPUS_MIN_FIELD_ACCURACY,
        "field accuracy {accuracy:.4} < {CORPUS_MIN_FIELD_ACCURACY}\n{detail}"
    );
}
