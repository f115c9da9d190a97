//! Every record uninews produces validates against `docs/schema/article.v1.json`: all corpus
//! pages (articles and list pages alike), the project's fixtures, and hostile inputs.

use crate::common;

use serde_json::{Value, json};
use url::Url;

fn validator() -> jsonschema::Validator {
    let path = common::project_dir().join("docs/schema/article.v1.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema file"))
        .expect("schema JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn errors(v: &jsonschema::Validator, record: &Value) -> Vec<String> {
    v.iter_errors(record)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn schema_rejects_what_it_must() {
    let v = validator();
    let ex = common::extractor();
    let url = Url::parse("http://news.example.edu.cn/a.htm").unwrap();
    let good =
        serde_json::to_value(ex.extract_bytes(b"<h1>T</h1><p>x</p>", &url, None).record).unwrap();
    assert!(errors(&v, &good).is_empty(), "{:?}", errors(&v, &good));
    let mutations = [
        ("published", json!("16/04/2020")),
        ("author", json!("  徐云飞")),
        ("editor", json!("")),
        ("breadcrumb", json!(["首页", "a\u{3000}b"])),
        ("extractor", json!("magic")),
        ("schema_version", json!(2)),
        (
            "images",
            json!([{"src": "/relative.jpg", "alt": null, "caption": null, "section": 0}]),
        ),
        ("sections", json!([{"heading": null, "paragraphs": [""]}])),
    ];
    for (field, value) in mutations {
        let mut bad = good.clone();
        bad[field] = value.clone();
        assert!(
            !errors(&v, &bad).is_empty(),
            "{field} = {value} should be rejected"
        );
    }
    let mut extra = good.clone();
    extra["unexpected"] = json!(1);
    assert!(!errors(&v, &extra).is_empty());
}

#[test]
fn every_corpus_record_validates() {
    let Some(corpus) = common::shared_dir("corpus") else {
        return;
    };
    let v = validator();
    let ex = common::extractor();
    let pages = common::corpus_pages(&corpus);
    assert!(
        pages.len() > 30,
        "corpus manifest lists {} pages",
        pages.len()
    );
    let mut failures = Vec::new();
    for page in &pages {
        let bytes = std::fs::read(&page.path).expect("corpus page");
        let url = Url::parse(&page.url).expect("manifest URL");
        let record = serde_json::to_value(ex.extract_bytes(&bytes, &url, None).record).unwrap();
        for e in errors(&v, &record) {
            failures.push(format!("{}: {e}", page.path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_record_validates() {
    let v = validator();
    let ex = common::extractor();
    let report =
        uninews::fixtures::check::check_fixtures(&common::project_dir().join("fixtures"), &ex)
            .expect("fixtures readable");
    for r in &report.results {
        let record = serde_json::to_value(r.record.as_ref().expect("fixture extracts")).unwrap();
        let errs = errors(&v, &record);
        assert!(errs.is_empty(), "{}: {errs:?}", r.fixture.page.display());
        if let Some(expected) = &r.fixture.expected {
            let errs = errors(&v, expected);
            assert!(
                errs.is_empty(),
                "{} expectation: {errs:?}",
                r.fixture.page.display()
            );
        }
    }
}
