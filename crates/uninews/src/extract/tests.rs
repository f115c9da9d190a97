//! End-to-end tests of `extract` on small pages written for the purpose.
use super::*;
use crate::selectors::Profile;
use std::path::Path;

fn url(u: &str) -> Url {
    Url::parse(u).unwrap()
}

const VSB: &str = r#"<html><head><title>学校召开会议-某某大学</title></head><body>
<div class="position">当前位置: <a href="/">首页</a> &gt;&gt; <a href="/xxxw.htm">学校新闻</a> &gt;&gt; 正文</div>
<form name="_newscontent_fromname"><div class="title">学校召开会议</div>
<div class="time">发布时间：2019-08-14 10:05 作者：宣传部 浏览次数：<script>_showDynClicks("wbnews", 1, 2)</script></div>
<div id="vsb_content"><div class="v_news_content">
<p>会议在图书馆举行。</p><p style="text-align:center"><img src="/__local/a.jpg"></p>
<p style="text-align:center">会议现场</p><p>（编辑 周四海）</p></div></div>
<ul><li>附件【<a href="/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1&wbfileid=9">名单.docx</a>】已下载<script>getClickTimes(9)</script>次</li></ul>
<div>上一条：<a href="1.htm">旧闻</a></div></form></body></html>"#;

#[test]
fn vsb_page_without_profile() {
    let out = extract(VSB, &url("http://yjszs.example.edu.cn/info/1/2.htm"), None);
    let r = out.record;
    assert_eq!(r.extractor, "cms:vsb");
    assert_eq!(r.site, None);
    assert_eq!(r.title, "学校召开会议");
    assert_eq!(r.published.as_deref(), Some("2019-08-14T10:05+08:00"));
    assert_eq!(r.author.as_deref(), Some("宣传部"));
    assert_eq!(r.editor.as_deref(), Some("周四海"));
    assert_eq!(r.breadcrumb, ["首页", "学校新闻"]);
    assert_eq!(r.sections.len(), 1);
    assert_eq!(r.sections[0].paragraphs, ["会议在图书馆举行。"]);
    assert_eq!(r.images[0].src, "http://yjszs.example.edu.cn/__local/a.jpg");
    assert_eq!(r.images[0].caption.as_deref(), Some("会议现场"));
    assert_eq!(r.attachments.len(), 1);
    assert_eq!(r.attachments[0].name, "名单.docx");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn profile_fields_win_and_missing_fields_fall_back() {
    let profile = Profile::from_toml(
        r#"
name = "demo"
hosts = ["yjszs.example.edu.cn"]
[fields.title]
selectors = ["title"]
regex = '^(.+?)-'
[fields.source]
selectors = [".time"]
regex = '作者：(\S+)'
[dates]
timezone = "-05:00"
"#,
        Path::new("demo.toml"),
    )
    .unwrap();
    let out = extract(
        VSB,
        &url("http://yjszs.example.edu.cn/info/1/2.htm"),
        Some(&profile),
    );
    let r = out.record;
    assert_eq!(r.extractor, "profile:demo");
    assert_eq!(r.site.as_deref(), Some("demo"));
    assert_eq!(r.title, "学校召开会议");
    assert_eq!(r.source.as_deref(), Some("宣传部"));
    // fields the profile does not give still come from the CMS and generic rules
    assert_eq!(r.sections[0].paragraphs, ["会议在图书馆举行。"]);
    assert_eq!(r.breadcrumb, ["首页", "学校新闻"]);
    // the profile's zone applies to printed times
    assert_eq!(r.published.as_deref(), Some("2019-08-14T10:05-05:00"));
}

#[test]
fn generic_page_with_english_byline() {
    let html = r#"<html><head><title>Lab Builds Tiny Satellite | Example University</title></head><body>
    <nav class="menu"><a href="/">Home</a><a href="/news">News</a></nav>
    <main><h1>Lab Builds Tiny Satellite</h1><p class="byline">By Jane Doe</p><p class="date">March 9, 2021</p>
    <div class="article-body"><p>Students have built a satellite the size of a shoebox and tested it in a vacuum chamber.</p>
    <p>The satellite carries a camera, a radio and solar panels that unfold after launch.</p>
    <div class="share">Share this: Facebook Twitter</div></div></main>
    <footer><p>Copyright Example University, all rights reserved, every year since forever.</p></footer></body></html>"#;
    let r = extract(html, &url("https://www.example.edu/news/satellite"), None).record;
    assert_eq!(r.extractor, "generic");
    assert_eq!(r.title, "Lab Builds Tiny Satellite");
    assert_eq!(r.author.as_deref(), Some("Jane Doe"));
    assert_eq!(r.published.as_deref(), Some("2021-03-09"));
    assert_eq!(r.sections[0].paragraphs.len(), 2);
    assert!(r.breadcrumb.is_empty());
}

#[test]
fn hostile_inputs_give_records_with_warnings() {
    let u = url("https://a.edu.cn/x.htm");
    let empty = extract("", &u, None);
    assert!(empty.warnings.iter().any(|w| w.contains("empty")));
    let text = extract("just some words, no markup at all", &u, None);
    assert!(text.warnings.iter().any(|w| w.contains("no title")));
    let truncated = extract(
        "<html><head><title>标题</title></head><body><div class=\"content\"><p>一段没有结束的正文，一段没有结束的正文，一段没有结束的",
        &u,
        None,
    );
    assert_eq!(truncated.record.title, "标题");
    assert!(!truncated.record.sections.is_empty());
    let deep = format!("<h1>深</h1>{}", "<div>".repeat(20_000));
    let out = extract(&deep, &u, None);
    assert!(out.warnings.iter().any(|w| w.contains("flattened")));
    let garbage: String = (0..50_000u32)
        .map(|i| char::from_u32(i % 0xd7ff).unwrap_or('x'))
        .collect();
    let out = extract(&garbage, &u, None);
    assert_eq!(out.record.schema_version, 1);
}

#[test]
fn utf8_bytes_win_over_a_wrong_meta_charset() {
    let html = "<html><head><meta charset=\"gb2312\"><title>校园新闻</title></head>\
        <body><p>这是一段正文，用来检验编码。这是一段正文，用来检验编码。</p></body></html>";
    let ex = Extractor::new(ProfileSet::default(), ProfileChoice::Off);
    let out = ex.extract_bytes(html.as_bytes(), &url("http://a.example.cn/x.htm"), None);
    assert_eq!(out.record.title, "校园新闻");
    assert!(out.warnings.iter().any(|w| w.contains("valid UTF-8")));
    // a charset given by the caller is respected
    let out = ex.extract_bytes(
        html.as_bytes(),
        &url("http://a.example.cn/x.htm"),
        Some("gbk"),
    );
    assert_ne!(out.record.title, "校园新闻");
}

#[test]
fn trs_wcm_page_without_profile() {
    let html = r#"<html><head><title>学院举办讲座_新闻中心</title>
<meta name="publishedtype" content="1"><meta name="catalogs" content="c_12"><meta name="contentid" content="1526">
<meta name="publishdate" content="2024-05-20"><meta name="source" content="宣传部"><meta name="author" content="李明"></head><body>
<div class="nav"><a href="/">首页</a></div><h1>学院举办讲座</h1>
<div class="TRS_Editor"><p>讲座在报告厅举行。</p><p>师生参加。</p></div>
<div class="related"><p>相关新闻：另一条很长很长很长很长很长很长很长很长很长很长很长很长的标题</p></div></body></html>"#;
    let r = extract(
        html,
        &url("http://news.example.cn/xw/202405/t20240520_1526.htm"),
        None,
    )
    .record;
    assert_eq!(r.extractor, "cms:trs");
    assert_eq!(r.title, "学院举办讲座");
    assert_eq!(r.published.as_deref(), Some("2024-05-20"));
    assert_eq!(r.source.as_deref(), Some("宣传部"));
    assert_eq!(r.author.as_deref(), Some("李明"));
    assert_eq!(
        r.sections[0].paragraphs,
        ["讲座在报告厅举行。", "师生参加。"]
    );
}

/// A generic page's paragraphs, all sections together.
fn generic_paragraphs(html: &str) -> Vec<String> {
    let r = extract(html, &url("https://news.example.org/2024/story"), None).record;
    assert_eq!(r.extractor, "generic");
    r.sections.into_iter().flat_map(|s| s.paragraphs).collect()
}

const PARA: &str = "The committee met on Tuesday and agreed on the plan after a long debate about the budget, the timetable and the staff it needs.";

#[test]
fn generic_standfirst_between_headline_and_body_leads_the_body() {
    let lead = "The plan for the new campus was approved after two years of talks with the city and the region.";
    let page = |desc: &str, printed: &str| {
        format!(
            r#"<html><head><title>Campus plan approved</title><meta property="og:description" content="News - {desc}"></head><body>
            <article><header><h1>Campus plan approved</h1><h2 class="spot">{printed}</h2></header>
            <div class="text"><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p></div></article></body></html>"#
        )
    };
    let got = generic_paragraphs(&page(lead, lead));
    assert_eq!(got.len(), 4);
    assert_eq!(got[0], lead);
    // a header line that is not the description stays out
    let got = generic_paragraphs(&page(
        lead,
        "Photo gallery and more stories from the campus",
    ));
    assert_eq!(got.len(), 3);
    // a standfirst the body already prints is not repeated
    let html = page(PARA, PARA);
    assert_eq!(generic_paragraphs(&html).len(), 3);
}

#[test]
fn generic_body_keeps_prose_in_place_named_blocks_and_code() {
    let html = format!(
        r#"<html><head><title>Ten tools</title></head><body><h1>Ten tools</h1><div class="items">
        <div class="item"><figure><img src="/a.jpg"><div class="figure-footer"><p>{PARA} One.</p><p>{PARA}</p></div></figure></div>
        <div class="item"><p>{PARA} Two.</p><pre><code>run --fast <span class="hljs-comment"># keep this comment</span></code></pre></div>
        <div class="item"><p>{PARA} Three.</p><div class="comments"><p>{PARA} A reader's comment.</p></div>
        <div class="author-bio"><p>{PARA} About the writer.</p></div></div></div></body></html>"#
    );
    let got = generic_paragraphs(&html).join("\n");
    assert!(got.contains("One."), "{got}");
    assert!(got.contains("# keep this comment"), "{got}");
    assert!(got.contains("Three."), "{got}");
    assert!(!got.contains("A reader's comment"), "{got}");
    assert!(!got.contains("About the writer"), "{got}");
}

#[test]
fn generic_body_skips_framework_hidden_blocks() {
    let html = format!(
        r#"<html><head><title>Budget</title></head><body><h1>Budget</h1><div class="story">
        <p>{PARA}</p><p>{PARA}</p><div class="hidden promo"><p>Dear reader, please support us with a donation today.</p></div>
        <p><span class="sr-only">Opens in a new window</span>{PARA}</p></div></body></html>"#
    );
    let got = generic_paragraphs(&html).join("\n");
    assert!(!got.contains("Dear reader"), "{got}");
    assert!(!got.contains("new window"), "{got}");
    assert_eq!(got.matches("The committee").count(), 3);
}

#[test]
fn generic_lone_article_wins_over_a_wordier_box_outside_it() {
    let html = format!(
        r#"<html><head><title>Short note</title></head><body><h1>Short note</h1>
        <article class="post"><div id="content"><p>The lab opens on Monday at nine.</p></div></article>
        <div class="pay-box"><p>{PARA}</p><p>{PARA}</p></div></body></html>"#
    );
    assert_eq!(
        generic_paragraphs(&html),
        ["The lab opens on Monday at nine."]
    );
    // with two articles on the page, neither is the page's article by that token
    let two = html.replace(
        "</body>",
        "<article><p>Another story teaser with a few words.</p></article></body>",
    );
    assert!(generic_paragraphs(&two).iter().any(|p| p == PARA));
}

#[test]
fn generic_itemprop_article_body_wins_over_a_gallery_widget_inside_it() {
    let slide = "Slide caption that runs on for a while about a company, its results and the year it had in the markets.";
    let slides: String = (0..12)
        .map(|i| format!("<li><p>{i}/12 {slide}</p></li>"))
        .collect();
    let html = format!(
        r#"<html><head><title>Hotel secrets</title></head><body><h1>Hotel secrets</h1>
        <article><div class="text" itemprop="articleBody"><p>{PARA} First.</p>
        <div class="gallery-widget"><ul>{slides}</ul></div><p>{PARA} Last.</p></div></article></body></html>"#
    );
    let got = generic_paragraphs(&html).join("\n");
    assert!(got.contains("First.") && got.contains("Last."), "{got}");
    assert!(!got.contains("Slide caption"), "{got}");
}

#[test]
fn generic_json_ld_article_body_moves_the_body_to_the_text_it_states() {
    let teaser =
        "A teaser for another story, with enough words to look like prose to a density count.";
    let teasers: String = (0..8).map(|_| format!("<p>{teaser}</p>")).collect();
    let story = [
        "Researchers mapped the river delta with drones over three summers.",
        "They found that the channels move faster than the old surveys said.",
    ];
    let ld = format!(
        r#"{{"@context":"https://schema.org","@graph":[{{"@type":"NewsArticle","articleBody":"{} {} {}"}}]}}"#,
        story[0], PARA, story[1]
    );
    let html = format!(
        r#"<html><head><title>Delta</title><script type="application/ld+json">{ld}</script></head><body>
        <h1>Delta</h1><div class="story"><p>{}</p><p>{PARA}</p><p>{}</p></div>
        <div class="more">{teasers}</div></body></html>"#,
        story[0], story[1]
    );
    let got = generic_paragraphs(&html);
    assert_eq!(got.first().map(String::as_str), Some(story[0]), "{got:?}");
    assert_eq!(got.last().map(String::as_str), Some(story[1]), "{got:?}");
}

#[test]
fn generic_body_drops_labelled_ads() {
    let html = format!(
        r#"<html><head><title>Snooker</title></head><body><h1>Snooker</h1><div class="story">
        <p>{PARA}</p><div class="slot"><span>Advertisement</span></div>
        <p>{PARA} <a href="https://ads.example/x"><i>广告</i><span>通知：留学生注意了</span></a> Then more.</p>
        <p><a href="/about">Ad</a>ministration staff will answer every letter about it, the office said.</p></div></body></html>"#
    );
    let got = generic_paragraphs(&html).join("\n");
    assert!(
        !got.contains("Advertisement") && !got.contains("留学生"),
        "{got}"
    );
    assert!(got.contains("Then more."), "{got}");
    // a link that merely starts a word is no ad label
    assert!(
        got.contains("Administration staff") || got.contains("Ad ministration staff"),
        "{got}"
    );
}

fn generic_record(html: &str) -> crate::record::Record {
    let r = extract(html, &url("https://news.example.org/2024/story"), None).record;
    assert_eq!(r.extractor, "generic");
    r
}

#[test]
fn generic_caption_credits_give_the_photographer_and_stay_in_the_caption() {
    let html = format!(
        r#"<html><head><title>Lab opens</title></head><body><h1>Lab opens</h1><div class="entry-content">
        <p>{PARA}</p>
        <figure class="wp-block-image size-large"><img src="/wp-content/uploads/lab-1024x683.jpg" alt="The lab" srcset="/wp-content/uploads/lab-1024x683.jpg 1024w, /wp-content/uploads/lab.jpg 2048w">
        <figcaption class="wp-element-caption">Students in the lab. Photo: Jane Roe</figcaption></figure>
        <p>{PARA}</p>
        <div class="wp-caption alignright"><img src="data:image/gif;base64,R0lGOD" data-srcset="/wp-content/uploads/hall-300x200.jpg 300w, /wp-content/uploads/hall.jpg 1200w" width="300" height="200">
        <p class="wp-caption-text">The main hall. © 2024 Example University</p></div>
        <p>{PARA}</p></div></body></html>"#
    );
    let r = generic_record(&html);
    assert_eq!(r.photographer.as_deref(), Some("Jane Roe"));
    assert_eq!(r.images.len(), 2);
    assert_eq!(
        r.images[0].src,
        "https://news.example.org/wp-content/uploads/lab-1024x683.jpg"
    );
    assert_eq!(
        r.images[0].caption.as_deref(),
        Some("Students in the lab. Photo: Jane Roe")
    );
    assert_eq!(
        r.images[1].src,
        "https://news.example.org/wp-content/uploads/hall.jpg"
    );
    assert_eq!(
        r.images[1].caption.as_deref(),
        Some("The main hall. © 2024 Example University")
    );
    let text: Vec<String> = r.sections.into_iter().flat_map(|s| s.paragraphs).collect();
    assert_eq!(text.len(), 3, "{text:?}");
}

#[test]
fn generic_organisation_credit_only_when_no_person_is_credited() {
    let html = format!(
        r#"<html><head><title>Campus news</title></head><body><h1>Campus news</h1><article><div class="body">
        <p>{PARA}</p><figure class="image"><img src="/fileadmin/a.jpg"><figcaption class="image-caption">Der Campus im Winter.</figcaption>
        <span class="copyright">© 2024 Universität Beispiel</span></figure><p>{PARA}</p><p>{PARA}</p></div></article></body></html>"#
    );
    let r = generic_record(&html);
    assert_eq!(r.photographer.as_deref(), Some("Universität Beispiel"));
    assert_eq!(
        r.images[0].caption.as_deref(),
        Some("Der Campus im Winter.")
    );
    let text: Vec<String> = r.sections.into_iter().flat_map(|s| s.paragraphs).collect();
    assert!(!text.iter().any(|p| p.contains('©')), "{text:?}");
}

#[test]
fn generic_drupal_caption_field_after_the_image_field() {
    let html = format!(
        r#"<html><head><title>New robot</title></head><body><h1>New robot</h1><div class="node__content"><div class="field field--name-field-paragraphs">
        <div class="paragraph paragraph--type--text"><p>Von Anna Beispiel</p><p>{PARA}</p><p>{PARA}</p></div>
        <div class="paragraph paragraph--type--image"><div class="field field--name-field-image field--type-image"><div class="field__item"><img src="/sites/default/files/robot.jpg" width="960" height="640" alt=""></div></div>
        <div class="field field--name-field-image-caption"><div class="field__item">The robot at work. Foto: Max Muster/Universität Beispiel</div></div></div>
        <div class="paragraph paragraph--type--text"><p>{PARA}</p></div></div></div></body></html>"#
    );
    let r = generic_record(&html);
    assert_eq!(r.images.len(), 1);
    assert_eq!(
        r.images[0].caption.as_deref(),
        Some("The robot at work. Foto: Max Muster/Universität Beispiel")
    );
    assert_eq!(r.photographer.as_deref(), Some("Max Muster"));
    assert_eq!(r.author.as_deref(), Some("Anna Beispiel"));
    let text: Vec<String> = r.sections.into_iter().flat_map(|s| s.paragraphs).collect();
    assert_eq!(text.len(), 3, "{text:?}");
}

#[test]
fn generic_captioned_lead_image_field_before_the_body_joins_it() {
    let page = |field: &str| {
        format!(
            r#"<html><head><title>New lab</title></head><body><h1>New lab</h1><div class="node__content">
            {field}<div class="field field--name-body"><p>{PARA}</p><p>{PARA}</p></div></div></body></html>"#
        )
    };
    let drupal = page(
        r#"<div class="field field--name-field-image"><img src="/sites/default/files/lab.jpg" alt="Lab">
        <div class="field--name-field-caption">The new laboratory on the north campus, opened in May after two years of building work.</div></div>"#,
    );
    let r = generic_record(&drupal);
    assert_eq!(r.images.len(), 1, "{:?}", r.images);
    assert_eq!(
        r.images[0].src,
        "https://news.example.org/sites/default/files/lab.jpg"
    );
    assert!(
        r.images[0]
            .caption
            .as_deref()
            .is_some_and(|c| c.starts_with("The new laboratory"))
    );
    // a teaser with an image and a sentence of its own is not a lead photo
    let teaser = page(
        r#"<div class="teaser"><img src="/t.jpg"><p><a href="/old">Read also: the old laboratory on the south campus, closed in May after forty years of work.</a></p></div>"#,
    );
    assert!(generic_record(&teaser).images.is_empty());
}

#[test]
fn generic_list_article_keeps_the_intro_above_its_table() {
    let rows: String = (0..12)
        .map(|i| format!("<tr><td>Film {i}</td><td>19{i:02}</td><td>{PARA}</td></tr>"))
        .collect();
    let html = format!(
        r#"<html><head><title>List of films</title></head><body><h1>List of films</h1><div class="content">
        <p>This list of films gathers every film in which the characters relive the same day, by year of release.</p>
        <table><tbody>{rows}</tbody></table></div></body></html>"#
    );
    let got = generic_paragraphs(&html);
    assert!(got[0].starts_with("This list of films"), "{got:?}");
    assert!(got.iter().any(|p| p.contains("Film 11")), "{got:?}");
}
