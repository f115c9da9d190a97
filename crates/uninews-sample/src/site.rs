//! The site's state (section sizes, edits, template variants, a logical clock) and its URL
//! layout: which path is which page, list-page arithmetic, article paths.

use super::SampleError;
use super::config::{CmsStyle, SectionConfig, SiteConfig};
use super::content::{self, ArticleRef, PRIVATE_SEQ_BASE};
use super::ids;
use super::routes::Route;
use jiff::Timestamp;
use std::collections::HashMap;
use std::ops::Range;

/// Per-section mutable state.
#[derive(Debug, Clone)]
pub(crate) struct SectionState {
    pub articles: u64,
    pub variant: u32,
    pub added_at: Option<Timestamp>,
    pub variant_at: Option<Timestamp>,
}

/// An edited article: its version and when it was edited.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edit {
    pub version: u32,
    pub at: Timestamp,
}

/// The generated site. Holds no pages: every page is computed from the configuration, the
/// section sizes and the (few) edits when it is asked for, so a 100,000-article site costs
/// as little memory as a 10-article one. Cheap to clone.
#[derive(Debug, Clone)]
pub struct SampleSite {
    pub(crate) config: SiteConfig,
    pub(crate) state: Vec<SectionState>,
    pub(crate) edits: HashMap<ArticleRef, Edit>,
    pub(crate) clock: Timestamp,
}

/// The fixed Last-Modified of images, attachments and assets.
pub(crate) fn epoch() -> Timestamp {
    Timestamp::from_second(1_646_092_800).unwrap_or(Timestamp::UNIX_EPOCH) // 2022-03-01T00:00Z
}

fn at_0800(ts_date: jiff::civil::Date, h: i8, m: i8, s: i8) -> Timestamp {
    let dt = ts_date.at(h, m, s, 0);
    jiff::tz::offset(8)
        .to_timestamp(dt)
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

impl SampleSite {
    /// A site as `config` describes it.
    pub fn new(config: SiteConfig) -> Result<SampleSite, SampleError> {
        config.validate()?;
        let state = config
            .sections
            .iter()
            .map(|s| SectionState {
                articles: s.articles,
                variant: 0,
                added_at: None,
                variant_at: None,
            })
            .collect();
        let mut site = SampleSite {
            config,
            state,
            edits: HashMap::new(),
            clock: Timestamp::UNIX_EPOCH,
        };
        site.clock = site.newest_possible();
        Ok(site)
    }

    /// The configuration the site was made from (sizes as at start).
    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// Index of the section with `key`.
    pub fn section_index(&self, key: &str) -> Result<usize, SampleError> {
        self.config
            .sections
            .iter()
            .position(|s| s.key == key)
            .ok_or_else(|| SampleError::UnknownSection(key.to_string()))
    }

    pub(crate) fn sec(&self, i: usize) -> &SectionConfig {
        &self.config.sections[i]
    }

    /// Current number of articles in section `key`.
    pub fn section_len(&self, key: &str) -> Result<u64, SampleError> {
        Ok(self.state[self.section_index(key)?].articles)
    }

    /// The template variant section `key` is rendered with (0 = the CMS's own markup).
    pub fn template_variant(&self, key: &str) -> Result<u32, SampleError> {
        Ok(self.state[self.section_index(key)?].variant)
    }

    /// A time later than every publication time on the site.
    fn newest_possible(&self) -> Timestamp {
        let public = self
            .state
            .iter()
            .filter(|s| s.articles > 0)
            .map(|s| s.articles - 1);
        let private =
            (self.config.private_pages > 0).then(|| u64::from(self.config.private_pages - 1) * 5);
        public
            .chain(private)
            .map(|seq| at_0800(ids::article_date(seq), 23, 59, 59))
            .max()
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// Advance the logical clock: a mutation's time, later than anything before it.
    pub(crate) fn tick(&mut self) -> Timestamp {
        let base = self.clock.max(self.newest_possible());
        self.clock = base
            .checked_add(jiff::SignedDuration::from_secs(60))
            .unwrap_or(base);
        self.clock
    }

    /// When article `at` was published (09:00 when only a date is printed).
    pub(crate) fn publish_ts(&self, at: ArticleRef) -> Timestamp {
        let (date, time) = content::date_time_of(self.config.seed, at);
        match time {
            Some(t) => at_0800(date, t.time.hour(), t.time.minute(), t.time.second()),
            None => at_0800(date, 9, 0, 0),
        }
    }

    /// Number of list pages of section `s`.
    pub(crate) fn pages(&self, s: usize) -> u64 {
        let n = self.state[s].articles;
        let per = u64::from(self.sec(s).per_page);
        match self.sec(s).style {
            CmsStyle::Vsb if n == 0 => 1,
            CmsStyle::Vsb => (n - 1) / per + 1,
            CmsStyle::WebPlus => n.div_ceil(per).max(1),
        }
    }

    /// Sequence numbers on list page `page` (1 = newest page) of section `s`, oldest first
    /// (the page shows them reversed).
    ///
    /// VSB: older pages hold fixed blocks of `per_page` articles (page file 1 = the oldest
    /// block), so their numbering and content survive new articles; the newest page holds
    /// the rest (1 to `per_page` articles). WebPlus: pages are counted from the newest
    /// article, so everything shifts when articles are added.
    pub(crate) fn page_range(&self, s: usize, page: u64) -> Range<u64> {
        let n = self.state[s].articles;
        let per = u64::from(self.sec(s).per_page);
        let pages = self.pages(s);
        if page == 0 || page > pages {
            return 0..0;
        }
        match self.sec(s).style {
            CmsStyle::Vsb if page == 1 => (pages - 1) * per..n,
            CmsStyle::Vsb => {
                let file = pages - page + 1;
                (file - 1) * per..file * per
            }
            CmsStyle::WebPlus => {
                let hi = n - (page - 1) * per;
                hi.saturating_sub(per)..hi
            }
        }
    }

    /// Path of list page `page` (1 = newest) of section `s`.
    pub(crate) fn list_path(&self, s: usize, page: u64) -> String {
        let sec = self.sec(s);
        match (sec.style, page) {
            (CmsStyle::Vsb, 1) => format!("/{}.htm", sec.key),
            (CmsStyle::Vsb, p) => format!("/{}/{}.htm", sec.key, self.pages(s) - p + 1),
            (CmsStyle::WebPlus, 1) => format!("/{}/list.htm", sec.column),
            (CmsStyle::WebPlus, p) => format!("/{}/list{p}.htm", sec.column),
        }
    }

    /// Path of an article.
    pub(crate) fn article_path(&self, at: ArticleRef) -> String {
        if at.private {
            return format!("/private/info/1078/{}.htm", at.seq - PRIVATE_SEQ_BASE + 1);
        }
        let sec = self.sec(at.section);
        let seed = self.config.seed;
        match sec.style {
            CmsStyle::Vsb => format!(
                "/info/{}/{}.htm",
                sec.column,
                ids::vsb_id(seed, sec.column, at.seq)
            ),
            CmsStyle::WebPlus => {
                let d = ids::article_date(at.seq);
                format!(
                    "/{}/{:02}{:02}/c{}a{}/page.htm",
                    d.year(),
                    d.month(),
                    d.day(),
                    sec.column,
                    ids::webplus_id(seed, sec.column, at.seq)
                )
            }
        }
    }

    /// The id printed in an article's counters.
    pub(crate) fn article_id(&self, at: ArticleRef) -> u64 {
        let sec = self.sec(at.section);
        match (at.private, sec.style) {
            (true, _) => at.seq - PRIVATE_SEQ_BASE + 1,
            (false, CmsStyle::Vsb) => ids::vsb_id(self.config.seed, sec.column, at.seq),
            (false, CmsStyle::WebPlus) => ids::webplus_id(self.config.seed, sec.column, at.seq),
        }
    }

    pub(crate) fn private_refs(&self) -> impl Iterator<Item = ArticleRef> + '_ {
        (0..u64::from(self.config.private_pages)).map(|n| ArticleRef {
            section: 0,
            seq: PRIVATE_SEQ_BASE + n,
            private: true,
        })
    }

    // Last-Modified times: a page's time moves whenever its bytes may have changed.

    pub(crate) fn article_modified(&self, at: ArticleRef) -> Timestamp {
        let mut t = self.publish_ts(at);
        if let Some(e) = self.edits.get(&at) {
            t = t.max(e.at);
        }
        self.state[at.section].variant_at.map_or(t, |v| t.max(v))
    }

    pub(crate) fn list_modified(&self, s: usize, page: u64) -> Timestamp {
        let mut t = self
            .page_range(s, page)
            .map(|seq| self.publish_ts(self.public(s, seq)))
            .max()
            .unwrap_or_else(epoch);
        // Every list page prints the article total and the page count, so every list page
        // of a section changes when articles are added (older VSB pages keep their items).
        let st = &self.state[s];
        for m in [st.variant_at, st.added_at].into_iter().flatten() {
            t = t.max(m);
        }
        t
    }

    pub(crate) fn home_modified(&self) -> Timestamp {
        (0..self.state.len())
            .map(|s| {
                let st = &self.state[s];
                let newest = st
                    .articles
                    .checked_sub(1)
                    .map_or_else(epoch, |seq| self.publish_ts(self.public(s, seq)));
                [st.added_at, st.variant_at]
                    .into_iter()
                    .flatten()
                    .fold(newest, Timestamp::max)
            })
            .max()
            .unwrap_or_else(epoch)
    }

    /// Version of article `at` (0 = never edited).
    pub(crate) fn version(&self, at: ArticleRef) -> u32 {
        self.edits.get(&at).map_or(0, |e| e.version)
    }

    /// Add `n` new (newest) articles to section `key`; returns their paths, newest first.
    pub fn add_articles(&mut self, key: &str, n: u64) -> Result<Vec<String>, SampleError> {
        let s = self.section_index(key)?;
        let before = self.state[s].articles;
        let after = before.saturating_add(n);
        if after > ids::MAX_ARTICLES {
            return Err(SampleError::Config(format!(
                "section {key:?}: at most {} articles",
                ids::MAX_ARTICLES
            )));
        }
        self.state[s].articles = after;
        let at = self.tick();
        self.state[s].added_at = Some(at);
        Ok((before..after)
            .rev()
            .map(|seq| {
                self.article_path(ArticleRef {
                    section: s,
                    seq,
                    private: false,
                })
            })
            .collect())
    }

    /// Edit the article at `path`: its body changes (a new 编者按 paragraph, regenerated
    /// text), so its ETag and Last-Modified change; title, date and URL stay.
    pub fn edit_article(&mut self, path: &str) -> Result<(), SampleError> {
        let Some(Route::Article(at)) = self.route(path, None) else {
            return Err(SampleError::NotAnArticle(path.to_string()));
        };
        let version = self.version(at) + 1;
        let when = self.tick();
        self.edits.insert(at, Edit { version, at: when });
        Ok(())
    }

    /// Render section `key` with template `variant` from now on: 0 is the CMS's own
    /// markup, 1 and up a "redesign" with other class names and structure.
    pub fn set_template_variant(&mut self, key: &str, variant: u32) -> Result<(), SampleError> {
        let s = self.section_index(key)?;
        if self.state[s].variant != variant {
            self.state[s].variant = variant;
            let at = self.tick();
            self.state[s].variant_at = Some(at);
        }
        Ok(())
    }
}
