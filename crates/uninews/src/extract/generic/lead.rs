//! The standfirst (dek, lead, `spot`): the summary a news page prints between the headline
//! and the body, outside the body's container. It is found by the page's own description
//! (`og:description`, `description`, `twitter:description`): an element after the headline
//! and before the body whose text is that description (a site-name prefix or a cut-off
//! ending aside).

use super::{meta_content, text_capped};
use crate::record::{Image, Section};
use crate::text::normalize_ws;
use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html};

/// Shorter descriptions are teasers or labels, not a lead paragraph.
const MIN_CHARS: usize = 40;
/// Elements between the headline and the body that are looked at, at most.
const MAX_ELEMENTS: usize = 400;

/// Elements that can hold a standfirst.
fn can_hold(name: &str) -> bool {
    matches!(
        name,
        "p" | "h2" | "h3" | "h4" | "div" | "span" | "section" | "strong" | "em" | "b"
    )
}

/// The description without a trailing ellipsis (meta descriptions are often cut).
fn comparable(s: &str) -> String {
    normalize_ws(s)
        .trim_end_matches(['…', '.', ' '])
        .trim_end_matches("...")
        .to_string()
}

/// The standfirst's text, when an element between the headline `headline` and the first
/// body root `body` prints the page's description. `None` when the description is short,
/// missing, or not printed there.
pub fn standfirst(doc: &Html, headline: NodeId, body: NodeId) -> Option<String> {
    let desc = ["og:description", "description", "twitter:description"]
        .iter()
        .find_map(|k| meta_content(doc, &[k]))
        .map(|d| comparable(&d))
        .filter(|d| d.chars().count() >= MIN_CHARS)?;
    let mut after_headline = false;
    let mut seen = 0usize;
    let mut found: Option<String> = None;
    for edge in doc.tree.root().traverse() {
        let node = match edge {
            Edge::Open(n) => n,
            Edge::Close(n) => {
                if n.id() == headline {
                    after_headline = true;
                }
                continue;
            }
        };
        if node.id() == body {
            break;
        }
        if !after_headline {
            continue;
        }
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if !can_hold(el.value().name()) {
            continue;
        }
        seen += 1;
        if seen > MAX_ELEMENTS {
            break;
        }
        let text = text_capped(*el, 2000);
        let t = comparable(&text);
        let n = t.chars().count();
        if n < MIN_CHARS || n * 10 < desc.chars().count() * 6 {
            continue;
        }
        if desc.contains(&t) || t.contains(&desc) && n * 10 <= desc.chars().count() * 13 {
            // the innermost element that prints it: keep looking inside this one
            found = Some(text);
        } else if found.is_some() {
            break;
        }
    }
    found
}

/// Put the standfirst `lead` before the body's first paragraph, unless one of the body's
/// first paragraphs already prints it. A body that opens with a heading gets a new first
/// section (the images' section indices move with it).
pub fn prepend(sections: &mut Vec<Section>, images: &mut [Image], lead: String) {
    let k = crate::text::without_ws(&lead);
    let printed = sections
        .iter()
        .flat_map(|s| s.heading.iter().chain(s.paragraphs.iter()))
        .take(3)
        .any(|p| {
            let pk = crate::text::without_ws(p);
            pk.contains(&k) || k.contains(&pk) && pk.chars().count() * 2 > k.chars().count()
        });
    if printed {
        return;
    }
    match sections.first_mut() {
        Some(first) if first.heading.is_none() => first.paragraphs.insert(0, lead),
        _ => {
            sections.insert(
                0,
                Section {
                    heading: None,
                    paragraphs: vec![lead],
                },
            );
            for img in images.iter_mut() {
                img.section += 1;
            }
        }
    }
}
