//! List-page rules: where a site's news lists start, how to tell list pages from article
//! pages, and how to find article links and pagination on a list page. Used by the
//! crawler's discovery step (`frontier::discover`).

use super::ProfileError;
use super::compile::{compile_regexes, compile_selectors};
use regex::Regex;
use scraper::Selector;
use serde::Deserialize;
use std::path::Path;
use url::Url;

/// The `[list]` table of a profile, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawListRules {
    #[serde(default)]
    start_urls: Vec<String>,
    #[serde(default)]
    list_url_patterns: Vec<String>,
    #[serde(default)]
    article_url_patterns: Vec<String>,
    #[serde(default)]
    article_links: Vec<String>,
    #[serde(default)]
    next_page: Vec<String>,
    #[serde(default)]
    page_links: Vec<String>,
    #[serde(default)]
    tracking_params: Vec<String>,
}

/// Compiled list-page rules.
#[derive(Debug, Clone, Default)]
pub struct ListRules {
    /// The crawl's start pages (the news list pages).
    pub start_urls: Vec<Url>,
    /// A URL matching any of these (regex over the full URL) is a list page.
    pub list_url_patterns: Vec<Regex>,
    /// A URL matching any of these is an article page.
    pub article_url_patterns: Vec<Regex>,
    /// CSS selectors for links to articles on a list page.
    pub article_links: Vec<Selector>,
    /// CSS selectors for the next-page link on a list page.
    pub next_page: Vec<Selector>,
    /// CSS selectors for any pagination link (page numbers, first/last).
    pub page_links: Vec<Selector>,
    /// Query parameters dropped when normalising URLs (`utm_source`, ...).
    pub tracking_params: Vec<String>,
}

impl RawListRules {
    pub(super) fn compile(self, path: &Path) -> Result<ListRules, ProfileError> {
        let start_urls = self
            .start_urls
            .iter()
            .enumerate()
            .map(|(i, u)| {
                Url::parse(u).map_err(|e| ProfileError::Invalid {
                    path: path.to_path_buf(),
                    field: format!("list.start_urls[{i}]"),
                    message: format!("{u:?} is not an absolute URL: {e}"),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(ListRules {
            start_urls,
            list_url_patterns: compile_regexes(
                path,
                "list.list_url_patterns",
                &self.list_url_patterns,
            )?,
            article_url_patterns: compile_regexes(
                path,
                "list.article_url_patterns",
                &self.article_url_patterns,
            )?,
            article_links: compile_selectors(path, "list.article_links", &self.article_links)?,
            next_page: compile_selectors(path, "list.next_page", &self.next_page)?,
            page_links: compile_selectors(path, "list.page_links", &self.page_links)?,
            tracking_params: self.tracking_params,
        })
    }
}
