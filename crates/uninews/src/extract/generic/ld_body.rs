//! JSON-LD `articleBody` as a check on the density pass: structured data states the
//! article's text, but without its layout (paragraphs, headings, images), so it does not
//! replace the DOM body; it tells where the body is. When the chosen body does not hold
//! both the first and the last words of `articleBody`, or holds them with half as much
//! text again besides, the body becomes the nearest element that prints both (a gallery
//! widget or a teaser box had outscored the prose, or joined it).

use super::text_capped;
use ego_tree::NodeId;
use scraper::{ElementRef, Html};
use std::collections::HashMap;

/// Shorter `articleBody` values are summaries, not the text.
const MIN_BODY_CHARS: usize = 200;
/// Characters (without whitespace) compared at each end.
const PROBE: usize = 24;

/// Whitespace-free form of a text.
fn key(s: &str) -> String {
    s.chars().filter(|c| !crate::text::is_space(*c)).collect()
}

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

/// Elements that hold a run of text: where `articleBody`'s ends are looked for.
fn is_text_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "h2" | "h3" | "h4" | "li" | "blockquote" | "pre" | "td" | "dd" | "div" | "section"
    )
}

fn contains(outer: ElementRef<'_>, inner: NodeId) -> bool {
    outer.id() == inner || outer.descendants().any(|d| d.id() == inner)
}

/// `roots`, or the element that prints `articleBody` from its first to its last words when
/// `roots` do not, or print much more besides. `stats` bounds the search to elements the density pass saw with text.
pub fn check<'a>(
    doc: &'a Html,
    roots: Vec<ElementRef<'a>>,
    stats: &HashMap<NodeId, super::score::Stat>,
) -> Vec<ElementRef<'a>> {
    let Some(body) = article_body(doc) else {
        return roots;
    };
    let k = key(&body);
    let (head, tail) = ends(&k, PROBE);
    // the smallest block (the last in document order among nested ones) holding each end
    let mut first: Option<ElementRef<'_>> = None;
    let mut last: Option<ElementRef<'_>> = None;
    for el in doc.root_element().descendent_elements() {
        if !is_text_block(el.value().name()) {
            continue;
        }
        let Some(st) = stats.get(&el.id()) else {
            continue;
        };
        if st.text < PROBE || st.text > k.chars().count() * 3 + 2000 {
            continue;
        }
        let t = key(&text_capped(*el, k.len() * 3 + 2000));
        if t.contains(&head) && first.is_none_or(|f| contains(f, el.id())) {
            first = Some(el);
        }
        if t.contains(&tail) && last.is_none_or(|l| contains(l, el.id()) || !contains(el, l.id())) {
            last = Some(el);
        }
    }
    let (Some(first), Some(last)) = (first, last) else {
        return roots;
    };
    let Some(common) = std::iter::once(first)
        .chain(first.ancestors().filter_map(ElementRef::wrap))
        .find(|a| contains(*a, last.id()))
    else {
        return roots;
    };
    if matches!(common.value().name(), "body" | "html") {
        return roots;
    }
    let text = |e: &ElementRef<'_>| stats.get(&e.id()).map_or(0, |s| s.text);
    let stated = k.chars().count();
    let holds = |n: NodeId| roots.iter().any(|r| contains(*r, n));
    if holds(first.id()) && holds(last.id()) {
        // the body holds the text; narrow it when it holds much more besides
        let total: usize = roots.iter().map(text).sum();
        if total * 2 <= stated * 3 || text(&common) >= total {
            return roots;
        }
    }
    vec![common]
}
