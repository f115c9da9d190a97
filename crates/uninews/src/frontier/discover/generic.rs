//! Generic list-page heuristics for sites of no known CMS and no profile: next-page links
//! by text or `rel=next`, numbered page links beside them, and article links as the
//! largest group of title-like links in one list container.

use super::Pagination;
use super::links::{Link, container_of, inside, largest_group};
use ego_tree::NodeId;
use scraper::ElementRef;

/// A link whose text has at least this many characters may be an article title.
pub const MIN_TITLE_CHARS: usize = 8;
/// The main list must hold at least this many distinct title-like links.
pub const MIN_LIST_LINKS: usize = 3;

/// Words that name the next page, compared after trimming `<>«»‹›` and spaces,
/// case-insensitively.
const NEXT_WORDS: &[&str] = &[
    "下一页",
    "下页",
    "下一頁",
    "next",
    "next page",
    "nextpage",
    "older",
];
/// Texts of first/previous/last links in a pager.
const PAGER_WORDS: &[&str] = &[
    "首页",
    "上页",
    "上一页",
    "尾页",
    "末页",
    "最后一页",
    "first",
    "last",
    "prev",
    "previous",
];

fn trimmed(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || "<>«»‹›".contains(c))
        .to_lowercase()
}

/// True when a link's text (or `rel`) marks it as the next page.
pub fn is_next_link(link: &Link<'_>) -> bool {
    if link
        .el
        .value()
        .attr("rel")
        .is_some_and(|r| r.split_whitespace().any(|w| w.eq_ignore_ascii_case("next")))
    {
        return true;
    }
    let t = trimmed(&link.text);
    if t.is_empty() {
        // Text made only of arrows: `>`, `»`, `>>`, `›`.
        let raw = link.text.trim();
        return !raw.is_empty()
            && raw.chars().count() <= 2
            && raw.chars().all(|c| ">»›".contains(c));
    }
    NEXT_WORDS.contains(&t.as_str())
}

/// True when the text is a page number.
pub fn is_page_number(link: &Link<'_>) -> bool {
    let t = link.text.trim();
    !t.is_empty() && t.len() <= 5 && t.chars().all(|c| c.is_ascii_digit())
}

fn is_pager_word(link: &Link<'_>) -> bool {
    PAGER_WORDS.contains(&trimmed(&link.text).as_str())
}

/// Pagination by text: the next link, and the numbered/first/last links near it.
pub fn pagination(links: &[Link<'_>]) -> Pagination {
    let mut out = Pagination::default();
    let next = links.iter().find(|l| is_next_link(l));
    out.next = next.map(|l| l.url.clone());
    // The pager: the nearest ancestor of the next link (up to 3 levels) that also holds
    // numbered links; without a next link, the parent holding the most numbered links.
    let pager: Option<NodeId> = match next {
        Some(n) => {
            n.el.ancestors()
                .take(3)
                .find(|a| {
                    links
                        .iter()
                        .any(|l| is_page_number(l) && l.el.ancestors().any(|x| x.id() == a.id()))
                })
                .or_else(|| n.el.parent())
                .map(|a| a.id())
        }
        None => {
            let numbered: Vec<&Link<'_>> = links.iter().filter(|l| is_page_number(l)).collect();
            largest_group(&numbered)
                .filter(|g| g.len() >= 2)
                .and_then(|g| container_of(&numbered[g[0]].el))
        }
    };
    if let Some(pager) = pager {
        for l in links {
            let near = l.el.ancestors().any(|a| a.id() == pager);
            if near && (is_page_number(l) || is_pager_word(l) || is_next_link(l)) {
                out.pages.push(l.url.clone());
            }
        }
    }
    out
}

fn title_like(link: &Link<'_>) -> bool {
    let text_len = link.text.chars().count();
    let title_len = link.title().map_or(0, |t| t.trim().chars().count());
    text_len.max(title_len) >= MIN_TITLE_CHARS
        && !is_next_link(link)
        && !is_page_number(link)
        && !inside(&link.el, &["nav", "header", "footer"])
}

/// The article links of a page without known URL shapes: the largest group of title-like
/// links sharing one list container (at least [`MIN_LIST_LINKS`] of them).
pub fn main_list<'a, 'b>(links: &'b [Link<'a>]) -> Vec<&'b Link<'a>> {
    let candidates: Vec<&Link<'_>> = links.iter().filter(|l| title_like(l)).collect();
    let Some(group) = largest_group(&candidates) else {
        return Vec::new();
    };
    let distinct: std::collections::HashSet<&str> =
        group.iter().map(|&i| candidates[i].url.as_str()).collect();
    if distinct.len() < MIN_LIST_LINKS {
        return Vec::new();
    }
    group.into_iter().map(|i| candidates[i]).collect()
}

/// Elements a profile selector matched, as the links inside them (or themselves).
/// Linear: the matched elements are looked up in a set, not rescanned per link.
pub fn links_under<'a, 'b>(matched: &[ElementRef<'a>], links: &'b [Link<'a>]) -> Vec<&'b Link<'a>> {
    let matched: std::collections::HashSet<NodeId> = matched.iter().map(|m| m.id()).collect();
    links
        .iter()
        .filter(|l| {
            matched.contains(&l.el.id()) || l.el.ancestors().any(|a| matched.contains(&a.id()))
        })
        .collect()
}
