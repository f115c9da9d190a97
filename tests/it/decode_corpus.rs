//! Decoding end to end: every corpus article, transcoded to GBK or Big5 (declared in
//! `<meta>`, declared only by the caller, or not declared at all), extracts to the same
//! record as the original bytes. Characters an encoding lacks become numeric character
//! references, which HTML turns back into the same characters, so the records must match.

use crate::common;

use regex::Regex;
use url::Url;

/// Replace (or drop, when `label` is None) every `charset=...` declaration in `<meta>` tags.
fn relabel(html: &str, label: Option<&str>) -> String {
    let meta = Regex::new(r"(?i)<meta\b[^>]*>").unwrap();
    let charset = Regex::new(r#"(?i)charset\s*=\s*["']?[A-Za-z0-9_.:\-]+["']?"#).unwrap();
    meta.replace_all(html, |m: &regex::Captures| {
        let tag = &m[0];
        match label {
            Some(l) => charset
                .replace_all(tag, format!("charset={l}"))
                .into_owned(),
            None if charset.is_match(tag) => String::new(),
            None => tag.to_string(),
        }
    })
    .into_owned()
}

#[test]
fn transcoded_corpus_pages_extract_identically() {
    let Some(corpus) = common::shared_dir("corpus") else {
        return;
    };
    let ex = common::extractor();
    let mut checked = 0;
    for page in common::corpus_pages(&corpus)
        .iter()
        .filter(|p| p.kind == "article")
    {
        let bytes = std::fs::read(&page.path).unwrap();
        let url = Url::parse(&page.url).unwrap();
        let original = ex.extract_bytes(&bytes, &url, None);
        let text = uninews::decode::decode(&bytes, None, None).text;
        let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
        let big5 = |s: &str| encoding_rs::BIG5.encode(s).0.into_owned();
        let variants: [(&str, Vec<u8>, Option<&str>); 4] = [
            (
                "GBK, <meta charset=gbk>",
                gbk(&relabel(&text, Some("gbk"))),
                None,
            ),
            ("GBK, undeclared", gbk(&relabel(&text, None)), None),
            (
                "GBK, header gb2312 over <meta> utf-8",
                gbk(&relabel(&text, Some("utf-8"))),
                Some("gb2312"),
            ),
            (
                "Big5, header big5",
                big5(&relabel(&text, None)),
                Some("big5"),
            ),
        ];
        for (name, bytes, declared) in variants {
            let got = ex.extract_bytes(&bytes, &url, declared);
            assert_eq!(
                got.record,
                original.record,
                "{} ({name}) extracts differently",
                page.path.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} corpus articles checked");
}
