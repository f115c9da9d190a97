//! Extraction quality on the labelled real-page corpus (`../shared/corpus`), scored the way
//! `../shared/tools/score.py` scores it: field accuracy over the pages where the label or
//! the prediction has a value, and bag-of-tokens F1 of the body text (CJK characters one by
//! one, other text word by word) and of image URLs. Skipped when the corpus is absent.
//!
//! Targets: with site profiles, fields >= 98 %, text F1 >= 0.99, images F1 >= 0.99 and the
//! seed page exactly equal to its label; without profiles (what an unseen university gets),
//! fields >= 85 % and text F1 >= 0.95.

use crate::common::{self, bag, f1};

use regex::Regex;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use uninews::extract::{Extractor, ProfileChoice};
use uninews::selectors::ProfileSet;
use url::Url;

const SCALARS: [&str; 7] = [
    "title",
    "subtitle",
    "author",
    "photographer",
    "editor",
    "reviewer",
    "source",
];

fn norm(v: &Value) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let ws = Regex::new(r"[\s\u{a0}\u{3000}]+").unwrap();
    let t = ws.replace_all(&s, " ").trim().to_string();
    (!t.is_empty()).then_some(t)
}

fn paragraphs(rec: &Value) -> Vec<String> {
    rec["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["paragraphs"].as_array().into_iter().flatten())
        .filter_map(norm)
        .collect()
}

fn headings(rec: &Value) -> Vec<String> {
    rec["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| norm(&s["heading"]))
        .collect()
}

/// score.py's tokens (compiled once: the corpus test tokenises every page twice).
static TOKEN: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"[\u{3040}-\u{30ff}\u{3400}-\u{9fff}\u{f900}-\u{faff}]|[^\W_]+").unwrap()
});

fn tokens(text: &str) -> Vec<String> {
    TOKEN
        .find_iter(text)
        .map(|m| m.as_str().to_lowercase())
        .collect()
}

fn date_ok(gold: &Value, pred: &Value) -> bool {
    match (norm(gold), norm(pred)) {
        (None, None) => true,
        (Some(g), Some(p)) => {
            g.get(..10) == p.get(..10)
                && (g.len() < 16
                    || g.get(10..11) != Some("T")
                    || (p.get(10..11) == Some("T") && g.get(11..16) == p.get(11..16)))
        }
        _ => false,
    }
}

#[derive(Default)]
struct Score {
    seen: usize,
    correct: usize,
    text_f1: f64,
    images_f1: f64,
    pages: usize,
    wrong: Vec<String>,
}

impl Score {
    fn page(&mut self, name: &str, gold: &Value, pred: &Value) {
        self.pages += 1;
        let mut check = |field: &str, ok: bool, empty: bool| {
            if !empty {
                self.seen += 1;
                if ok {
                    self.correct += 1;
                } else {
                    self.wrong.push(format!("{name}: {field}"));
                }
            }
        };
        for f in SCALARS {
            let (g, p) = (norm(&gold[f]), norm(&pred[f]));
            check(f, g == p, g.is_none() && p.is_none());
        }
        let (g, p) = (&gold["published"], &pred["published"]);
        check(
            "published",
            date_ok(g, p),
            norm(g).is_none() && norm(p).is_none(),
        );
        let crumbs = |r: &Value| -> Vec<Option<String>> {
            r["breadcrumb"]
                .as_array()
                .into_iter()
                .flatten()
                .map(norm)
                .collect()
        };
        let (g, p) = (crumbs(gold), crumbs(pred));
        check("breadcrumb", g == p, g.is_empty() && p.is_empty());
        let (g, p) = (headings(gold), headings(pred));
        check("headings", g == p, g.is_empty() && p.is_empty());
        let caps = |r: &Value| -> HashMap<Option<String>, Option<String>> {
            r["images"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| (norm(&i["src"]), norm(&i["caption"])))
                .collect()
        };
        let (g, p) = (caps(gold), caps(pred));
        let ok = g.iter().all(|(k, v)| p.get(k) == Some(v));
        check(
            "captions",
            ok,
            g.values().all(Option::is_none) && p.values().all(Option::is_none),
        );
        let text = |r: &Value| bag(tokens(&paragraphs(r).join(" ")));
        self.text_f1 += f1(&text(gold), &text(pred));
        let srcs = |r: &Value| {
            bag(r["images"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| norm(&i["src"])))
        };
        self.images_f1 += f1(&srcs(gold), &srcs(pred));
    }

    fn fields(&self) -> f64 {
        self.correct as f64 / self.seen.max(1) as f64
    }
}

/// Labelled article pages: (file, url).
fn pages(corpus: &Path) -> Vec<(String, String)> {
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv")).unwrap();
    manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.get(2) == Some(&"article")).then(|| (cols[0].to_string(), cols[1].to_string()))
        })
        .filter(|(f, _)| corpus.join(f.replace(".html", ".expected.json")).exists())
        .collect()
}

/// Label and prediction of each page.
type Records = HashMap<String, (Value, Value)>;

fn run(choice: ProfileChoice) -> Option<(Score, Records)> {
    let corpus = common::shared_dir("corpus")?;
    let ex = Extractor::new(ProfileSet::builtin().unwrap(), choice);
    let mut score = Score::default();
    let mut records = HashMap::new();
    for (file, url) in pages(&corpus) {
        let bytes = std::fs::read(corpus.join(&file)).unwrap();
        let label = corpus.join(file.replace(".html", ".expected.json"));
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(label).unwrap()).unwrap();
        let out = ex.extract_bytes(&bytes, &Url::parse(&url).unwrap(), None);
        let pred = serde_json::to_value(&out.record).unwrap();
        score.page(&file, &gold, &pred);
        records.insert(file, (gold, pred));
    }
    assert!(score.pages >= 30, "only {} labelled pages", score.pages);
    let n = score.pages as f64;
    eprintln!(
        "pages {} | fields {:.1}% | text F1 {:.3} | images F1 {:.3} | wrong: {:?}",
        score.pages,
        100.0 * score.fields(),
        score.text_f1 / n,
        score.images_f1 / n,
        score.wrong
    );
    Some((score, records))
}

#[test]
fn with_profiles_meets_targets_and_seed_is_exact() {
    let Some((score, records)) = run(ProfileChoice::ByHost) else {
        return;
    };
    let n = score.pages as f64;
    assert!(
        score.fields() >= 0.98,
        "field accuracy {:.3}",
        score.fields()
    );
    assert!(
        score.text_f1 / n >= 0.99,
        "text F1 {:.3}",
        score.text_f1 / n
    );
    assert!(
        score.images_f1 / n >= 0.99,
        "images F1 {:.3}",
        score.images_f1 / n
    );
    let (gold, pred) = &records["upc/seed.html"];
    for (field, value) in gold.as_object().unwrap() {
        assert_eq!(&pred[field], value, "upc/seed: field {field}");
    }
    assert_eq!(pred["extractor"], "profile:upc");
    assert_eq!(pred["site"], "upc");
}

#[test]
fn without_profiles_meets_targets() {
    let Some((score, records)) = run(ProfileChoice::Off) else {
        return;
    };
    let n = score.pages as f64;
    assert!(
        score.fields() >= 0.85,
        "field accuracy {:.3}",
        score.fields()
    );
    assert!(
        score.text_f1 / n >= 0.95,
        "text F1 {:.3}",
        score.text_f1 / n
    );
    for (file, (_, pred)) in &records {
        assert!(pred["site"].is_null(), "{file}");
        let ex = pred["extractor"].as_str().unwrap();
        assert!(
            matches!(ex, "cms:vsb" | "cms:webplus" | "generic"),
            "{file}: {ex}"
        );
    }
    assert_eq!(records["upc/seed.html"].1["extractor"], "cms:webplus");
    assert_eq!(records["gdqy/article-1.html"].1["extractor"], "cms:vsb");
    assert_eq!(records["rutgers/article-1.html"].1["extractor"], "generic");
}

#[test]
fn scoring_agrees_with_score_py_on_small_cases() {
    assert_eq!(tokens("Hello, World 你好"), ["hello", "world", "你", "好"]);
    let g = bag(["a".to_string(), "b".to_string()]);
    let p = bag(["a".to_string()]);
    assert!((f1(&g, &p) - 2.0 / 3.0).abs() < 1e-9);
    assert!(date_ok(
        &Value::from("2020-04-16"),
        &Value::from("2020-04-16T09:30+08:00")
    ));
    assert!(!date_ok(
        &Value::from("2020-04-16T09:30+08:00"),
        &Value::from("2020-04-16")
    ));
    assert_eq!(
        norm(&Value::from(" a\u{3000}\u{a0}b ")).as_deref(),
        Some("a b")
    );
}
