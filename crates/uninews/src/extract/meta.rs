//! The meta zone: the short lines printed around the headline, before the body (`发布时间：…
//! 作者：… 浏览次数：…`, `By … Date …`). Dates and credits not given by rules are read here.

use super::credits::{Credits, credit_line, scan_meta};
use super::dates::{self, Printed};
use super::dom::{is_block, is_skipped};
use crate::selectors::DateRules;
use crate::text::normalize_ws;
use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Lines before (within the headline's grandparent) and after the headline.
#[derive(Debug, Default)]
pub struct Zone {
    /// Lines printed just before the headline.
    pub before: Vec<String>,
    /// Lines printed between the headline and the body.
    pub after: Vec<String>,
}

const MAX_LINES: usize = 40;
const MAX_LINE_CHARS: usize = 100;

#[derive(PartialEq)]
enum State {
    Waiting,
    Before,
    After,
}

/// Collect the meta zone of a page whose headline is `title` and body starts at `body`.
pub fn zone(doc: &Html, title: Option<NodeId>, body: Option<NodeId>) -> Zone {
    let mut z = Zone::default();
    let Some(title) = title else { return z };
    let grand = doc
        .tree
        .get(title)
        .and_then(|t| t.parent())
        .and_then(|p| p.parent())
        .map(|g| g.id());
    let mut state = State::Waiting;
    let mut line = String::new();
    let mut skip: Option<NodeId> = None;
    let push = |line: &mut String, out: &mut Vec<String>| {
        let t = normalize_ws(line);
        line.clear();
        if !t.is_empty() {
            out.push(t);
        }
    };
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                if Some(n.id()) == body && state == State::After {
                    break;
                }
                if Some(n.id()) == grand && state == State::Waiting {
                    state = State::Before;
                }
                if n.id() == title {
                    if state == State::Before {
                        push(&mut line, &mut z.before);
                    }
                    line.clear();
                    skip = Some(n.id());
                    continue;
                }
                match n.value() {
                    Node::Element(e) if is_skipped(e.name()) => skip = Some(n.id()),
                    Node::Element(e) if is_block(e.name()) || e.name() == "br" => match state {
                        State::Before => push(&mut line, &mut z.before),
                        State::After => push(&mut line, &mut z.after),
                        State::Waiting => {}
                    },
                    Node::Text(t) if state != State::Waiting => line.push_str(t),
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip == Some(n.id()) {
                    skip = None;
                    if n.id() == title {
                        state = State::After;
                    }
                    continue;
                }
                if skip.is_some() {
                    continue;
                }
                if let Node::Element(e) = n.value()
                    && is_block(e.name())
                {
                    match state {
                        State::Before => push(&mut line, &mut z.before),
                        State::After => push(&mut line, &mut z.after),
                        State::Waiting => {}
                    }
                }
            }
        }
        if state == State::After
            && (z.after.len() >= MAX_LINES
                || z.after
                    .last()
                    .is_some_and(|l| l.chars().count() > MAX_LINE_CHARS))
        {
            if z.after
                .last()
                .is_some_and(|l| l.chars().count() > MAX_LINE_CHARS)
            {
                z.after.pop();
            }
            break;
        }
    }
    if state == State::After {
        let t = normalize_ws(&line);
        if !t.is_empty() && t.chars().count() <= MAX_LINE_CHARS && z.after.len() < MAX_LINES {
            z.after.push(t);
        }
    }
    let keep = z.before.len().saturating_sub(6);
    z.before.drain(..keep);
    z.before.retain(|l| l.chars().count() <= MAX_LINE_CHARS);
    z
}

const DATE_LABELS: [&str; 10] = [
    "发布时间",
    "发布日期",
    "发表时间",
    "更新时间",
    "时间",
    "日期",
    "Date",
    "Published",
    "Posted",
    "发布于",
];

impl Zone {
    fn lines(&self) -> impl Iterator<Item = &String> {
        self.after.iter().chain(self.before.iter())
    }

    /// The printed publication date: a labelled one first, then the first one.
    pub fn published(&self, rules: Option<&DateRules>) -> Option<Printed> {
        self.lines()
            .filter(|l| DATE_LABELS.iter().any(|w| l.contains(w)))
            .find_map(|l| dates::find(l, rules))
            .or_else(|| self.lines().find_map(|l| dates::find(l, rules)))
    }

    /// Credits printed in the zone (labels, `By X`, or a `By` line before a name line).
    pub fn credits(&self) -> Credits {
        let mut c = Credits::default();
        for lines in [&self.after, &self.before] {
            for (i, l) in lines.iter().enumerate() {
                if l.eq_ignore_ascii_case("by") {
                    if let Some(next) = lines.get(i + 1)
                        && let Some(found) = credit_line(&format!("By {next}"))
                    {
                        c.add_all(found);
                    }
                    continue;
                }
                c.add_all(scan_meta(l));
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::credits::Role;
    use scraper::Selector;

    fn zone_of(html: &str, title: &str, body: &str) -> Zone {
        let doc = Html::parse_document(html);
        let t = doc
            .select(&Selector::parse(title).unwrap())
            .next()
            .map(|e| e.id());
        let b = doc
            .select(&Selector::parse(body).unwrap())
            .next()
            .map(|e| e.id());
        zone(&doc, t, b)
    }

    #[test]
    fn lines_between_headline_and_body() {
        let z = zone_of(
            r#"<div><h1>标题</h1><p class="m">发布时间：2020-04-16<span>作者：张三</span></p><div class="b"><p>2021年1月1日正文</p></div></div>"#,
            "h1",
            ".b",
        );
        assert_eq!(z.after, ["发布时间：2020-04-16作者：张三"]);
        assert_eq!(dates::iso(z.published(None).unwrap(), None), "2020-04-16");
        assert_eq!(z.credits().get(Role::Author), Some("张三"));
    }

    #[test]
    fn date_before_headline_and_split_byline() {
        let z = zone_of(
            r#"<header><div>Feature</div><span>03.11.18</span><h1>T</h1><p></p></header>
               <aside><p>By</p><p>Jane Roe</p><p>Date</p><p>March 9, 2021</p></aside><main><p>x</p></main>"#,
            "h1",
            "main",
        );
        assert_eq!(z.before, ["Feature", "03.11.18"]);
        assert_eq!(z.credits().get(Role::Author), Some("Jane Roe"));
        // the labelled line has no date; the first printed date after the headline wins
        assert_eq!(dates::iso(z.published(None).unwrap(), None), "2021-03-09");
    }

    #[test]
    fn zone_stops_at_a_long_line() {
        let long = "正文".repeat(80);
        let z = zone_of(
            &format!("<div><h1>T</h1><p>2020-01-01</p><p>{long}</p><p>2021-01-01</p></div>"),
            "h1",
            "nothing",
        );
        assert_eq!(z.after, ["2020-01-01"]);
    }
}
