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

/// How a tag takes part in nesting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Counted: opens a level that its end tag closes.
    Counted,
    /// Elements without content (`br`, `img`, ...).
    Void,
    /// Elements whose end tag may be left out (`p`, `li`, `td`, ...): pages leave them
    /// unclosed, so they are not counted (counting them would make a page of many `<p>`
    /// look deep).
    Optional,
    /// Raw text up to the end tag (`script`, `style`, ...).
    RawText,
    /// Everything after it is text.
    Plaintext,
}

/// The kind of a lower-cased tag name.
fn kind(name: &[u8]) -> Kind {
    match name {
        b"area" | b"base" | b"br" | b"col" | b"embed" | b"hr" | b"img" | b"input" | b"link"
        | b"meta" | b"param" | b"source" | b"track" | b"wbr" | b"keygen" | b"basefont"
        | b"bgsound" | b"frame" | b"image" => Kind::Void,
        b"p" | b"li" | b"dt" | b"dd" | b"option" | b"optgroup" | b"tr" | b"td" | b"th"
        | b"thead" | b"tbody" | b"tfoot" | b"rb" | b"rt" | b"rtc" | b"rp" | b"colgroup"
        | b"caption" | b"html" | b"head" | b"body" => Kind::Optional,
        b"script" | b"style" | b"textarea" | b"title" | b"xmp" | b"iframe" | b"noembed"
        | b"noframes" | b"noscript" => Kind::RawText,
        b"plaintext" => Kind::Plaintext,
        _ => Kind::Counted,
    }
}

/// The tag name starting at `from`, lower-cased into `buf` (names longer than the buffer
/// are cut; they are unknown, counted elements anyway), and the index after it.
fn tag_name<'b>(bytes: &[u8], from: usize, buf: &'b mut [u8; 16]) -> (&'b [u8], usize) {
    let mut end = from;
    while end < bytes.len()
        && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'-' | b':' | b'_'))
    {
        end += 1;
    }
    let n = (end - from).min(buf.len());
    for (d, s) in buf.iter_mut().zip(&bytes[from..from + n]) {
        *d = s.to_ascii_lowercase();
    }
    (&buf[..n], end)
}

/// End of a start tag (index after `>`). Quotes are not tracked: a `>` inside an
/// attribute value only ends the tag early, which at worst miscounts one element.
fn start_tag_end(html: &str, i: usize) -> usize {
    find_char(html, i, b'>').map_or(html.len(), |e| e + 1)
}

fn find_from(html: &str, from: usize, pat: &str) -> Option<usize> {
    html.get(from..)?.find(pat).map(|p| p + from)
}

/// The next byte `c` at or after `from`, eight bytes at a time (the "has zero byte" bit
/// trick; the lowest flagged byte is always a true match).
fn find_char(html: &str, from: usize, c: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let hay = html.as_bytes();
    let rep = u64::from_ne_bytes([c; 8]);
    let mut i = from;
    while let Some(chunk) = hay.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let x = u64::from_le_bytes(word) ^ rep;
        let hit = x.wrapping_sub(LO) & !x & HI;
        if hit != 0 {
            return Some(i + (hit.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    hay.get(i..)?.iter().position(|&x| x == c).map(|p| p + i)
}

/// End of a raw-text element's content: the start of its `</name`, case-insensitive.
fn raw_text_end(html: &str, from: usize, name: &[u8]) -> usize {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(p) = find_char(html, i, b'<') {
        if bytes.get(p + 1) == Some(&b'/') {
            let n = &bytes[(p + 2).min(bytes.len())..(p + 2 + name.len()).min(bytes.len())];
            if n.eq_ignore_ascii_case(name) {
                return p;
            }
        }
        i = p + 1;
    }
    html.len()
}

/// `html` with element nesting capped at [`MAX_DEPTH`].
pub fn limit_depth(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut suppressed: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut buf = [0u8; 16];
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(s) = find_char(html, i, b'<') {
        let next = bytes.get(s + 1).copied();
        match next {
            Some(b'!') => {
                i = if bytes[s..].starts_with(b"<!--") {
                    find_from(html, s + 4, "-->").map_or(bytes.len(), |e| e + 3)
                } else {
                    find_char(html, s, b'>').map_or(bytes.len(), |e| e + 1)
                };
            }
            Some(b'?') => i = find_char(html, s, b'>').map_or(bytes.len(), |e| e + 1),
            Some(b'/') => {
                let (name, after) = tag_name(bytes, s + 2, &mut buf);
                let end = find_char(html, after, b'>').map_or(bytes.len(), |e| e + 1);
                if !name.is_empty() && kind(name) == Kind::Counted {
                    match (!suppressed.is_empty())
                        .then(|| suppressed.get_mut(name))
                        .flatten()
                    {
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
                let (name, after) = tag_name(bytes, s + 1, &mut buf);
                let end = start_tag_end(html, after);
                let self_closing = end >= 2 && bytes[end - 2] == b'/';
                i = end;
                match kind(name) {
                    Kind::Plaintext => break,
                    Kind::RawText => {
                        i = raw_text_end(html, end, name);
                        continue;
                    }
                    Kind::Void | Kind::Optional => continue,
                    Kind::Counted if self_closing => continue,
                    Kind::Counted => {}
                }
                if depth >= MAX_DEPTH {
                    *suppressed.entry(name.to_vec()).or_default() += 1;
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
    fn raw_text_and_attribute_values_do_not_confuse_the_scan() {
        let depth = MAX_DEPTH + 3;
        let html = format!(
            "<a title='<b>'>x</a><style>section{{}}<section></style>{}<script>'<section>'</script>{}",
            "<section>".repeat(depth),
            "</section>".repeat(depth)
        );
        let out = limit_depth(&html);
        // the two in raw text are text, not tags
        assert_eq!(out.matches("<section>").count(), MAX_DEPTH + 2);
        assert!(out.contains("<style>section{}<section></style>"));
        assert!(out.contains("<script>'<section>'</script>"));
        assert!(out.contains("title='<b>'"));
    }
}
