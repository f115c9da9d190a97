//! Unit tests of the site model: list arithmetic, routing, stability under mutation, GBK
//! safety of the generated text, and agreement between pages and ground truth.

use super::content::{self, ArticleRef, BodyBlock};
use super::*;
use std::collections::HashSet;

fn site(n: u64, per: u32) -> SampleSite {
    SampleSite::new(SiteConfig::default().with_articles(n).with_per_page(per))
        .expect("valid config")
}

#[test]
fn list_pages_partition_the_articles_in_both_styles() {
    for (n, per) in [(0, 20), (1, 20), (20, 20), (21, 20), (150, 20), (7, 3)] {
        let s = site(n, per);
        for sec in 0..2 {
            let mut seen = Vec::new();
            for p in 1..=s.pages(sec) {
                let r = s.page_range(sec, p);
                assert!(r.end - r.start <= u64::from(per));
                assert!(n == 0 || r.end > r.start, "empty page {p} of {n}/{per}");
                seen.extend(r.rev());
            }
            let want: Vec<u64> = (0..n).rev().collect();
            assert_eq!(seen, want, "n={n} per={per} section={sec}");
        }
    }
}

#[test]
fn every_path_routes_back_to_what_made_it() {
    let s = site(60, 7);
    for sec in 0..2 {
        for p in 1..=s.pages(sec) {
            let path = s.list_path(sec, p);
            assert_eq!(
                s.route(&path, None),
                Some(routes::Route::List {
                    section: sec,
                    page: p
                }),
                "{path}"
            );
        }
        for seq in 0..60 {
            let at = ArticleRef {
                section: sec,
                seq,
                private: false,
            };
            assert_eq!(
                s.route(&s.article_path(at), None),
                Some(routes::Route::Article(at))
            );
        }
    }
    for bad in [
        "/xyxw/0.htm",
        "/xyxw/9.htm",
        "/9364/list0.htm",
        "/9364/list10.htm",
        "/info/1078/999.htm",
        "/info/9999/1000.htm",
        "/2022/0101/c9364a240000/page.htm",
        "/private/info/1078/3.htm",
        "/nope",
    ] {
        assert_eq!(s.render(bad).map(|p| p.kind), None, "{bad}");
    }
    assert_eq!(s.page_kind("/9364/list1.htm"), Some(PageKind::List));
}

#[test]
fn vsb_old_pages_keep_number_and_items_when_articles_are_added() {
    let mut s = site(45, 10);
    let before: Vec<(String, Vec<String>, SamplePage)> = (2..=s.pages(0))
        .map(|p| {
            let path = s.list_path(0, p);
            let links = s.list_links(&path).expect("list page");
            let page = s.render(&path).expect("list page");
            (path, links, page)
        })
        .collect();
    assert_eq!(before.last().map(|b| b.0.as_str()), Some("/xyxw/1.htm"));
    let wp_before = s.list_links("/9364/list2.htm").expect("page");
    let top_before = s.render("/xyxw.htm").expect("page");
    let added = s.add_articles("xyxw", 12).expect("section");
    assert_eq!(added.len(), 12);
    for (path, links, page) in before {
        assert_eq!(
            s.list_links(&path).expect("still there"),
            links,
            "{path} lost or gained items"
        );
        let now = s.render(&path).expect("page");
        assert!(now.body != page.body, "{path}: the totals changed");
        assert!(now.last_modified > page.last_modified, "{path}");
    }
    let top = s.render("/xyxw.htm").expect("page");
    assert!(top.body != top_before.body);
    assert!(top.last_modified > top_before.last_modified);
    assert_eq!(
        s.list_links("/xyxw.htm").expect("list")[2],
        added[0],
        "newest after the 2 pinned"
    );
    s.add_articles("sx", 1).expect("section");
    let wp = s.list_links("/9364/list2.htm").expect("page");
    assert_eq!(
        wp[1..],
        wp_before[..wp_before.len() - 1],
        "WebPlus pages shift by one"
    );
}

#[test]
fn generated_text_is_gbk_encodable() {
    let s = site(120, 20);
    let mut paths = s.articles();
    paths.extend(s.list_pages());
    paths.extend(s.private_pages());
    paths.push("/".into());
    for p in paths {
        let page = s.render(&p).expect("page");
        let text = if page.is_gbk() {
            encoding_rs::GBK.decode(&page.body).0.into_owned()
        } else {
            String::from_utf8(page.body).expect("utf-8")
        };
        let (_, _, unmappable) = encoding_rs::GBK.encode(&text);
        assert!(!unmappable, "{p} has characters GBK cannot encode");
    }
}

#[test]
fn gbk_articles_follow_the_configuration() {
    let s = site(40, 20);
    let gbk: Vec<(u64, String)> = (0..40)
        .map(|seq| {
            let p = s.article_path(ArticleRef {
                section: 0,
                seq,
                private: false,
            });
            let page = s.render(&p).expect("page");
            (seq, page.content_type.clone())
        })
        .filter(|(_, ct)| ct != "text/html; charset=utf-8")
        .collect();
    let seqs: Vec<u64> = gbk.iter().map(|(s, _)| *s).collect();
    assert_eq!(seqs, vec![9, 19, 29, 39]);
    // Rotation: seq 9 -> both (meta + header), 19 -> meta only, 29 -> header only.
    assert_eq!(gbk[0].1, "text/html; charset=GBK");
    assert_eq!(gbk[1].1, "text/html");
    assert_eq!(gbk[2].1, "text/html; charset=GBK");
    let mut cfg = SiteConfig::default().with_articles(5);
    cfg.gbk = GbkConfig {
        sections: vec!["sx".into()],
        every_nth_article: None,
        declaration: GbkDeclaration::Both,
    };
    let s = SampleSite::new(cfg).expect("config");
    assert!(s.render("/9364/list.htm").expect("page").is_gbk());
    assert!(!s.render("/xyxw.htm").expect("page").is_gbk());
}

/// Every paragraph, heading, caption and credit of the truth appears in the page, and no
/// credit line or caption is counted as a paragraph.
#[test]
fn truth_agrees_with_the_rendered_pages() {
    let s = site(80, 20);
    let base = url::Url::parse("http://127.0.0.1:9/").expect("url");
    let (mut headings, mut images, mut tables, mut credits, mut files) = (0, 0, 0, 0, 0);
    for p in s.articles().iter().chain(&s.private_pages()) {
        let page = s.render(p).expect("page");
        let html = if page.is_gbk() {
            encoding_rs::GBK.decode(&page.body).0.into_owned()
        } else {
            String::from_utf8(page.body).expect("utf-8")
        };
        let text = uninews::text::normalize_ws(
            &scraper::Html::parse_document(&html)
                .root_element()
                .text()
                .collect::<String>(),
        );
        let r = s.expected_record(&base, p).expect("article");
        assert!(text.contains(&r.title));
        for sec in &r.sections {
            if let Some(h) = &sec.heading {
                assert!(text.contains(h.as_str()), "{p}: heading {h}");
                headings += 1;
            }
            for para in &sec.paragraphs {
                let probe = para.split(" | ").next().unwrap_or(para);
                assert!(text.contains(probe), "{p}: paragraph {para}");
                tables += usize::from(para.contains(" | "));
                assert!(
                    !para.starts_with("撰稿")
                        && !para.starts_with("（编辑")
                        && !para.starts_with("审核"),
                    "{p}: credit as paragraph"
                );
            }
        }
        for im in &r.images {
            let path = url::Url::parse(&im.src).expect("abs").path().to_string();
            assert!(html.contains(&path), "{p}: image {path}");
            assert!(im.section < r.sections.len());
            images += 1;
        }
        for who in [
            &r.author,
            &r.photographer,
            &r.editor,
            &r.reviewer,
            &r.source,
        ]
        .into_iter()
        .flatten()
        {
            assert!(text.contains(who.as_str()), "{p}: credit {who}");
            credits += 1;
        }
        files += r.attachments.len();
        assert_eq!(r.breadcrumb.len(), 2);
    }
    assert!(
        headings > 100 && images > 50 && tables > 5 && credits > 200 && files > 5,
        "{headings} {images} {tables} {credits} {files}"
    );
}

#[test]
fn edits_change_the_body_not_the_title() {
    let mut s = site(10, 5);
    let at = ArticleRef {
        section: 1,
        seq: 4,
        private: false,
    };
    let path = s.article_path(at);
    let before = s.render(&path).expect("page");
    let a0 = content::generate(s.config().seed, at, CmsStyle::WebPlus, 0);
    s.edit_article(&path).expect("article");
    let after = s.render(&path).expect("page");
    assert_ne!(before.etag(), after.etag());
    assert!(after.last_modified > before.last_modified);
    let a1 = content::generate(s.config().seed, at, CmsStyle::WebPlus, 1);
    assert_eq!(a0.title, a1.title);
    assert!(
        matches!(&a1.blocks.iter().find(|b| matches!(b, BodyBlock::Para { .. })), Some(BodyBlock::Para { text, .. }) if text.starts_with("编者按"))
    );
    assert!(s.edit_article("/xyxw.htm").is_err());
}

#[test]
fn shared_images_recur_across_articles() {
    let s = site(150, 20);
    let base = url::Url::parse("http://127.0.0.1:9/").expect("url");
    let mut seen = HashSet::new();
    let mut repeats = 0;
    for p in s.section_articles("xyxw").expect("section") {
        for im in s.expected_record(&base, &p).expect("article").images {
            if !seen.insert(im.src) {
                repeats += 1;
            }
        }
    }
    assert!(repeats >= 5, "only {repeats} repeated images");
}
