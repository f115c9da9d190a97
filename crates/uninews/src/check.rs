//! Fixture regression check: re-extract every saved page, compare the record with its
//! expectation field by field, and describe each difference so a person can review it.
//!
//! The expectation decides what is checked: only the fields present in the expected JSON are
//! compared. Fixtures written by uninews hold whole records; the hand-made labels of the
//! shared corpus hold the schema fields only, and are checked as they are.

use crate::extract::Extractor;
use crate::record::Record;
use crate::store::StoreError;
use crate::store::fixtures::{Fixture, find_fixtures};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;
use url::Url;

/// One differing field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDiff {
    /// Path of the field: `title`, `sections[1].paragraphs[0]`, `images[2].caption`.
    pub path: String,
    /// The expected value (`None` when the actual record has an extra item).
    pub expected: Option<Value>,
    /// The actual value (`None` when an expected item is missing).
    pub actual: Option<Value>,
}

/// The differences between `expected` and `actual`, in field order of `expected`.
pub fn compare(expected: &Value, actual: &Value) -> Vec<FieldDiff> {
    let mut diffs = Vec::new();
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                diff_value(key, ev, a.get(key).unwrap_or(&Value::Null), &mut diffs);
            }
        }
        _ => diff_value("", expected, actual, &mut diffs),
    }
    diffs
}

/// The top-level field names that differ (each counted once).
pub fn differing_fields(diffs: &[FieldDiff]) -> Vec<&str> {
    let mut fields: Vec<&str> = diffs
        .iter()
        .map(|d| d.path.split(['.', '[']).next().unwrap_or(""))
        .collect();
    fields.dedup();
    fields
}

fn diff_value(path: &str, expected: &Value, actual: &Value, out: &mut Vec<FieldDiff>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let child = join(path, key);
                diff_value(&child, ev, a.get(key).unwrap_or(&Value::Null), out);
            }
            for (key, av) in a {
                if !e.contains_key(key) {
                    out.push(FieldDiff {
                        path: join(path, key),
                        expected: None,
                        actual: Some(av.clone()),
                    });
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for i in 0..e.len().max(a.len()) {
                let child = format!("{path}[{i}]");
                match (e.get(i), a.get(i)) {
                    (Some(ev), Some(av)) => diff_value(&child, ev, av, out),
                    (ev, av) => out.push(FieldDiff {
                        path: child,
                        expected: ev.cloned(),
                        actual: av.cloned(),
                    }),
                }
            }
        }
        (e, a) if e == a => {}
        (e, a) => out.push(FieldDiff {
            path: path.to_string(),
            expected: Some(e.clone()),
            actual: Some(a.clone()),
        }),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Longest text shown in full; longer strings are cut around their first difference.
const SHOW_CHARS: usize = 160;

/// A readable rendering of `diffs`, one block per field, indented by `indent`.
pub fn render(diffs: &[FieldDiff], indent: &str) -> String {
    let mut out = String::new();
    for d in diffs {
        let _ = writeln!(out, "{indent}{}:", d.path);
        let (e, a) = shorten_pair(d.expected.as_ref(), d.actual.as_ref());
        match &e {
            Some(e) => {
                let _ = writeln!(out, "{indent}  - expected {e}");
            }
            None => {
                let _ = writeln!(out, "{indent}  - expected (nothing)");
            }
        }
        match &a {
            Some(a) => {
                let _ = writeln!(out, "{indent}  + actual   {a}");
            }
            None => {
                let _ = writeln!(out, "{indent}  + actual   (missing)");
            }
        }
    }
    out
}

/// Render both sides; two long strings are cut to a window around where they first differ.
fn shorten_pair(e: Option<&Value>, a: Option<&Value>) -> (Option<String>, Option<String>) {
    if let (Some(Value::String(es)), Some(Value::String(as_))) = (e, a) {
        let ec: Vec<char> = es.chars().collect();
        let ac: Vec<char> = as_.chars().collect();
        if ec.len() > SHOW_CHARS || ac.len() > SHOW_CHARS {
            let first = ec.iter().zip(&ac).take_while(|(x, y)| x == y).count();
            let start = first.saturating_sub(SHOW_CHARS / 4);
            return (Some(window(&ec, start)), Some(window(&ac, start)));
        }
    }
    (e.map(show), a.map(show))
}

fn window(chars: &[char], start: usize) -> String {
    let end = (start + SHOW_CHARS).min(chars.len());
    let mut s: String = chars[start.min(end)..end].iter().collect();
    s = serde_json::to_string(&s).unwrap_or(s);
    let head = if start > 0 {
        format!("…({start} chars) ")
    } else {
        String::new()
    };
    let tail = if end < chars.len() {
        format!(" …({} more)", chars.len() - end)
    } else {
        String::new()
    };
    format!("{head}{s}{tail}")
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) if s.chars().count() > SHOW_CHARS => {
            let chars: Vec<char> = s.chars().collect();
            window(&chars, 0)
        }
        other => {
            let text = other.to_string();
            if text.chars().count() > SHOW_CHARS * 2 {
                let cut: String = text.chars().take(SHOW_CHARS * 2).collect();
                format!("{cut} …")
            } else {
                text
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_records_have_no_diffs() {
        let v = json!({"title": "t", "sections": [{"heading": null, "paragraphs": ["a"]}]});
        assert!(compare(&v, &v).is_empty());
    }

    #[test]
    fn only_expected_fields_are_checked() {
        let expected = json!({"title": "t"});
        let actual = json!({"title": "t", "extractor": "generic", "fetched_at": "x"});
        assert!(compare(&expected, &actual).is_empty());
    }

    #[test]
    fn nested_differences_have_paths() {
        let expected =
            json!({"editor": "徐云飞", "sections": [{"heading": null, "paragraphs": ["a", "b"]}]});
        let actual =
            json!({"editor": null, "sections": [{"heading": null, "paragraphs": ["a", "c", "d"]}]});
        let diffs = compare(&expected, &actual);
        let paths: Vec<_> = diffs.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "editor",
                "sections[0].paragraphs[1]",
                "sections[0].paragraphs[2]"
            ]
        );
        assert_eq!(diffs[2].expected, None);
        assert_eq!(diffs[2].actual, Some(json!("d")));
        assert_eq!(differing_fields(&diffs), ["editor", "sections"]);
    }

    #[test]
    fn render_is_readable_and_cuts_long_text_near_the_difference() {
        let long_a = format!("{}甲{}", "字".repeat(300), "尾".repeat(10));
        let long_b = format!("{}乙{}", "字".repeat(300), "尾".repeat(10));
        let diffs = compare(&json!({"title": long_a}), &json!({"title": long_b}));
        let text = render(&diffs, "  ");
        assert!(text.contains("  title:\n"), "{text}");
        assert!(text.contains("甲") && text.contains("乙"), "{text}");
        assert!(text.contains("chars)"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() < 260), "{text}");
    }

    #[test]
    fn missing_item_is_rendered_as_missing() {
        let diffs = compare(&json!({"images": [{"src": "a"}]}), &json!({"images": []}));
        let text = render(&diffs, "");
        assert!(
            text.contains("images[0]:") && text.contains("(missing)"),
            "{text}"
        );
    }
}

/// What one fixture's check found.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The record equals the expectation.
    Pass,
    /// The record differs; the differences, field by field.
    Mismatch(Vec<FieldDiff>),
    /// No expectation yet: the record awaits review (`check --accept`).
    New,
    /// The page could not be read or its metadata is broken.
    Error(String),
}

/// One fixture's result.
#[derive(Debug, Clone)]
pub struct FixtureResult {
    /// The fixture.
    pub fixture: Fixture,
    /// The freshly extracted record (absent on error).
    pub record: Option<Record>,
    /// What the comparison found.
    pub outcome: Outcome,
}

/// The results of checking a folder of fixtures.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Per fixture, in path order.
    pub results: Vec<FixtureResult>,
}

impl Report {
    /// How many fixtures had each outcome: (pass, mismatch, new, error).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for r in &self.results {
            match r.outcome {
                Outcome::Pass => c.0 += 1,
                Outcome::Mismatch(_) => c.1 += 1,
                Outcome::New => c.2 += 1,
                Outcome::Error(_) => c.3 += 1,
            }
        }
        c
    }

    /// True when every fixture passed.
    pub fn all_pass(&self) -> bool {
        let (_, mismatch, new, error) = self.counts();
        mismatch + new + error == 0
    }

    /// The one-line summary.
    pub fn summary(&self) -> String {
        let (pass, mismatch, new, error) = self.counts();
        let fields: usize = self
            .results
            .iter()
            .map(|r| match &r.outcome {
                Outcome::Mismatch(d) => differing_fields(d).len(),
                _ => 0,
            })
            .sum();
        format!(
            "check: {} fixtures: {pass} passed, {mismatch} mismatched ({fields} fields), {new} new, {error} errors",
            self.results.len()
        )
    }
}

/// Re-extract every fixture under `root` with `extractor` and compare with its expectation.
pub fn check_fixtures(root: &Path, extractor: &Extractor) -> Result<Report, StoreError> {
    let results = find_fixtures(root)?
        .into_iter()
        .map(|fixture| check_one(fixture, extractor))
        .collect();
    Ok(Report { results })
}

fn check_one(fixture: Fixture, extractor: &Extractor) -> FixtureResult {
    let error = |fixture, msg: String| FixtureResult {
        fixture,
        record: None,
        outcome: Outcome::Error(msg),
    };
    let url = match fixture.url().map(Url::parse) {
        Some(Ok(u)) => u,
        Some(Err(e)) => return error(fixture, format!("bad URL in metadata: {e}")),
        None => return error(fixture, "no URL: add a .meta.json beside the page".into()),
    };
    let bytes = match std::fs::read(&fixture.page) {
        Ok(b) => b,
        Err(e) => return error(fixture, format!("cannot read page: {e}")),
    };
    let charset = fixture.meta.as_ref().and_then(|m| m.charset());
    let record = extractor.extract_bytes(&bytes, &url, charset).record;
    let outcome = match &fixture.expected {
        None => Outcome::New,
        Some(expected) => match serde_json::to_value(&record) {
            Ok(actual) => {
                let diffs = compare(expected, &actual);
                if diffs.is_empty() {
                    Outcome::Pass
                } else {
                    Outcome::Mismatch(diffs)
                }
            }
            Err(e) => Outcome::Error(format!("cannot serialise record: {e}")),
        },
    };
    FixtureResult {
        fixture,
        record: Some(record),
        outcome,
    }
}
