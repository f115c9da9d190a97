//! The density pass over the whole DOM: every element's visible text, link text,
//! paragraph-density score and prose balance, and the best element by each; plus the
//! class/id words that mark page parts which are never the article.

use crate::extract::dom::{class_id_matches, is_skipped, own_style};
use ego_tree::NodeId;
use ego_tree::iter::Edge;
use regex::Regex;
use scraper::{Html, Node};
use std::collections::HashMap;
use std::sync::LazyLock;

static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)article|content|entry|post|text|body|main|detail|news|read|story|rich|zw|wz")
        .expect("static regex")
});
/// Class/id words of page parts that are never the article.
pub static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)comment|footer|foot|sidebar|side-|aside|(?-u:\b)nav|menu|header|banner|share|social|related|recommend|breadcrumb|crumb|pager|pagination|copyright|toolbar|advert|(?-u:\b)ad-|popup|modal|login|search|widget|multibox|article-list|article_list|tags|playlist|author-bio|author_bio|authorbio|about-author|about-the-author|newsletter")
        .expect("static regex")
});
/// The [`NEGATIVE`] words that name a place on the page rather than what it holds: inside
/// the body, a block named so that holds prose is part of the article (a figure's footer
/// with the item's description, a section header with its lead).
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:footer|foot|header|aside|side-)$").expect("static regex")
});

/// The names of `e` that can say it is a page part: its `class`, and its `id` unless that
/// is made from a heading's words (documentation generators and wikis give each section
/// the slug of its title: `example-1-amend-a-shared-changeset`), told by four or more
/// words. Paragraphs and headings have none: their class names describe text features
/// (`selectionShareable`, `has-comments-link`), not page parts.
fn part_names(e: &scraper::node::Element) -> impl Iterator<Item = &str> {
    let text_element = matches!(
        e.name(),
        "p" | "pre" | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    );
    let slug = |id: &&str| id.split(['-', '_']).filter(|w| !w.is_empty()).count() >= 4;
    let names = e
        .attr("class")
        .into_iter()
        .chain(e.id().filter(|id| !slug(id)));
    names.filter(move |_| !text_element)
}

/// True when the names of `e` ([`part_names`]) say a page part that is never the article
/// ([`NEGATIVE`]).
pub fn is_negative(e: &scraper::node::Element) -> bool {
    part_names(e).any(|v| NEGATIVE.is_match(v))
}

/// True when every [`NEGATIVE`] word in the names of `e` only names a place on the page
/// ([`PLACE`]: `footer`, `header`, `aside`, ...).
pub(super) fn only_place_words(e: &scraper::node::Element) -> bool {
    let mut any = false;
    for m in part_names(e).flat_map(|v| NEGATIVE.find_iter(v)) {
        if !PLACE.is_match(m.as_str()) {
            return false;
        }
        any = true;
    }
    any
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    id: NodeId,
    text: usize,
    link: usize,
    direct: usize,
    score: f32,
    paragraph: bool,
    weight: f32,
    /// Inside a dialog or consent box: never the article.
    banned: bool,
    /// A block element (its `direct` text includes that of inline descendants).
    block: bool,
    /// Prose in paragraph blocks anywhere below, outside boilerplate-named subtrees.
    deep: usize,
}

/// What the density pass learnt about one element.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stat {
    /// Paragraph score after link density and class weight.
    pub(super) score: f32,
    /// Visible characters (no whitespace).
    pub(super) text: usize,
    /// Of which inside links.
    pub(super) link: usize,
    /// Prose in paragraph blocks below, outside lists and boilerplate-named subtrees.
    pub(super) deep: usize,
}

impl Stat {
    pub(super) fn link_density(&self) -> f32 {
        if self.text == 0 {
            1.0
        } else {
            self.link as f32 / self.text as f32
        }
    }
}

/// Class/id words of cookie-consent boxes (never the article, nor anything inside): at
/// the start of a class name or of one of its `-`/`_` parts, so that feature flags inside
/// a name (`filterNonGdprEmbeds` on an article wrapper) do not count.
static CONSENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[\s_-])(?:cookie|consent|onetrust|gdpr)|cookiebot|cookieconsent")
        .expect("static regex")
});

/// A dialog (cookie consent, newsletter pop-up): `role="dialog"`/`alertdialog` or
/// `aria-modal="true"`.
fn is_dialog(e: &scraper::node::Element) -> bool {
    e.attrs().any(|(k, v)| {
        (k == "role" && (v.eq_ignore_ascii_case("dialog") || v.eq_ignore_ascii_case("alertdialog")))
            || (k == "aria-modal" && v.eq_ignore_ascii_case("true"))
    })
}

/// Best element and its score.
pub(super) type Best = Option<(f32, NodeId)>;

/// The density pass: every element's [`Stat`], the best element by paragraph density and
/// the best by prose balance (prose in paragraph blocks outside lists and boilerplate,
/// minus all other text, link text counting twice).
pub(super) fn score_tree(doc: &Html) -> (HashMap<NodeId, Stat>, Best, Best) {
    let mut stats: HashMap<NodeId, Stat> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut best: Best = None;
    let mut best_prose: Best = None;
    let mut skip: Option<NodeId> = None;
    let mut in_link = 0usize;
    let mut in_li = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Element(e) => {
                        if is_skipped(e.name()) || own_style(e).hidden {
                            skip = Some(n.id());
                            continue;
                        }
                        let banned = stack.last().is_some_and(|p| p.banned)
                            || (!matches!(e.name(), "html" | "body" | "main" | "article")
                                && (is_dialog(e) || class_id_matches(e, &CONSENT)));
                        let mut weight = if banned { 0.0 } else { 1.0 };
                        if is_negative(e) {
                            weight *= 0.3;
                        } else if class_id_matches(e, &POSITIVE) {
                            weight *= 1.3;
                        }
                        if matches!(e.name(), "nav" | "footer" | "header" | "aside") {
                            weight *= 0.3;
                        }
                        if e.name() == "a" {
                            in_link += 1;
                        }
                        if e.name() == "li" {
                            in_li += 1;
                        }
                        stack.push(Frame {
                            id: n.id(),
                            text: 0,
                            link: 0,
                            direct: 0,
                            score: 0.0,
                            paragraph: matches!(e.name(), "p" | "pre" | "blockquote"),
                            weight,
                            banned,
                            block: crate::extract::dom::is_block(e.name()),
                            deep: 0,
                        });
                    }
                    Node::Text(t) => {
                        let len = t.chars().filter(|c| !crate::text::is_space(*c)).count();
                        if let Some(f) = stack.last_mut() {
                            f.text += len;
                            if in_link > 0 {
                                f.link += len;
                            }
                        }
                        // text in inline elements (`span`, `font`, `b`) is the enclosing
                        // block's own text
                        if let Some(b) = stack.iter_mut().rev().take(8).find(|f| f.block) {
                            b.direct += len;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if let Some(id) = skip {
                    if id == n.id() {
                        skip = None;
                    }
                    continue;
                }
                let Node::Element(e) = n.value() else {
                    continue;
                };
                if e.name() == "a" {
                    in_link = in_link.saturating_sub(1);
                }
                if e.name() == "li" {
                    in_li = in_li.saturating_sub(1);
                }
                let Some(f) = stack.pop() else { continue };
                let density = if f.text == 0 {
                    1.0
                } else {
                    f.link as f32 / f.text as f32
                };
                let own = f.text.saturating_sub(f.link) as f32;
                let text_block = f.paragraph
                    || (matches!(e.name(), "div" | "td" | "li" | "section" | "dd")
                        && f.direct >= 20);
                let mut deep = f.deep;
                if text_block && own >= 20.0 {
                    if in_li == 0 && e.name() != "li" {
                        deep = deep.max(own as usize);
                    }
                    let len = stack.len();
                    if let Some(p) = stack.get_mut(len.wrapping_sub(1)) {
                        p.score += own;
                    }
                    if let Some(g) = stack.get_mut(len.wrapping_sub(2)) {
                        g.score += own / 2.0;
                    }
                }
                // prose minus everything else, link text counting twice
                let junk = (f.text.saturating_sub(deep) + f.link) as f32;
                let prose = (deep as f32 - junk) * f.weight;
                if prose > 0.0 && best_prose.is_none_or(|(s, _)| prose > s) {
                    best_prose = Some((prose, f.id));
                }
                let final_score = f.score * (1.0 - density) * f.weight;
                if final_score > 0.0 && best.is_none_or(|(s, _)| final_score > s) {
                    best = Some((final_score, f.id));
                }
                if f.text > 0 {
                    stats.insert(
                        f.id,
                        Stat {
                            score: final_score,
                            deep,
                            text: f.text,
                            link: f.link,
                        },
                    );
                }
                if let Some(p) = stack.last_mut() {
                    p.text += f.text;
                    p.link += f.link;
                    if f.weight >= 1.0 {
                        p.deep += deep;
                    }
                }
            }
        }
    }
    (stats, best, best_prose)
}
