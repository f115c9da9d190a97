//! Unit tests of the generic rules: headline, body choice, metadata.

use super::*;
use scraper::ElementRef;

#[test]
fn headline_is_the_element_the_title_contains() {
    let doc = Html::parse_document(
        r#"<html><head><title>学校召开论证会-某某大学-研究生院</title></head><body>
        <h1>学校新闻</h1><div class="title">学校召开论证会</div><p>正文</p></body></html>"#,
    );
    assert_eq!(title(&doc).unwrap().0, "学校召开论证会");
}

#[test]
fn svg_titles_are_not_the_page_title_and_site_name_is_stripped() {
    let doc = Html::parse_document(
        r#"<html><head><title>New Lab Opens Downtown | Example University</title></head>
        <body><svg><title>Search</title></svg><p>x</p></body></html>"#,
    );
    assert_eq!(title(&doc).unwrap().0, "New Lab Opens Downtown");
}

#[test]
fn og_title_when_no_element_matches() {
    let doc = Html::parse_document(
        r#"<html><head><meta property="og:title" content="要闻标题"><title>x</title></head><body><div>y</div></body></html>"#,
    );
    assert_eq!(title(&doc).unwrap().0, "要闻标题");
}

#[test]
fn density_picks_the_text_container_and_its_lead_image() {
    let para = "这是一段足够长的正文内容，用来测试文本密度算法是否能够找到正文容器。".repeat(3);
    let html = format!(
        r#"<html><body><div class="nav"><a href="/">首页</a><a href="/a">新闻</a></div>
        <div class="main"><div class="pic"><img src="/a.jpg"></div>
        <div class="text"><p>{para}</p><p>{para}</p></div>
        <div class="related"><ul><li><a href="/x">{para}</a></li></ul></div></div></body></html>"#
    );
    let doc = Html::parse_document(&html);
    let b = body(&doc);
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].value().attr("class"), Some("pic"));
    assert_eq!(b[1].value().attr("class"), Some("text"));
}

#[test]
fn an_article_split_over_sibling_blocks_is_kept_whole() {
    let para = "Long enough sentence of article prose, with commas, for the density pass. ";
    let html = format!(
        r#"<html><body><div class="menu"><a href="/">Home</a></div><article>
        <div class="part"><p>{0}{0}{0}</p><p>{0}{0}</p></div><h2>Second part</h2>
        <div class="part"><p>{0}{0}</p></div>
        <div class="related"><p><a href="/x">{0}</a></p></div></article></body></html>"#,
        para
    );
    let doc = Html::parse_document(&html);
    let b = body(&doc);
    let names: Vec<&str> = b.iter().map(|e| e.value().name()).collect();
    assert_eq!(names, ["div", "h2", "div"]);
}

#[test]
fn blocks_of_similar_weight_lift_the_body_to_their_common_ancestor() {
    let para = "Long enough sentence of article prose, with commas, for the density pass. ";
    let col = format!(
        r#"<div class="col"><div><p>{0}{0}</p><p>{0}{0}</p></div><aside></aside></div>"#,
        para
    );
    let html = format!(
        r#"<html><body><section id="story">{col}{col}{col}</section><footer><p>{para}</p></footer></body></html>"#
    );
    let doc = Html::parse_document(&html);
    let b = body(&doc);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].value().attr("id"), Some("story"));
}

#[test]
fn steps_in_deep_wrappers_join_the_intro() {
    let para = "Long enough sentence of article prose, with commas, for the density pass. ";
    let step = format!(
        r#"<span><div class="step"><div><span><p>{para}{para}</p></span></div></div></span>"#
    );
    let html = format!(
        r#"<html><body><article id="art"><div class="intro"><p>{para}</p><p>{para}</p><p>{para}</p></div>
        {step}{step}{step}{step}{step}</article><ul class="x"><li><a href="/1">{para}</a></li></ul></body></html>"#
    );
    let doc = Html::parse_document(&html);
    let b = body(&doc);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].value().attr("id"), Some("art"));
}

#[test]
fn consent_boxes_and_dialogs_are_never_the_body() {
    let para = "Long enough sentence of article prose, with commas, for the density pass. ";
    let html = format!(
        r#"<html><body class="has-cookie-banner"><div id="onetrust-consent-sdk"><div><div class="desc">
        <p>{para}{para}</p><p>{para}{para}</p><p>{para}{para}</p></div></div></div>
        <div role="dialog"><div><p>{para}{para}</p><p>{para}{para}</p></div></div>
        <div id="story"><p>{para}</p><p>{para}</p></div></body></html>"#
    );
    let doc = Html::parse_document(&html);
    let b = body(&doc);
    assert_eq!(b[0].value().attr("id"), Some("story"));
}

#[test]
fn hidden_subtrees_do_not_score() {
    let para = "这是一段足够长的正文内容，用来测试文本密度算法是否能够找到正文容器。".repeat(3);
    let html = format!(
        r#"<html><body><div id="a" style="display:none"><p>{para}</p><p>{para}</p><p>{para}</p></div>
        <div id="b" style="visibility: hidden"><p>{para}</p></div></body></html>"#
    );
    let doc = Html::parse_document(&html);
    let b = body(&doc);
    let in_b = |e: &ElementRef<'_>| {
        e.value().attr("id") == Some("b")
            || e.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().attr("id") == Some("b"))
    };
    assert!(!b.is_empty() && b.iter().all(in_b));
}

#[test]
fn author_from_json_ld_then_meta_then_byline() {
    let doc = Html::parse_document(
        r#"<html><head><meta name="author" content="Meta Name"><script type="application/ld+json">
        {"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ana Roe"}, {"name": "Ben Poe"}]}]}
        </script></head><body></body></html>"#,
    );
    assert_eq!(meta_author(&doc).as_deref(), Some("Ana Roe, Ben Poe"));
    let doc = Html::parse_document(
        r#"<html><head><meta name="author" content="https://example.org/staff/x"></head>
        <body><p class="byline">By Jane Doe</p></body></html>"#,
    );
    assert_eq!(meta_author(&doc).as_deref(), Some("Jane Doe"));
    let doc = Html::parse_document(
        r#"<html><head><meta name="Author" content="Von Lehmann"></head><body></body></html>"#,
    );
    assert_eq!(meta_author(&doc).as_deref(), Some("Von Lehmann"));
    // a byline word in the page's language; Dublin Core first; a URL-valued name skipped
    // for the next; a property listing several names; JSON-LD in a CDATA wrapper
    let head =
        |h: &str| Html::parse_document(&format!("<html><head>{h}</head><body></body></html>"));
    let doc = head(r#"<meta name="author" content="Por César Salza">"#);
    assert_eq!(meta_author(&doc).as_deref(), Some("César Salza"));
    let doc = head(
        r#"<meta name="author" content="Meta Name"><meta property="dc:creator" content="DC Name">"#,
    );
    assert_eq!(meta_author(&doc).as_deref(), Some("DC Name"));
    let doc = head(
        r#"<meta property="article:author" content="https://x.org/@v"><meta name="author" content="Vera Vale">"#,
    );
    assert_eq!(meta_author(&doc).as_deref(), Some("Vera Vale"));
    let doc = head(r#"<meta property="dc:creator twitter:site_name" content="Creator Name">"#);
    assert_eq!(meta_author(&doc).as_deref(), Some("Creator Name"));
    let doc = head(
        r#"<script type="application/ld+json"><![CDATA[ {"author": {"name": "Cee Data"}} ]]></script>"#,
    );
    assert_eq!(meta_author(&doc).as_deref(), Some("Cee Data"));
}

#[test]
fn paragraph_class_names_are_not_page_parts() {
    let para = "Long enough sentence of article prose, with commas, for the density pass. ";
    let html = format!(
        r#"<html><body><div class="menu"><a href="/">Home</a></div><div id="story">
        <p class="selectionShareable">{para}{para}</p><p class="selectionShareable">{para}{para}</p>
        <p>{para}</p></div></body></html>"#
    );
    let doc = Html::parse_document(&html);
    let b = body(&doc);
    assert_eq!(b[0].value().attr("id"), Some("story"));
    let e = Html::parse_fragment(r#"<div class="share-tools"></div>"#);
    let div = e.root_element().child_elements().next().unwrap();
    assert!(is_negative(div.value()));
    let e = Html::parse_fragment(r#"<p class="selectionShareable">x</p>"#);
    let p = e.root_element().child_elements().next().unwrap();
    assert!(!is_negative(p.value()));
    // a section id made from its heading is no page part; a short boilerplate id is
    let neg = |html: &str| {
        let e = Html::parse_fragment(html);
        is_negative(e.root_element().child_elements().next().unwrap().value())
    };
    assert!(!neg(
        r#"<div id="example-1-amend-a-shared-changeset"></div>"#
    ));
    assert!(neg(r#"<div id="share-tools"></div>"#));
    assert!(neg(
        r#"<div class="share-tools-for-this-article" id="example-1-amend-a-shared-changeset"></div>"#
    ));
}

#[test]
fn link_lists_inside_the_body_are_noise() {
    let para = "Long enough sentence of article prose, with commas, for the density pass. ";
    let html = format!(
        r#"<html><body><article><p>{para}{para}</p><p>{para}{para}</p>
        <div class="more"><h3>More</h3><ul><li><a href="/1">A teaser headline of another story</a></li>
        <li><a href="/2">A second teaser headline of one more story</a></li></ul></div>
        <p>{para}</p></article></body></html>"#
    );
    let doc = Html::parse_document(&html);
    let (roots, noise) = body_and_noise(&doc, None);
    assert_eq!(roots[0].value().name(), "article");
    let more = roots[0]
        .descendent_elements()
        .find(|e| e.value().attr("class") == Some("more"))
        .unwrap();
    assert!(noise.contains(&more.id()));
    assert!(
        !roots[0]
            .descendent_elements()
            .filter(|e| e.value().name() == "p")
            .any(|p| noise.contains(&p.id()))
    );
}

#[test]
fn text_in_spans_is_the_blocks_own_text() {
    let para = "Long enough sentence of chapter prose, with commas, for the density pass. ";
    let html = format!(
        r#"<html><body><div class="note"><p>{para}</p></div><div id="chapter">
        <div><span>{para}{para}</span></div><div><span>{para}{para}</span></div>
        <div><span>{para}{para}</span></div></div></body></html>"#
    );
    let doc = Html::parse_document(&html);
    assert_eq!(body(&doc)[0].value().attr("id"), Some("chapter"));
}

#[test]
fn metadata_date() {
    let doc = Html::parse_document(
        r#"<html><head><script type="application/ld+json">{"datePublished": "2020-02-05T00:00:00-0500"}</script></head><body></body></html>"#,
    );
    assert_eq!(meta_published(&doc).as_deref(), Some("2020-02-05"));
    // Highwire (journal and repository pages), microdata, <time pubdate>
    let page = |head: &str, body: &str| {
        Html::parse_document(&format!(
            "<html><head>{head}</head><body>{body}</body></html>"
        ))
    };
    let hw = page(
        r#"<meta name="citation_publication_date" content="2021/07/14">"#,
        "",
    );
    assert_eq!(meta_published(&hw).as_deref(), Some("2021-07-14"));
    let md = page(
        "",
        r#"<p>Posted <time itemprop="datePublished" datetime="2019-11-03T09:00">Sunday</time></p>"#,
    );
    assert_eq!(meta_published(&md).as_deref(), Some("2019-11-03"));
    let pubdate = page("", r#"<time pubdate datetime="2018-05-06">May 6</time>"#);
    assert_eq!(meta_published(&pubdate).as_deref(), Some("2018-05-06"));
    assert_eq!(meta_published(&page("", "<time>today</time>")), None);
}

#[test]
fn the_body_stays_in_the_article_that_holds_the_headline() {
    let para = "Long enough sentence of teaser prose, with commas, for the density pass. ";
    let teaser = format!(
        r#"<li class="item"><div class="c"><h3><a href="/x">Other</a></h3><p>{para}{para}{para}</p></div></li>"#
    );
    let html = format!(
        r#"<html><head><title>Firms hold steady</title></head><body><main>
        <article class="filterNonGdprEmbeds"><header><h1>Firms hold steady</h1></header>
        <div class="caas-body"><p>Firms held steady in May, a survey showed, but costs rose and margins fell again. {para}</p>
        <p>More of the short story follows here.</p></div></article></main>
        <ul class="stream">{teaser}{teaser}{teaser}{teaser}</ul></body></html>"#
    );
    let doc = Html::parse_document(&html);
    let b = body(&doc);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].value().attr("class"), Some("caas-body"));
}

#[test]
fn a_how_to_step_brings_its_sibling_steps() {
    let para = "Long enough sentence of step prose, with commas, for the density pass. ";
    let step = |n: usize| {
        format!(
            r#"<div class="mod step"><div class="stepContent"><div class="content"><span>Step {n}</span><p>{para}</p></div></div></div>"#
        )
    };
    let html = format!(
        r#"<html><body><article><div class="mod step"><div class="stepContent"><div class="content lead"><p>{para}{para}{para}</p></div></div></div>
        <div class="related"><ul><li><a href="/1">Other story</a></li></ul></div>{}{}{}</article></body></html>"#,
        step(1),
        step(2),
        step(3)
    );
    let doc = Html::parse_document(&html);
    let b = body(&doc);
    let steps = doc
        .root_element()
        .descendent_elements()
        .filter(|e| e.value().attr("class") == Some("mod step"));
    for s in steps {
        assert!(
            b.iter()
                .any(|r| *r == s || s.ancestors().any(|a| a.id() == r.id())),
            "every step is in the body"
        );
    }
}
