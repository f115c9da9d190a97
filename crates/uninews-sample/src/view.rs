//! What a template needs to render a page: the page's own path, navigation, charset
//! declaration, the article with its neighbours, or a list page with its paging links.

use super::content::Article;
use jiff::civil::Date;

/// Page-wide facts.
#[derive(Debug, Clone)]
pub(crate) struct PageCtx {
    /// The page's own path (relative links are computed from it).
    pub path: String,
    /// `(name, list path)` of every section, for the navigation bar.
    pub nav: Vec<(String, String)>,
    /// The section's name and newest list page.
    pub section_name: String,
    pub section_path: String,
    /// `<meta>` charset label, or `None` for no charset `<meta>`.
    pub charset: Option<&'static str>,
}

/// A link to another article.
#[derive(Debug, Clone)]
pub(crate) struct Neighbor {
    pub path: String,
    pub title: String,
}

/// An article page.
#[derive(Debug, Clone)]
pub(crate) struct ArticleView {
    pub article: Article,
    /// The article id printed in counters (`_showDynClicks`, `articleId=`).
    pub id: u64,
    /// The newer neighbour (上一条) and the older one (下一条).
    pub newer: Option<Neighbor>,
    pub older: Option<Neighbor>,
}

/// One entry of a list page.
#[derive(Debug, Clone)]
pub(crate) struct ListItem {
    pub path: String,
    pub title: String,
    pub date: Date,
}

/// A list page and its paging links (absolute paths; `None` where the page has no such link).
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    pub items: Vec<ListItem>,
    /// Pinned entries above the list (the `/private/` pages).
    pub pinned: Vec<ListItem>,
    pub total: u64,
    pub per_page: u32,
    /// 1-based position counted from the newest page.
    pub page: u64,
    pub pages: u64,
    pub first: Option<String>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub last: Option<String>,
    /// `(page number, path)` of the numbered links shown.
    pub numbered: Vec<(u64, String)>,
}

/// `to` relative to the page at `from` (both absolute paths), as static VSB sites write
/// their links: `info/1078/1564.htm`, `../xyxw.htm`, `28.htm`.
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let (to_dirs, file) = match to_parts.split_last() {
        Some((f, d)) if !to.ends_with('/') => (d, *f),
        _ => (&to_parts[..], ""),
    };
    let common = from_dirs
        .iter()
        .zip(to_dirs.iter())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    for d in &to_dirs[common..] {
        out.push_str(d);
        out.push('/');
    }
    out.push_str(file);
    if out.is_empty() {
        "./".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn relative_links_resolve_back() {
        assert_eq!(
            relative("/xyxw.htm", "/info/1078/1564.htm"),
            "info/1078/1564.htm"
        );
        assert_eq!(
            relative("/xyxw/7.htm", "/info/1078/1564.htm"),
            "../info/1078/1564.htm"
        );
        assert_eq!(relative("/xyxw/7.htm", "/xyxw/6.htm"), "6.htm");
        assert_eq!(relative("/xyxw/7.htm", "/xyxw.htm"), "../xyxw.htm");
        assert_eq!(
            relative("/info/1078/1564.htm", "/info/1078/1567.htm"),
            "1567.htm"
        );
        assert_eq!(relative("/info/1078/1564.htm", "/"), "../../");
        assert_eq!(relative("/", "/"), "./");
        for (from, to) in [
            ("/info/1078/1564.htm", "/xyxw.htm"),
            ("/a/b/c.htm", "/a/d/e.htm"),
        ] {
            let base = url::Url::parse("http://h").unwrap().join(from).unwrap();
            assert_eq!(base.join(&relative(from, to)).unwrap().path(), to);
        }
    }
}
