//! Selectors with a cheap prefilter. Matching a CSS selector against every element of a
//! page is the extractor's largest cost after parsing; most elements can be rejected by
//! looking at their tag name, classes and id alone. The prefilter holds the necessary
//! conditions of the selector's rightmost compound (`div.title` in `form .x div.title`):
//! an element failing them cannot match, so the full matcher runs only on the rest.

use super::ProfileError;
use super::compile::compile_selector;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Selector};
use std::path::Path;

/// Necessary conditions of a selector's rightmost compound (all lower-cased).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Prefilter {
    tag: Option<String>,
    classes: Vec<String>,
    id: Option<String>,
}

impl Prefilter {
    /// True when `el` may match (class and id compared case-insensitively, which also
    /// covers quirks-mode pages).
    fn admits(&self, el: &scraper::node::Element) -> bool {
        if let Some(t) = &self.tag
            && !el.name().eq_ignore_ascii_case(t)
        {
            return false;
        }
        if let Some(id) = &self.id
            && !el.id().is_some_and(|v| v.eq_ignore_ascii_case(id))
        {
            return false;
        }
        if !self.classes.is_empty() {
            let Some(class) = el.attrs().find(|(k, _)| *k == "class").map(|(_, v)| v) else {
                return false;
            };
            return self.classes.iter().all(|c| {
                class
                    .split_ascii_whitespace()
                    .any(|have| have.eq_ignore_ascii_case(c))
            });
        }
        true
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// The prefilter of a selector's text; empty (admits everything) when the text is beyond
/// this small reading (selector lists, escapes, functional pseudo-classes).
fn prefilter_of(css: &str) -> Prefilter {
    if css.contains([',', '\\', '(']) {
        return Prefilter::default();
    }
    // drop attribute selectors, honouring quotes inside them
    let mut plain = String::with_capacity(css.len());
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for c in css.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if depth > 0 => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth -= 1,
            (None, c) if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let plain = plain.trim();
    let last = plain
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '>' | '+' | '~'))
        .next()
        .unwrap_or("");
    let mut p = Prefilter::default();
    let mut chars = last.chars().peekable();
    let word = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        let mut w = String::new();
        while let Some(&c) = chars.peek() {
            if !is_ident(c) {
                break;
            }
            w.push(c.to_ascii_lowercase());
            chars.next();
        }
        w
    };
    if chars.peek().is_some_and(|c| is_ident(*c)) {
        p.tag = Some(word(&mut chars));
    }
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                let w = word(&mut chars);
                if !w.is_empty() {
                    p.classes.push(w);
                }
            }
            '#' => {
                let w = word(&mut chars);
                if !w.is_empty() {
                    p.id = Some(w);
                }
            }
            ':' => {
                // pseudo-classes only narrow further: skip the name
                while chars.peek().is_some_and(|c| is_ident(*c) || *c == ':') {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    p
}

/// The most selective necessary condition of a selector, for indexing many selectors:
/// an element can only match when it has this id, class or tag name (lower-cased).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKey<'a> {
    /// The element's id.
    Id(&'a str),
    /// One of the element's classes.
    Class(&'a str),
    /// The element's tag name.
    Tag(&'a str),
    /// No cheap condition: test every element.
    Any,
}

/// A compiled CSS selector with its prefilter.
#[derive(Debug, Clone)]
pub struct FastSelector {
    selector: Selector,
    prefilter: Prefilter,
}

impl FastSelector {
    /// Compile `css` (field `field` of profile `path`, for errors).
    pub fn compile(path: &Path, field: &str, css: &str) -> Result<FastSelector, ProfileError> {
        Ok(FastSelector {
            selector: compile_selector(path, field, css)?,
            prefilter: prefilter_of(css),
        })
    }

    /// Compile a static selector (built-in rules).
    pub fn parse(css: &str) -> Result<FastSelector, scraper::error::SelectorErrorKind> {
        Ok(FastSelector {
            selector: Selector::parse(css)?,
            prefilter: prefilter_of(css),
        })
    }

    /// The underlying selector.
    pub fn selector(&self) -> &Selector {
        &self.selector
    }

    /// The condition to index this selector by.
    pub fn index_key(&self) -> IndexKey<'_> {
        let p = &self.prefilter;
        if let Some(id) = &p.id {
            IndexKey::Id(id)
        } else if let Some(c) = p.classes.first() {
            IndexKey::Class(c)
        } else if let Some(t) = &p.tag {
            IndexKey::Tag(t)
        } else {
            IndexKey::Any
        }
    }

    /// True when `el` matches.
    pub fn matches(&self, el: &ElementRef<'_>) -> bool {
        self.prefilter.admits(el.value()) && self.selector.matches(el)
    }

    /// Elements under `root` (not `root` itself) that match, in document order.
    pub fn select<'s, 'a: 's>(
        &'s self,
        root: ElementRef<'a>,
    ) -> impl Iterator<Item = ElementRef<'a>> + 's {
        let root_id = root.id();
        root.traverse().filter_map(move |edge| match edge {
            Edge::Open(n) if n.id() != root_id => {
                let el = ElementRef::wrap(n)?;
                self.matches(&el).then_some(el)
            }
            _ => None,
        })
    }

    /// The first element under `root` that matches.
    pub fn first<'a>(&self, root: ElementRef<'a>) -> Option<ElementRef<'a>> {
        self.select(root).next()
    }
}

/// Compile a list of selectors (field `field[i]`).
pub fn compile_fast(
    path: &Path,
    field: &str,
    list: &[String],
) -> Result<Vec<FastSelector>, ProfileError> {
    list.iter()
        .enumerate()
        .map(|(i, css)| FastSelector::compile(path, &format!("{field}[{i}]"), css))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn pre(css: &str) -> Prefilter {
        prefilter_of(css)
    }

    #[test]
    fn prefilter_reads_the_rightmost_compound() {
        assert_eq!(
            pre("form[name=_newscontent_fromname] .title h3"),
            Prefilter {
                tag: Some("h3".into()),
                ..Default::default()
            }
        );
        assert_eq!(
            pre("h1.arti_title"),
            Prefilter {
                tag: Some("h1".into()),
                classes: vec!["arti_title".into()],
                id: None
            }
        );
        assert_eq!(
            pre(".a > div#Main.x:first-child"),
            Prefilter {
                tag: Some("div".into()),
                classes: vec!["x".into()],
                id: Some("main".into())
            }
        );
        assert_eq!(pre("ul a[href*='x y]']").tag.as_deref(), Some("a"));
        assert_eq!(pre("h1, h2"), Prefilter::default());
        assert_eq!(pre("[id^=vsb_content]"), Prefilter::default());
        assert_eq!(pre("a:not(.x)"), Prefilter::default());
    }

    #[test]
    fn fast_matching_agrees_with_the_selector() {
        let doc = Html::parse_document(
            r#"<div class="A Title"><h3 id="T">x</h3><p class="title">y</p><a href="/w?wbfileid=1">z</a></div>"#,
        );
        for css in [
            ".title",
            "div.title h3",
            "#t",
            "h3#T",
            "a[href*=wbfileid]",
            "div > p.title",
            "p:first-child",
            "*",
        ] {
            let fast = FastSelector::parse(css).unwrap();
            let slow = Selector::parse(css).unwrap();
            let a: Vec<_> = fast.select(doc.root_element()).map(|e| e.id()).collect();
            let b: Vec<_> = doc.root_element().select(&slow).map(|e| e.id()).collect();
            assert_eq!(a, b, "{css}");
        }
    }
}
