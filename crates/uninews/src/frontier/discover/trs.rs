//! TRS WCM (拓尔思): the article URL shape and list pagination.
//!
//! - Articles: a file `t<yyyymmdd>_<id>.html` (`.htm`, `.shtml`), usually in a `yyyymm`
//!   folder beside the list: `./202405/t20240520_15263156.html`.
//! - A column's list starts at `<dir>/index.html` (or the bare folder `<dir>/`) and goes
//!   on with `index_1.html` ... `index_{N-1}.html` in the same folder: page k+1 is
//!   `index_k`.
//! - The pager is written by script: `createPageHTML(N, cur, "index", "html")`, in newer
//!   templates `createPageHTML('page_div', N, cur, 'index', 'html', rows)`, or variables
//!   `var countPage = N; var currentPage = cur; var prefix = "index"; var suffix =
//!   "html";`, `cur` counting from 0. Some templates add plain `下一页`/`尾页` links.
//!
//! Every page is enumerated from the count on the list's first page only (as for VSB and
//! WebPlus), with the first page's own extension (the script's suffix for a bare folder).

use super::Pagination;
use super::cms::capped;
use super::generic::is_next_link;
use super::links::Link;
use regex::Regex;
use std::sync::LazyLock;
use url::Url;

fn re(s: &str) -> Regex {
    Regex::new(s).expect("static TRS regex")
}

static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"/t(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])_\d+\.(?:html?|shtml)$")
});
/// The name and extension arguments the two call forms share (both optional).
const NAME_EXT: &str = r#"(?:\s*,\s*["']([\w.-]+)["']\s*,\s*["']\.?(\w+)["'])?"#;
static CALL: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+){NAME_EXT}")));
static CALL_DIV: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r#"createPageHTML\(\s*["'][^"']*["']\s*,\s*(\d+)\s*,\s*(\d+){NAME_EXT}"#
    ))
});
/// The name and extension of a call whose count and position are variables.
static CALL_NAME_EXT: LazyLock<Regex> =
    LazyLock::new(|| re(r#"createPageHTML\([^)]*?["']([\w.-]+)["']\s*,\s*["']\.?(\w+)["']"#));
static COUNT_VAR: LazyLock<Regex> = LazyLock::new(|| re(r"\bcountPage\s*=\s*(\d+)"));
static CURRENT_VAR: LazyLock<Regex> = LazyLock::new(|| re(r"\bcurrentPage\s*=\s*(\d+)"));
static PREFIX_VAR: LazyLock<Regex> = LazyLock::new(|| re(r#"\bprefix\s*=\s*["']([\w.-]+)["']"#));
static SUFFIX_VAR: LazyLock<Regex> = LazyLock::new(|| re(r#"\bsuffix\s*=\s*["']\.?(\w+)["']"#));

/// How far around `countPage = N` the other pager variables are looked for (bytes).
const VAR_WINDOW: (usize, usize) = (400, 600);
/// Texts of the pager's last link (the next link is told as by the generic rules).
const LAST_TEXTS: &[&str] = &["尾页", "末页", "最后一页"];

/// True for a TRS WCM article URL (`.../t20240520_15263156.html`).
pub fn is_trs_article(url: &Url) -> bool {
    ARTICLE.is_match(url.path())
}

/// Does the page carry the TRS pager script (`createPageHTML`, `countPage = N`)?
pub fn has_trs_markup(html: &str) -> bool {
    html.contains("createPageHTML") || COUNT_VAR.is_match(html)
}

/// What the pager script states.
#[derive(Debug, PartialEq, Eq)]
struct Pager {
    count: u32,
    current: Option<u32>,
    prefix: Option<String>,
    suffix: Option<String>,
}

fn pager(html: &str) -> Option<Pager> {
    let num = |m: Option<regex::Match<'_>>| m.and_then(|m| m.as_str().parse::<u32>().ok());
    let text = |m: Option<regex::Match<'_>>| m.map(|m| m.as_str().to_string());
    if let Some(c) = CALL.captures(html).or_else(|| CALL_DIV.captures(html)) {
        return Some(Pager {
            count: num(c.get(1))?,
            current: num(c.get(2)),
            prefix: text(c.get(3)),
            suffix: text(c.get(4)),
        });
    }
    let c = COUNT_VAR.captures(html)?;
    let at = c.get(0)?.start();
    let mut from = at.saturating_sub(VAR_WINDOW.0);
    while !html.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at + VAR_WINDOW.1).min(html.len());
    while !html.is_char_boundary(to) {
        to -= 1;
    }
    let near = &html[from..to];
    let call = CALL_NAME_EXT.captures(html);
    Some(Pager {
        count: num(c.get(1))?,
        current: num(CURRENT_VAR.captures(near).and_then(|c| c.get(1))),
        prefix: text(PREFIX_VAR.captures(near).and_then(|c| c.get(1)))
            .or_else(|| text(call.as_ref().and_then(|c| c.get(1)))),
        suffix: text(SUFFIX_VAR.captures(near).and_then(|c| c.get(1)))
            .or_else(|| text(call.as_ref().and_then(|c| c.get(2)))),
    })
}

/// TRS pagination of the list page `page`: the next page, the pager's links, and (on
/// the list's first page) `index_1` ... `index_{N-1}` enumerated from the page count.
pub fn trs_pagination(html: &str, page: &Url, links: &[Link<'_>]) -> Pagination {
    let mut out = Pagination::default();
    let stated = pager(html);
    let prefix = stated
        .as_ref()
        .and_then(|p| p.prefix.clone())
        .unwrap_or_else(|| "index".to_string());
    let path = page.path();
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    let name = &path[dir.len()..];
    let Ok(sibling) = Regex::new(&format!(
        r"^{}(?:_(\d+))?\.(html?|shtml)$",
        regex::escape(&prefix)
    )) else {
        return out;
    };
    // Where this page is in the list: `index_k` is page k (from 0), `index`/the folder 0.
    let own = sibling.captures(name);
    let position: Option<u32> = match &own {
        Some(c) => c.get(1).map_or(Some(0), |k| k.as_str().parse().ok()),
        None if name.is_empty() => Some(0),
        None => None,
    };
    let ext = own
        .as_ref()
        .map(|c| c[2].to_string())
        .or_else(|| stated.as_ref().and_then(|p| p.suffix.clone()))
        .unwrap_or_else(|| "html".to_string());

    let mut last: Option<u32> = None;
    for link in links {
        if link.url.host_str() != page.host_str() {
            continue;
        }
        let lpath = link.url.path();
        let Some(lname) = lpath.strip_prefix(dir).filter(|n| !n.contains('/')) else {
            continue;
        };
        // The pager's files only: a link to the bare folder is the crumb's, not the pager's.
        let Some(c) = sibling.captures(lname) else {
            continue;
        };
        let k = c.get(1).map_or(Some(0), |k| k.as_str().parse::<u32>().ok());
        if out.next.is_none() && is_next_link(link) {
            out.next = Some(link.url.clone());
        }
        let text = link
            .text
            .trim_matches(|c: char| c.is_whitespace() || "[]<>«»".contains(c));
        if LAST_TEXTS.contains(&text) {
            last = last.max(k);
        }
        out.pages.push(link.url.clone());
    }

    let count = stated
        .as_ref()
        .map(|p| p.count)
        .or(last.map(|k| k.saturating_add(1)))
        .filter(|n| *n >= 1);
    out.total_pages = count;
    let Some(position) = position else {
        return out;
    };
    let current = stated.as_ref().and_then(|p| p.current).unwrap_or(position);
    let at = |k: u32| {
        let mut u = page.clone();
        let file = if k == 0 {
            format!("{prefix}.{ext}")
        } else {
            format!("{prefix}_{k}.{ext}")
        };
        u.set_path(&format!("{dir}{file}"));
        u.set_query(None);
        u.set_fragment(None);
        u
    };
    let Some(count) = count else {
        return out;
    };
    if out.next.is_none() && current.saturating_add(1) < count {
        out.next = Some(at(current + 1));
    }
    // Enumerate from the list's first page only: every page states the count, and
    // enumerating from each would cost the crawl N² URLs on an N-page list.
    if position == 0 && current == 0 {
        for k in 1..capped(count, page) {
            out.pages.push(at(k));
        }
    } else if position > 0 {
        // A later page names the first, which enumerates the rest.
        out.pages.push(at(0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).expect("url")
    }

    #[test]
    fn article_shape() {
        for ok in [
            "http://a.cn/xwzx/202405/t20240520_15263156.html",
            "http://a.cn/202405/t20240520_1.htm",
            "http://a.cn/n1/t20240520_15263156.shtml",
            "http://a.cn/t19991231_7.html",
        ] {
            assert!(is_trs_article(&u(ok)), "{ok}");
        }
        for no in [
            "http://a.cn/xwzx/202405/t2024052_15263156.html",
            "http://a.cn/xwzx/202405/t20241320_15263156.html",
            "http://a.cn/xwzx/202405/t20240520.html",
            "http://a.cn/xwzx/202405/at20240520_1.html",
            "http://a.cn/xwzx/202405/t20240520_1.jpg",
            "http://a.cn/xwzx/index_1.html",
        ] {
            assert!(!is_trs_article(&u(no)), "{no}");
        }
    }

    #[test]
    fn pager_forms() {
        let want = |count, current, prefix: &str, suffix: &str| Pager {
            count,
            current: Some(current),
            prefix: Some(prefix.into()),
            suffix: Some(suffix.into()),
        };
        assert_eq!(
            pager(r#"<script>createPageHTML(12, 0, "index", "html");</script>"#),
            Some(want(12, 0, "index", "html"))
        );
        assert_eq!(
            pager("<script>createPageHTML('page_div',7, 3,'index','shtml',140);</script>"),
            Some(want(7, 3, "index", "shtml"))
        );
        assert_eq!(
            pager(
                "<script>var countPage = 12//共多少页\nvar currentPage = 0;//当前页\n\
                 var prefix = \"index\";//文件名\nvar suffix = \"htm\";</script>"
            ),
            Some(want(12, 0, "index", "htm"))
        );
        // The function's own definition states nothing; a call with variables gives the
        // name and extension, the variables the rest.
        let defined = "function createPageHTML(_nPageCount, _nCurrIndex, _sPageName) {}\n\
                       var countPage = 4; var currentPage = 1;\n\
                       createPageHTML(countPage, currentPage, \"list\", \"shtml\");";
        assert_eq!(pager(defined), Some(want(4, 1, "list", "shtml")));
        assert_eq!(pager("<p>if (countPage == 1) {}</p>"), None);
        // A count of a number too large for u32 is no count.
        assert_eq!(
            pager("createPageHTML(99999999999, 0, 'index', 'html')"),
            None
        );
        assert!(!has_trs_markup("<p>if (countPage == 1) {}</p>"));
    }

    /// Numbers at the edge of u32 in the script do not overflow (a hostile page).
    #[test]
    fn huge_positions_do_not_overflow() {
        let page = u("http://a.cn/xw/index_4294967295.html");
        let p = trs_pagination(
            "createPageHTML(4294967295, 4294967295, 'index', 'html')",
            &page,
            &[],
        );
        assert_eq!(p.total_pages, Some(u32::MAX));
        assert_eq!(p.next, None);
        assert_eq!(p.pages, [u("http://a.cn/xw/index.html")]);
    }
}
