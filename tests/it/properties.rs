//! Property tests (proptest) where they pay: URL normalisation, decode + extract on
//! arbitrary bytes, stored page paths, and the WARC writer read back with the project's
//! own reader. `scripts/fuzz.sh` runs them with many more cases, for a fixed time.

use proptest::prelude::*;
use uninews::extract::{Extractor, ProfileChoice};
use uninews::frontier::normalize::{normalize, normalize_str, resolve_link};
use uninews::selectors::ProfileSet;
use uninews::store::pages::{MAX_COMPONENT, MAX_PATH, relative_path};
use uninews::store::warc::read::scan;
use uninews::store::warc::record::WarcRecord;
use uninews::store::warc::writer::WarcWriter;
use url::Url;

/// Cases per property: `default`, times `UNINEWS_FUZZ_SCALE` (`scripts/fuzz.sh` raises it
/// for a long run).
fn cases(default: u32) -> u32 {
    let scale = std::env::var("UNINEWS_FUZZ_SCALE")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1);
    default.saturating_mul(scale.max(1))
}

fn tracking() -> Vec<String> {
    vec!["utm_source".into(), "spm".into()]
}

/// URL-ish text: schemes, hosts, ports, dot segments, encodings, queries, fragments.
fn url_text() -> impl Strategy<Value = String> {
    let scheme = prop_oneof![
        Just("http"),
        Just("https"),
        Just("HTTP"),
        Just("ftp"),
        Just("")
    ];
    let host = prop_oneof![
        Just("news.Example.edu.cn".to_string()),
        Just("127.0.0.1".to_string()),
        Just("[::1]".to_string()),
        Just("xn--fiqs8s.cn".to_string()),
        "[a-z0-9.-]{1,20}",
    ];
    let port = prop_oneof![
        Just(String::new()),
        Just(":80".into()),
        Just(":443".into()),
        (1u16..).prop_map(|p| format!(":{p}"))
    ];
    let path = proptest::collection::vec(
        prop_oneof![
            Just(".".to_string()),
            Just("..".to_string()),
            Just("%2e".to_string()),
            Just("%E4%B8%AD".to_string()),
            Just("中文".to_string()),
            "[A-Za-z0-9_~%!$&'()*+,;=:@-]{0,12}",
        ],
        0..6,
    )
    .prop_map(|segs| segs.join("/"));
    let query = prop_oneof![
        Just(String::new()),
        Just("?utm_source=x&b=2&a=1".to_string()),
        "\\?[a-z=&%0-9]{0,16}",
    ];
    let fragment = prop_oneof![Just(String::new()), "#[a-z]{0,5}"];
    (scheme, host, port, path, query, fragment)
        .prop_map(|(s, h, p, path, q, f)| format!("{s}://{h}{p}/{path}{q}{f}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    /// Normalising never panics, and a normalised URL normalises to itself.
    #[test]
    fn normalisation_is_idempotent(text in url_text()) {
        if let Some(once) = normalize_str(&text, &tracking()) {
            let twice = normalize(&once, &tracking());
            prop_assert_eq!(twice.as_ref(), Some(&once), "from {:?}", text);
            prop_assert!(once.fragment().is_none());
        }
    }

    /// Arbitrary text is never a panic, as a URL or as a link on a page.
    #[test]
    fn arbitrary_text_never_panics_normalisation(text in "\\PC{0,60}") {
        let _ = normalize_str(&text, &tracking());
        let base = Url::parse("http://news.example.edu.cn/info/1078/1564.htm").expect("base");
        if let Some(u) = resolve_link(&base, &text, &tracking()) {
            let again = normalize(&u, &tracking());
            prop_assert_eq!(again.as_ref(), Some(&u));
        }
    }
}

fn extractor() -> Extractor {
    Extractor::new(
        ProfileSet::builtin().expect("built-in profiles load"),
        ProfileChoice::ByHost,
    )
}

/// HTML-flavoured bytes: tags, entities, CJK, broken UTF-8 and GBK bytes, NULs.
fn html_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"<html><head><meta charset=gbk><title>t</title></head><body>".to_vec()),
        Just(b"<div class=\"v_news_content\"><p>".to_vec()),
        Just(b"<div class=\"wp_articlecontent\">".to_vec()),
        Just("<h1>标题</h1><p>（编辑 徐云飞）</p>".as_bytes().to_vec()),
        Just("当前位置: 首页 » 时讯".as_bytes().to_vec()),
        Just(b"<img src=\"/a.jpg\" alt=x><a href=\"/f.pdf\">f</a>".to_vec()),
        Just(b"</p></div><table><tr><td>".to_vec()),
        Just(b"&amp;&#x4e2d;&#99999999;&".to_vec()),
        Just(vec![0xd6, 0xd0, 0xce, 0xc4, 0xff, 0xfe, 0x00, 0x80]),
        proptest::collection::vec(any::<u8>(), 0..40),
    ];
    proptest::collection::vec(piece, 0..20).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(128)))]

    /// Decode + extract always return a record for the page's URL, whatever the bytes.
    #[test]
    fn decode_and_extract_never_panic(bytes in html_bytes(), charset in prop_oneof![
        Just(None), Just(Some("utf-8")), Just(Some("gbk")), Just(Some("x-bogus"))
    ]) {
        let ex = extractor();
        for url in ["http://news.example.edu.cn/info/1078/1564.htm", "http://a.edu/2020/0416/c9364a240123/page.htm"] {
            let url = Url::parse(url).expect("url");
            let out = ex.extract_bytes(&bytes, &url, charset);
            prop_assert_eq!(out.record.url.as_str(), url.as_str());
            prop_assert_eq!(out.record.schema_version, 1);
        }
    }

    /// Raw random bytes too.
    #[test]
    fn random_bytes_never_panic_extraction(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let url = Url::parse("http://a.edu/x.htm").expect("url");
        let out = extractor().extract_bytes(&bytes, &url, None);
        prop_assert_eq!(out.record.url.as_str(), url.as_str());
    }
}

/// A record with arbitrary field values (no control characters: field values come from
/// URLs, dates, IDs and digests) and an arbitrary block.
fn warc_record() -> impl Strategy<Value = (Vec<(&'static str, String)>, Vec<u8>)> {
    let names = prop_oneof![
        Just("WARC-Target-URI"),
        Just("Content-Type"),
        Just("WARC-Payload-Digest"),
        Just("WARC-Concurrent-To"),
    ];
    (
        proptest::collection::vec((names, "[^\\p{Cc}]{0,40}"), 0..5),
        proptest::collection::vec(any::<u8>(), 0..3000),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]

    /// Whatever is written reads back, record for record, field for field, byte for byte,
    /// across file rotations.
    #[test]
    fn warc_output_always_parses_back(records in proptest::collection::vec(warc_record(), 1..8), max in 200u64..20_000) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut writer = WarcWriter::open(dir.path(), max, vec![]).expect("open writer");
        let mut want = Vec::new();
        for (i, (fields, block)) in records.iter().enumerate() {
            let mut r = WarcRecord::new("resource", &format!("<urn:uuid:{i}>"), "2026-01-01T00:00:00Z");
            for (n, v) in fields {
                r = r.field(n, v.clone());
            }
            r.block = block.clone();
            writer.append(&[&r.to_gzip().expect("gzip")]).expect("append");
            want.push(r);
        }
        writer.close().expect("close");
        let mut files: Vec<_> = std::fs::read_dir(dir.path()).expect("read dir")
            .map(|e| e.expect("entry").path()).collect();
        files.sort();
        let mut got = Vec::new();
        for f in &files {
            let s = scan(f).expect("scan");
            prop_assert!(s.torn.is_none(), "{:?}: {:?}", f, s.torn);
            got.extend(s.records.into_iter().filter(|r| r.get("WARC-Type") != Some("warcinfo")));
        }
        prop_assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            prop_assert_eq!(&g.block, &w.block);
            for (n, v) in &w.fields {
                prop_assert!(g.fields.iter().any(|(gn, gv)| gn == n && gv == v), "field {} = {:?} read back", n, v);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(512)))]

    /// A page's stored path stays inside the store, has bounded parts, and no stored file
    /// is ever a folder another URL needs (both URLs from the same generator).
    #[test]
    fn stored_paths_are_safe_and_never_a_folder_of_another(a in url_text(), b in url_text(), v in 1u32..4) {
        let (Some(a), Some(b)) = (normalize_str(&a, &[]), normalize_str(&b, &[])) else {
            return Ok(());
        };
        let pa = relative_path(&a, v);
        let pb = relative_path(&b, 1);
        for p in [&pa, &pb] {
            prop_assert!(p.components().all(|c| matches!(c, std::path::Component::Normal(_))), "{:?}", p);
            prop_assert!(p.as_os_str().len() <= MAX_PATH, "{:?}", p);
            prop_assert!(p.iter().all(|c| c.len() <= MAX_COMPONENT + 3), "{:?}", p);
            prop_assert!(p.to_string_lossy().ends_with(".html"));
        }
        prop_assert!(!pb.starts_with(&pa) || pa == pb, "{:?} is a file under which {:?} would go", pa, pb);
        prop_assert!(!pa.starts_with(&pb) || pa == pb, "{:?} is a file under which {:?} would go", pb, pa);
    }
}
