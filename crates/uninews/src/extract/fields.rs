//! Applying a field rule (selectors, attribute, regex) of a profile or CMS rule set.

use super::dom::element_text;
use crate::selectors::FieldRule;
use crate::text::normalize_ws;
use scraper::ElementRef;

/// What a field rule found: the element, and its value (attribute or text, narrowed by the
/// regex). `value` is `None` when the regex did not match; the element was still found.
#[derive(Debug)]
pub struct Hit<'a> {
    /// The matched element.
    pub element: ElementRef<'a>,
    /// The value, whitespace-normalised.
    pub value: Option<String>,
}

/// The value `rule` reads from `element` (the element its selectors found).
pub fn hit<'a>(element: ElementRef<'a>, rule: &FieldRule) -> Hit<'a> {
    let raw = match &rule.attr {
        Some(a) => element
            .value()
            .attr(a)
            .map(str::to_string)
            .unwrap_or_default(),
        None => element_text(element),
    };
    let value = match &rule.regex {
        Some(re) => re
            .captures(&raw)
            .and_then(|c| c.get(1))
            .map(|m| normalize_ws(m.as_str())),
        None => Some(normalize_ws(&raw)),
    };
    Hit { element, value }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selectors::FastSelector;
    use regex::Regex;
    use scraper::Html;

    fn apply<'a>(doc: &'a Html, rule: &FieldRule) -> Option<Hit<'a>> {
        let el = rule
            .selectors
            .iter()
            .find_map(|s| s.first(doc.root_element()))?;
        Some(hit(el, rule))
    }

    fn rule(sels: &[&str], attr: Option<&str>, regex: Option<&str>) -> FieldRule {
        FieldRule {
            selectors: sels
                .iter()
                .map(|s| FastSelector::parse(s).unwrap())
                .collect(),
            attr: attr.map(str::to_string),
            regex: regex.map(|r| Regex::new(r).unwrap()),
        }
    }

    #[test]
    fn first_listed_selector_that_matches_wins() {
        let doc = Html::parse_document(r#"<p class="b">second</p><p class="a"> first </p>"#);
        let hit = apply(&doc, &rule(&[".none", ".a", ".b"], None, None)).unwrap();
        assert_eq!(hit.value.as_deref(), Some("first"));
    }

    #[test]
    fn attribute_and_regex() {
        let doc = Html::parse_document(
            r#"<meta name="author" content="作者：张三"><p class="m">发布时间：2020-04-16 浏览：3</p>"#,
        );
        let hit = apply(
            &doc,
            &rule(&["meta[name=author]"], Some("content"), Some("作者：(.+)")),
        )
        .unwrap();
        assert_eq!(hit.value.as_deref(), Some("张三"));
        let hit = apply(&doc, &rule(&[".m"], None, Some(r"发布时间：(\S+)"))).unwrap();
        assert_eq!(hit.value.as_deref(), Some("2020-04-16"));
        let hit = apply(&doc, &rule(&[".m"], None, Some(r"来源：(\S+)"))).unwrap();
        assert_eq!(hit.value, None);
        assert!(apply(&doc, &rule(&[".x"], None, None)).is_none());
    }
}
