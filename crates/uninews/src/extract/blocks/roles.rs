//! What class names say about images in a body: the caption, credit or figure role a
//! CMS gives an element (WordPress `wp-caption`, Drupal image fields, `*-caption`,
//! `*-credit`), and the boxes whose images are never content (bylines, share bars, ads).

use crate::extract::dom::attr;

/// The caption, credit or figure role a class list gives an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ClassRole {
    /// An image with its caption (`div.wp-caption`, Drupal's image field).
    Figure,
    /// A caption (`.wp-caption-text`, `.image-caption`, `.field--name-field-caption`).
    Caption,
    /// A photo credit (`.credit`, `.photo-credit`, `.image-credit`, `.copyright`).
    Credit,
}

/// What a class token says about captions and credits. Container modifiers
/// (`has-caption`, `no-caption`) say nothing.
fn token_role(t: &str) -> Option<ClassRole> {
    let t = t.to_ascii_lowercase();
    if t.starts_with("has-") || t.starts_with("no-") || t.starts_with("with-") {
        return None;
    }
    let last = t.rsplit(['-', '_']).next().unwrap_or(&t);
    match t.as_str() {
        "wp-caption" | "field--name-field-image" | "field--type-image" | "image-with-caption" => {
            return Some(ClassRole::Figure);
        }
        "wp-caption-text" | "wp-element-caption" | "caption-text" | "wp-caption-dd" => {
            return Some(ClassRole::Caption);
        }
        _ => {}
    }
    match last {
        "caption" | "figcaption" => Some(ClassRole::Caption),
        "credit" | "credits" | "copyright" | "photographer" => Some(ClassRole::Credit),
        _ => None,
    }
}

/// The role of an element's class list: a credit inside a caption element is a credit.
pub(super) fn class_role(el: &scraper::node::Element) -> Option<ClassRole> {
    let mut found = None;
    for t in el.classes() {
        match token_role(t) {
            Some(ClassRole::Credit) => return Some(ClassRole::Credit),
            Some(r) if found.is_none() => found = Some(r),
            _ => {}
        }
    }
    found
}

/// Class or id words of boxes whose images are never content: bylines and author boxes
/// (headshots), share and social bars, ads, logos.
pub(super) fn no_images_box(el: &scraper::node::Element) -> bool {
    static BOX: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)(^|[\s_\-])(byline|author|authors|avatar|share|sharing|social|advert|advertisement|ads|sponsor|logo)([\s_\-]|$)")
            .expect("static regex")
    });
    // feature flags (`has-ads`, `no-share`, `with-author`) describe the content, not a box
    let flag = |t: &str| {
        let t = t.to_ascii_lowercase();
        ["has-", "no-", "with-", "show-", "hide-", "is-"]
            .iter()
            .any(|p| t.starts_with(p))
    };
    ["class", "id"]
        .iter()
        .filter_map(|a| attr(el, a))
        .flat_map(str::split_ascii_whitespace)
        .any(|t| !flag(t) && BOX.is_match(t))
}
