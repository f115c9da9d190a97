//! TRS WCM (拓尔思) list pages written here (no real page copied): the article shape, the
//! main list beside a sidebar, and pagination from each pager form. The expected URLs
//! follow from the markup by the TRS conventions (`index_k` is page k+1), not from the
//! code.

use super::{strs, url};
use uninews::frontier::discover::{Cms, Discovery, MAX_ENUMERATED_PAGES, discover};
use uninews::frontier::{Kind, Scope};

const HOST: &str = "https://news.example.edu.cn";

/// A column page of a TRS template: navigation, a "hot news" sidebar of other TRS
/// articles (two), the main list (five, one repeated), and `pager` below the list.
fn column_page(pager: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>学院新闻 - 示例大学新闻网</title>
<script type="text/javascript" src="../../images/page.js"></script></head>
<body>
<div class="top"><ul class="nav">
<li><a href="../../">首页</a></li><li><a href="../">新闻中心</a></li><li><a href="../../tzgg/">通知公告</a></li>
</ul></div>
<div class="main">
<div class="side"><h3>热点新闻</h3><ul class="hot">
<li><a href="../zhxw/202404/t20240411_3301.html" title="我校举办第十届青年教师教学竞赛">我校举办第十届青年教师教学竞赛</a></li>
<li><a href="../zhxw/202403/t20240328_3288.html" title="学校召开春季学期安全工作会议">学校召开春季学期安全工作会议</a></li>
</ul></div>
<div class="content">
<div class="crumb">当前位置：<a href="../../">首页</a> &gt; <a href="./">学院新闻</a></div>
<ul class="list">
<li><a href="./202405/t20240520_15263156.html" target="_blank" title="化学学院举行研究生学术论坛">化学学院举行研究生学术论坛</a><span>2024-05-20</span></li>
<li><a href="./202405/t20240517_15262001.html" target="_blank" title="外国语学院开展国际交流周活动">外国语学院开展国际交流周活动</a><span>2024-05-17</span></li>
<li><a href="../xwzx/202405/t20240515_15260877.html" target="_blank" title="机械学院与企业共建实践基地">机械学院与企业共建实践基地</a><span>2024-05-15</span></li>
<li><a href="/xwzx/202405/t20240509_15257342.html" target="_blank" title="文学院举办读书节开幕式">文学院举办读书节开幕式</a><span>2024-05-09</span></li>
<li><a href="./202404/t20240430_15250010.html" target="_blank" title="数学学院召开教学工作研讨会">数学学院召开教学工作研讨会</a><span>2024-04-30</span></li>
<li><a href="./202405/t20240520_15263156.html" target="_blank">化学学院举行研究生学术论坛</a><span>2024-05-20</span></li>
</ul>
<div class="page">{pager}</div>
</div></div>
<div class="foot">版权所有 示例大学党委宣传部</div>
</body></html>"#
    )
}

fn at(path: &str, pager: &str) -> Discovery {
    let page = url(&format!("{HOST}{path}"));
    discover(&column_page(pager), &page, None, &Scope::of_urls([&page]))
}

fn abs(path: &str) -> String {
    format!("{HOST}{path}")
}

fn next(d: &Discovery) -> Option<&str> {
    d.next_page.as_ref().map(|u| u.as_str())
}

/// `/xwzx/index_1.<ext>` ... `/xwzx/index_{last}.<ext>`.
fn numbered(last: u32, ext: &str) -> Vec<String> {
    (1..=last)
        .map(|k| abs(&format!("/xwzx/index_{k}.{ext}")))
        .collect()
}

const OLD_CALL: &str =
    r#"<script type="text/javascript">createPageHTML(12, 0, "index", "html");</script>"#;

#[test]
fn trs_first_page_main_list_and_every_page() {
    let d = at("/xwzx/index.html", OLD_CALL);
    assert_eq!(d.cms, Cms::Trs);
    assert_eq!(
        strs(&d.articles),
        [
            abs("/xwzx/202405/t20240520_15263156.html"),
            abs("/xwzx/202405/t20240517_15262001.html"),
            abs("/xwzx/202405/t20240515_15260877.html"),
            abs("/xwzx/202405/t20240509_15257342.html"),
            abs("/xwzx/202404/t20240430_15250010.html"),
        ]
    );
    let date = |s: &str| Some(s.parse::<jiff::civil::Date>().expect("date"));
    assert_eq!(
        d.article_dates,
        [
            date("2024-05-20"),
            date("2024-05-17"),
            date("2024-05-15"),
            date("2024-05-09"),
            date("2024-04-30")
        ]
    );
    // The sidebar's articles are not the main list, but still articles.
    for side in [
        "/zhxw/202404/t20240411_3301.html",
        "/zhxw/202403/t20240328_3288.html",
    ] {
        assert!(
            d.other.contains(&(url(&abs(side)), Kind::Article)),
            "{side}: {:?}",
            d.other
        );
    }
    assert_eq!(d.total_pages, Some(12));
    assert_eq!(next(&d), Some(abs("/xwzx/index_1.html").as_str()));
    // index_1 (page 2) ... index_11 (page 12); the page itself is not repeated.
    assert_eq!(strs(&d.pages), numbered(11, "html"));
}

#[test]
fn trs_later_page_names_next_and_first_only() {
    let d = at(
        "/xwzx/index_3.html",
        r#"<script>createPageHTML(12, 3, "index", "html");</script>"#,
    );
    assert_eq!(d.cms, Cms::Trs);
    assert_eq!(d.total_pages, Some(12));
    assert_eq!(next(&d), Some(abs("/xwzx/index_4.html").as_str()));
    assert_eq!(
        strs(&d.pages),
        [abs("/xwzx/index_4.html"), abs("/xwzx/index.html")],
        "page 4 does not enumerate the list: the first page does"
    );
    assert_eq!(d.articles.len(), 5);
}

#[test]
fn trs_last_page_has_no_next() {
    let d = at(
        "/xwzx/index_11.html",
        r#"<script>createPageHTML(12, 11, "index", "html");</script>"#,
    );
    assert_eq!(next(&d), None);
    assert_eq!(strs(&d.pages), [abs("/xwzx/index.html")]);
}

#[test]
fn trs_newer_call_form_with_a_target_div() {
    let pager = r#"<div id="page_div"></div>
<script>createPageHTML('page_div', 7, 0, 'index', 'shtml', 134);</script>"#;
    let d = at("/xwzx/index.shtml", pager);
    assert_eq!(d.cms, Cms::Trs);
    assert_eq!(d.total_pages, Some(7));
    assert_eq!(next(&d), Some(abs("/xwzx/index_1.shtml").as_str()));
    assert_eq!(strs(&d.pages), numbered(6, "shtml"));

    let later = at("/xwzx/index_2.shtml", &pager.replace("7, 0,", "7, 2,"));
    assert_eq!(next(&later), Some(abs("/xwzx/index_3.shtml").as_str()));
    assert_eq!(
        strs(&later.pages),
        [abs("/xwzx/index_3.shtml"), abs("/xwzx/index.shtml")]
    );
}

const VARS: &str = r#"<script language="JavaScript">
var countPage = 5//共多少页
var currentPage = 0//当前页
var prefix = "index"//文件名
var suffix = "html"//后缀
createPageHTML(countPage, currentPage, prefix, suffix);
</script>"#;

#[test]
fn trs_pager_variables() {
    let d = at("/xwzx/index.html", VARS);
    assert_eq!(d.cms, Cms::Trs);
    assert_eq!(d.total_pages, Some(5));
    assert_eq!(next(&d), Some(abs("/xwzx/index_1.html").as_str()));
    assert_eq!(strs(&d.pages), numbered(4, "html"));
}

/// Enumerated pages keep the extension of the page they were found on (a mirror that
/// saved the column as `.htm`), whatever the script's suffix.
#[test]
fn trs_enumeration_keeps_the_pages_own_extension() {
    let d = at("/xwzx/index.htm", VARS);
    assert_eq!(next(&d), Some(abs("/xwzx/index_1.htm").as_str()));
    assert_eq!(strs(&d.pages), numbered(4, "htm"));
}

/// The column's folder is its first page; with no file name to copy, the script's suffix
/// gives the extension.
#[test]
fn trs_bare_folder_is_the_first_page() {
    let d = at("/xwzx/", &VARS.replace(r#""html""#, r#""shtml""#));
    assert_eq!(d.cms, Cms::Trs);
    assert_eq!(d.total_pages, Some(5));
    assert_eq!(next(&d), Some(abs("/xwzx/index_1.shtml").as_str()));
    assert_eq!(strs(&d.pages), numbered(4, "shtml"));
    assert_eq!(d.articles.len(), 5);
}

#[test]
fn trs_without_pager_enumerates_nothing() {
    let d = at("/xwzx/index.html", "");
    assert_eq!(d.cms, Cms::Trs, "told by the article shape alone");
    assert_eq!(d.articles.len(), 5);
    assert_eq!(d.total_pages, None);
    assert_eq!(d.next_page, None);
    assert!(d.pages.is_empty(), "{:?}", d.pages);
}

/// A single-page column states one page: nothing to enumerate, no next.
#[test]
fn trs_single_page_column() {
    let d = at(
        "/xwzx/index.html",
        r#"<script>createPageHTML(1, 0, "index", "html");</script>"#,
    );
    assert_eq!(d.total_pages, Some(1));
    assert_eq!(d.next_page, None);
    assert!(d.pages.is_empty(), "{:?}", d.pages);
}

#[test]
fn trs_count_above_the_cap_is_capped() {
    let d = at(
        "/xwzx/index.html",
        r#"<script>createPageHTML(123456, 0, "index", "html");</script>"#,
    );
    assert_eq!(d.total_pages, Some(123456), "the stated count is reported");
    // The first page and index_1 ... index_{cap-1}: the cap counts pages, as for VSB.
    assert_eq!(d.pages.len() as u32, MAX_ENUMERATED_PAGES - 1);
    assert_eq!(
        d.pages.last().map(|u| u.as_str()),
        Some(abs(&format!("/xwzx/index_{}.html", MAX_ENUMERATED_PAGES - 1)).as_str())
    );
}

/// A pager of plain links (no script): `下一页` is the next page, `尾页` gives the count.
#[test]
fn trs_plain_pager_links() {
    let pager = r#"<a href="index.html">首页</a> <a href="index_1.html">下一页</a> <a href="index_8.html">尾页</a>"#;
    let d = at("/xwzx/index.html", pager);
    assert_eq!(d.cms, Cms::Trs);
    assert_eq!(d.total_pages, Some(9));
    assert_eq!(next(&d), Some(abs("/xwzx/index_1.html").as_str()));
    let mut pages = strs(&d.pages);
    pages.sort_unstable();
    assert_eq!(pages, numbered(8, "html"));

    let later = at(
        "/xwzx/index_4.html",
        r#"<a href="index.html">首页</a> <a href="index_3.html">上一页</a> <a href="index_5.html">下一页&gt;</a> <a href="index_8.html">[尾页]</a>"#,
    );
    assert_eq!(later.total_pages, Some(9), "[尾页] is index_8");
    assert_eq!(next(&later), Some(abs("/xwzx/index_5.html").as_str()));
    let mut pages = strs(&later.pages);
    pages.sort_unstable();
    assert_eq!(
        pages,
        [
            abs("/xwzx/index.html"),
            abs("/xwzx/index_3.html"),
            abs("/xwzx/index_5.html"),
            abs("/xwzx/index_8.html")
        ]
    );
}
