//! Tests of the body walk.
use super::*;
use scraper::Html;

fn blocks(html: &str) -> Vec<Block> {
    let doc = Html::parse_document(html);
    let body = doc
        .select(&scraper::Selector::parse("#b").unwrap())
        .next()
        .unwrap();
    let base = Url::parse("https://a.edu.cn/x/y/page.htm").unwrap();
    walk(&[body], &base, &[]).blocks
}

fn texts(bs: &[Block]) -> Vec<(BlockKind, &str)> {
    bs.iter().map(|b| (b.kind, b.text.as_str())).collect()
}

#[test]
fn paragraphs_images_and_blank_lines() {
    let bs = blocks(
        r#"<div id="b"><p>第一段<span>文字</span></p><p>&nbsp;</p><p style="text-align:center"><img src="../a.jpg"></p>
        <div>第二段</div><ul><li>一</li><li>二</li></ul></div>"#,
    );
    assert_eq!(
        texts(&bs),
        [
            (BlockKind::Text, "第一段文字"),
            (BlockKind::Blank, ""),
            (BlockKind::Image, ""),
            (BlockKind::Text, "第二段"),
            (BlockKind::Text, "一"),
            (BlockKind::Text, "二"),
        ]
    );
    assert_eq!(
        bs[2].image.as_ref().unwrap().src,
        "https://a.edu.cn/x/a.jpg"
    );
    assert_eq!(bs[2].align, Align::Center);
}

#[test]
fn double_line_breaks_split_paragraphs_single_ones_do_not() {
    let bs =
        blocks(r#"<div id="b"><p>one<br>still one<br /><br />two<br> &nbsp; <br>three</p></div>"#);
    assert_eq!(
        texts(&bs),
        [
            (BlockKind::Text, "one still one"),
            (BlockKind::Text, "two"),
            (BlockKind::Text, "three")
        ]
    );
}

#[test]
fn wholly_bold_and_alignment_facts() {
    let bs = blocks(
        r#"<div id="b"><p><strong>参<span>赛</span>名单</strong></p><p><strong>粗</strong>细</p>
        <p align="center"><span style="text-align:left">居中</span></p><p style="text-align:right">右</p>
        <p><span style="font-weight:bold">加粗</span> </p><h3>小标题</h3></div>"#,
    );
    assert!(bs[0].bold && bs[0].text == "参赛名单");
    assert!(!bs[1].bold);
    assert_eq!(
        bs[2].align,
        Align::Center,
        "text-align on an inline element does nothing"
    );
    assert_eq!(bs[3].align, Align::End);
    assert!(bs[4].bold);
    assert_eq!(bs[5].heading, Some(3));
}

#[test]
fn data_tables_become_rows_and_layout_tables_flow() {
    let bs = blocks(
        r#"<div id="b"><table><tr><td><p>编号</p></td><td colspan=2><p><strong>学院</strong></p><p>名称</p></td></tr>
        <tr><td rowspan=2>101</td><td>甲类</td><td></td></tr><tr><td>乙类</td><td>李老师</td></tr>
        <tr><td> </td><td> </td></tr></table>
        <table><tr><td><p>布局一</p><p>布局二</p></td></tr><tr><td style="text-align:center">说明</td></tr></table></div>"#,
    );
    assert_eq!(
        texts(&bs),
        [
            (BlockKind::Row, "编号 | 学院 名称"),
            (BlockKind::Row, "101 | 甲类"),
            (BlockKind::Row, "乙类 | 李老师"),
            (BlockKind::Text, "布局一"),
            (BlockKind::Text, "布局二"),
            (BlockKind::Text, "说明"),
        ]
    );
    assert_eq!(bs[5].align, Align::Center);
}

#[test]
fn scripts_styles_hidden_and_vml_are_not_text() {
    let bs = blocks(
        r#"<div id="b"><p>a<script>x=1</script><style>p{}</style></p><p style="display:none">hidden</p>
        <p><v:shape><v:imagedata src="file:///C:/x.png"></v:imagedata></v:shape>b</p><noscript>n</noscript></div>"#,
    );
    assert_eq!(texts(&bs), [(BlockKind::Text, "a"), (BlockKind::Text, "b")]);
}

#[test]
fn figure_captions_and_groups() {
    let bs = blocks(
        r#"<div id="b"><figure><img src="/a.jpg"><figcaption>说明</figcaption><div>Photo: X</div></figure>
        <p><img src="/b.jpg"> <img src="/c.jpg"></p></div>"#,
    );
    assert_eq!(bs[0].figure, bs[1].figure);
    assert!(bs[1].figcaption && !bs[2].figcaption);
    assert_eq!(bs[3].group, bs[4].group);
    assert_ne!(bs[0].group, bs[3].group);
}

#[test]
fn file_links_and_players_are_attachments() {
    let doc = Html::parse_document(
        r#"<div id="b"><p><img src="/_ueditor/themes/default/images/icon_doc.gif"><a href="/f/a.docx">附件
        1.docx</a></p><p><a href="/page.htm">链接</a><a href="/f/b.pdf"></a></p>
        <div pdfsrc="/f/c.pdf" sudyfile-attr="{'title':'报道.pdf'}" class="wp_pdf_player"></div></div>"#,
    );
    let body = doc
        .select(&scraper::Selector::parse("#b").unwrap())
        .next()
        .unwrap();
    let base = Url::parse("https://a.edu.cn/x/page.htm").unwrap();
    let w = walk(&[body], &base, &[]);
    let atts = w.attachments.into_vec();
    assert_eq!(atts.len(), 2);
    assert_eq!(atts[0].url, "https://a.edu.cn/f/a.docx");
    assert_eq!(atts[0].name, "附件 1.docx");
    assert_eq!(atts[1].url, "https://a.edu.cn/f/c.pdf");
    assert_eq!(atts[1].name, "报道.pdf");
    // the link line stays text; the icon is not an image
    assert_eq!(texts(&w.blocks)[0], (BlockKind::Text, "附件 1.docx"));
    assert!(w.blocks.iter().all(|b| b.kind != BlockKind::Image));
}

#[test]
fn drop_selectors_and_generic_noise() {
    let doc = Html::parse_document(
        r#"<div id="b"><p>正文</p><div class="share">分享到</div><div id="vote">投票</div></div>"#,
    );
    let body = doc
        .select(&scraper::Selector::parse("#b").unwrap())
        .next()
        .unwrap();
    let base = Url::parse("https://a.edu.cn/").unwrap();
    let vote = FastSelector::parse("#vote").unwrap();
    let share = doc
        .select(&scraper::Selector::parse(".share").unwrap())
        .next()
        .unwrap();
    let noise = std::collections::HashSet::from([share.id()]);
    let w = walk_with(&[body], &base, &[&vote], Some(&noise));
    assert_eq!(texts(&w.blocks), [(BlockKind::Text, "正文")]);
}

#[test]
fn deep_nesting_costs_no_stack() {
    let depth = 100_000;
    // spans: html5ever parses nested inline elements in linear time (deep block nesting is
    // capped before parsing, see depth.rs)
    let html = format!(
        "<div id=\"b\">{}深{}</div>",
        "<span>".repeat(depth),
        "</span>".repeat(depth)
    );
    let bs = blocks(&html);
    assert_eq!(texts(&bs), [(BlockKind::Text, "深")]);
}

fn images(bs: &[Block]) -> Vec<&str> {
    bs.iter()
        .filter_map(|b| b.image.as_ref().map(|i| i.src.as_str()))
        .collect()
}

#[test]
fn a_picture_is_one_image_from_its_largest_source() {
    // a lazy <img> inside: the sources name the file, and the widest wins
    let bs = blocks(
        r#"<div id="b"><picture><source type="image/webp" data-srcset="/p/a-640.webp 640w, /p/a-1280.webp 1280w">
        <source srcset="/p/a-640.jpg 640w, /p/a-1920.jpg 1920w"><img src="data:image/gif;base64,R0lGOD" alt="Hall"></picture></div>"#,
    );
    assert_eq!(images(&bs), ["https://a.edu.cn/p/a-1920.jpg"]);
    // a real src on the <img> stays, and still only one image
    let bs = blocks(
        r#"<div id="b"><picture><source srcset="/p/b-1600.webp 1600w"><img src="/p/b.jpg"></picture></div>"#,
    );
    assert_eq!(images(&bs), ["https://a.edu.cn/p/b.jpg"]);
}

#[test]
fn a_noscript_copy_stands_in_for_a_script_filled_image() {
    let bs = blocks(
        r#"<div id="b"><p>Text.</p><img class="lazyload" src="/i/spacer.gif"><noscript><img src="/i/real.jpg" alt="Real"></noscript></div>"#,
    );
    assert_eq!(images(&bs), ["https://a.edu.cn/i/real.jpg"]);
    // the copy of an image that already names its file is not a second image
    let bs = blocks(
        r#"<div id="b"><img src="/i/spacer.gif" data-src="/i/a.jpg"><noscript><img src="/i/a.jpg"></noscript></div>"#,
    );
    assert_eq!(images(&bs), ["https://a.edu.cn/i/a.jpg"]);
}

#[test]
fn cms_caption_and_credit_classes() {
    // WordPress classic caption: the div is a figure, the p its caption
    let bs = blocks(
        r#"<div id="b"><div class="wp-caption aligncenter"><img src="/w/a.jpg"><p class="wp-caption-text">The lab. Photo: Jane Roe</p></div>
        <div class="field field--name-field-caption"><div class="field__item">Drupal caption</div></div>
        <figure class="image"><img src="/t/b.jpg"><figcaption class="image-caption">TYPO3 caption</figcaption><span class="photo-credit">© Max Muster</span></figure>
        <div class="has-caption"><p>Plain text</p></div></div>"#,
    );
    let t: Vec<(BlockKind, &str, bool)> = bs
        .iter()
        .map(|b| (b.kind, b.text.as_str(), b.figcaption))
        .collect();
    assert_eq!(
        t,
        [
            (BlockKind::Image, "", false),
            (BlockKind::Text, "The lab. Photo: Jane Roe", true),
            (BlockKind::Text, "Drupal caption", true),
            (BlockKind::Image, "", false),
            (BlockKind::Text, "TYPO3 caption", true),
            (BlockKind::Credit, "© Max Muster", false),
            (BlockKind::Text, "Plain text", false),
        ]
    );
    assert_eq!(bs[0].figure, bs[1].figure);
    assert!(bs[0].figure.is_some());
    // a credit class outside any figure is plain text
    let bs = blocks(r#"<div id="b"><p class="credit">Thanks to all helpers.</p></div>"#);
    assert_eq!(texts(&bs), [(BlockKind::Text, "Thanks to all helpers.")]);
}

#[test]
fn images_in_byline_share_and_ad_boxes_are_not_content() {
    let bs = blocks(
        r#"<div id="b"><div class="author-box"><img src="/u/jane-roe.jpg" width="200" height="200"><p>Jane Roe</p></div>
        <div class="share-bar"><img src="/u/x.png" width="120" height="60"></div>
        <p><img src="/u/lab.jpg" width="800" height="600"></p></div>"#,
    );
    assert_eq!(images(&bs), ["https://a.edu.cn/u/lab.jpg"]);
    // the body container is the body whatever its class; feature flags name no box
    let bs = blocks(
        r#"<div id="b" class="entry-content share-enabled"><div class="gallery has-ads">
        <img src="/u/hall.jpg" width="800" height="600"></div></div>"#,
    );
    assert_eq!(images(&bs), ["https://a.edu.cn/u/hall.jpg"]);
}

#[test]
fn caption_spans_away_from_images_do_not_split_lines() {
    // no image in this figure: the caption's inner spans stay one line
    let bs = blocks(
        r#"<div id="b"><figure><div class="lazy-container"></div><figcaption><span class="caption-text">Breaks, an official said.</span><span class="credit"><span>Credit</span><span>Jane Roe</span></span></figcaption></figure>
        <p>Lead <span class="caption">in running text</span> goes on.</p></div>"#,
    );
    assert_eq!(
        texts(&bs),
        [
            (BlockKind::Text, "Breaks, an official said.CreditJane Roe"),
            (BlockKind::Text, "Lead in running text goes on."),
        ]
    );
}
