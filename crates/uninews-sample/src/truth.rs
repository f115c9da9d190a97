//! Ground truth, built from the generator's own data (never by running the extractor):
//! every article's path, every list page and what it links to, and the record a correct
//! extractor produces for each article (rules of the corpus README).

use super::SampleError;
use super::config::CmsStyle;
use super::content::{self, ArticleRef, BodyBlock};
use super::html::Flavor;
use super::render::PageKind;
use super::routes::Route;
use super::site::SampleSite;
use uninews::record::{Attachment, Image, Record, Section};
use uninews::text::normalize_ws;
use url::Url;

impl SampleSite {
    fn public_refs(&self, s: usize) -> impl DoubleEndedIterator<Item = ArticleRef> {
        (0..self.state[s].articles).map(move |seq| ArticleRef {
            section: s,
            seq,
            private: false,
        })
    }

    /// Number of (public) articles on the site.
    pub fn article_count(&self) -> u64 {
        self.state.iter().map(|s| s.articles).sum()
    }

    /// Path of every public article, section by section, newest first. O(articles).
    pub fn articles(&self) -> Vec<String> {
        (0..self.state.len())
            .flat_map(|s| {
                self.public_refs(s)
                    .rev()
                    .map(|at| self.article_path(at))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Path of every article of section `key`, newest first.
    pub fn section_articles(&self, key: &str) -> Result<Vec<String>, SampleError> {
        let s = self.section_index(key)?;
        Ok(self
            .public_refs(s)
            .rev()
            .map(|at| self.article_path(at))
            .collect())
    }

    /// Paths of the articles under `/private/` (linked from the first section's newest list
    /// page, disallowed by robots.txt when `robots.disallow_private`).
    pub fn private_pages(&self) -> Vec<String> {
        self.private_refs()
            .map(|at| self.article_path(at))
            .collect()
    }

    /// Where a crawl starts: the newest list page of each section (`/xyxw.htm`,
    /// `/9364/list.htm`). The home page `/` links to all of them too.
    pub fn start_paths(&self) -> Vec<String> {
        (0..self.state.len())
            .map(|s| self.list_path(s, 1))
            .collect()
    }

    /// Path of every list page, section by section, newest page first.
    pub fn list_pages(&self) -> Vec<String> {
        (0..self.state.len())
            .flat_map(|s| (1..=self.pages(s)).map(move |p| (s, p)))
            .map(|(s, p)| self.list_path(s, p))
            .collect()
    }

    /// List pages of section `key`, newest first (following 下页 / `a.next` from the first).
    pub fn section_list_pages(&self, key: &str) -> Result<Vec<String>, SampleError> {
        let s = self.section_index(key)?;
        Ok((1..=self.pages(s)).map(|p| self.list_path(s, p)).collect())
    }

    /// What kind of page `path_and_query` is, without rendering it.
    pub fn page_kind(&self, path_and_query: &str) -> Option<PageKind> {
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path_and_query, None),
        };
        Some(match self.route(path, query)? {
            Route::Home => PageKind::Home,
            Route::Robots => PageKind::Robots,
            Route::List { .. } => PageKind::List,
            Route::Article(at) if at.private => PageKind::PrivateArticle,
            Route::Article(_) => PageKind::Article,
            Route::Image(_) => PageKind::Image,
            Route::File(_) => PageKind::Attachment,
            Route::Icon(_) | Route::Logo | Route::Script | Route::Style => PageKind::Asset,
        })
    }

    /// True for a news list page.
    pub fn is_list_page(&self, path: &str) -> bool {
        self.page_kind(path) == Some(PageKind::List)
    }

    /// The article paths a list page links to, in page order (pinned `/private/` entries
    /// first), or `None` when `path` is not a list page.
    pub fn list_links(&self, path: &str) -> Option<Vec<String>> {
        let Some(Route::List { section, page }) = self.route(path, None) else {
            return None;
        };
        let l = self.listing(section, page);
        Some(
            l.pinned
                .iter()
                .chain(&l.items)
                .map(|i| i.path.clone())
                .collect(),
        )
    }

    /// The list page after `path` (older articles), if any.
    pub fn next_list_page(&self, path: &str) -> Option<String> {
        let Some(Route::List { section, page }) = self.route(path, None) else {
            return None;
        };
        self.listing(section, page).next
    }

    /// The record a correct extractor produces for the article at `path` (public or
    /// private), served at `base` (`http://127.0.0.1:PORT/`). `None` for other paths.
    ///
    /// `extractor` is `cms:vsb` / `cms:webplus` for the CMS templates and `generic` for a
    /// redesigned section (template variant >= 1), whose pages carry no CMS markers.
    pub fn expected_record(&self, base: &Url, path: &str) -> Option<Record> {
        let Some(Route::Article(at)) = self.route(path, None) else {
            return None;
        };
        let s = at.section;
        let a = content::generate(self.config.seed, at, self.sec(s).style, self.version(at));
        let flavor = self.flavor(s);
        let abs = |p: &str| {
            base.join(p)
                .map(String::from)
                .unwrap_or_else(|_| p.to_string())
        };
        let mut r = Record::empty(
            abs(path),
            match flavor {
                Flavor::Vsb => CmsStyle::Vsb.extractor(),
                Flavor::WebPlus => CmsStyle::WebPlus.extractor(),
                Flavor::Modern(_) => "generic",
            },
        );
        r.title = normalize_ws(&a.title);
        r.subtitle = a.subtitle.as_deref().map(normalize_ws);
        r.published = Some(a.published());
        r.author = a.credits.author.clone();
        r.photographer = a.credits.photographer.clone();
        r.editor = a.credits.editor.clone();
        r.reviewer = a.credits.reviewer.clone();
        r.source = a.credits.source.clone();
        r.breadcrumb = vec!["首页".to_string(), self.sec(s).name.clone()];
        let style = self.sec(s).style;
        let image_src = |k: &super::ids::ImageKey| match style {
            CmsStyle::Vsb => k.vsb_path(),
            CmsStyle::WebPlus => k.webplus_path(),
        };
        let file_url = |k: &super::ids::FileKey| match style {
            CmsStyle::Vsb => k.vsb_path(),
            CmsStyle::WebPlus => k.webplus_path(),
        };
        let mut current = Section {
            heading: None,
            paragraphs: Vec::new(),
        };
        let mut sections: Vec<Section> = Vec::new();
        for block in &a.blocks {
            match block {
                BodyBlock::Para { text, .. } => current.paragraphs.push(normalize_ws(text)),
                BodyBlock::Heading { text, .. } => {
                    if current.heading.is_some() || !current.paragraphs.is_empty() {
                        sections.push(std::mem::replace(
                            &mut current,
                            Section {
                                heading: None,
                                paragraphs: Vec::new(),
                            },
                        ));
                    }
                    current.heading = Some(normalize_ws(text));
                }
                BodyBlock::Image { key, alt, caption } => r.images.push(Image {
                    src: abs(&image_src(key)),
                    alt: alt.clone(),
                    caption: caption.as_deref().map(normalize_ws),
                    section: sections.len(),
                    local: None,
                }),
                BodyBlock::Table { rows } => {
                    current
                        .paragraphs
                        .extend(rows.iter().map(|row| normalize_ws(&row.join(" | "))));
                }
                BodyBlock::AttachmentIntro if flavor != Flavor::Vsb => {
                    current.paragraphs.push("附件：".into())
                }
                BodyBlock::AttachmentLink { index } if flavor != Flavor::Vsb => {
                    if let Some(att) = a.attachments.get(*index) {
                        current.paragraphs.push(normalize_ws(&att.name));
                    }
                }
                BodyBlock::AttachmentIntro
                | BodyBlock::AttachmentLink { .. }
                | BodyBlock::TitleRepeat
                | BodyBlock::Credit { .. }
                | BodyBlock::Blank => {}
            }
        }
        if current.heading.is_some() || !current.paragraphs.is_empty() {
            sections.push(current);
        }
        r.sections = sections;
        r.attachments = a
            .attachments
            .iter()
            .map(|att| Attachment {
                url: abs(&file_url(&att.key)),
                name: normalize_ws(&att.name),
                local: None,
            })
            .collect();
        Some(r)
    }
}
