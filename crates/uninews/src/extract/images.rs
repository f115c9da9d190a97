//! Content images: which attribute holds the image URL (lazy-load attributes when `src` is
//! empty or a placeholder), and which images are not content (icons, logos, share buttons,
//! tracking pixels, editor decorations).

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

/// The image an `img` element shows, if it is a content image.
pub fn content_image(el: &scraper::node::Element, base: &Url) -> Option<FoundImage> {
    let src = attr(el, "src").map(str::trim).unwrap_or("");
    let raw = if src.is_empty() || PLACEHOLDER.is_match(src) {
        LAZY_ATTRS
            .iter()
            .filter_map(|a| attr(el, a).map(str::trim))
            .find(|v| !v.is_empty() && !PLACEHOLDER.is_match(v))?
    } else {
        src
    };
    let url = resolve(base, raw)?;
    if !matches!(url.scheme(), "http" | "https" | "file") {
        return None;
    }
    let (w, h) = (dim(attr(el, "width")), dim(attr(el, "height")));
    if w.is_some_and(|w| w <= 2) || h.is_some_and(|h| h <= 2) {
        return None; // tracking pixel
    }
    if let (Some(w), Some(h)) = (w, h)
        && w <= 40
        && h <= 40
    {
        return None; // icon
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
}
