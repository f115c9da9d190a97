//! Routing: which page a request path (and query) points at. O(1) per path: ids, dates and
//! hex names decode back to the article, image or file they were made from.

use super::config::{CmsStyle, SectionConfig};
use super::content::{ArticleRef, PRIVATE_SEQ_BASE};
use super::ids::{self, FileKey, ImageKey};
use super::site::SampleSite;

/// What a path points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    Home,
    Robots,
    List { section: usize, page: u64 },
    Article(ArticleRef),
    Image(ImageKey),
    File(FileKey),
    Icon(u64),
    Logo,
    Script,
    Style,
}

impl SampleSite {
    /// What `path` (no query) with `query` points at, if anything.
    pub(crate) fn route(&self, path: &str, query: Option<&str>) -> Option<Route> {
        match path {
            "/" | "/index.htm" | "/main.htm" => return Some(Route::Home),
            "/robots.txt" => return self.config.robots.as_ref().map(|_| Route::Robots),
            "/images/logo.png" | "/_upload/tpl/00/01/1/template1/images/logo.png" => {
                return Some(Route::Logo);
            }
            "/system/_content/download.jsp" => {
                let id = query?
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("wbfileid="))?
                    .parse()
                    .ok()?;
                let f = FileKey::from_vsb_file_id(id)?;
                let ok = f.section < self.state.len()
                    && self.sec(f.section).style == CmsStyle::Vsb
                    && (f.seq < self.state[f.section].articles || f.seq >= PRIVATE_SEQ_BASE);
                return ok.then_some(Route::File(f));
            }
            _ => {}
        }
        if let Some(n) = path
            .strip_prefix("/private/info/1078/")
            .and_then(|r| r.strip_suffix(".htm"))
        {
            let n: u64 = n.parse().ok()?;
            return (n >= 1 && n <= u64::from(self.config.private_pages)).then_some(
                Route::Article(ArticleRef {
                    section: 0,
                    seq: PRIVATE_SEQ_BASE + n - 1,
                    private: true,
                }),
            );
        }
        if path.starts_with("/__local/") || path.starts_with("/_upload/article/images/") {
            let key = ImageKey::parse_path(path)?;
            return match key {
                ImageKey::Own { section, .. } if section >= self.state.len() => None,
                _ => Some(Route::Image(key)),
            };
        }
        if path.starts_with("/_upload/article/files/") {
            let f = FileKey::parse_webplus_path(path)?;
            return (f.section < self.state.len()).then_some(Route::File(f));
        }
        if let Some(icon) = path.strip_prefix("/_ueditor/themes/default/images/icon_") {
            let n = ["pdf.gif", "doc.gif", "xls.gif"]
                .iter()
                .position(|i| *i == icon)?;
            return Some(Route::Icon(n as u64));
        }
        let asset_dir = ["/system/resource/", "/_js/", "/_css/", "/_upload/tpl/"]
            .iter()
            .any(|p| path.starts_with(p));
        if asset_dir && path.ends_with(".js") {
            return Some(Route::Script);
        }
        if asset_dir && path.ends_with(".css") {
            return Some(Route::Style);
        }
        self.route_page(path)
    }

    fn route_page(&self, path: &str) -> Option<Route> {
        let parts: Vec<&str> = path.split('/').skip(1).collect();
        let seed = self.config.seed;
        let find = |style: CmsStyle, pred: &dyn Fn(&SectionConfig) -> bool| {
            self.config
                .sections
                .iter()
                .position(|s| s.style == style && pred(s))
        };
        match parts.as_slice() {
            ["info", col, file] => {
                let col: u32 = col.parse().ok()?;
                let id: u64 = file.strip_suffix(".htm")?.parse().ok()?;
                let s = find(CmsStyle::Vsb, &|s| s.column == col)?;
                let seq = ids::vsb_seq(seed, col, id)?;
                (seq < self.state[s].articles).then_some(Route::Article(ArticleRef {
                    section: s,
                    seq,
                    private: false,
                }))
            }
            [year, mmdd, c, "page.htm"] => {
                let (col, id) = c.strip_prefix('c')?.split_once('a')?;
                let (col, id): (u32, u64) = (col.parse().ok()?, id.parse().ok()?);
                let s = find(CmsStyle::WebPlus, &|s| s.column == col)?;
                let seq = ids::webplus_seq(seed, col, id)?;
                let at = ArticleRef {
                    section: s,
                    seq,
                    private: false,
                };
                let ok = seq < self.state[s].articles
                    && self.article_path(at) == format!("/{year}/{mmdd}/{c}/page.htm");
                ok.then_some(Route::Article(at))
            }
            [file] => {
                let key = file.strip_suffix(".htm")?;
                let s = find(CmsStyle::Vsb, &|s| s.key == key)?;
                Some(Route::List {
                    section: s,
                    page: 1,
                })
            }
            [dir, file] => {
                if let Some(s) = find(CmsStyle::Vsb, &|s| s.key == *dir) {
                    let n: u64 = file.strip_suffix(".htm")?.parse().ok()?;
                    let pages = self.pages(s);
                    return (n >= 1 && n < pages).then_some(Route::List {
                        section: s,
                        page: pages - n + 1,
                    });
                }
                let col: u32 = dir.parse().ok()?;
                let s = find(CmsStyle::WebPlus, &|s| s.column == col)?;
                let rest = file.strip_prefix("list")?.strip_suffix(".htm")?;
                let page = if rest.is_empty() {
                    1
                } else {
                    rest.parse().ok()?
                };
                (page >= 1 && page <= self.pages(s)).then_some(Route::List { section: s, page })
            }
            _ => None,
        }
    }
}
