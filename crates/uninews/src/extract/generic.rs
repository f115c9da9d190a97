//! Rules for any page, used when neither a site profile nor a CMS rule set gives a field:
//! the headline (an `h1`/`h2`/`*title*` element that `<title>`/`og:title` contains, else
//! `og:title`, else `<title>` minus the site name), the body container by text density, and
//! the publication date from page metadata.

use super::dom::{class_id_contains, class_id_matches, is_skipped, own_style, visible_nodes};
use crate::text::normalize_ws;
use ego_tree::NodeId;
use ego_tree::iter::Edge;
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

static META_SEL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("meta").expect("static selector"));
static TITLE_SEL: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("head title, title").expect("static selector"));
static JSONLD_SEL: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(r#"script[type="application/ld+json"]"#).expect("static selector")
});

static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)article|content|entry|post|text|body|main|detail|news|read|story|rich|zw|wz")
        .expect("static regex")
});
/// Class/id words of page parts that are never the article.
pub static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)comment|footer|foot|sidebar|side-|aside|(?-u:\b)nav|menu|header|banner|share|social|related|recommend|breadcrumb|crumb|pager|pagination|copyright|toolbar|advert|(?-u:\b)ad-|popup|modal|login|search|widget|multibox|article-list|article_list|tags")
        .expect("static regex")
});

/// True when the class/id of `e` names a page part that is never the article
/// ([`NEGATIVE`]). Paragraphs and headings are exempt: their class names describe text
/// features (`selectionShareable`, `has-comments-link`), not page parts.
pub fn is_negative(e: &scraper::node::Element) -> bool {
    !matches!(
        e.name(),
        "p" | "pre" | "blockquote" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    ) && class_id_matches(e, &NEGATIVE)
}

/// Text of a subtree, stopping after about `cap` characters.
fn text_capped(node: ego_tree::NodeRef<'_, Node>, cap: usize) -> String {
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

/// A `<meta>` content by `property` or `name` (case-insensitive).
pub fn meta_content(doc: &Html, keys: &[&str]) -> Option<String> {
    for el in doc.select(&META_SEL) {
        let v = el.value();
        let k = v
            .attr("property")
            .or_else(|| v.attr("name"))
            .or_else(|| v.attr("itemprop"));
        if let Some(k) = k
            && keys.iter().any(|w| w.eq_ignore_ascii_case(k.trim()))
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
        if !(2..=300).contains(&len) || !refs.iter().any(|r| r.contains(t.as_str())) {
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
struct Stat {
    /// Paragraph score after link density and class weight.
    score: f32,
    /// Visible characters (no whitespace).
    text: usize,
    /// Of which inside links.
    link: usize,
    /// Prose in paragraph blocks below, outside lists and boilerplate-named subtrees.
    deep: usize,
}

impl Stat {
    fn link_density(&self) -> f32 {
        if self.text == 0 {
            1.0
        } else {
            self.link as f32 / self.text as f32
        }
    }
}

/// Class/id words of cookie-consent boxes (never the article, nor anything inside).
static CONSENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)cookie|consent|onetrust|gdpr").expect("static regex"));

/// A dialog (cookie consent, newsletter pop-up): `role="dialog"`/`alertdialog` or
/// `aria-modal="true"`.
fn is_dialog(e: &scraper::node::Element) -> bool {
    e.attrs().any(|(k, v)| {
        (k == "role" && (v.eq_ignore_ascii_case("dialog") || v.eq_ignore_ascii_case("alertdialog")))
            || (k == "aria-modal" && v.eq_ignore_ascii_case("true"))
    })
}

/// Best element and its score.
type Best = Option<(f32, NodeId)>;

/// The density pass: every element's [`Stat`], the best element by paragraph density and
/// the best by prose balance (prose in paragraph blocks outside lists and boilerplate,
/// minus all other text, link text counting twice).
fn score_tree(doc: &Html) -> (HashMap<NodeId, Stat>, Best, Best) {
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
                            block: super::dom::is_block(e.name()),
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

/// True when sibling `s` of the best candidate `el` continues the article: it scores at
/// least a fifth of the best, it is a paragraph of real prose with few links, or it is
/// a block of the same kind as `el` (same tag and class: the next step of a how-to, the
/// next part of a split article) with some text and few links.
fn continues_article<'a>(
    s: ElementRef<'a>,
    el: ElementRef<'a>,
    stat: Option<&Stat>,
    best: f32,
) -> bool {
    let Some(stat) = stat else { return false };
    if is_negative(s.value()) || stat.link_density() > 0.5 {
        return false;
    }
    if stat.score >= (best * 0.2).max(10.0) {
        return true;
    }
    let own = stat.text.saturating_sub(stat.link);
    let class = |e: &ElementRef<'a>| -> &'a str { e.value().attr("class").map_or("", str::trim) };
    if s.value().name() == el.value().name()
        && !class(&el).is_empty()
        && class(&s) == class(&el)
        && own >= 30
        && stat.link_density() < 0.3
    {
        return true;
    }
    matches!(s.value().name(), "p" | "pre" | "blockquote")
        && own >= 60
        && stat.link_density() < 0.25
}

/// The body container found by text density: the element collecting the most paragraph
/// text (paragraphs count fully for their parent and half for their grandparent), scaled
/// down by link density and boilerplate class names. Siblings that continue the article
/// (an article split over several blocks, see [`continues_article`]) are returned with it,
/// in page order, with the headings between them; so are preceding siblings that only hold
/// an image (a lead photo).
#[cfg(test)]
pub fn body(doc: &Html) -> Vec<ElementRef<'_>> {
    body_and_noise(doc).0
}

/// Containers that are mostly link text (teaser lists, "more stories", tag clouds).
const NOISE_CONTAINERS: [&str; 9] = [
    "div", "section", "ul", "ol", "table", "aside", "nav", "form", "header",
];

/// [`body`], plus the elements inside it that are clutter: containers whose text is at
/// least half link text.
pub fn body_and_noise(doc: &Html) -> (Vec<ElementRef<'_>>, HashSet<NodeId>) {
    let (stats, best, best_prose) = score_tree(doc);
    let roots = choose_body(doc, &stats, best, best_prose);
    let mut noise = HashSet::new();
    for r in &roots {
        for d in r.descendent_elements().skip(1) {
            if NOISE_CONTAINERS.contains(&d.value().name())
                && stats.get(&d.id()).is_some_and(|s| s.link_density() >= 0.5)
            {
                noise.insert(d.id());
            }
        }
    }
    (roots, noise)
}

fn choose_body<'a>(
    doc: &'a Html,
    stats: &HashMap<NodeId, Stat>,
    best: Best,
    best_prose: Best,
) -> Vec<ElementRef<'a>> {
    let Some((best_score, id)) = best else {
        return Vec::new();
    };
    let Some(mut el) = doc.tree.get(id).and_then(ElementRef::wrap) else {
        return Vec::new();
    };
    if let Some(p) = best_prose
        .and_then(|(_, p)| doc.tree.get(p))
        .and_then(ElementRef::wrap)
        && prose_wins(el, p, stats)
    {
        return with_lead_image(p, vec![p]);
    }
    // an article cut into several blocks of similar weight (one per column or page part):
    // the nearest ancestor holding at least two of the other strong candidates
    let mut strong: Vec<(f32, NodeId)> = stats
        .iter()
        .filter(|(n, s)| **n != id && s.score >= best_score * 0.75)
        .map(|(n, s)| (s.score, *n))
        .collect();
    strong.sort_by(|x, y| y.0.total_cmp(&x.0));
    strong.truncate(4);
    if strong.len() >= 2 {
        let holds = |anc: NodeId, n: NodeId| {
            doc.tree
                .get(n)
                .is_some_and(|x| x.ancestors().any(|a| a.id() == anc))
        };
        if let Some(anc) = el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|a| !matches!(a.value().name(), "body" | "html"))
            .find(|a| strong.iter().filter(|(_, n)| holds(a.id(), *n)).count() >= 2)
        {
            el = anc;
        }
    }
    let best_score = stats
        .get(&el.id())
        .map_or(best_score, |s| s.score.max(best_score));
    let siblings: Vec<ElementRef<'_>> = match el.parent() {
        Some(p) => p.children().filter_map(ElementRef::wrap).collect(),
        None => vec![el],
    };
    let at = siblings.iter().position(|s| *s == el).unwrap_or(0);
    let keep: Vec<bool> = siblings
        .iter()
        .enumerate()
        .map(|(i, s)| i == at || continues_article(*s, el, stats.get(&s.id()), best_score))
        .collect();
    let first = keep.iter().position(|k| *k).unwrap_or(at);
    let last = keep.iter().rposition(|k| *k).unwrap_or(at);
    let mut out: Vec<ElementRef<'_>> = Vec::new();
    for (i, s) in siblings.iter().enumerate().take(last + 1).skip(first) {
        let heading = super::dom::heading_level(s.value().name()).is_some_and(|l| l > 1);
        if keep[i] || heading {
            out.push(*s);
        }
    }
    match out.first() {
        Some(f) => with_lead_image(*f, out),
        None => out,
    }
}

/// Whether the best element by prose balance `p` replaces the density winner `d`: as an
/// ancestor when it adds at least 30% more prose (the article's paragraphs sit in many
/// small wrappers), as a descendant when it keeps 80% of the prose (the winner was
/// a wrapper with much else), elsewhere when it has three times the prose.
fn prose_wins(d: ElementRef<'_>, p: ElementRef<'_>, stats: &HashMap<NodeId, Stat>) -> bool {
    let deep = |e: ElementRef<'_>| stats.get(&e.id()).map_or(0, |s| s.deep);
    let (dd, pd) = (deep(d), deep(p));
    if d == p {
        false
    } else if d.ancestors().any(|a| a.id() == p.id()) {
        pd * 10 >= dd * 13
    } else if p.ancestors().any(|a| a.id() == d.id()) {
        pd * 5 >= dd * 4
    } else {
        dd > 0 && dd * 3 < pd
    }
}

/// `out` (the body, starting with `first`) preceded by up to two siblings just before
/// `first` that only hold an image (a lead photo).
fn with_lead_image<'a>(first: ElementRef<'a>, mut out: Vec<ElementRef<'a>>) -> Vec<ElementRef<'a>> {
    for s in first.prev_siblings().filter_map(ElementRef::wrap).take(2) {
        if text_capped(*s, 60).chars().count() < 40
            && s.descendent_elements().any(|d| d.value().name() == "img")
        {
            out.insert(0, s);
        } else {
            break;
        }
    }
    out
}

/// The author from page metadata, for pages without rules: JSON-LD `author`, `<meta
/// name="author">` (also `article:author`, `dc.creator`, `citation_author`, `parsely-author`)
/// unless it is a URL, then the text of `rel="author"` / `itemprop="author"` / byline
/// elements. Several JSON-LD authors are joined with `, `.
pub fn meta_author(doc: &Html) -> Option<String> {
    static BYLINE: LazyLock<Selector> = LazyLock::new(|| {
        Selector::parse(
            r#"[rel="author"], [itemprop="author"], .byline, .author-name, .byline-name"#,
        )
        .expect("static selector")
    });
    let plausible = |v: &str| {
        let v = normalize_ws(v);
        let v = v
            .strip_prefix("By ")
            .or_else(|| v.strip_prefix("by "))
            .unwrap_or(&v)
            .trim()
            .to_string();
        (!v.is_empty() && v.chars().count() <= 80 && !v.contains("://")).then_some(v)
    };
    let from_ld = doc.select(&JSONLD_SEL).find_map(|s| {
        let t: String = s.text().collect();
        let v: serde_json::Value = serde_json::from_str(t.trim()).ok()?;
        ld_author(&v).and_then(|a| plausible(&a))
    });
    from_ld
        .or_else(|| {
            meta_content(
                doc,
                &[
                    "author",
                    "article:author",
                    "dc.creator",
                    "citation_author",
                    "parsely-author",
                ],
            )
            .and_then(|a| plausible(&a))
        })
        .or_else(|| {
            doc.select(&BYLINE)
                .find_map(|e| plausible(&super::byline::clean(&super::dom::element_text(e))))
        })
}

/// The `author` of the first JSON-LD object that has one (searching `@graph` and arrays).
fn ld_author(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let name = |a: &Value| match a {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    match v {
        Value::Array(items) => items.iter().find_map(ld_author),
        Value::Object(o) => {
            if let Some(a) = o.get("author") {
                let names: Vec<String> = match a {
                    Value::Array(list) => list.iter().filter_map(name).collect(),
                    other => name(other).into_iter().collect(),
                };
                let names: Vec<String> = names
                    .into_iter()
                    .map(|n| normalize_ws(&n))
                    .filter(|n| !n.is_empty())
                    .collect();
                if !names.is_empty() {
                    return Some(names.join(", "));
                }
            }
            o.get("@graph").and_then(ld_author)
        }
        _ => None,
    }
}

/// The publication date from page metadata (`article:published_time`, JSON-LD
/// `datePublished`, ...): date only, since a time there is not what the page prints.
pub fn meta_published(doc: &Html) -> Option<String> {
    let from_meta = meta_content(
        doc,
        &[
            "article:published_time",
            "og:published_time",
            "datePublished",
            "pubdate",
            "publishdate",
            "PubDate",
            "dc.date",
            "dc.date.issued",
            "date",
        ],
    );
    let text = from_meta.or_else(|| {
        doc.select(&JSONLD_SEL).find_map(|s| {
            let t: String = s.text().collect();
            let at = t.find("\"datePublished\"")?;
            Some(t[at..].chars().take(60).collect())
        })
    })?;
    let p = super::dates::find(&text, None)?;
    Some(super::dates::iso(
        super::dates::Printed {
            date: p.date,
            time: None,
        },
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_is_the_element_the_title_contains() {
        let doc = Html::parse_document(
            r#"<html><head><title>学校召开论证会-某某大学-研究生院</title></head><body>
            <h1>学校新闻</h1><div class="title">学校召开论证会</div><p>正文</p></body></html>"#,
        );
        assert_eq!(title(&doc).unwrap().0, "学校召开论证会");
    }

    #[test]
    fn svg_titles_are_not_the_page_title_and_site_name_is_stripped() {
        let doc = Html::parse_document(
            r#"<html><head><title>New Lab Opens Downtown | Example University</title></head>
            <body><svg><title>Search</title></svg><p>x</p></body></html>"#,
        );
        assert_eq!(title(&doc).unwrap().0, "New Lab Opens Downtown");
    }

    #[test]
    fn og_title_when_no_element_matches() {
        let doc = Html::parse_document(
            r#"<html><head><meta property="og:title" content="要闻标题"><title>x</title></head><body><div>y</div></body></html>"#,
        );
        assert_eq!(title(&doc).unwrap().0, "要闻标题");
    }

    #[test]
    fn density_picks_the_text_container_and_its_lead_image() {
        let para = "这是一段足够长的正文内容，用来测试文本密度算法是否能够找到正文容器。".repeat(3);
        let html = format!(
            r#"<html><body><div class="nav"><a href="/">首页</a><a href="/a">新闻</a></div>
            <div class="main"><div class="pic"><img src="/a.jpg"></div>
            <div class="text"><p>{para}</p><p>{para}</p></div>
            <div class="related"><ul><li><a href="/x">{para}</a></li></ul></div></div></body></html>"#
        );
        let doc = Html::parse_document(&html);
        let b = body(&doc);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].value().attr("class"), Some("pic"));
        assert_eq!(b[1].value().attr("class"), Some("text"));
    }

    #[test]
    fn an_article_split_over_sibling_blocks_is_kept_whole() {
        let para = "Long enough sentence of article prose, with commas, for the density pass. ";
        let html = format!(
            r#"<html><body><div class="menu"><a href="/">Home</a></div><article>
            <div class="part"><p>{0}{0}{0}</p><p>{0}{0}</p></div><h2>Second part</h2>
            <div class="part"><p>{0}{0}</p></div>
            <div class="related"><p><a href="/x">{0}</a></p></div></article></body></html>"#,
            para
        );
        let doc = Html::parse_document(&html);
        let b = body(&doc);
        let names: Vec<&str> = b.iter().map(|e| e.value().name()).collect();
        assert_eq!(names, ["div", "h2", "div"]);
    }

    #[test]
    fn blocks_of_similar_weight_lift_the_body_to_their_common_ancestor() {
        let para = "Long enough sentence of article prose, with commas, for the density pass. ";
        let col = format!(
            r#"<div class="col"><div><p>{0}{0}</p><p>{0}{0}</p></div><aside></aside></div>"#,
            para
        );
        let html = format!(
            r#"<html><body><section id="story">{col}{col}{col}</section><footer><p>{para}</p></footer></body></html>"#
        );
        let doc = Html::parse_document(&html);
        let b = body(&doc);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].value().attr("id"), Some("story"));
    }

    #[test]
    fn steps_in_deep_wrappers_join_the_intro() {
        let para = "Long enough sentence of article prose, with commas, for the density pass. ";
        let step = format!(
            r#"<span><div class="step"><div><span><p>{para}{para}</p></span></div></div></span>"#
        );
        let html = format!(
            r#"<html><body><article id="art"><div class="intro"><p>{para}</p><p>{para}</p><p>{para}</p></div>
            {step}{step}{step}{step}{step}</article><ul class="x"><li><a href="/1">{para}</a></li></ul></body></html>"#
        );
        let doc = Html::parse_document(&html);
        let b = body(&doc);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].value().attr("id"), Some("art"));
    }

    #[test]
    fn consent_boxes_and_dialogs_are_never_the_body() {
        let para = "Long enough sentence of article prose, with commas, for the density pass. ";
        let html = format!(
            r#"<html><body class="has-cookie-banner"><div id="onetrust-consent-sdk"><div><div class="desc">
            <p>{para}{para}</p><p>{para}{para}</p><p>{para}{para}</p></div></div></div>
            <div role="dialog"><div><p>{para}{para}</p><p>{para}{para}</p></div></div>
            <div id="story"><p>{para}</p><p>{para}</p></div></body></html>"#
        );
        let doc = Html::parse_document(&html);
        let b = body(&doc);
        assert_eq!(b[0].value().attr("id"), Some("story"));
    }

    #[test]
    fn hidden_subtrees_do_not_score() {
        let para = "这是一段足够长的正文内容，用来测试文本密度算法是否能够找到正文容器。".repeat(3);
        let html = format!(
            r#"<html><body><div id="a" style="display:none"><p>{para}</p><p>{para}</p><p>{para}</p></div>
            <div id="b" style="visibility: hidden"><p>{para}</p></div></body></html>"#
        );
        let doc = Html::parse_document(&html);
        let b = body(&doc);
        let in_b = |e: &ElementRef<'_>| {
            e.value().attr("id") == Some("b")
                || e.ancestors()
                    .filter_map(ElementRef::wrap)
                    .any(|a| a.value().attr("id") == Some("b"))
        };
        assert!(!b.is_empty() && b.iter().all(in_b));
    }

    #[test]
    fn author_from_json_ld_then_meta_then_byline() {
        let doc = Html::parse_document(
            r#"<html><head><meta name="author" content="Meta Name"><script type="application/ld+json">
            {"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ana Roe"}, {"name": "Ben Poe"}]}]}
            </script></head><body></body></html>"#,
        );
        assert_eq!(meta_author(&doc).as_deref(), Some("Ana Roe, Ben Poe"));
        let doc = Html::parse_document(
            r#"<html><head><meta name="author" content="https://example.org/staff/x"></head>
            <body><p class="byline">By Jane Doe</p></body></html>"#,
        );
        assert_eq!(meta_author(&doc).as_deref(), Some("Jane Doe"));
        let doc = Html::parse_document(
            r#"<html><head><meta name="Author" content="Von Lehmann"></head><body></body></html>"#,
        );
        assert_eq!(meta_author(&doc).as_deref(), Some("Von Lehmann"));
    }

    #[test]
    fn paragraph_class_names_are_not_page_parts() {
        let para = "Long enough sentence of article prose, with commas, for the density pass. ";
        let html = format!(
            r#"<html><body><div class="menu"><a href="/">Home</a></div><div id="story">
            <p class="selectionShareable">{para}{para}</p><p class="selectionShareable">{para}{para}</p>
            <p>{para}</p></div></body></html>"#
        );
        let doc = Html::parse_document(&html);
        let b = body(&doc);
        assert_eq!(b[0].value().attr("id"), Some("story"));
        let e = Html::parse_fragment(r#"<div class="share-tools"></div>"#);
        let div = e.root_element().child_elements().next().unwrap();
        assert!(is_negative(div.value()));
        let e = Html::parse_fragment(r#"<p class="selectionShareable">x</p>"#);
        let p = e.root_element().child_elements().next().unwrap();
        assert!(!is_negative(p.value()));
    }

    #[test]
    fn link_lists_inside_the_body_are_noise() {
        let para = "Long enough sentence of article prose, with commas, for the density pass. ";
        let html = format!(
            r#"<html><body><article><p>{para}{para}</p><p>{para}{para}</p>
            <div class="more"><h3>More</h3><ul><li><a href="/1">A teaser headline of another story</a></li>
            <li><a href="/2">A second teaser headline of one more story</a></li></ul></div>
            <p>{para}</p></article></body></html>"#
        );
        let doc = Html::parse_document(&html);
        let (roots, noise) = body_and_noise(&doc);
        assert_eq!(roots[0].value().name(), "article");
        let more = roots[0]
            .descendent_elements()
            .find(|e| e.value().attr("class") == Some("more"))
            .unwrap();
        assert!(noise.contains(&more.id()));
        assert!(
            !roots[0]
                .descendent_elements()
                .filter(|e| e.value().name() == "p")
                .any(|p| noise.contains(&p.id()))
        );
    }

    #[test]
    fn text_in_spans_is_the_blocks_own_text() {
        let para = "Long enough sentence of chapter prose, with commas, for the density pass. ";
        let html = format!(
            r#"<html><body><div class="note"><p>{para}</p></div><div id="chapter">
            <div><span>{para}{para}</span></div><div><span>{para}{para}</span></div>
            <div><span>{para}{para}</span></div></div></body></html>"#
        );
        let doc = Html::parse_document(&html);
        assert_eq!(body(&doc)[0].value().attr("id"), Some("chapter"));
    }

    #[test]
    fn metadata_date() {
        let doc = Html::parse_document(
            r#"<html><head><script type="application/ld+json">{"datePublished": "2020-02-05T00:00:00-0500"}</script></head><body></body></html>"#,
        );
        assert_eq!(meta_published(&doc).as_deref(), Some("2020-02-05"));
    }
}
