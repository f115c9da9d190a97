//! The links of a page: collection (with Teleport `tppabs` originals), text, and the
//! grouping of links into list containers used to find a page's main list.

use crate::frontier::normalize::{Scope, normalize, resolve_link};
use ego_tree::NodeId;
use scraper::{ElementRef, Html, Selector};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use url::Url;

static ANCHORS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href], area[href]").expect("static selector"));
static BASE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("base[href]").expect("static selector"));

/// One link on the page.
#[derive(Debug, Clone)]
pub(crate) struct Link<'a> {
    /// The `<a>` (or `<area>`) element.
    pub el: ElementRef<'a>,
    /// Absolute, normalised target: what the crawl fetches.
    pub url: Url,
    /// The Teleport original (`tppabs`) when it differs from `url`: it keeps the live
    /// site's URL shape where the mirror renamed the file (`1591.htm` saved as
    /// `1591-1.htm`), so it, not `url`, says what kind of page the link leads to.
    pub original: Option<Url>,
    /// The link text, whitespace collapsed.
    pub text: String,
}

impl Link<'_> {
    /// The URL whose shape classifies the link: the Teleport original if any, else `url`.
    pub fn shape(&self) -> &Url {
        self.original.as_ref().unwrap_or(&self.url)
    }

    /// The `title` attribute, if any.
    pub fn title(&self) -> Option<&str> {
        self.el.value().attr("title")
    }
}

/// The URL links on the page are resolved against: `<base href>` if present, else the page.
pub(crate) fn base_url(doc: &Html, page: &Url) -> Url {
    doc.select(&BASE)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| page.join(h.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page.clone())
}

/// Every resolvable http(s) link on the page, in document order.
///
/// A Teleport mirror keeps the original absolute URL of a rewritten link in a `tppabs`
/// attribute (`href="info/1078/1591-1.htm" tppabs="http://host/info/1078/1591.htm"`).
/// The target is the link that resolves inside `scope`, the original first:
/// - the original, when it is in scope (a mirrored page read at its live URL);
/// - else the `href`, when that is in scope (the mirror crawled where it is served, on
///   another host than the live site: loopback, a static-pages host);
/// - else the original again (off scope either way; reported as such).
pub(crate) fn collect<'a>(
    doc: &'a Html,
    base: &Url,
    tracking: &[String],
    scope: &Scope,
) -> Vec<Link<'a>> {
    doc.select(&ANCHORS)
        .filter_map(|el| {
            let original = el
                .value()
                .attr("tppabs")
                .and_then(|t| Url::parse(t.trim()).ok())
                .and_then(|u| normalize(&u, tracking));
            let href = || resolve_link(base, el.value().attr("href")?, tracking);
            let (url, original) = match original {
                Some(o) if scope.contains(&o) => (o, None),
                Some(o) => match href().filter(|h| scope.contains(h)) {
                    Some(h) if h != o => (h, Some(o)),
                    _ => (o, None),
                },
                None => (href()?, None),
            };
            Some(Link {
                el,
                url,
                original,
                text: collapse(el.text()),
            })
        })
        .collect()
}

/// Text pieces joined and whitespace (including `&nbsp;`) collapsed to single spaces.
pub(crate) fn collapse<'s>(pieces: impl Iterator<Item = &'s str>) -> String {
    let mut out = String::new();
    for piece in pieces {
        for word in piece.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
            if word.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// True when `el` lies inside an element with one of `names` (lower-case tag names).
pub(crate) fn inside(el: &ElementRef<'_>, names: &[&str]) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| names.contains(&a.value().name()))
}

/// True when `el` lies inside the element `container`.
pub(crate) fn within(el: &ElementRef<'_>, container: NodeId) -> bool {
    el.ancestors().any(|a| a.id() == container)
}

/// The list container a link belongs to: the parent of its nearest `li`/`tr`/`dd`/`dt`
/// ancestor (the `ul`, `table` body, `dl`), else the link's grandparent.
pub(crate) fn container_of(el: &ElementRef<'_>) -> Option<NodeId> {
    let item = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| matches!(a.value().name(), "li" | "tr" | "dd" | "dt"));
    match item {
        Some(item) => item.parent().map(|p| p.id()),
        None => el
            .parent()
            .and_then(|p| p.parent())
            .or_else(|| el.parent())
            .map(|n| n.id()),
    }
}

/// Among `links`, the group sharing one container with the most distinct URLs (the first
/// such group on ties), as indices into `links` in document order. `None` when `links`
/// is empty.
pub(crate) fn largest_group(links: &[&Link<'_>]) -> Option<Vec<usize>> {
    let mut groups: Vec<(NodeId, Vec<usize>, HashSet<&str>)> = Vec::new();
    let mut index: HashMap<NodeId, usize> = HashMap::new();
    for (i, link) in links.iter().enumerate() {
        let Some(c) = container_of(&link.el) else {
            continue;
        };
        let g = *index.entry(c).or_insert_with(|| {
            groups.push((c, Vec::new(), HashSet::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
        groups[g].2.insert(link.url.as_str());
    }
    let mut best: Option<usize> = None;
    for (g, (_, _, urls)) in groups.iter().enumerate() {
        if best.is_none_or(|b| urls.len() > groups[b].2.len()) {
            best = Some(g);
        }
    }
    best.map(|b| groups[b].1.clone())
}

/// `urls` without repeats, first occurrence kept.
pub(crate) fn dedupe(urls: impl IntoIterator<Item = Url>) -> Vec<Url> {
    let mut seen = HashSet::new();
    urls.into_iter()
        .filter(|u| seen.insert(u.as_str().to_string()))
        .collect()
}
