//! Text helpers shared by the extractor and the checker: whitespace normalisation as the
//! schema defines it (runs of spaces, tabs, newlines, NBSP and U+3000 become one space,
//! trimmed at both ends), and the whitespace-free form texts are compared in.

/// True for every character the schema treats as whitespace.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' || c == '\u{feff}' || c == '\u{200b}'
}

/// True for a CJK unified ideograph (U+4E00–U+9FFF): a Han character of a Chinese name.
pub fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Collapse whitespace runs to one ASCII space and trim both ends.
pub fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if is_space(c) {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// The text without any whitespace: the form in which two printings of one text (a
/// headline and its repeat, a description and the paragraph printing it) compare equal.
pub fn without_ws(s: &str) -> String {
    s.chars().filter(|c| !is_space(*c)).collect()
}

/// [`normalize_ws`], or `None` when nothing is left.
pub fn non_empty(s: &str) -> Option<String> {
    let n = normalize_ws(s);
    (!n.is_empty()).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_all_schema_whitespace() {
        assert_eq!(normalize_ws("  a\u{3000}\u{a0} b\n\tc  "), "a b c");
        assert_eq!(normalize_ws("\u{3000}"), "");
        assert_eq!(non_empty(" \u{a0} "), None);
        assert_eq!(non_empty(" 徐云飞 ").as_deref(), Some("徐云飞"));
        assert_eq!(without_ws(" 学校 召开\u{3000}会议\u{a0}\n"), "学校召开会议");
    }
}
