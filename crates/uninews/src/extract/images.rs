//! Content images: which attribute holds the image URL (lazy-load attributes, then the
//! largest `srcset` candidate, when `src` is empty or a placeholder), and which images are
//! not content (icons, logos, avatars, share buttons, tracking pixels, editor decorations).
//!
//! A real `src` always wins over `srcset`: the record's `src` is the page's own `src`
//! attribute (corpus README), and `srcset` only fills in when the page left `src` to a
//! lazy loader.

use super::dom::{attr, resolve};
use regex::Regex;
use std::sync::LazyLock;
use url::Url;

/// Attributes that hold the real URL of a lazy-loaded image, in order of preference.
const LAZY_ATTRS: [&str; 8] = [
    "data-src",
    "data-original",
    "original-src",
    "data-lazy-src",
    "data-echo",
    "data-url",
    "data-imgsrc",
    "data-actualsrc",
];

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^data:|about:blank|blank\.(gif|png)|spacer\.gif|placeholder|/loading\.|lazyload|grey\.gif|transparent\.(gif|png)|pixel\.gif)")
        .expect("static regex")
});

/// `srcset`-style attributes, in order of preference, read when neither `src` nor a lazy
/// attribute gives a URL.
const SRCSET_ATTRS: [&str; 3] = ["data-srcset", "data-lazy-srcset", "srcset"];

/// Class, id or alt words of images that are not content (site logos, author avatars,
/// emoji, share and social buttons, ads).
static NOT_CONTENT_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|[\s_\-])(logos?|avatars?|gravatar|author-(image|photo|avatar|picture|thumb)|emoji|wp-smiley|smiley|icons?|share|sharing|social|advert|advertisement|sponsor)([\s_\-]|$)")
        .expect("static regex")
});

static NOT_CONTENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(",
        r"(^|[/_.\-])(icons?|logos?|share|sharing|emoji|emotion|emoticons?|spacer|blank|pixel|btn|buttons?|arrow|bullet|avatar|favicon)s?([/_.\-]|$)",
        r"|/_visitcount|/visitcount|/_ueditor/|/ueditor/.*/(themes|dialogs)/|/_upload/tpl/|/system/resource/|/images/(share|icon|ico)",
        r"|(^|/)(weixin|weibo|wechat|qzone|facebook|twitter|linkedin)[^/]*\.(png|gif|jpe?g|svg)$",
        r")"
    ))
    .expect("static regex")
});

/// An image found in the body, before caption and section are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundImage {
    /// Absolute URL.
    pub src: String,
    /// `alt` text, `None` when absent or empty.
    pub alt: Option<String>,
}

fn dim(v: Option<&str>) -> Option<u32> {
    let v = v?.trim().trim_end_matches("px").trim();
    v.parse::<f32>().ok().map(|f| f.max(0.0) as u32)
}

/// The largest candidate of a `srcset` value: the widest by `w` descriptor; without any
/// `w`, the densest by `x` (a bare URL counts as `1x`). Placeholder candidates are skipped.
/// URLs may hold commas (`w_300,h_200`): a candidate's URL runs to the next whitespace.
pub fn largest_candidate(srcset: &str) -> Option<&str> {
    let mut best_w: Option<(f64, &str)> = None;
    let mut best_x: Option<(f64, &str)> = None;
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let url_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (mut url, mut after) = rest.split_at(url_end);
        let mut descriptor = "";
        if let Some(stripped) = url.strip_suffix(',') {
            url = stripped.trim_end_matches(',');
        } else {
            let d_end = after.find(',').unwrap_or(after.len());
            descriptor = after[..d_end].trim();
            after = &after[d_end..];
        }
        rest = after;
        if url.is_empty() || PLACEHOLDER.is_match(url) {
            continue;
        }
        let d = descriptor.to_ascii_lowercase();
        let num = |suffix: char| {
            d.strip_suffix(suffix)
                .and_then(|n| n.trim().parse::<f64>().ok())
        };
        if let Some(w) = num('w') {
            if best_w.is_none_or(|(b, _)| w > b) {
                best_w = Some((w, url));
            }
        } else {
            let x = if d.is_empty() { Some(1.0) } else { num('x') };
            if let Some(x) = x
                && best_x.is_none_or(|(b, _)| x > b)
            {
                best_x = Some((x, url));
            }
        }
    }
    best_w.or(best_x).map(|(_, u)| u)
}

/// An `alt` text that names the image a logo, avatar or icon (`Example University logo`).
static NOT_CONTENT_ALT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^|\s)(logo|avatar|icon|profile picture|author photo)$").expect("static regex")
});

/// True when an element's class or id names a logo, avatar, icon, share button or ad, or
/// its `alt` calls it a logo, avatar or icon.
pub fn hints_not_content(el: &scraper::node::Element) -> bool {
    ["class", "id"]
        .iter()
        .filter_map(|a| attr(el, a))
        .any(|v| NOT_CONTENT_HINT.is_match(v))
        || attr(el, "alt").is_some_and(|a| NOT_CONTENT_ALT.is_match(a.trim()))
}

/// True when an `img` names no URL at all: an empty or placeholder `src` and no lazy or
/// `srcset` attribute (a script fills it in; a `<noscript>` copy may name the file).
pub fn names_no_url(el: &scraper::node::Element) -> bool {
    let real = |v: &str| !v.trim().is_empty() && !PLACEHOLDER.is_match(v.trim());
    !attr(el, "src").is_some_and(real)
        && !LAZY_ATTRS.iter().any(|a| attr(el, a).is_some_and(real))
        && !SRCSET_ATTRS
            .iter()
            .any(|a| attr(el, a).is_some_and(|v| largest_candidate(v).is_some()))
}

/// The image an `img` element shows, if it is a content image.
#[cfg(test)]
pub fn content_image(el: &scraper::node::Element, base: &Url) -> Option<FoundImage> {
    content_image_with(el, base, &[])
}

/// [`content_image`] with the `srcset` values of the `<source>` elements of the
/// `<picture>` the image sits in, used when the image itself names no URL.
pub fn content_image_with(
    el: &scraper::node::Element,
    base: &Url,
    sources: &[String],
) -> Option<FoundImage> {
    let src = attr(el, "src").map(str::trim).unwrap_or("");
    let joined = sources.join(", ");
    let raw = if src.is_empty() || PLACEHOLDER.is_match(src) {
        LAZY_ATTRS
            .iter()
            .filter_map(|a| attr(el, a).map(str::trim))
            .find(|v| !v.is_empty() && !PLACEHOLDER.is_match(v))
            .or_else(|| {
                SRCSET_ATTRS
                    .iter()
                    .filter_map(|a| attr(el, a))
                    .find_map(largest_candidate)
            })
            .or_else(|| largest_candidate(&joined))?
    } else {
        src
    };
    if hints_not_content(el) {
        return None;
    }
    let url = resolve(base, raw)?;
    if !matches!(url.scheme(), "http" | "https" | "file") {
        return None;
    }
    let (w, h) = (dim(attr(el, "width")), dim(attr(el, "height")));
    if w.is_some_and(|w| w <= 2) || h.is_some_and(|h| h <= 2) {
        return None; // tracking pixel
    }
    // an icon: both sides at most 50 px, or the one side given
    if w.is_some_and(|w| w <= 50) && h.is_none_or(|h| h <= 50)
        || h.is_some_and(|h| h <= 50) && w.is_none()
    {
        return None;
    }
    if NOT_CONTENT.is_match(url.path()) {
        return None;
    }
    let alt = attr(el, "alt").and_then(crate::text::non_empty);
    Some(FoundImage {
        src: url.to_string(),
        alt,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn first_img(html: &str) -> Option<FoundImage> {
        let doc = Html::parse_fragment(html);
        let sel = scraper::Selector::parse("img").unwrap();
        let el = doc.select(&sel).next().unwrap();
        let base = Url::parse("https://news.example.edu.cn/2020/0416/c1a2/page.htm").unwrap();
        content_image(el.value(), &base)
    }

    #[test]
    fn src_is_resolved_and_alt_kept() {
        let i = first_img(r#"<img src="../../../_upload/article/a.jpg" alt=" 合影 ">"#).unwrap();
        assert_eq!(i.src, "https://news.example.edu.cn/_upload/article/a.jpg");
        assert_eq!(i.alt.as_deref(), Some("合影"));
        assert_eq!(first_img(r#"<img src="/a.jpg" alt="">"#).unwrap().alt, None);
    }

    #[test]
    fn lazy_attributes_replace_empty_or_placeholder_src() {
        let i = first_img(r#"<img src="" data-src="/real.jpg">"#).unwrap();
        assert!(i.src.ends_with("/real.jpg"));
        let i = first_img(r#"<img src="/static/loading.gif" data-original="/b.jpg">"#).unwrap();
        assert!(i.src.ends_with("/b.jpg"));
        let i =
            first_img(r#"<img src="data:image/gif;base64,R0lGOD" original-src="/c.jpg">"#).unwrap();
        assert!(i.src.ends_with("/c.jpg"));
        // a real src wins over original-src
        let i = first_img(r#"<img src="/d.jpg" original-src="/d_big.jpg">"#).unwrap();
        assert!(i.src.ends_with("/d.jpg"));
        assert!(first_img(r#"<img src="">"#).is_none());
    }

    #[test]
    fn icons_logos_share_buttons_and_pixels_are_not_content() {
        assert!(first_img(r#"<img src="/_ueditor/themes/default/images/icon_xls.gif">"#).is_none());
        assert!(first_img(r#"<img src="/images/logo.png">"#).is_none());
        assert!(first_img(r#"<img src="/img/share_weixin.png">"#).is_none());
        assert!(first_img(r#"<img src="/_visitcount?siteId=1" width="0">"#).is_none());
        assert!(first_img(r#"<img src="/a/b.gif" width="16" height="16">"#).is_none());
        assert!(first_img(r#"<img src="/t.gif" width="1" height="1">"#).is_none());
        assert!(
            first_img(r#"<img src="/__local/4/3E/QR.png" width="148" height="148">"#).is_some()
        );
    }

    #[test]
    fn largest_srcset_candidate_by_width_then_density() {
        assert_eq!(
            largest_candidate("/a-300.jpg 300w, /a-1024.jpg 1024w, /a-768.jpg 768w"),
            Some("/a-1024.jpg")
        );
        assert_eq!(
            largest_candidate("/a.jpg, /a@2x.jpg 2x, /a@1.5x.jpg 1.5x"),
            Some("/a@2x.jpg")
        );
        // commas inside a URL do not split it; a placeholder candidate never wins
        assert_eq!(
            largest_candidate(
                "https://cdn.x/w_300,h_200/a.jpg 300w,https://cdn.x/w_900,h_600/a.jpg 900w"
            ),
            Some("https://cdn.x/w_900,h_600/a.jpg")
        );
        assert_eq!(
            largest_candidate("data:image/gif;base64,R0lGOD 2000w, /b.jpg 640w"),
            Some("/b.jpg")
        );
        assert_eq!(largest_candidate("  "), None);
    }

    #[test]
    fn srcset_fills_in_for_a_lazy_src_and_a_real_src_wins() {
        let i = first_img(
            r#"<img src="data:image/gif;base64,R0lGOD" data-srcset="/m/a-480.jpg 480w, /m/a-1600.jpg 1600w">"#,
        )
        .unwrap();
        assert_eq!(i.src, "https://news.example.edu.cn/m/a-1600.jpg");
        let i = first_img(r#"<img data-lazy-srcset="/m/b-1x.jpg 1x, /m/b-2x.jpg 2x">"#).unwrap();
        assert!(i.src.ends_with("/m/b-2x.jpg"), "{}", i.src);
        // the corpus README: `src` is the src attribute when it is real
        let i =
            first_img(r#"<img src="/m/c-683.jpg" srcset="/m/c-683.jpg 683w, /m/c-768.jpg 768w">"#)
                .unwrap();
        assert!(i.src.ends_with("/m/c-683.jpg"));
        // data-src still comes before srcset
        let i =
            first_img(r#"<img src="" data-src="/m/d.jpg" srcset="/m/d-2000.jpg 2000w">"#).unwrap();
        assert!(i.src.ends_with("/m/d.jpg"));
    }

    #[test]
    fn logos_avatars_and_small_images_by_class_alt_and_size() {
        assert!(first_img(r#"<img src="/u/jane.jpg" class="avatar avatar-96 photo">"#).is_none());
        assert!(first_img(r#"<img src="/u/jane.jpg" class="author-image">"#).is_none());
        assert!(first_img(r#"<img src="/u/u.png" class="custom-logo">"#).is_none());
        assert!(first_img(r#"<img src="/u/u.png" alt="Example University logo">"#).is_none());
        assert!(first_img(r#"<img src="/u/x.png" width="48" height="48">"#).is_none());
        assert!(first_img(r#"<img src="/u/x.png" width="32">"#).is_none());
        // content images that merely mention such words stay
        assert!(first_img(r#"<img src="/u/lab.jpg" class="wp-image-12 size-large" alt="The new logo on the gate">"#).is_some());
        assert!(first_img(r#"<img src="/u/lab.jpg" width="51" height="300">"#).is_some());
    }
}
