//! The articles a saved site mirror lists, computed from its files on disk with plain
//! regexes, independently of the crawler's discovery code (the crawl tests compare the
//! crawler's findings with this).
//!
//! - Start at the section list pages: VSB, the `.htm` pages outside `info/` and `system/`
//!   that show a `共N条` pager and are not numbered pages themselves; WebPlus, every
//!   `<column>/list.html`.
//! - Follow the links that stay in the section's pagination (`S.htm`, `S/N.htm`;
//!   `D/list.html`, `D/listN.html`) to files that exist.
//! - A link is an article link when its live URL (the Teleport `tppabs` original, else the
//!   link itself) has the CMS's article shape and its `href` names a file the mirror holds.
//! - Site chrome (header, footer, side boxes) is on every section page: a page *lists* an
//!   article when it links to it more often than the section page that links to it least.
//!
//! Paths are `/relative/path` on the mirror's own host (hrefs resolved, not decoded: the
//! mirrors' file names are ASCII).
#![allow(dead_code)]

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;
use url::Url;

/// The CMS a mirror was made with: its URL shapes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cms {
    Vsb,
    WebPlus,
}

pub fn re(s: &str) -> Regex {
    Regex::new(s).expect("test regex")
}

static ANCHOR: LazyLock<Regex> = LazyLock::new(|| re(r"(?is)<a\s[^>]*>"));
static HREF: LazyLock<Regex> = LazyLock::new(|| re(r#"(?is)\shref\s*=\s*(?:"([^"]*)"|'([^']*)')"#));
static TPPABS: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?is)\stppabs\s*=\s*(?:"([^"]*)"|'([^']*)')"#));
static VSB_ARTICLE: LazyLock<Regex> = LazyLock::new(|| re(r"^/info/\d+/\d+\.htm$"));
static WP_ARTICLE: LazyLock<Regex> = LazyLock::new(|| re(r"/c\d+a\d+/page\.html?$"));
static VSB_PAGER: LazyLock<Regex> = LazyLock::new(|| re(r"共\s*\d+\s*条"));
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| re(r"/\d+\.htm$"));
static TELEPORT_RENAMED: LazyLock<Regex> = LazyLock::new(|| re(r"-\d+\.htm$"));

impl Cms {
    /// Does the live path have the article shape?
    pub fn is_article(self, live_path: &str) -> bool {
        match self {
            Cms::Vsb => VSB_ARTICLE.is_match(live_path),
            Cms::WebPlus => WP_ARTICLE.is_match(live_path),
        }
    }

    /// Is the mirror file at `path` an article page? Its own path has the article shape,
    /// once a Teleport rename (`1591-1.htm` for `1591.htm`) is undone.
    pub fn is_article_file(self, path: &str) -> bool {
        self.is_article(&TELEPORT_RENAMED.replace(path, ".htm"))
    }

    /// The section list pages: where the crawl starts.
    pub fn start_pages(self, root: &Path) -> Vec<String> {
        let mut out: Vec<String> = files_under(root)
            .into_iter()
            .filter(|p| match self {
                Cms::Vsb => {
                    p.ends_with(".htm")
                        && !p.starts_with("/info/")
                        && !p.starts_with("/system/")
                        && !NUMBERED.is_match(p)
                        && read_text(root, p).is_some_and(|t| VSB_PAGER.is_match(&t))
                }
                Cms::WebPlus => p.matches('/').count() == 2 && p.ends_with("/list.html"),
            })
            .collect();
        out.sort();
        out
    }

    /// A regex for the pagination pages of the section that starts at `start`.
    fn pagination_of(self, start: &str) -> Regex {
        match self {
            Cms::Vsb => {
                let stem = regex::escape(start.trim_end_matches(".htm"));
                re(&format!(r"^{stem}(?:/\d+)?\.htm$"))
            }
            Cms::WebPlus => {
                let dir = regex::escape(start.trim_end_matches("list.html"));
                re(&format!(r"^{dir}list\d*\.html$"))
            }
        }
    }
}

/// Every file under `root`, as `/relative/path`.
pub fn files_under(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read mirror folder") {
            let path = entry.expect("mirror entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(format!("/{}", rel.to_string_lossy().replace('\\', "/")));
            }
        }
    }
    out
}

fn read_text(root: &Path, path: &str) -> Option<String> {
    let bytes = std::fs::read(root.join(path.trim_start_matches('/'))).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn exists(root: &Path, path: &str) -> bool {
    root.join(path.trim_start_matches('/')).is_file()
}

fn attr(re: &Regex, tag: &str) -> Option<String> {
    let c = re.captures(tag)?;
    Some(c.get(1).or(c.get(2))?.as_str().replace("&amp;", "&"))
}

/// The links of the mirror page `page`: (path the `href` resolves to on the mirror's own
/// host, path of the live URL: the `tppabs` original's if any, else the same).
pub fn links(root: &Path, page: &str) -> Vec<(String, String)> {
    let here = Url::parse("http://mirror.invalid")
        .and_then(|b| b.join(page))
        .expect("page URL");
    let html = read_text(root, page).unwrap_or_default();
    ANCHOR
        .find_iter(&html)
        .filter_map(|a| {
            let target = here.join(attr(&HREF, a.as_str())?.trim()).ok()?;
            if target.host_str() != Some("mirror.invalid") {
                return None;
            }
            let served = target.path().to_string();
            let live = attr(&TPPABS, a.as_str())
                .and_then(|t| Url::parse(t.trim()).ok())
                .map_or_else(|| served.clone(), |u| u.path().to_string());
            Some((served, live))
        })
        .collect()
}

/// The expected articles (served path -> the list page that first lists it), and the
/// article pages linked from list pages only by the site chrome.
pub fn expected_articles(
    root: &Path,
    cms: Cms,
    starts: &[String],
) -> (BTreeMap<String, String>, BTreeSet<String>) {
    // Every list page (the section pages and their pagination), with its article links:
    // served path -> how many links lead there.
    let mut lists: Vec<(String, BTreeMap<String, usize>)> = Vec::new();
    let mut seen = BTreeSet::new();
    for start in starts {
        let pagination = cms.pagination_of(start);
        let mut queue = vec![start.clone()];
        while let Some(page) = queue.pop() {
            if !seen.insert(page.clone()) {
                continue;
            }
            let mut articles = BTreeMap::new();
            for (served, live) in links(root, &page) {
                if !exists(root, &served) {
                    continue;
                }
                if cms.is_article(&live) {
                    *articles.entry(served).or_default() += 1;
                } else if pagination.is_match(&served) {
                    queue.push(served);
                }
            }
            lists.push((page, articles));
        }
    }
    // Site chrome (header, footer, side boxes) is on every section page: an article is
    // listed on a page when the page links it more often than the chrome does.
    let on_starts: Vec<&BTreeMap<String, usize>> = lists
        .iter()
        .filter(|(page, _)| starts.contains(page))
        .map(|(_, a)| a)
        .collect();
    let chrome = |p: &str| {
        on_starts
            .iter()
            .map(|a| a.get(p).copied().unwrap_or(0))
            .min()
    };
    let (mut found, mut chrome_only) = (BTreeMap::new(), BTreeSet::new());
    for (page, articles) in &lists {
        for (served, n) in articles {
            if *n > chrome(served).unwrap_or(0) {
                found.entry(served.clone()).or_insert_with(|| page.clone());
            } else {
                chrome_only.insert(served.clone());
            }
        }
    }
    chrome_only.retain(|p| !found.contains_key(p));
    (found, chrome_only)
}
