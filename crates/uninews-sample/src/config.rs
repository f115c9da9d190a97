//! Configuration of the sample site: its sections (CMS style, size, paging), robots.txt,
//! the pages under `/private/` and which pages are served GBK-encoded.

use super::SampleError;
use std::time::Duration;

/// The CMS whose markup and URL layout a section imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmsStyle {
    /// VSB/博达: `/{key}.htm` (newest list page), `/{key}/{n}.htm` (older pages, 1 = oldest),
    /// articles at `/info/{column}/{id}.htm`.
    Vsb,
    /// WebPlus/SudyTech: `/{column}/list.htm`, `/{column}/list{n}.htm` (n = 2 is the second
    /// newest page), articles at `/{yyyy}/{mmdd}/c{column}a{id}/page.htm`.
    WebPlus,
}

impl CmsStyle {
    /// The `extractor` value a record of this style's article carries (`cms:vsb`, `cms:webplus`).
    pub fn extractor(self) -> &'static str {
        match self {
            CmsStyle::Vsb => "cms:vsb",
            CmsStyle::WebPlus => "cms:webplus",
        }
    }
}

/// One news section (one column of the CMS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionConfig {
    /// Which CMS the section imitates.
    pub style: CmsStyle,
    /// Short identifier used by the API (`add_articles("xyxw", 3)`); for VSB also the list
    /// page name (`/xyxw.htm`). ASCII letters, digits, `_` and `-` only.
    pub key: String,
    /// The section's display name (breadcrumb, headings): `学校新闻`.
    pub name: String,
    /// The CMS column id: in VSB article paths (`/info/1078/…`), in WebPlus list paths
    /// (`/9364/list.htm`) and article paths (`c9364a…`).
    pub column: u32,
    /// Number of articles at start.
    pub articles: u64,
    /// Articles per list page.
    pub per_page: u32,
}

impl SectionConfig {
    /// The default VSB section `学校新闻` (`/xyxw.htm`, column 1078).
    pub fn vsb(articles: u64) -> Self {
        SectionConfig {
            style: CmsStyle::Vsb,
            key: "xyxw".into(),
            name: "学校新闻".into(),
            column: 1078,
            articles,
            per_page: 20,
        }
    }

    /// The default WebPlus section `时讯` (`/9364/list.htm`, column 9364).
    pub fn webplus(articles: u64) -> Self {
        SectionConfig {
            style: CmsStyle::WebPlus,
            key: "sx".into(),
            name: "时讯".into(),
            column: 9364,
            articles,
            per_page: 20,
        }
    }
}

/// What `/robots.txt` says. `SiteConfig::robots = None` makes `/robots.txt` a 404.
#[derive(Debug, Clone, PartialEq)]
pub struct RobotsConfig {
    /// Emit `Disallow: /private/` (the `/private/` pages are linked from a list page, so a
    /// crawler that ignores robots.txt fetches them).
    pub disallow_private: bool,
    /// Emit `Crawl-delay: <seconds>`.
    pub crawl_delay: Option<Duration>,
}

impl Default for RobotsConfig {
    fn default() -> Self {
        RobotsConfig {
            disallow_private: true,
            crawl_delay: None,
        }
    }
}

/// How a GBK page says that it is GBK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GbkDeclaration {
    /// `<meta … charset=gbk>` in the page and `charset=GBK` in the `Content-Type` header.
    Both,
    /// Only the `<meta>`; the header says `text/html` without a charset.
    MetaOnly,
    /// Only the `Content-Type` header; the page has no charset `<meta>`.
    HeaderOnly,
    /// Cycle through the three above from one GBK article to the next (list pages: `Both`).
    Rotate,
}

/// Which pages are served GBK-encoded (all others are UTF-8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GbkConfig {
    /// Keys of sections whose every page (lists and articles) is GBK.
    pub sections: Vec<String>,
    /// Also every Nth article of every section (sequence numbers N-1, 2N-1, …).
    pub every_nth_article: Option<u64>,
    /// How GBK pages declare their charset.
    pub declaration: GbkDeclaration,
}

impl Default for GbkConfig {
    fn default() -> Self {
        GbkConfig {
            sections: Vec::new(),
            every_nth_article: Some(10),
            declaration: GbkDeclaration::Rotate,
        }
    }
}

/// The whole site.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    /// Seed of every generated text; the same seed gives the same site.
    pub seed: u64,
    /// The news sections, in home-page order. At most 8 (VSB attachment ids carry the
    /// section index in 3 bits).
    pub sections: Vec<SectionConfig>,
    /// `/robots.txt`; `None` serves 404.
    pub robots: Option<RobotsConfig>,
    /// Number of articles under `/private/`, linked from the first section's newest list page.
    pub private_pages: u32,
    /// GBK-encoded pages.
    pub gbk: GbkConfig,
}

impl Default for SiteConfig {
    /// Two sections (VSB `学校新闻` and WebPlus `时讯`) of 150 articles, 20 per list page,
    /// two private pages, robots.txt without crawl-delay, every 10th article GBK.
    fn default() -> Self {
        SiteConfig {
            seed: 2020,
            sections: vec![SectionConfig::vsb(150), SectionConfig::webplus(150)],
            robots: Some(RobotsConfig::default()),
            private_pages: 2,
            gbk: GbkConfig::default(),
        }
    }
}

impl SiteConfig {
    /// A small site for `uninews demo`: the default site with 40 articles per section,
    /// 10 per list page (8 list pages, 80 articles, about 90 images, a few attachments).
    pub fn demo() -> Self {
        SiteConfig::default().with_articles(40).with_per_page(10)
    }

    /// The default site with `n` articles in each section.
    pub fn with_articles(mut self, n: u64) -> Self {
        for s in &mut self.sections {
            s.articles = n;
        }
        self
    }

    /// The default site with `n` articles per list page in each section.
    pub fn with_per_page(mut self, n: u32) -> Self {
        for s in &mut self.sections {
            s.per_page = n;
        }
        self
    }

    /// Check the configuration; [`super::SampleSite::new`] calls this.
    pub fn validate(&self) -> Result<(), SampleError> {
        let bad = |m: String| Err(SampleError::Config(m));
        if self.sections.is_empty() {
            return bad("the site needs at least one section".into());
        }
        if self.sections.len() > 8 {
            return bad(format!("at most 8 sections, got {}", self.sections.len()));
        }
        for (i, s) in self.sections.iter().enumerate() {
            let ok_key = !s.key.is_empty()
                && s.key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !ok_key {
                return bad(format!(
                    "section {i}: key {:?} must be [A-Za-z0-9_-]+",
                    s.key
                ));
            }
            if s.per_page == 0 {
                return bad(format!("section {:?}: per_page must be at least 1", s.key));
            }
            if s.articles > super::ids::MAX_ARTICLES {
                return bad(format!(
                    "section {:?}: at most {} articles",
                    s.key,
                    super::ids::MAX_ARTICLES
                ));
            }
            if s.column == 0 {
                return bad(format!("section {:?}: column must not be 0", s.key));
            }
            for t in &self.sections[..i] {
                if t.key == s.key || t.column == s.column {
                    return bad(format!(
                        "sections {:?} and {:?} share a key or a column",
                        t.key, s.key
                    ));
                }
            }
            if s.style == CmsStyle::Vsb && s.key.parse::<u64>().is_ok() {
                return bad(format!(
                    "VSB section key {:?} must not be a number (clashes with /{{key}}/{{n}}.htm)",
                    s.key
                ));
            }
        }
        for k in &self.gbk.sections {
            if !self.sections.iter().any(|s| &s.key == k) {
                return bad(format!("gbk.sections names unknown section {k:?}"));
            }
        }
        if self.gbk.every_nth_article == Some(0) {
            return bad("gbk.every_nth_article must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid_and_bad_configs_are_rejected() {
        assert!(SiteConfig::default().validate().is_ok());
        let mut c = SiteConfig::default();
        c.sections[1].key = "xyxw".into();
        assert!(c.validate().is_err());
        let c = SiteConfig::default().with_per_page(0);
        assert!(c.validate().is_err());
        let mut c = SiteConfig::default();
        c.gbk.sections = vec!["nope".into()];
        assert!(c.validate().is_err());
        let mut c = SiteConfig::default();
        c.sections.clear();
        assert!(c.validate().is_err());
    }
}
