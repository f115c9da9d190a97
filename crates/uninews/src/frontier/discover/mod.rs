//! Discovery on list pages: given a page's HTML, its URL and optionally a profile's
//! [`ListRules`], find the article links, the pagination (next page and every page the
//! pager lets us enumerate) and the page's other links, classified. Pure: no IO.
//!
//! Order of precedence, per item:
//! 1. the profile's selectors (`article_links`, `next_page`, `page_links`) and URL
//!    patterns (`article_url_patterns`, `list_url_patterns`), when given;
//! 2. the recognised CMS: [`Cms::Vsb`] (博达), [`Cms::WebPlus`] (SudyTech; both in the
//!    `cms` module docs) or [`Cms::Trs`] (拓尔思 TRS WCM; the `trs` module docs), told
//!    apart by their markup (WebPlus's `wp_*` ids and classes, VSB's `共N条` pager, TRS's
//!    `createPageHTML`/`countPage` pager script) and by which CMS's article URL shape
//!    most links have;
//! 3. generic heuristics: next-page link texts (`下一页`, `下页`, `next`, `»`, `>`, ...)
//!    or `rel=next`, numbered links beside them, and the largest group of title-like
//!    links in one list container as the articles.
//!
//! Articles are the links of the page's *main list*: among links shaped like articles,
//! the group sharing one list container (`ul`, table, `dl`) with the most distinct
//! targets (WebPlus: the `#wp_news_wK` paired with the pager `#wp_paging_wK`). Article
//! links elsewhere (sidebars, "latest news" boxes) are reported in [`Discovery::other`]
//! with kind [`Kind::Article`].
//!
//! Teleport mirrors: a link's `tppabs` original is followed when it is in scope, else the
//! `href` the mirror serves when that is (see `links::collect`); either way the original's
//! URL shape decides whether the link is an article.

mod cms;
mod dates;
mod generic;
mod links;
mod trs;

pub use cms::{
    MAX_ENUMERATED_PAGES, canonical_webplus, is_vsb_article, is_webplus_article, is_webplus_list,
};
pub use generic::{MIN_LIST_LINKS, MIN_TITLE_CHARS};
pub use trs::is_trs_article;

use super::Kind;
use super::normalize::{Scope, normalize};
use crate::selectors::ListRules;
use ego_tree::NodeId;
use links::{Link, dedupe};
use scraper::Html;
use std::collections::HashSet;
use url::Url;

/// Which rules found the page's links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cms {
    /// The profile's list selectors.
    Profile,
    /// VSB/博达 Visual SiteBuilder.
    Vsb,
    /// WebPlus/SudyTech.
    WebPlus,
    /// TRS WCM/拓尔思.
    Trs,
    /// Generic heuristics.
    Generic,
}

/// What a list page links to. Every URL is absolute and normalised; lists hold no
/// repeats and never the page itself.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// Which rules applied.
    pub cms: Cms,
    /// In-scope article links of the main list, in page order.
    pub articles: Vec<Url>,
    /// The date each article's list entry shows, if any (same order as `articles`).
    pub article_dates: Vec<Option<jiff::civil::Date>>,
    /// The next list page, if any (also in `pages`).
    pub next_page: Option<Url>,
    /// In-scope pagination pages: the pager's links plus every page enumerated from the
    /// page count (VSB, WebPlus, TRS), in a stable order.
    pub pages: Vec<Url>,
    /// The page count the pager states, if found.
    pub total_pages: Option<u32>,
    /// Every other in-scope link, with its kind guessed from the URL shape.
    pub other: Vec<(Url, Kind)>,
    /// Links (of any category) whose host is outside the scope.
    pub off_scope: Vec<Url>,
}

/// Pagination found by one rule set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pagination {
    pub next: Option<Url>,
    pub pages: Vec<Url>,
    pub total_pages: Option<u32>,
}

impl ListRules {
    /// The kind a URL has by this profile's URL patterns, if any pattern decides.
    pub fn classify(&self, url: &Url) -> Option<Kind> {
        if self
            .article_url_patterns
            .iter()
            .any(|r| r.is_match(url.as_str()))
        {
            Some(Kind::Article)
        } else if self
            .list_url_patterns
            .iter()
            .any(|r| r.is_match(url.as_str()))
        {
            Some(Kind::List)
        } else {
            None
        }
    }

    /// True when the profile gives any list-page selector.
    pub fn has_selectors(&self) -> bool {
        !(self.article_links.is_empty() && self.next_page.is_empty() && self.page_links.is_empty())
    }
}

/// The kind of `url` by its shape: the profile's patterns first, then the VSB, WebPlus
/// and TRS shapes, else [`Kind::Other`].
pub fn classify(url: &Url, rules: Option<&ListRules>) -> Kind {
    if let Some(k) = rules.and_then(|r| r.classify(url)) {
        return k;
    }
    let profile_has_articles = rules.is_some_and(|r| !r.article_url_patterns.is_empty());
    if !profile_has_articles
        && (cms::is_vsb_article(url) || cms::is_webplus_article(url) || trs::is_trs_article(url))
    {
        Kind::Article
    } else if cms::is_webplus_list(url) {
        Kind::List
    } else {
        Kind::Other
    }
}

/// Discover the links of the list page `page_url` (see the module docs).
pub fn discover(html: &str, page_url: &Url, rules: Option<&ListRules>, scope: &Scope) -> Discovery {
    let doc = Html::parse_document(html);
    let tracking: &[String] = rules.map_or(&[], |r| r.tracking_params.as_slice());
    let page = normalize(page_url, tracking).unwrap_or_else(|| page_url.clone());
    let base = links::base_url(&doc, &page);
    let all = links::collect(&doc, &base, tracking, scope);

    let articleish: Vec<&Link<'_>> = all
        .iter()
        .filter(|l| classify(l.shape(), rules) == Kind::Article)
        .collect();
    let vsb = articleish
        .iter()
        .filter(|l| cms::is_vsb_article(l.shape()))
        .count();
    let wp = articleish
        .iter()
        .filter(|l| cms::is_webplus_article(l.shape()))
        .count();
    let trs = articleish
        .iter()
        .filter(|l| trs::is_trs_article(l.shape()))
        .count();
    // Markup first, then the most common article shape; a page with no TRS links nor
    // pager script is told apart exactly as before TRS was known.
    let mut cms_kind =
        if cms::has_webplus_markup(&doc) || cms::is_webplus_list(&page) || wp > vsb.max(trs) {
            Cms::WebPlus
        } else if cms::has_vsb_markup(html) {
            Cms::Vsb
        } else if trs > vsb || trs::has_trs_markup(html) {
            Cms::Trs
        } else if vsb > 0 {
            Cms::Vsb
        } else {
            Cms::Generic
        };

    // Articles.
    let profile_articles = rules.filter(|r| !r.article_links.is_empty()).map(|r| {
        let matched: Vec<_> = r.article_links.iter().flat_map(|s| doc.select(s)).collect();
        generic::links_under(&matched, &all)
    });
    let main: Vec<&Link<'_>> = match profile_articles {
        Some(found) => found,
        None if !articleish.is_empty() => main_list(&doc, &articleish, cms_kind == Cms::WebPlus),
        None => generic::main_list(&all),
    };

    // Pagination.
    let mut pag = match cms_kind {
        Cms::Vsb => cms::vsb_pagination(&doc, html, &page, &all),
        Cms::WebPlus => cms::webplus_pagination(&doc, &page, &all),
        Cms::Trs => trs::trs_pagination(html, &page, &all),
        _ => Pagination::default(),
    };
    if pag.next.is_none() && pag.pages.is_empty() {
        let g = generic::pagination(&all);
        pag.next = g.next;
        pag.pages = g.pages;
    }
    if let Some(r) = rules.filter(|r| !r.next_page.is_empty() || !r.page_links.is_empty()) {
        let pick = |sels: &[scraper::Selector]| {
            let matched: Vec<_> = sels.iter().flat_map(|s| doc.select(s)).collect();
            generic::links_under(&matched, &all)
                .into_iter()
                .map(|l| l.url.clone())
                .collect::<Vec<_>>()
        };
        if let Some(next) = pick(&r.next_page).into_iter().next() {
            pag.next = Some(next);
        }
        pag.pages.extend(pick(&r.page_links));
    }
    if rules.is_some_and(ListRules::has_selectors) {
        cms_kind = Cms::Profile;
    }
    if cms_kind == Cms::WebPlus {
        pag.next = pag.next.map(cms::canonical_webplus);
    }

    assemble(cms_kind, &page, &all, main, pag, rules, scope)
}

/// The main list among the article-shaped links: WebPlus's window paired with the pager,
/// else the largest group in one list container, widened on WebPlus to the whole window
/// it lies in (a column page without a pager shows one list per sub-column there).
fn main_list<'d, 'l>(doc: &Html, articleish: &[&'l Link<'d>], webplus: bool) -> Vec<&'l Link<'d>> {
    let in_window = |window: &[NodeId]| -> Vec<&'l Link<'d>> {
        articleish
            .iter()
            .copied()
            .filter(|l| window.iter().any(|c| links::within(&l.el, *c)))
            .collect()
    };
    if webplus {
        let paired = in_window(&cms::webplus_main_list(doc));
        if !paired.is_empty() {
            return paired;
        }
    }
    let group: Vec<&'l Link<'d>> = links::largest_group(articleish)
        .unwrap_or_default()
        .into_iter()
        .map(|i| articleish[i])
        .collect();
    let window = match group.first() {
        Some(l) if webplus => cms::webplus_window_of(doc, &l.el),
        _ => Vec::new(),
    };
    let whole = in_window(&window);
    if whole.len() > group.len() {
        whole
    } else {
        group
    }
}

fn assemble(
    cms_kind: Cms,
    page: &Url,
    all: &[Link<'_>],
    main: Vec<&Link<'_>>,
    pag: Pagination,
    rules: Option<&ListRules>,
    scope: &Scope,
) -> Discovery {
    let mut seen: HashSet<String> = HashSet::from([page.as_str().to_string()]);
    let mut off_scope = Vec::new();
    let mut keep = |u: Url, seen: &mut HashSet<String>| -> Option<Url> {
        if !seen.insert(u.as_str().to_string()) {
            return None;
        }
        if scope.contains(&u) {
            Some(u)
        } else {
            off_scope.push(u);
            None
        }
    };
    let mut dates: std::collections::HashMap<String, jiff::civil::Date> = Default::default();
    // One count of the document's links for all entries (see `dates::LinkCounts`).
    if let Some(counts) = main.first().map(|l| dates::LinkCounts::of(l.el.tree())) {
        for l in &main {
            if let Some(d) = dates::list_date(&l.el, &counts) {
                dates.entry(l.url.as_str().to_string()).or_insert(d);
            }
        }
    }
    let articles: Vec<Url> = dedupe(main.into_iter().map(|l| l.url.clone()))
        .into_iter()
        .filter_map(|u| keep(u, &mut seen))
        .collect();
    let article_dates = articles
        .iter()
        .map(|u| dates.get(u.as_str()).copied())
        .collect();
    let next_page = pag.next.clone().filter(|n| n != page && scope.contains(n));
    let mut candidates = pag.pages;
    if let Some(n) = pag.next {
        candidates.insert(0, n);
    }
    let pages: Vec<Url> = candidates
        .into_iter()
        .filter_map(|u| keep(u, &mut seen))
        .collect();
    let other: Vec<(Url, Kind)> = all
        .iter()
        .map(|l| match cms_kind {
            Cms::WebPlus => cms::canonical_webplus(l.url.clone()),
            _ => l.url.clone(),
        })
        .filter_map(|u| keep(u, &mut seen))
        .map(|u| {
            let k = classify(&u, rules);
            (u, k)
        })
        .collect();
    Discovery {
        cms: cms_kind,
        articles,
        article_dates,
        next_page,
        pages,
        total_pages: pag.total_pages,
        other,
        off_scope,
    }
}

#[cfg(test)]
mod tests;
