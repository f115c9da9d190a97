//! Pages as bytes: HTML in the section's template (UTF-8 or GBK), images, attachments,
//! robots.txt and small assets, each with its content type and Last-Modified time.

use super::assets;
use super::config::GbkDeclaration;
use super::content::{self, ArticleRef};
use super::html::Flavor;
use super::routes::Route;
use super::site::{SampleSite, epoch};
use super::view::{ArticleView, ListItem, Listing, Neighbor, PageCtx};
use super::{modern, vsb, webplus};
use jiff::Timestamp;

/// What kind of page a response is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// `/`, `/index.htm`, `/main.htm`.
    Home,
    /// A news list page.
    List,
    /// A news article.
    Article,
    /// An article under `/private/` (disallowed by robots.txt).
    PrivateArticle,
    /// A content image.
    Image,
    /// An attachment (pdf, docx, xlsx).
    Attachment,
    /// `/robots.txt`.
    Robots,
    /// Logos, icons, scripts, style sheets.
    Asset,
}

/// A rendered page.
#[derive(Debug, Clone)]
pub struct SamplePage {
    /// The response body.
    pub body: Vec<u8>,
    /// The `Content-Type` header value.
    pub content_type: String,
    /// The `Last-Modified` time (changes whenever the page's content may have changed).
    pub last_modified: Timestamp,
    /// What the page is.
    pub kind: PageKind,
}

impl SamplePage {
    /// The strong ETag of the body: `"` + 16 hex digits of its SHA-256 + `"`.
    pub fn etag(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(&self.body);
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!("\"{hex}\"")
    }

    /// True when the body is GBK-encoded.
    pub fn is_gbk(&self) -> bool {
        self.content_type.contains("GBK")
            || (self.body.len() > 16
                && !self.body.is_ascii()
                && std::str::from_utf8(&self.body).is_err())
    }
}

/// How one HTML page is encoded and declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    Utf8,
    Gbk(GbkDeclaration),
}

impl SampleSite {
    /// Render the page at `path_and_query` (`/xyxw.htm`, `/system/_content/download.jsp?…`);
    /// `None` for a path that is not on the site. Pure and cheap: one page's worth of work.
    pub fn render(&self, path_and_query: &str) -> Option<SamplePage> {
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path_and_query, None),
        };
        let route = self.route(path, query)?;
        Some(self.render_route(route, path))
    }

    pub(crate) fn render_route(&self, route: Route, path: &str) -> SamplePage {
        let bin = |body: Vec<u8>, ct: &str, kind| SamplePage {
            body,
            content_type: ct.to_string(),
            last_modified: epoch(),
            kind,
        };
        match route {
            Route::Home => self.html_page(
                self.home_html(),
                Charset::Utf8,
                self.home_modified(),
                PageKind::Home,
            ),
            Route::Robots => SamplePage {
                content_type: "text/plain; charset=utf-8".into(),
                ..bin(self.robots_txt().into_bytes(), "", PageKind::Robots)
            },
            Route::List { section, page } => {
                let cs = if self.section_is_gbk(section) {
                    Charset::Gbk(GbkDeclaration::Both)
                } else {
                    Charset::Utf8
                };
                let html = self.list_html(section, page, path, cs);
                self.html_page(html, cs, self.list_modified(section, page), PageKind::List)
            }
            Route::Article(at) => {
                let cs = self.article_charset(at);
                let kind = if at.private {
                    PageKind::PrivateArticle
                } else {
                    PageKind::Article
                };
                self.html_page(
                    self.article_html(at, path, cs),
                    cs,
                    self.article_modified(at),
                    kind,
                )
            }
            Route::Image(key) => match key.ext() {
                "png" => bin(assets::png(key.raw()), "image/png", PageKind::Image),
                _ => bin(assets::jpeg(key.raw()), "image/jpeg", PageKind::Image),
            },
            Route::File(f) => match f.ext() {
                "pdf" => bin(
                    assets::pdf(f.raw()),
                    "application/pdf",
                    PageKind::Attachment,
                ),
                "docx" => bin(
                    assets::zip(f.raw()),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    PageKind::Attachment,
                ),
                _ => bin(
                    assets::zip(f.raw()),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    PageKind::Attachment,
                ),
            },
            Route::Icon(n) => bin(assets::gif(n), "image/gif", PageKind::Asset),
            Route::Logo => bin(assets::png(0x10_60), "image/png", PageKind::Asset),
            Route::Script => bin(
                b"/* uninews sample site */\n".to_vec(),
                "application/javascript",
                PageKind::Asset,
            ),
            Route::Style => bin(
                b"/* uninews sample site */\n".to_vec(),
                "text/css",
                PageKind::Asset,
            ),
        }
    }

    fn html_page(
        &self,
        html: String,
        cs: Charset,
        last_modified: Timestamp,
        kind: PageKind,
    ) -> SamplePage {
        let (body, content_type) = match cs {
            Charset::Utf8 => (html.into_bytes(), "text/html; charset=utf-8"),
            Charset::Gbk(d) => {
                let ct = if d == GbkDeclaration::MetaOnly {
                    "text/html"
                } else {
                    "text/html; charset=GBK"
                };
                (encoding_rs::GBK.encode(&html).0.into_owned(), ct)
            }
        };
        SamplePage {
            body,
            content_type: content_type.to_string(),
            last_modified,
            kind,
        }
    }

    pub(crate) fn robots_txt(&self) -> String {
        let mut out = String::from("# robots.txt of the uninews sample site\nUser-agent: *\n");
        if let Some(r) = &self.config.robots {
            out.push_str(if r.disallow_private {
                "Disallow: /private/\n"
            } else {
                "Disallow:\n"
            });
            if let Some(d) = r.crawl_delay {
                let secs = format!("{:.3}", d.as_secs_f64());
                out.push_str(&format!(
                    "Crawl-delay: {}\n",
                    secs.trim_end_matches('0').trim_end_matches('.')
                ));
            }
        }
        out
    }

    fn section_is_gbk(&self, s: usize) -> bool {
        self.config
            .gbk
            .sections
            .iter()
            .any(|k| *k == self.sec(s).key)
    }

    fn article_charset(&self, at: ArticleRef) -> Charset {
        let gbk = &self.config.gbk;
        let nth = !at.private
            && gbk
                .every_nth_article
                .is_some_and(|n| (at.seq + 1).is_multiple_of(n));
        if !nth && !self.section_is_gbk(at.section) {
            return Charset::Utf8;
        }
        Charset::Gbk(match gbk.declaration {
            GbkDeclaration::Rotate => [
                GbkDeclaration::Both,
                GbkDeclaration::MetaOnly,
                GbkDeclaration::HeaderOnly,
            ][(at.seq % 3) as usize],
            d => d,
        })
    }

    pub(crate) fn flavor(&self, s: usize) -> Flavor {
        Flavor::of(self.sec(s).style, self.state[s].variant)
    }

    fn ctx(&self, s: usize, path: &str, cs: Charset) -> PageCtx {
        let nav = (0..self.state.len())
            .map(|i| (self.sec(i).name.clone(), self.list_path(i, 1)))
            .collect();
        PageCtx {
            path: path.to_string(),
            nav,
            section_name: self.sec(s).name.clone(),
            section_path: self.list_path(s, 1),
            charset: match cs {
                Charset::Utf8 => Some("utf-8"),
                Charset::Gbk(GbkDeclaration::HeaderOnly) => None,
                Charset::Gbk(_) => Some("gbk"),
            },
        }
    }

    fn item(&self, at: ArticleRef) -> ListItem {
        ListItem {
            path: self.article_path(at),
            title: content::title_of(self.config.seed, at),
            date: content::date_time_of(self.config.seed, at).0,
        }
    }

    pub(crate) fn public(&self, section: usize, seq: u64) -> ArticleRef {
        ArticleRef {
            section,
            seq,
            private: false,
        }
    }

    pub(crate) fn listing(&self, s: usize, page: u64) -> Listing {
        let pages = self.pages(s);
        let link = |p: u64| (p >= 1 && p <= pages).then(|| self.list_path(s, p));
        let items = self
            .page_range(s, page)
            .rev()
            .map(|seq| self.item(self.public(s, seq)))
            .collect();
        let pinned = if s == 0 && page == 1 {
            self.private_refs().map(|at| self.item(at)).collect()
        } else {
            Vec::new()
        };
        let lo = page.saturating_sub(2).max(1);
        let hi = (page + 2).min(pages);
        let mut numbered: Vec<(u64, String)> =
            (lo..=hi).map(|p| (p, self.list_path(s, p))).collect();
        if hi < pages {
            numbered.push((pages, self.list_path(s, pages)));
        }
        Listing {
            items,
            pinned,
            total: self.state[s].articles,
            per_page: self.sec(s).per_page,
            page,
            pages,
            first: (page > 1).then(|| self.list_path(s, 1)),
            prev: link(page.wrapping_sub(1)),
            next: link(page + 1),
            last: (page < pages).then(|| self.list_path(s, pages)),
            numbered,
        }
    }

    fn list_html(&self, s: usize, page: u64, path: &str, cs: Charset) -> String {
        let c = self.ctx(s, path, cs);
        let l = self.listing(s, page);
        match self.flavor(s) {
            Flavor::Vsb => vsb::list(&c, &l),
            Flavor::WebPlus => webplus::list(&c, &l),
            Flavor::Modern(_) => modern::list(&c, &l),
        }
    }

    fn article_html(&self, at: ArticleRef, path: &str, cs: Charset) -> String {
        let s = at.section;
        let c = self.ctx(s, path, cs);
        let article = content::generate(self.config.seed, at, self.sec(s).style, self.version(at));
        let n = self.state[s].articles;
        let neighbor = |seq: u64| {
            let it = self.item(self.public(s, seq));
            Neighbor {
                path: it.path,
                title: it.title,
            }
        };
        let v = ArticleView {
            article,
            id: self.article_id(at),
            newer: (!at.private && at.seq + 1 < n).then(|| neighbor(at.seq + 1)),
            older: (!at.private && at.seq > 0).then(|| neighbor(at.seq - 1)),
        };
        match self.flavor(s) {
            Flavor::Vsb => vsb::article(&c, &v),
            Flavor::WebPlus => webplus::article(&c, &v),
            f @ Flavor::Modern(_) => modern::article(&c, &v, f),
        }
    }

    fn home_html(&self) -> String {
        let c = PageCtx {
            section_name: String::new(),
            section_path: "/".into(),
            ..self.ctx(0, "/", Charset::Utf8)
        };
        let boxes: Vec<_> = (0..self.state.len())
            .map(|s| {
                let n = self.state[s].articles;
                let items = (n.saturating_sub(6)..n)
                    .rev()
                    .map(|seq| self.item(self.public(s, seq)))
                    .collect();
                (self.sec(s).name.clone(), self.list_path(s, 1), items)
            })
            .collect();
        vsb::home(&c, &boxes)
    }
}
