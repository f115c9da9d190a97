//! Live mutation: new articles, edits and a redesign change lists, ETags and records.

use super::{client, get, links, start, text_of};
use reqwest::StatusCode;
use uninews_sample::SiteConfig;

#[tokio::test]
async fn new_articles_appear_on_top_and_validators_change() {
    let server = start(SiteConfig::default().with_articles(45).with_per_page(10)).await;
    let c = client();
    let (_, h_top, _) = get(&c, &server.url("/xyxw.htm")).await;
    let (_, h_old, b_old) = get(&c, &server.url("/xyxw/1.htm")).await;
    let (_, h_wp, _) = get(&c, &server.url("/9364/list.htm")).await;
    let added = server.add_articles("xyxw", 3).expect("section");
    let added_wp = server.add_articles("sx", 2).expect("section");
    let (status, h, body) = get(&c, &server.url("/xyxw.htm")).await;
    assert_eq!(status, StatusCode::OK);
    let html = text_of(&h, &body);
    let linked: Vec<String> = links(&server.url("/xyxw.htm"), &html, "ul.list-news a")
        .iter()
        .map(|u| u.path().to_string())
        .collect();
    assert_eq!(
        linked[2..5],
        added[..],
        "newest first, after the pinned pages"
    );
    assert_ne!(h["etag"], h_top["etag"]);
    let r = c
        .get(server.url("/xyxw.htm"))
        .header("if-none-match", h_top["etag"].clone())
        .send()
        .await
        .expect("r");
    assert_eq!(r.status(), StatusCode::OK, "the old ETag no longer matches");
    // The oldest VSB page keeps its number and its items.
    let (_, h1, b1) = get(&c, &server.url("/xyxw/1.htm")).await;
    let items = |h: &reqwest::header::HeaderMap, b: &[u8]| -> Vec<String> {
        links(&server.url("/xyxw/1.htm"), &text_of(h, b), "ul.list-news a")
            .iter()
            .map(|u| u.path().to_string())
            .collect()
    };
    assert_eq!(items(&h1, &b1), items(&h_old, &b_old));
    for p in &added {
        assert_eq!(get(&c, &server.url(p)).await.0, StatusCode::OK, "{p}");
    }
    let (_, h, body) = get(&c, &server.url("/9364/list.htm")).await;
    assert_ne!(h["etag"], h_wp["etag"]);
    assert!(text_of(&h, &body).contains(&added_wp[0]));
    assert_eq!(server.site().section_len("sx").expect("sx"), 47);
    assert!(server.add_articles("nope", 1).is_err());
}

#[tokio::test]
async fn edits_change_content_etag_and_last_modified() {
    let server = start(SiteConfig::default().with_articles(10)).await;
    let c = client();
    let path = server.site().articles()[4].clone();
    let before = server.expected_record(&path).expect("article");
    let (_, h0, _) = get(&c, &server.url(&path)).await;
    server.edit_article(&path).expect("edit");
    let (_, h1, body) = get(&c, &server.url(&path)).await;
    assert_ne!(h0["etag"], h1["etag"]);
    let lm = |h: &reqwest::header::HeaderMap| {
        jiff::fmt::rfc2822::DateTimeParser::new()
            .parse_timestamp(h["last-modified"].to_str().expect("ascii"))
            .expect("date")
    };
    assert!(lm(&h1) > lm(&h0));
    let r = c
        .get(server.url(&path))
        .header("if-modified-since", h0["last-modified"].clone())
        .send()
        .await
        .expect("r");
    assert_eq!(r.status(), StatusCode::OK, "modified since the first fetch");
    let after = server.expected_record(&path).expect("article");
    assert_eq!(before.title, after.title);
    assert_ne!(before.sections, after.sections);
    assert!(text_of(&h1, &body).contains(&after.sections[0].paragraphs[0]));
    assert!(server.edit_article("/robots.txt").is_err());
}

#[tokio::test]
async fn a_redesign_changes_the_markup_not_the_urls() {
    let server = start(SiteConfig::default().with_articles(30)).await;
    let c = client();
    let wp_article = server.site().section_articles("sx").expect("sx")[3].clone();
    let before = server.expected_record(&wp_article).expect("article");
    assert_eq!(before.extractor, "cms:webplus");
    server.set_template_variant("sx", 1).expect("section");
    let (status, h, body) = get(&c, &server.url("/9364/list.htm")).await;
    assert_eq!(status, StatusCode::OK);
    let html = text_of(&h, &body);
    assert!(!html.contains("wp_article_list") && !html.contains("wp_paging"));
    let next = links(&server.url("/9364/list.htm"), &html, "div.pager a.pg-next");
    assert_eq!(next.first().map(|u| u.path()), Some("/9364/list2.htm"));
    let (_, h, body) = get(&c, &server.url(&wp_article)).await;
    let html = text_of(&h, &body);
    assert!(
        !html.contains("wp_articlecontent")
            && !html.contains("arti_title")
            && html.contains("post-body")
    );
    let after = server.expected_record(&wp_article).expect("article");
    assert_eq!(after.extractor, "generic");
    assert_eq!(
        (after.title.as_str(), &after.sections),
        (before.title.as_str(), &before.sections)
    );
    // The other section is untouched.
    let (_, h, body) = get(&c, &server.url("/xyxw.htm")).await;
    assert!(text_of(&h, &body).contains("pb_sys_common"));
    assert_eq!(server.site().template_variant("sx").expect("sx"), 1);
}
