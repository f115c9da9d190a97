//! Page content over HTTP: images and attachments with their types, GBK pages.

use super::{client, get, start};
use reqwest::StatusCode;
use std::collections::{HashMap, HashSet};
use uninews_sample::SiteConfig;
use url::Url;

#[tokio::test]
async fn images_and_attachments_are_served_with_their_types() {
    let server = start(SiteConfig::default().with_articles(60)).await;
    let c = client();
    let site = server.site();
    let mut by_src: HashMap<String, Vec<u8>> = HashMap::new();
    let mut uses: HashMap<String, usize> = HashMap::new();
    let mut files = 0;
    for p in site.articles() {
        let r = server.expected_record(&p).expect("article");
        for im in &r.images {
            *uses.entry(im.src.clone()).or_default() += 1;
            if by_src.contains_key(&im.src) {
                continue;
            }
            let (status, h, body) = get(&c, &Url::parse(&im.src).expect("abs")).await;
            assert_eq!(status, StatusCode::OK, "{}", im.src);
            let ct = h["content-type"].to_str().expect("ascii");
            let magic_ok = match ct {
                "image/jpeg" => body.starts_with(&[0xFF, 0xD8, 0xFF]),
                "image/png" => body.starts_with(b"\x89PNG"),
                other => panic!("{other}"),
            };
            assert!(
                magic_ok
                    && im
                        .src
                        .ends_with(if ct == "image/png" { ".png" } else { ".jpg" }),
                "{}",
                im.src
            );
            by_src.insert(im.src.clone(), body);
        }
        for a in &r.attachments {
            let (status, h, body) = get(&c, &Url::parse(&a.url).expect("abs")).await;
            assert_eq!(status, StatusCode::OK, "{}", a.url);
            let ct = h["content-type"].to_str().expect("ascii");
            let ok =
                (a.name.ends_with(".pdf") && ct == "application/pdf" && body.starts_with(b"%PDF"))
                    || (a.name.ends_with(".docx")
                        && ct.contains("wordprocessingml")
                        && body.starts_with(b"PK"))
                    || (a.name.ends_with(".xlsx")
                        && ct.contains("spreadsheetml")
                        && body.starts_with(b"PK"));
            assert!(ok, "{} {ct}", a.name);
            files += 1;
        }
    }
    assert!(files > 3, "{files}");
    assert!(
        uses.values().any(|&n| n >= 2),
        "some image is shared by several articles"
    );
    // Different images have different bytes; a shared image has the same bytes under its
    // VSB name and its WebPlus name (a content-hash de-duplication case).
    let mut groups: HashMap<&Vec<u8>, Vec<&String>> = HashMap::new();
    for (src, body) in &by_src {
        groups.entry(body).or_default().push(src);
    }
    for g in groups.values() {
        let one_each = g.len() == 2
            && g.iter().any(|s| s.contains("/__local/"))
            && g.iter().any(|s| s.contains("/_upload/"));
        assert!(g.len() == 1 || one_each, "{g:?}");
    }
    assert!(
        groups.values().any(|g| g.len() == 2),
        "a shared image appears in both sections"
    );
}

#[tokio::test]
async fn gbk_pages_decode_to_the_expected_text() {
    let server = start(SiteConfig::default().with_articles(40)).await;
    let c = client();
    let site = server.site();
    let vsb = site.section_articles("xyxw").expect("section");
    let mut kinds = HashSet::new();
    for seq in [9usize, 19, 29] {
        let path = &vsb[vsb.len() - 1 - seq];
        let (status, h, body) = get(&c, &server.url(path)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(std::str::from_utf8(&body).is_err(), "{path} is not UTF-8");
        let ct = h["content-type"].to_str().expect("ascii").to_string();
        let head = String::from_utf8_lossy(&body[..400]).to_string();
        kinds.insert((ct.contains("GBK"), head.contains("charset=GBK")));
        let d = uninews::decode::decode(
            &body,
            uninews::decode::charset_from_content_type(&ct),
            Some("cn"),
        );
        assert_eq!(d.encoding, encoding_rs::GB18030);
        assert!(!d.had_errors);
        let r = server.expected_record(path).expect("article");
        assert!(d.text.contains(&r.title), "{path}");
        let first = r.sections[0]
            .paragraphs
            .first()
            .or(r.sections.get(1).and_then(|s| s.paragraphs.first()))
            .expect("text");
        assert!(d.text.contains(first.as_str()), "{path}");
    }
    assert_eq!(
        kinds.len(),
        3,
        "meta+header, meta only, header only: {kinds:?}"
    );
}
