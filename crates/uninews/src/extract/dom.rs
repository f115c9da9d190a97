//! DOM helpers shared by the extraction passes: which elements are never content, which
//! start a new block, the style facts (bold, alignment, hidden) an element sets, text of a
//! subtree, and URL resolution (including offline-mirror `javascript:` link wrappers).
//!
//! Everything here walks the tree iteratively (ego-tree traversal edges), never by
//! recursion, so a page nested 100,000 levels deep costs no stack.

use crate::text::normalize_ws;
use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Node};
use url::Url;

/// The nodes of `root`'s subtree in document order, leaving out elements whose content
/// is never text ([`is_skipped`]: scripts, styles, …) together with everything inside
/// them.
pub fn visible_nodes<'a>(root: NodeRef<'a, Node>) -> impl Iterator<Item = NodeRef<'a, Node>> {
    let mut skip: Option<ego_tree::NodeId> = None;
    root.traverse().filter_map(move |edge| match edge {
        Edge::Open(n) => {
            if skip.is_some() {
                return None;
            }
            if let Node::Element(e) = n.value()
                && is_skipped(e.name())
            {
                skip = Some(n.id());
                return None;
            }
            Some(n)
        }
        Edge::Close(n) => {
            if skip == Some(n.id()) {
                skip = None;
            }
            None
        }
    })
}

/// Elements whose content is never article text.
pub fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "button"
            | "select"
            | "option"
            | "textarea"
            | "input"
            | "map"
            | "canvas"
            | "audio"
            | "video"
            | "link"
            | "meta"
            | "title"
    )
}

/// Elements that start and end a line of text.
pub fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "section"
            | "article"
            | "main"
            | "aside"
            | "nav"
            | "header"
            | "footer"
            | "figure"
            | "figcaption"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "center"
            | "pre"
            | "address"
            | "form"
            | "fieldset"
            | "hr"
            | "details"
            | "summary"
            | "body"
            | "html"
    )
}

/// The heading level of `h1`..`h6`.
pub fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// An attribute of `el`, found by comparing names (scraper's `attr` interns the name as an
/// atom on every call, which is slow on hot paths).
pub fn attr<'e>(el: &'e scraper::node::Element, name: &str) -> Option<&'e str> {
    el.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// Horizontal alignment of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Left, justified or unspecified.
    #[default]
    Start,
    /// Centred.
    Center,
    /// Right-aligned.
    End,
}

/// What an element's own markup says about style; `None` means inherited.
#[derive(Debug, Clone, Copy, Default)]
pub struct OwnStyle {
    /// Bold (`strong`, `b`, headings, `font-weight: bold`), or explicitly not bold.
    pub bold: Option<bool>,
    /// `text-align` / `align` (only meaningful on block elements).
    pub align: Option<Align>,
    /// `display: none`, the `hidden` attribute, or a class that CSS frameworks define as
    /// hidden ([`HIDING_CLASSES`]). `visibility: hidden` is not hiding: pages set it on the
    /// article while a script prepares it and then reveal it.
    pub hidden: bool,
}

fn parse_align(v: &str) -> Option<Align> {
    let v = v.trim();
    let is = |w: &str| v.eq_ignore_ascii_case(w);
    if is("center") || is("middle") || is("-webkit-center") {
        Some(Align::Center)
    } else if is("right") || is("end") {
        Some(Align::End)
    } else if is("left") || is("start") || is("justify") {
        Some(Align::Start)
    } else {
        None
    }
}

fn parse_weight(v: &str) -> Option<bool> {
    let v = v.trim().trim_end_matches("!important").trim();
    let is = |w: &str| v.eq_ignore_ascii_case(w);
    if is("bold") || is("bolder") {
        Some(true)
    } else if is("normal") || is("lighter") {
        Some(false)
    } else {
        v.parse::<u32>().ok().map(|w| w >= 600)
    }
}

/// Class names that the common CSS frameworks (Bootstrap, Tailwind, Bulma, WordPress
/// themes) define as `display: none` or as text for screen readers only: `hidden`,
/// `d-none`, `is-hidden`, `sr-only`, `visually-hidden`, `screen-reader-text`.
pub const HIDING_CLASSES: [&str; 6] = [
    "hidden",
    "d-none",
    "is-hidden",
    "sr-only",
    "visually-hidden",
    "screen-reader-text",
];

fn hiding_class(el: &scraper::node::Element) -> bool {
    attr(el, "class").is_some_and(|c| {
        c.split_ascii_whitespace()
            .any(|w| HIDING_CLASSES.iter().any(|h| w.eq_ignore_ascii_case(h)))
    })
}

fn starts_with_ci(v: &str, prefix: &str) -> bool {
    v.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

/// The style facts `el` sets for itself.
pub fn own_style(el: &scraper::node::Element) -> OwnStyle {
    let name = el.name();
    let mut s = OwnStyle::default();
    match name {
        "strong" | "b" | "th" => s.bold = Some(true),
        "center" => s.align = Some(Align::Center),
        _ if heading_level(name).is_some() => s.bold = Some(true),
        _ => {}
    }
    if attr(el, "hidden").is_some() || hiding_class(el) {
        s.hidden = true;
    }
    if let Some(a) = attr(el, "align") {
        s.align = parse_align(a).or(s.align);
    }
    if let Some(style) = attr(el, "style") {
        for decl in style.split(';') {
            let Some((k, v)) = decl.split_once(':') else {
                continue;
            };
            let k = k.trim();
            let v = v.trim();
            if k.eq_ignore_ascii_case("text-align") {
                s.align = parse_align(v).or(s.align);
            } else if k.eq_ignore_ascii_case("font-weight") {
                s.bold = parse_weight(v).or(s.bold);
            } else if k.eq_ignore_ascii_case("display") && starts_with_ci(v, "none") {
                s.hidden = true;
            }
        }
    }
    s
}

/// Whitespace-normalised text of a subtree, leaving out skipped elements (scripts, ...).
pub fn text_of(node: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    let mut skip: Option<ego_tree::NodeId> = None;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Element(e) if n.id() != node.id() && is_skipped(e.name()) => {
                        skip = Some(n.id());
                    }
                    Node::Element(e) if is_block(e.name()) || e.name() == "br" => out.push(' '),
                    Node::Text(t) => out.push_str(t),
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip == Some(n.id()) {
                    skip = None;
                } else if skip.is_none()
                    && let Node::Element(e) = n.value()
                    && is_block(e.name())
                {
                    out.push(' ');
                }
            }
        }
    }
    normalize_ws(&out)
}

/// Text of an element (see [`text_of`]).
pub fn element_text(el: ElementRef<'_>) -> String {
    text_of(*el)
}

/// True when `hay` contains `word` (lower-case), ASCII case-insensitively.
fn contains_ci(hay: &str, word: &str) -> bool {
    let (h, w) = (hay.as_bytes(), word.as_bytes());
    let Some(&first) = w.first() else {
        return true;
    };
    h.len() >= w.len()
        && (0..=h.len() - w.len()).any(|i| {
            h[i].to_ascii_lowercase() == first && h[i..i + w.len()].eq_ignore_ascii_case(w)
        })
}

/// True when the `class` or `id` of an element contains `word` (lower-case; compared ASCII
/// case-insensitively).
pub fn class_id_contains(el: &scraper::node::Element, word: &str) -> bool {
    el.attrs()
        .any(|(k, v)| (k == "class" || k == "id") && contains_ci(v, word))
}

/// True when the `class` or `id` of an element matches `re` (give it `(?i)`).
pub fn class_id_matches(el: &scraper::node::Element, re: &regex::Regex) -> bool {
    attr(el, "class").is_some_and(|v| re.is_match(v))
        || attr(el, "id").is_some_and(|v| re.is_match(v))
}

/// The target of an offline mirror's `javascript:if(confirm(...))window.location='…'`
/// wrapper (Teleport Ultra), or `None` for other `javascript:` links.
pub fn unwrap_js_link(href: &str) -> Option<String> {
    let decoded = href.replace("%27", "'").replace("&#39;", "'");
    let at = decoded.find("window.location")?;
    let rest = decoded[at + "window.location".len()..].trim_start();
    let rest = rest.strip_prefix(".href").unwrap_or(rest).trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = &rest[1..];
    let end = inner.find(quote)?;
    let target = inner[..end].trim();
    (!target.is_empty()).then(|| target.to_string())
}

/// Resolve `href` against `base`: trims whitespace, unwraps mirror `javascript:` wrappers,
/// refuses other `javascript:`, `mailto:`, `tel:`, `data:` and fragment-only links.
pub fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let lower = href.get(..11).unwrap_or(href).to_ascii_lowercase();
    let target;
    let href = if lower.starts_with("javascript:") {
        target = unwrap_js_link(href)?;
        target.as_str()
    } else {
        href
    };
    let lower = href.get(..7).unwrap_or(href).to_ascii_lowercase();
    if lower.starts_with("mailto:") || lower.starts_with("tel:") || lower.starts_with("data:") {
        return None;
    }
    base.join(href).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    #[test]
    fn style_facts_from_tags_attributes_and_css() {
        let doc = Html::parse_fragment(
            r#"<p style="TEXT-ALIGN: center; font-weight:700">a</p><b>b</b><div align=right>c</div><span style="font-weight: normal;display:none">d</span>"#,
        );
        let els: Vec<_> = doc.root_element().child_elements().collect();
        let p = own_style(els[0].value());
        assert_eq!(p.align, Some(Align::Center));
        assert_eq!(p.bold, Some(true));
        assert_eq!(own_style(els[1].value()).bold, Some(true));
        assert_eq!(own_style(els[2].value()).align, Some(Align::End));
        let span = own_style(els[3].value());
        assert_eq!(span.bold, Some(false));
        assert!(span.hidden);
    }

    #[test]
    fn text_skips_scripts_and_separates_blocks() {
        let doc = Html::parse_fragment(
            "<div>a<script>var x;</script><p>b</p>c<br>d<style>p{}</style></div>",
        );
        let div = doc.root_element().child_elements().next().unwrap();
        assert_eq!(element_text(div), "a b c d");
    }

    #[test]
    fn teleport_wrappers_are_unwrapped() {
        let href = "javascript:if(confirm(%27http://a.edu.cn/x.jsp  \\n\\nThis file was not retrieved by Teleport Ultra%27))window.location=%27http://a.edu.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl&wbfileid=1%27";
        assert_eq!(
            unwrap_js_link(href).as_deref(),
            Some(
                "http://a.edu.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl&wbfileid=1"
            )
        );
        let base = Url::parse("http://a.edu.cn/info/1/2.htm").unwrap();
        assert_eq!(
            resolve(&base, href).unwrap().as_str(),
            "http://a.edu.cn/system/_content/download.jsp?urltype=news.DownloadAttachUrl&wbfileid=1"
        );
        assert!(resolve(&base, "javascript:window.close()").is_none());
        assert!(resolve(&base, "mailto:a@b.c").is_none());
        assert!(resolve(&base, "#top").is_none());
        assert_eq!(
            resolve(&base, " ../../__local/a.doc ").unwrap().as_str(),
            "http://a.edu.cn/__local/a.doc"
        );
    }
}
