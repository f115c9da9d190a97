//! VSB and WebPlus, two of the CMSs recognised without a profile (TRS WCM is in the `trs`
//! module): URL shapes and pagination.
//!
//! - VSB/博达 Visual SiteBuilder: articles `/info/<col>/<id>.htm`; a list `xyxw.htm`
//!   continues with `xyxw/<N-1>.htm` down to `xyxw/1.htm` (the last page) for N pages;
//!   the pager shows `共M条 1/N` (or `共M条 ... /N页`) and `下页`/`尾页` links.
//! - WebPlus/SudyTech: articles `/<yy>/<mmdd>/c<col>a<id>/page.htm`; lists
//!   `/<col>/list.htm`, `list2.htm`, ... `listN.htm`; pager `.wp_paging` with `a.next`,
//!   `a.last` and `em.all_pages`; the main list sits in `#wp_news_wK` next to
//!   `#wp_paging_wK`; a column page without a pager may show one list per sub-column
//!   (`ul.wp_subcolumn_list`), each in an element of the same `#wp_news_wK` window.
//!
//! Mirrors may spell `.htm` as `.html`: every shape accepts both, and enumerated pages
//! keep the extension of the pager links (VSB: of the page they were found on).

use super::Pagination;
use super::links::{Link, collapse};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;
use url::Url;

/// Enumerated pagination stops here (a list of 5,000 pages is ~100,000 articles); the
/// rest is still reached through next-page links.
pub const MAX_ENUMERATED_PAGES: u32 = 5_000;

fn re(s: &str) -> Regex {
    Regex::new(s).expect("static discovery regex")
}
fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static discovery selector")
}

static VSB_ARTICLE: LazyLock<Regex> = LazyLock::new(|| re(r"/info/\d+/\d+\.html?$"));
static WP_ARTICLE: LazyLock<Regex> = LazyLock::new(|| re(r"/c\d+a\d+/page\.(?:htm|html|psp)$"));
static WP_LIST: LazyLock<Regex> = LazyLock::new(|| re(r"^(.*/)list(\d*)\.(htm|html|psp)$"));
static VSB_PAGE: LazyLock<Regex> = LazyLock::new(|| re(r"^(.+?)(?:/(\d+))?\.(html?)$"));
static VSB_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"共[\s\u{a0}]*\d+[\s\u{a0}]*条[\s\u{a0}]*\d+[\s\u{a0}]*/[\s\u{a0}]*(\d+)")
});
static VSB_TOTAL_YE: LazyLock<Regex> = LazyLock::new(|| re(r"/[\s\u{a0}]*(\d+)[\s\u{a0}]*页"));
static VSB_GOTO: LazyLock<Regex> = LazyLock::new(|| re(r"_simple_list_gotopage_fun\(\s*(\d+)\s*,"));
static WP_MARKUP: LazyLock<Selector> =
    LazyLock::new(|| sel(r#"[id^="wp_news_w"], .wp_paging, ul.wp_article_list"#));
static WP_PAGING: LazyLock<Selector> = LazyLock::new(|| sel(r#"[id^="wp_paging_w"], .wp_paging"#));
static WP_NEXT: LazyLock<Selector> = LazyLock::new(|| sel("a.next"));
static WP_LAST: LazyLock<Selector> = LazyLock::new(|| sel("a.last"));
static WP_ALL_PAGES: LazyLock<Selector> = LazyLock::new(|| sel("em.all_pages"));
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));

/// True for a VSB article URL.
pub fn is_vsb_article(url: &Url) -> bool {
    VSB_ARTICLE.is_match(url.path())
}

/// True for a WebPlus article URL.
pub fn is_webplus_article(url: &Url) -> bool {
    WP_ARTICLE.is_match(url.path())
}

/// True for a WebPlus list URL (`.../list.htm`, `.../list7.htm`).
pub fn is_webplus_list(url: &Url) -> bool {
    WP_LIST.is_match(url.path())
}

/// WebPlus serves page 1 as both `list.htm` and `list1.htm`: use `list.htm`.
pub fn canonical_webplus(url: Url) -> Url {
    let path = url.path().to_string();
    match WP_LIST.captures(&path) {
        Some(c) if &c[2] == "1" => {
            let mut u = url.clone();
            u.set_path(&format!("{}list.{}", &c[1], &c[3]));
            u
        }
        _ => url,
    }
}

/// Does the markup look like WebPlus (`#wp_news_w*`, `.wp_paging`, `ul.wp_article_list`)?
pub fn has_webplus_markup(doc: &Html) -> bool {
    doc.select(&WP_MARKUP).next().is_some()
}

/// Does the page carry the VSB pager (`共N条`, `_simple_list_gotopage_fun`)?
pub fn has_vsb_markup(html: &str) -> bool {
    html.contains("_simple_list_gotopage_fun") || VSB_TOTAL.is_match(html)
}

/// Every element with the id `id` (a WebPlus window `wp_news_wK`). A window that shows
/// several sub-column lists (`ul.wp_subcolumn_list`) repeats its id on each of them.
fn window(doc: &Html, id: &str) -> Vec<ego_tree::NodeId> {
    Selector::parse(&format!(r#"[id="{id}"]"#))
        .map(|sel| doc.select(&sel).map(|e| e.id()).collect())
        .unwrap_or_default()
}

/// The `#wp_news_wK` window paired with the page's `#wp_paging_wK` pager (all its
/// elements; none without a pager).
pub fn webplus_main_list(doc: &Html) -> Vec<ego_tree::NodeId> {
    doc.select(&WP_PAGING)
        .find_map(|e| e.value().id().and_then(|id| id.strip_prefix("wp_paging_w")))
        .map(|k| window(doc, &format!("wp_news_w{k}")))
        .unwrap_or_default()
}

/// The `#wp_news_wK` window that `el` lies in (all its elements), if any.
pub fn webplus_window_of(doc: &Html, el: &ElementRef<'_>) -> Vec<ego_tree::NodeId> {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .find_map(|a| a.value().id().filter(|id| id.starts_with("wp_news_w")))
        .map(|id| window(doc, id))
        .unwrap_or_default()
}

fn body_text(doc: &Html) -> String {
    doc.select(&BODY)
        .next()
        .map(|b| collapse(b.text()))
        .unwrap_or_default()
}

/// VSB pagination of the list page `page`: the next page (`下页`), the pager's links and
/// every page enumerated from the page count.
pub fn vsb_pagination(doc: &Html, html: &str, page: &Url, links: &[Link<'_>]) -> Pagination {
    let mut out = Pagination::default();
    let Some(c) = VSB_PAGE.captures(page.path()) else {
        return out;
    };
    let (stem, ext) = (c[1].to_string(), c[3].to_string());
    let Ok(numbered) = Regex::new(&format!(r"^{}/(\d+)\.html?$", regex::escape(&stem))) else {
        return out;
    };
    let first = format!("{stem}.{ext}");
    let mut max_link = 0u32;
    for link in links {
        if link.url.host_str() != page.host_str() {
            continue;
        }
        let path = link.url.path();
        let n = numbered
            .captures(path)
            .and_then(|c| c[1].parse::<u32>().ok());
        if n.is_none() && path != first && !path.starts_with(&format!("{stem}.")) {
            continue;
        }
        if let Some(n) = n {
            max_link = max_link.max(n);
        }
        if matches!(link.text.as_str(), "下页" | "下一页") && out.next.is_none() {
            out.next = Some(link.url.clone());
        }
        out.pages.push(link.url.clone());
    }
    let text = body_text(doc);
    let total = VSB_TOTAL
        .captures(&text)
        .or_else(|| VSB_TOTAL_YE.captures(&text))
        .or_else(|| VSB_GOTO.captures(html))
        .and_then(|c| c[1].parse::<u32>().ok())
        .or((max_link > 0).then(|| max_link + 1));
    out.total_pages = total;
    // Enumerate from the list's first page only: every page states the count, and
    // enumerating from each would cost the crawl N² URLs on an N-page list.
    let head = c.get(2).is_none();
    if let Some(total) = total.filter(|t| *t >= 2 && head) {
        let n = capped(total, page);
        let mut first_url = page.clone();
        first_url.set_path(&first);
        first_url.set_query(None);
        out.pages.push(first_url);
        for k in (1..n).rev() {
            let mut u = page.clone();
            u.set_path(&format!("{stem}/{k}.{ext}"));
            u.set_query(None);
            out.pages.push(u);
        }
    }
    out
}

/// WebPlus pagination: `a.next`, the pager's links, and (on a list's first page)
/// `list.htm` ... `listN.htm` enumerated from `a.last` / `em.all_pages`, in the folder
/// (and with the extension) the pager's next/last links use, else the page's own.
pub fn webplus_pagination(doc: &Html, page: &Url, links: &[Link<'_>]) -> Pagination {
    let mut out = Pagination::default();
    let pager = doc.select(&WP_PAGING).next();
    // The first link of each element, looked up by id (not a scan of `links` per element).
    let mut by_id: std::collections::HashMap<ego_tree::NodeId, &Url> = Default::default();
    for l in links {
        by_id.entry(l.el.id()).or_insert(&l.url);
    }
    let link_of = |el: scraper::ElementRef<'_>| by_id.get(&el.id()).map(|u| (*u).clone());
    let scope = pager.unwrap_or_else(|| doc.root_element());
    out.next = scope
        .select(&WP_NEXT)
        .find_map(link_of)
        .map(canonical_webplus);
    let last = scope.select(&WP_LAST).find_map(link_of);
    if let Some(p) = pager {
        for link in links.iter().filter(|l| super::links::within(&l.el, p.id())) {
            out.pages.push(canonical_webplus(link.url.clone()));
        }
    }
    let from_last = last.as_ref().and_then(|u| {
        WP_LIST
            .captures(u.path())
            .and_then(|c| c[2].parse::<u32>().ok())
    });
    let from_em = doc
        .select(&WP_ALL_PAGES)
        .next()
        .and_then(|e| collapse(e.text()).parse::<u32>().ok());
    out.total_pages = from_em.or(from_last);
    // The folder and host the pager links use (an alias of the page's own, at times).
    let model = out
        .next
        .clone()
        .or(last)
        .filter(is_webplus_list)
        .unwrap_or_else(|| page.clone());
    let (dir, ext) = match WP_LIST.captures(model.path()) {
        Some(c) => (c[1].to_string(), c[3].to_string()),
        None => return out,
    };
    // Enumerate from the list's first page only (`list.htm`), as for VSB.
    let head = WP_LIST
        .captures(page.path())
        .is_none_or(|c| matches!(&c[2], "" | "1"));
    if let Some(total) = out.total_pages.filter(|t| *t >= 2 && head) {
        let n = capped(total, page);
        for k in 1..=n {
            let mut u = model.clone();
            let name = if k == 1 {
                "list".to_string()
            } else {
                format!("list{k}")
            };
            u.set_path(&format!("{dir}{name}.{ext}"));
            u.set_query(None);
            out.pages.push(u);
        }
    }
    out
}

/// `total`, at most [`MAX_ENUMERATED_PAGES`] (with a warning when it is more).
pub(super) fn capped(total: u32, page: &Url) -> u32 {
    if total > MAX_ENUMERATED_PAGES {
        tracing::warn!(
            %page,
            total,
            cap = MAX_ENUMERATED_PAGES,
            "list claims more pages than discovery enumerates; the rest is reached by next-page links"
        );
        MAX_ENUMERATED_PAGES
    } else {
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn shapes() {
        assert!(is_vsb_article(&u("http://a.cn/info/1078/1591.htm")));
        assert!(is_vsb_article(&u("http://a.cn/sub/info/1078/1591.html")));
        assert!(!is_vsb_article(&u("http://a.cn/info/1078/1591-1.htm")));
        assert!(is_webplus_article(&u(
            "https://a.cn/09/4c/c24258a461132/page.htm"
        )));
        assert!(is_webplus_article(&u(
            "https://a.cn/2020/0416/c9364a240123/page.html"
        )));
        assert!(!is_webplus_article(&u("https://a.cn/24258/list.htm")));
        assert!(is_webplus_list(&u("https://a.cn/24258/list.htm")));
        assert!(is_webplus_list(&u("https://a.cn/wlyxqk/list12.html")));
        assert_eq!(
            canonical_webplus(u("https://a.cn/24258/list1.htm")).as_str(),
            "https://a.cn/24258/list.htm"
        );
        assert_eq!(
            canonical_webplus(u("https://a.cn/24258/list10.htm")).as_str(),
            "https://a.cn/24258/list10.htm"
        );
    }
}
