//! Cleaning of a byline read from page text (a `rel="author"` or `.byline` element): the
//! names stay, what the page prints after them goes (a separator and a date or a handle,
//! a date written out after the names, a dangling dash).

use regex::Regex;
use std::sync::LazyLock;

/// A separator followed by the rest of the line.
static SEPARATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s+[-–—•·|]\s+(.*)$").expect("static regex"));
/// A written-out date (month name and a number) and all after it.
static DATE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d.*$")
        .expect("static regex")
});

/// `v` without a trailing date, handle or separator. The rest after a separator goes only
/// when it holds a digit or an `@` (a date, a time, a handle), so "Ana Roe - Ben Poe"
/// stays whole.
pub fn clean(v: &str) -> String {
    let mut s = v.trim().to_string();
    if let Some(m) = SEPARATED.captures(&s)
        && let (Some(all), Some(rest)) = (m.get(0), m.get(1))
        && rest
            .as_str()
            .chars()
            .any(|c| c.is_ascii_digit() || c == '@')
    {
        s.truncate(all.start());
    }
    if let Some(m) = DATE_TAIL.find(&s)
        && m.start() > 0
    {
        s.truncate(m.start());
    }
    s.trim_end_matches(|c: char| c.is_whitespace() || "-–—•·|,".contains(c))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn drops_dates_handles_and_dangling_separators() {
        assert_eq!(clean("Nicolas Perriault —"), "Nicolas Perriault");
        assert_eq!(clean("Dan Goodin - Apr 16, 2015 8:02 pm UTC"), "Dan Goodin");
        assert_eq!(clean("James Akinaka • 8h"), "James Akinaka");
        assert_eq!(
            clean("Steven Musil January 18, 2017 11:00 PM PST @stevenmusil"),
            "Steven Musil"
        );
        assert_eq!(clean("Ana Roe - Ben Poe"), "Ana Roe - Ben Poe");
        assert_eq!(clean("May Li"), "May Li");
    }
}
