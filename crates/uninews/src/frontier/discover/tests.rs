//! Discovery on small pages written here: Teleport mirrors read at their live URL and
//! served elsewhere, WebPlus column pages with one list per sub-column, and which CMS a
//! page is told to be when its links or scripts mix the CMSs' marks.

use super::*;

/// A VSB list as a Teleport mirror saves it: hrefs to the mirror's files (one renamed
/// `-1` beside a twin), `tppabs` with the live URLs, and an out-of-bounds wrapper.
const TELEPORT_LIST: &str = r#"<html><body><ul>
<li><a href="info/1078/1591-1.htm" tppabs="http://yjszs.cqjtu.edu.cn/info/1078/1591.htm" title="a">我校顺利完成全国硕士研究生招生考试工作</a></li>
<li><a href="info/1078/1564.htm" tppabs="http://yjszs.cqjtu.edu.cn/info/1078/1564.htm" title="b">学校召开博士点申报和学科评估材料论证会</a></li>
<li><a href="javascript:if(confirm(%27http://math.cqjtu.edu.cn/info/1039/4660.htm%27))window.location=%27http://math.cqjtu.edu.cn/info/1039/4660.htm%27" tppabs="http://math.cqjtu.edu.cn/info/1039/4660.htm">数学与统计学院复试录取工作实施细则</a></li>
</ul><div>共3条&nbsp;&nbsp;1/2&nbsp;<a href="xxxw/1.htm" tppabs="http://yjszs.cqjtu.edu.cn/xxxw/1.htm">下页</a></div></body></html>"#;

fn discover_at(page: &str) -> Discovery {
    let page = Url::parse(page).expect("page URL");
    discover(TELEPORT_LIST, &page, None, &Scope::of_urls([&page]))
}

fn strs(urls: &[Url]) -> Vec<&str> {
    urls.iter().map(Url::as_str).collect()
}

#[test]
fn teleport_original_wins_when_the_page_is_read_at_its_live_url() {
    let d = discover_at("http://yjszs.cqjtu.edu.cn/xxxw.htm");
    assert_eq!(
        strs(&d.articles),
        [
            "http://yjszs.cqjtu.edu.cn/info/1078/1591.htm",
            "http://yjszs.cqjtu.edu.cn/info/1078/1564.htm"
        ]
    );
    assert_eq!(
        d.next_page.as_ref().map(Url::as_str),
        Some("http://yjszs.cqjtu.edu.cn/xxxw/1.htm")
    );
}

/// Served elsewhere (loopback, a static host), every `tppabs` is off scope: the link
/// the mirror serves is followed, and a renamed file is still an article by the
/// original's shape. Before, the off-scope originals won and nothing was found.
#[test]
fn teleport_mirror_served_elsewhere_follows_the_served_links() {
    let d = discover_at("http://127.0.0.1:8080/xxxw.htm");
    assert_eq!(d.cms, Cms::Vsb);
    assert_eq!(
        strs(&d.articles),
        [
            "http://127.0.0.1:8080/info/1078/1591-1.htm",
            "http://127.0.0.1:8080/info/1078/1564.htm"
        ]
    );
    assert_eq!(
        d.next_page.as_ref().map(Url::as_str),
        Some("http://127.0.0.1:8080/xxxw/1.htm")
    );
    assert!(
        strs(&d.off_scope).contains(&"http://math.cqjtu.edu.cn/info/1039/4660.htm"),
        "off scope either way: {:?}",
        d.off_scope
    );
    assert!(
        !d.off_scope
            .iter()
            .any(|u| u.host_str() == Some("yjszs.cqjtu.edu.cn")),
        "no live URL is reported when the served link is in scope: {:?}",
        d.off_scope
    );
}

/// A WebPlus column page without a pager: the main window `#wp_news_w6` repeats its id
/// for each sub-column list; `#wp_news_w21` is a side box of the template.
const WEBPLUS_SUBCOLUMNS: &str = r#"<html><body>
<div id="wp_news_w6"><ul class="wp_subcolumn_list"><li class="wp_sublist">
<h3><a href="../25886/list.htm">A</a></h3><ul class="news_list">
<li><a href="../3f/e6/c25886a278502/page.htm" title="a1">a1</a></li>
<li><a href="../3f/e7/c25886a278503/page.htm" title="a2">a2</a></li>
<li><a href="../3f/e9/c25886a278505/page.htm" title="a3">a3</a></li>
</ul></li></ul></div>
<div id="wp_news_w6"><ul class="wp_subcolumn_list"><li class="wp_sublist">
<h3><a href="../25887/list.htm">B</a></h3><ul class="news_list">
<li><a href="../3f/e3/c25887a278499/page.htm" title="b1">b1</a></li>
<li><a href="../3f/e4/c25887a278500/page.htm" title="b2">b2</a></li>
</ul></li></ul></div>
<div id="wp_news_w21"><ul class="news_list">
<li><a href="../09/4c/c24258a461132/page.htm" title="side">side</a></li>
</ul></div>
</body></html>"#;

/// Before, only the largest sub-column list was taken (`a1`-`a3`).
#[test]
fn webplus_sub_column_lists_are_one_main_list() {
    let page = Url::parse("https://cs.fudan.edu.cn/24826/list.htm").expect("page URL");
    let d = discover(WEBPLUS_SUBCOLUMNS, &page, None, &Scope::of_urls([&page]));
    assert_eq!(d.cms, Cms::WebPlus);
    let ids: Vec<&str> = d
        .articles
        .iter()
        .filter_map(|u| u.path().split('/').nth(3))
        .collect();
    assert_eq!(
        ids,
        [
            "c25886a278502",
            "c25886a278503",
            "c25886a278505",
            "c25887a278499",
            "c25887a278500"
        ]
    );
}

fn cms_of(html: &str, page: &str) -> Discovery {
    let page = Url::parse(page).expect("page URL");
    discover(html, &page, None, &Scope::of_urls([&page]))
}

/// A VSB list without its pager text: told by its article links, of which it has more
/// than of a TRS shape.
const VSB_WITH_A_TRS_LINK: &str = r#"<html><body><ul>
<li><a href="/info/1078/1591.htm">a</a></li><li><a href="/info/1078/1564.htm">b</a></li>
</ul><div class="side"><a href="/xw/202405/t20240520_77.html">elsewhere</a></div></body></html>"#;

#[test]
fn more_vsb_than_trs_links_is_vsb() {
    let d = cms_of(VSB_WITH_A_TRS_LINK, "http://a.edu.cn/xyxw.htm");
    assert_eq!(d.cms, Cms::Vsb);
    assert_eq!(d.articles.len(), 2);
    let trs_side = Url::parse("http://a.edu.cn/xw/202405/t20240520_77.html").expect("url");
    assert!(d.other.contains(&(trs_side, Kind::Article)));
}

/// More TRS links than VSB ones (a TRS list linking one VSB page) is TRS.
#[test]
fn more_trs_than_vsb_links_is_trs() {
    let html = r#"<html><body><ul>
<li><a href="./202405/t20240520_1.html">a</a></li><li><a href="./202405/t20240519_2.html">b</a></li>
</ul><p><a href="/info/1078/1591.htm">c</a></p></body></html>"#;
    let d = cms_of(html, "http://a.edu.cn/xw/index.html");
    assert_eq!(d.cms, Cms::Trs);
    assert_eq!(d.articles.len(), 2);
}

/// Markup outranks link counts: a WebPlus page stays WebPlus with TRS links and a
/// `countPage` variable in a script, and VSB's `共N条` pager stays VSB.
#[test]
fn webplus_and_vsb_markup_outrank_trs_marks() {
    let webplus = r#"<html><body><div id="wp_news_w6"><ul class="wp_article_list">
<li><a href="/3f/e6/c25886a278502/page.htm">a</a></li></ul></div>
<p><a href="/xw/202405/t20240520_1.html">t1</a><a href="/xw/202405/t20240520_2.html">t2</a></p>
<script>var countPage = 3;</script></body></html>"#;
    assert_eq!(
        cms_of(webplus, "https://a.edu.cn/24826/main.htm").cms,
        Cms::WebPlus
    );
    // (`has_vsb_markup` reads the raw HTML: `共24条&nbsp;1/3` is not matched there.)
    for pager in [
        "<div>共24条 1/3 <a href=\"xyxw/2.htm\">下页</a></div>",
        "<script>_simple_list_gotopage_fun(3,'GOPAGE',2)</script>",
    ] {
        let vsb = format!(
            r#"<html><body><ul><li><a href="/xw/202405/t20240520_1.html">t1</a></li></ul>{pager}</body></html>"#
        );
        assert_eq!(
            cms_of(&vsb, "http://a.edu.cn/xyxw.htm").cms,
            Cms::Vsb,
            "{pager}"
        );
    }
}

/// The pager script alone tells TRS: articles of another shape come from the generic
/// rules, the pages from the script.
#[test]
fn trs_pager_script_without_trs_links() {
    let html = r#"<html><body><ul>
<li><a href="/xw/show.php?id=1">A fairly long headline number one</a></li>
<li><a href="/xw/show.php?id=2">A fairly long headline number two</a></li>
<li><a href="/xw/show.php?id=3">A fairly long headline number three</a></li>
</ul><script>createPageHTML(3, 0, "index", "html");</script></body></html>"#;
    let d = cms_of(html, "http://a.edu.cn/xw/index.html");
    assert_eq!(d.cms, Cms::Trs);
    assert_eq!(d.articles.len(), 3);
    assert_eq!(
        strs(&d.pages),
        [
            "http://a.edu.cn/xw/index_1.html",
            "http://a.edu.cn/xw/index_2.html"
        ]
    );
}

/// The profile's selectors still come first on a TRS page.
#[test]
fn profile_selectors_outrank_trs() {
    let html = r#"<html><body><ul class="list">
<li><a href="./202405/t20240520_1.html">a</a></li><li><a href="./202405/t20240519_2.html">b</a></li>
</ul><div id="top"><a href="./202405/t20240501_9.html">pinned</a></div>
<a class="more" href="more_2.html">more</a>
<script>createPageHTML(4, 0, "index", "html");</script></body></html>"#;
    let p = std::path::Path::new("test.toml");
    let rules = ListRules {
        article_links: vec![
            crate::selectors::compile_selector(p, "list.article_links", "#top").expect("selector"),
        ],
        next_page: vec![
            crate::selectors::compile_selector(p, "list.next_page", "a.more").expect("selector"),
        ],
        ..ListRules::default()
    };
    let page = Url::parse("http://a.edu.cn/xw/index.html").expect("page URL");
    let d = discover(html, &page, Some(&rules), &Scope::of_urls([&page]));
    assert_eq!(d.cms, Cms::Profile);
    assert_eq!(
        strs(&d.articles),
        ["http://a.edu.cn/xw/202405/t20240501_9.html"]
    );
    assert_eq!(
        d.next_page.as_ref().map(Url::as_str),
        Some("http://a.edu.cn/xw/more_2.html")
    );
}
