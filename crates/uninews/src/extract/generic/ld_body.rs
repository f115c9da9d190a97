//! JSON-LD `articleBody` as a check on the density pass: structured data states the
//! article's text, but without its layout (paragraphs, headings, images), so it does not
//! replace the DOM body; it tells where the body is. When the chosen body does not hold
//! both the first and the last words of `articleBody`, or holds them with half as much
//! text again besides, the body becomes the nearest element that prints both (a gallery
//! widget or a teaser box had outscored the prose, or joined it).

use ego_tree::NodeId;
use scraper::{ElementRef, Html};
use std::collections::HashMap;

/// Shorter `articleBody` values are summaries, not the text.
const MIN_BODY_CHARS: usize = 200;
/// Characters (without whitespace) compared at each end.
const PROBE: usize = 24;

/// The first `articleBody` string of at least [`MIN_BODY_CHARS`] in the page's JSON-LD
/// (objects, lists and `@graph` arrays), with HTML entities decoded by the parser.
fn article_body(doc: &Html) -> Option<String> {
    fn find(v: &serde_json::Value) -> Option<String> {
        match v {
            serde_json::Value::Object(m) => m
                .get("articleBody")
                .and_then(|b| b.as_str())
                .filter(|b| b.chars().count() >= MIN_BODY_CHARS)
                .map(str::to_string)
                .or_else(|| m.values().find_map(find)),
            serde_json::Value::Array(a) => a.iter().find_map(find),
            _ => None,
        }
    }
    super::json_ld(doc).find_map(|v| find(&v))
}

/// The first `n` and last `n` characters of `k`.
fn ends(k: &str, n: usize) -> (String, String) {
    let chars: Vec<char> = k.chars().collect();
    let head = chars.iter().take(n).collect();
    let tail = chars[chars.len().saturating_sub(n)..].iter().collect();
    (head, tail)
}

/// `inner` is `outer` or lies inside it (a walk up from `inner`, not a scan of `outer`).
fn contains(outer: ElementRef<'_>, inner: ElementRef<'_>) -> bool {
    inner == outer || inner.ancestors().any(|a| a.id() == outer.id())
}

/// The elements holding the text at the first occurrence of `head` and at the end of the
/// last occurrence of `tail` in the page's visible text (whitespace aside): one pass over
/// the text nodes, so words split by inline tags are found too.
fn ends_in_page<'a>(
    doc: &'a Html,
    head: &str,
    tail: &str,
) -> Option<(ElementRef<'a>, ElementRef<'a>)> {
    let mut all = String::new();
    let mut at: Vec<(usize, NodeId)> = Vec::new();
    for n in super::visible_nodes(doc.tree.root()) {
        if let scraper::Node::Text(t) = n.value() {
            at.push((all.len(), n.id()));
            all.extend(t.chars().filter(|c| !crate::text::is_space(*c)));
        }
    }
    let node_at = |offset: usize| {
        let i = at.partition_point(|(o, _)| *o <= offset).checked_sub(1)?;
        let text = doc.tree.get(at[i].1)?;
        text.ancestors().find_map(ElementRef::wrap)
    };
    let h = all.find(head)?;
    let t = all.rfind(tail)? + tail.len() - 1;
    Some((node_at(h)?, node_at(t)?))
}

/// `roots`, or the element that prints `articleBody` from its first to its last words when
/// `roots` do not, or print much more besides. `stats` gives the text lengths.
pub fn check<'a>(
    doc: &'a Html,
    roots: Vec<ElementRef<'a>>,
    stats: &HashMap<NodeId, super::score::Stat>,
) -> Vec<ElementRef<'a>> {
    let Some(body) = article_body(doc) else {
        return roots;
    };
    let k = crate::text::without_ws(&body);
    let (head, tail) = ends(&k, PROBE);
    let Some((first, last)) = ends_in_page(doc, &head, &tail) else {
        return roots;
    };
    let Some(common) = std::iter::once(first)
        .chain(first.ancestors().filter_map(ElementRef::wrap))
        .find(|a| contains(*a, last))
    else {
        return roots;
    };
    if matches!(common.value().name(), "body" | "html") {
        return roots;
    }
    let text = |e: &ElementRef<'_>| stats.get(&e.id()).map_or(0, |s| s.text);
    let stated = k.chars().count();
    let holds = |n: ElementRef<'_>| roots.iter().any(|r| contains(*r, n));
    if holds(first) && holds(last) {
        // the body holds the text; narrow it when it holds much more besides
        let total: usize = roots.iter().map(text).sum();
        if total * 2 <= stated * 3 || text(&common) >= total {
            return roots;
        }
    }
    vec![common]
}
