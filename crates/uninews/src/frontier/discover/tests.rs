//! Discovery on small pages written here: Teleport mirrors read at their live URL and
//! served elsewhere, and WebPlus column pages with one list per sub-column.

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
