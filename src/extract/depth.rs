//! Nesting limit before parsing. The HTML tree builder checks "is there a `p` in button
//! scope" by walking the stack of open elements for every block start tag, so a page of
//! 100,000 nested `<div>`s costs quadratic time in html5ever (tens of seconds). Browsers cap
//! the tree depth (Chromium at 512); this pass does the same on the text: start tags that
//! would nest deeper than [`MAX_DEPTH`] are removed together with their end tags. Their
//! content stays. Pages within the limit are returned untouched (borrowed), so the pass
//! costs one fast scan over the tags.

use std::borrow::Cow;
use std::collections::HashMap;

/// The deepest element nesting kept.
pub const MAX_DEPTH: usize = 512;

/// Elements without content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "frame"
            | "image"
    )
}

/// Elements whose end tag may be left out: pages leave them unclosed, so they are not
/// counted (counting them would make a page of many `<p>` look deep).
fn end_optional(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "rb"
            | "rt"
            | "rtc"
            | "rp"
            | "colgroup"
            | "caption"
            | "html"
            | "head"
            | "body"
    )
}

/// Elements whose content is raw text up to their end tag.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
    )
}

fn tag_name(bytes: &[u8], from: usize) -> (String, usize) {
    let mut end = from;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'-' | b':' | b'_'))
    {
        end += 1;
    }
    (
        String::from_utf8_lossy(&bytes[from..end]).to_ascii_lowercase(),
        end,
    )
}

/// End of a start tag (index after `>`), honouring quoted attribute values.
fn start_tag_end(bytes: &[u8], mut i: usize) -> usize {
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return i + 1,
            None => {}
        }
        i += 1;
    }
    bytes.len()
}

fn find_from(html: &str, from: usize, pat: &str) -> Option<usize> {
    html.get(from..)?.find(pat).map(|p| p + from)
}

/// End of a raw-text element's content: the start of its `</name`, case-insensitive.
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(p) = find_from(html, i, "</") {
        let n = &bytes[p + 2..(p + 2 + name.len()).min(bytes.len())];
        if n.eq_ignore_ascii_case(name.as_bytes()) {
            return p;
        }
        i = p + 2;
    }
    html.len()
}

/// `html` with element nesting capped at [`MAX_DEPTH`].
pub fn limit_depth(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut suppressed: HashMap<String, usize> = HashMap::new();
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(s) = find_from(html, i, "<") {
        let next = bytes.get(s + 1).copied();
        match next {
            Some(b'!') => {
                i = if bytes[s..].starts_with(b"<!--") {
                    find_from(html, s + 4, "-->").map_or(bytes.len(), |e| e + 3)
                } else {
                    find_from(html, s, ">").map_or(bytes.len(), |e| e + 1)
                };
            }
            Some(b'?') => i = find_from(html, s, ">").map_or(bytes.len(), |e| e + 1),
            Some(b'/') => {
                let (name, after) = tag_name(bytes, s + 2);
                let end = find_from(html, after, ">").map_or(bytes.len(), |e| e + 1);
                if !name.is_empty() && !is_void(&name) && !end_optional(&name) {
                    match suppressed.get_mut(&name) {
                        Some(n) if *n > 0 => {
                            *n -= 1;
                            cut.push((s, end));
                        }
                        _ => depth = depth.saturating_sub(1),
                    }
                }
                i = end.max(s + 1);
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let (name, after) = tag_name(bytes, s + 1);
                let end = start_tag_end(bytes, after);
                let self_closing = end >= 2 && bytes[end - 2] == b'/';
                i = end;
                if name == "plaintext" {
                    break;
                }
                if is_raw_text(&name) {
                    i = raw_text_end(html, end, &name);
                    continue;
                }
                if is_void(&name) || end_optional(&name) || self_closing {
                    continue;
                }
                if depth >= MAX_DEPTH {
                    *suppressed.entry(name).or_default() += 1;
                    cut.push((s, end));
                } else {
                    depth += 1;
                }
            }
            _ => i = s + 1,
        }
    }
    if cut.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (s, e) in cut {
        out.push_str(&html[at..s]);
        at = e;
    }
    out.push_str(&html[at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = r#"<html><head><script>if (a < b) { x = "</div>"; }</script></head>
            <body><!-- <div> --><div class="a" title="x > y"><p>one<p>two<br><img src=a.jpg>
            <ul><li>a<li>b</ul></div></body></html>"#;
        assert!(matches!(limit_depth(page), Cow::Borrowed(_)));
        let many_p = "<p>段落".repeat(10_000);
        assert!(matches!(limit_depth(&many_p), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_capped_and_text_kept() {
        let depth = 2_000;
        let html = format!("{}深{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let out = limit_depth(&html);
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert!(out.contains("深"));
    }

    #[test]
    fn deep_page_parses_after_the_cap() {
        // 100,000 nested divs take minutes in html5ever without the cap
        let depth = 100_000;
        let html = format!(
            "{}<p>深</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let out = limit_depth(&html);
        let doc = scraper::Html::parse_fragment(&out);
        assert!(doc.root_element().text().any(|t| t == "深"));
    }

    #[test]
    fn raw_text_and_quoted_attributes_do_not_confuse_the_scan() {
        let depth = MAX_DEPTH + 3;
        let html = format!(
            "{}<style>div{{}}</style><a title='<div>'>x</a>{}",
            "<section>".repeat(depth),
            "</section>".repeat(depth)
        );
        let out = limit_depth(&html);
        assert_eq!(out.matches("<section>").count(), MAX_DEPTH);
        assert!(out.contains("<style>div{}</style>"));
        assert!(out.contains("title='<div>'"));
    }
}
