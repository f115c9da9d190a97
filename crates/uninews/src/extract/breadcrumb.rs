//! Breadcrumbs: the location trail (`当前位置: 首页 » 综合新闻`), without its label and without a
//! final 正文/内容 placeholder; separators `»`, `>`, `>>`, `|`, `›`, `/` are handled.

use super::dom::{class_id_contains, is_skipped, visible_nodes};
use crate::text::normalize_ws;
use ego_tree::iter::Edge;
use regex::Regex;
use scraper::{ElementRef, Html, Node};
use std::sync::LazyLock;

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:您?(?:当前|现在)?(?:所在)?的?(?:当前)?位置(?:是)?|当前位置|所在位置|location|you are here|current location)\s*[：:]?\s*")
        .expect("static regex")
});

static SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:»|>>|>|＞|›|→|\||｜|/|\\|::)\s*").expect("static regex"));

const PLACEHOLDERS: [&str; 8] = [
    "正文",
    "内容",
    "正文内容",
    "详情",
    "详细内容",
    "文章内容",
    "内容详情",
    "阅读文章",
];

const HOME: [&str; 7] = [
    "首页",
    "网站首页",
    "学校首页",
    "主页",
    "本站首页",
    "Home",
    "HOME",
];

/// True when `s` is a trail's final placeholder (正文, 内容, ...).
fn is_placeholder(s: &str) -> bool {
    PLACEHOLDERS.contains(&s)
}

/// The trail inside `container`: link texts and separated text parts, label and final
/// placeholder removed.
pub fn items_of(container: ElementRef<'_>) -> Vec<String> {
    let (items, _) = tokens(container);
    clean(items)
}

/// Items of a container and whether its non-link text holds anything but separators,
/// labels and placeholders.
fn tokens(container: ElementRef<'_>) -> (Vec<String>, bool) {
    let mut items = Vec::new();
    let mut other_text = false;
    let mut skip: Option<ego_tree::NodeId> = None;
    let mut link: Option<(ego_tree::NodeId, String)> = None;
    for edge in container.traverse() {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Element(e) if is_skipped(e.name()) => skip = Some(n.id()),
                    Node::Element(e) if e.name() == "a" && link.is_none() => {
                        link = Some((n.id(), String::new()));
                    }
                    Node::Text(t) => match link.as_mut() {
                        Some((_, s)) => s.push_str(t),
                        None => {
                            for part in SEPARATORS.split(&normalize_ws(t)) {
                                let part = LABEL.replace(part, "");
                                let part = part.trim();
                                if !part.is_empty() {
                                    if !is_placeholder(part) {
                                        other_text = true;
                                    }
                                    items.push(part.to_string());
                                }
                            }
                        }
                    },
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip == Some(n.id()) {
                    skip = None;
                } else if link.as_ref().is_some_and(|(id, _)| *id == n.id())
                    && let Some((_, s)) = link.take()
                {
                    let s = normalize_ws(&s);
                    if !s.is_empty() {
                        items.push(s);
                    }
                }
            }
        }
    }
    (items, other_text)
}

fn clean(mut items: Vec<String>) -> Vec<String> {
    if let Some(first) = items.first_mut() {
        *first = LABEL.replace(first, "").trim().to_string();
    }
    items.retain(|s| !s.is_empty());
    while items.last().is_some_and(|s| is_placeholder(s)) {
        items.pop();
    }
    items
}

/// The page's breadcrumb, found without site rules: a label such as `当前位置：`, a
/// `breadcrumb` class, or a home-first link trail that ends in 正文. Trails are looked for
/// before `stop` (the body), where pages print them.
pub fn find(doc: &Html, stop: Option<ego_tree::NodeId>) -> Vec<String> {
    let mut by_class: Option<ElementRef<'_>> = None;
    let mut by_trail: Option<ElementRef<'_>> = None;
    for n in visible_nodes(doc.tree.root()) {
        if Some(n.id()) == stop {
            break;
        }
        match n.value() {
            Node::Text(t)
                if t.len() >= 4
                    && !t.trim_start().is_empty()
                    && (t.contains("位置") || t.contains("ocation") || t.contains("here"))
                    && LABEL.is_match(t) =>
            {
                // the label's element, or the nearest ancestor that holds links
                let Some(mut el) = n.parent().and_then(ElementRef::wrap) else {
                    continue;
                };
                for _ in 0..3 {
                    if el.descendent_elements().any(|d| d.value().name() == "a") {
                        let items = items_of(el);
                        if !items.is_empty() {
                            return items;
                        }
                        break;
                    }
                    match el.parent().and_then(ElementRef::wrap) {
                        Some(p) => el = p,
                        None => break,
                    }
                }
            }
            Node::Element(e) => {
                let Some(el) = ElementRef::wrap(n) else {
                    continue;
                };
                if by_class.is_none() && class_id_contains(e, "crumb") {
                    by_class = Some(el);
                } else if by_trail.is_none() && e.name() != "a" && is_trail(el) {
                    by_trail = Some(el);
                }
            }
            _ => {}
        }
    }
    by_class
        .map(items_of)
        .filter(|i| !i.is_empty())
        .or_else(|| by_trail.map(items_of))
        .unwrap_or_default()
}

/// A label-less trail: children are only links (maybe wrapped in `span`/`li`) and separator
/// text, the first link is a home link, and either the trail ends in a placeholder or the
/// element's class names a position.
fn is_trail(el: ElementRef<'_>) -> bool {
    let link_like = |c: &ElementRef<'_>| {
        let n = c.value().name();
        n == "a"
            || matches!(n, "span" | "li" | "em" | "b" | "strong" | "font")
                && c.child_elements()
                    .next()
                    .is_some_and(|f| f.value().name() == "a")
    };
    // cheap rejection first: a trail has at least two link children
    if el.child_elements().filter(link_like).take(2).count() < 2 {
        return false;
    }
    let mut links = 0;
    let mut seps = 0;
    let mut last_text = String::new();
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                let t = t.trim_matches(crate::text::is_space);
                if t.is_empty() {
                    continue;
                }
                let rest = SEPARATORS.replace_all(t, " ");
                let rest = rest.trim_matches(crate::text::is_space);
                if rest.len() < t.len() {
                    seps += 1;
                }
                if !rest.is_empty() && !is_placeholder(rest) {
                    return false;
                }
                last_text = rest.to_string();
            }
            Node::Element(e) => {
                let inner = ElementRef::wrap(child);
                let is_link = e.name() == "a"
                    || matches!(e.name(), "span" | "li" | "em" | "b" | "strong" | "font")
                        && inner.is_some_and(|i| {
                            i.child_elements().count() == 1
                                && i.child_elements().all(|c| c.value().name() == "a")
                        });
                if is_link {
                    links += 1;
                    last_text.clear();
                } else if e.name() != "br" {
                    return false;
                }
            }
            _ => {}
        }
    }
    if links < 2 || seps == 0 {
        return false;
    }
    let (items, _) = tokens(el);
    let home_first = items.first().is_some_and(|f| HOME.contains(&f.as_str()));
    let hint = ["position", "location", "path", "dqwz", "weizhi", "crumb"]
        .iter()
        .any(|h| class_id_contains(el.value(), h));
    home_first && (is_placeholder(&last_text) || hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trail(html: &str) -> Vec<String> {
        find(&Html::parse_document(html), None)
    }

    #[test]
    fn labelled_trails() {
        assert_eq!(
            trail(
                r#"<div class="col_path"><span>当前位置: </span><a href="/">首页</a><span>»</span><a href="/zh/">综合新闻</a></div>"#
            ),
            ["首页", "综合新闻"]
        );
        assert_eq!(
            trail(
                r#"<div class="location">您所在的位置：<a href="/">首页</a> &gt; <a href="/a">院系动态</a> &gt; <a>校园新闻</a></div>"#
            ),
            ["首页", "院系动态", "校园新闻"]
        );
        assert_eq!(
            trail(
                r#"<div><div>当前位置:<span><a href="/">首页</a></span> >> <span><a href="/x">学校新闻</a></span> >> 正文</div></div>"#
            ),
            ["首页", "学校新闻"]
        );
    }

    #[test]
    fn breadcrumb_class_with_arrows() {
        assert_eq!(
            trail(
                r#"<nav class="breadcrumb"><ul><li><a href="/en/">www.example.org</a><span>›</span></li><li><a href="/en/debate/">News</a><span>›</span></li></ul></nav>"#
            ),
            ["www.example.org", "News"]
        );
    }

    #[test]
    fn label_less_trail_ending_in_placeholder() {
        assert_eq!(
            trail(
                r#"<div><span><a href="/">网站首页</a> | <a href="/b">人才工作</a> | <a href="/c">工作动态</a> | 正文 </span>工作动态</div>"#
            ),
            ["网站首页", "人才工作", "工作动态"]
        );
    }

    #[test]
    fn footer_link_rows_are_not_trails() {
        assert!(trail(r#"<div class="foot"><a href="/">首页</a> | <a href="/c">联系我们</a> | <a href="/m">网站地图</a></div>"#).is_empty());
        assert!(
            trail(r#"<ul><li><a href="/">首页</a></li><li><a href="/x">新闻</a></li></ul>"#)
                .is_empty()
        );
    }

    #[test]
    fn slash_separated_text_trail() {
        assert_eq!(
            trail(r#"<p>当前位置：<a href="/">首页</a> / <a href="/n">新闻中心</a> / 内容</p>"#),
            ["首页", "新闻中心"]
        );
    }
}
