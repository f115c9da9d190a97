//! The date a list entry shows beside its link (`2020-04-16`, `2020/4/16`, `2020年4月16日`,
//! `[2020.04.16]`), for `--since` and for stopping re-crawls early. Pure.

use ego_tree::{NodeId, Tree};
use regex::Regex;
use scraper::{ElementRef, Node};
use std::collections::HashMap;
use std::sync::LazyLock;

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
        .expect("static list-date regex")
});

/// How far up from the link the entry's date is looked for.
const MAX_LEVELS: usize = 3;

/// How many `<a>` elements each element of a document holds (itself included), capped at
/// 2: all [`list_date`] needs. Built in one pass, so that dating every link of a page is
/// linear in its size (counting each ancestor's links per link was quadratic: a list of
/// 20,000 undated links took 12 s).
pub(crate) struct LinkCounts(HashMap<NodeId, u8>);

impl LinkCounts {
    /// The counts for every element of `tree`.
    pub(crate) fn of(tree: &Tree<Node>) -> LinkCounts {
        let mut counts: HashMap<NodeId, u8> = HashMap::new();
        let anchors = tree
            .root()
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|e| e.value().name() == "a");
        for a in anchors {
            // Up from the link until an element that already holds two: every element
            // above it does too. Each element is raised at most twice.
            for node in std::iter::once(*a).chain(a.ancestors()) {
                let c = counts.entry(node.id()).or_insert(0);
                if *c >= 2 {
                    break;
                }
                *c += 1;
            }
        }
        LinkCounts(counts)
    }

    fn get(&self, id: NodeId) -> u8 {
        self.0.get(&id).copied().unwrap_or(0)
    }
}

/// The date of the list entry holding `link`: the first date in the link's own text or in
/// the nearest ancestor that holds no other link (so a neighbour's date is never taken).
/// `counts` are the [`LinkCounts`] of the link's document.
pub(crate) fn list_date(link: &ElementRef<'_>, counts: &LinkCounts) -> Option<jiff::civil::Date> {
    if let Some(d) = find(&link.text().collect::<String>()) {
        return Some(d);
    }
    let mut node = *link;
    for _ in 0..MAX_LEVELS {
        let parent = node.parent().and_then(ElementRef::wrap)?;
        if counts.get(parent.id()) > 1 {
            return None;
        }
        if let Some(d) = find(&parent.text().collect::<String>()) {
            return Some(d);
        }
        node = parent;
    }
    None
}

fn find(text: &str) -> Option<jiff::civil::Date> {
    DATE.captures_iter(text).find_map(|c| {
        let y: i16 = c[1].parse().ok()?;
        let m: i8 = c[2].parse().ok()?;
        let d: i8 = c[3].parse().ok()?;
        jiff::civil::Date::new(y, m, d).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    fn dates(html: &str) -> Vec<Option<String>> {
        let doc = Html::parse_fragment(html);
        let counts = LinkCounts::of(&doc.tree);
        let a = Selector::parse("a").unwrap();
        doc.select(&a)
            .map(|l| list_date(&l, &counts).map(|d| d.to_string()))
            .collect()
    }

    #[test]
    fn finds_the_date_of_each_entry() {
        let html = r#"<ul>
            <li><a href="a.htm">第一条</a><span>2024-09-02</span></li>
            <li><span class="d">[2024/8/7]</span> <a href="b.htm">第二条</a></li>
            <li><a href="c.htm">第三条 2023年12月1日</a></li>
            <li><a href="d.htm">没有日期</a></li>
        </ul>"#;
        assert_eq!(
            dates(html),
            [
                Some("2024-09-02".into()),
                Some("2024-08-07".into()),
                Some("2023-12-01".into()),
                None
            ]
        );
    }

    #[test]
    fn never_takes_a_neighbours_date() {
        let html =
            r#"<div><a href="a.htm">无日期</a><br><a href="b.htm">另一条</a> 2024-01-05</div>"#;
        assert_eq!(dates(html), [None, None]);
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(dates(r#"<p><a href="a.htm">x</a> 2024-13-45</p>"#), [None]);
    }
}
