//! Rules for any page, used when neither a site profile nor a CMS rule set gives a field:
//! the headline (an `h1`/`h2`/`*title*` element whose text is a good part of `<title>`/`og:title`, else
//! `og:title`, else `<title>` minus the site name), the body container by text density
//! ([`score`] gives every element its density and prose figures, [`choose`] picks the body
//! from them, checked against JSON-LD `articleBody` by [`ld_body`]), the standfirst printed between headline and body ([`lead`]), and the author and publication date from page metadata ([`page_meta`]).

mod choose;
mod ld_body;
mod lead;
mod page_meta;
mod score;

#[cfg(test)]
pub use choose::body;
pub use choose::body_and_noise;
pub use lead::{prepend as prepend_lead, standfirst};
pub use page_meta::{meta_author, meta_published};
#[cfg(test)]
use score::is_negative;

use super::dom::class_id_contains;
pub(super) use super::dom::visible_nodes;
use crate::text::normalize_ws;
use ego_tree::NodeId;
use regex::Regex;
use scraper::{Html, Node, Selector};
use std::sync::LazyLock;

static META_SEL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("meta").expect("static selector"));
static TITLE_SEL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("head title, title").expect("static selector"));
pub(super) static JSONLD_SEL: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(r#"script[type="application/ld+json"]"#).expect("static selector")
});

/// The page's JSON-LD values, in page order (a `<![CDATA[ ... ]]>` wrapper dropped; blocks
/// that do not parse are skipped).
pub(super) fn json_ld(doc: &Html) -> impl Iterator<Item = serde_json::Value> + '_ {
    doc.select(&JSONLD_SEL).filter_map(|s| {
        let t: String = s.text().collect();
        let t = t.trim();
        let t = t
            .strip_prefix("//")
            .map_or(t, str::trim_start)
            .strip_prefix("<![CDATA[")
            .map_or(t, |inner| {
                inner.trim_end().trim_end_matches("//").trim_end()
            })
            .trim_end_matches("]]>");
        serde_json::from_str(t.trim()).ok()
    })
}

/// Text of a subtree, stopping after about `cap` characters.
pub(super) fn text_capped(node: ego_tree::NodeRef<'_, Node>, cap: usize) -> String {
    let mut out = String::new();
    for n in visible_nodes(node) {
        match n.value() {
            Node::Element(e) if super::dom::is_block(e.name()) || e.name() == "br" => out.push(' '),
            Node::Text(t) => {
                out.push_str(t);
                if out.len() > cap * 4 {
                    break;
                }
            }
            _ => {}
        }
    }
    normalize_ws(&out)
}

/// A `<meta>` content by `property` or `name` (case-insensitive; a `property` may list
/// several names, space-separated).
pub fn meta_content(doc: &Html, keys: &[&str]) -> Option<String> {
    for el in doc.select(&META_SEL) {
        let v = el.value();
        let k = v
            .attr("property")
            .or_else(|| v.attr("name"))
            .or_else(|| v.attr("itemprop"));
        if let Some(k) = k
            && k.split_ascii_whitespace()
                .any(|k| keys.iter().any(|w| w.eq_ignore_ascii_case(k)))
            && let Some(c) = v.attr("content").and_then(crate::text::non_empty)
        {
            return Some(c);
        }
    }
    None
}

/// The `<title>` text.
pub fn head_title(doc: &Html) -> Option<String> {
    doc.select(&TITLE_SEL)
        .find(|t| {
            t.ancestors()
                .all(|a| a.value().as_element().is_none_or(|e| e.name() != "svg"))
        })
        .map(|t| normalize_ws(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty())
}

/// `<title>` minus the site name: the longest part between ` - `, ` | `, `_`, ` – ` (or a
/// bare `-` in Chinese titles).
fn strip_site_name(title: &str) -> String {
    static SPLIT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s+[-|–—_·]\s+|_|\s*[|｜]\s*|-").expect("static regex"));
    SPLIT
        .split(title)
        .map(str::trim)
        .max_by_key(|p| p.chars().count())
        .unwrap_or(title)
        .to_string()
}

/// The headline and the element it came from.
pub fn title(doc: &Html) -> Option<(String, Option<NodeId>)> {
    let og = meta_content(doc, &["og:title", "twitter:title"]);
    let ht = head_title(doc);
    let refs: Vec<&str> = [og.as_deref(), ht.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let mut best: Option<(usize, String, NodeId)> = None;
    for n in visible_nodes(doc.tree.root()) {
        let Node::Element(e) = n.value() else {
            continue;
        };
        let bonus = match e.name() {
            "h1" => 6,
            "h2" => 3,
            "h3" => 2,
            _ if class_id_contains(e, "title") => 4,
            _ => continue,
        };
        let t = text_capped(n, 300);
        let len = t.chars().count();
        // a part of the title, not a word of it ("Tips" of "...: Quick Toning Tips")
        let part_of = |r: &&str| {
            r.contains(t.as_str()) && len * 2 >= strip_site_name(r).chars().count().min(40)
        };
        if !(2..=300).contains(&len) || !refs.iter().any(part_of) {
            continue;
        }
        let score = len * 10 + bonus;
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, t, n.id()));
        }
    }
    if let Some((_, t, id)) = best {
        return Some((t, Some(id)));
    }
    if let Some(og) = og {
        return Some((og, None));
    }
    if let Some(ht) = ht {
        return Some((strip_site_name(&ht), None));
    }
    static H1: LazyLock<Selector> = LazyLock::new(|| Selector::parse("h1, h2").expect("static"));
    doc.select(&H1)
        .map(|h| (super::dom::element_text(h), Some(h.id())))
        .find(|(t, _)| !t.is_empty())
}

#[cfg(test)]
mod tests;
