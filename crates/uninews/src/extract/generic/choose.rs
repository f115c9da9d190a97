//! Picking the body from the density figures: the density winner or the prose winner,
//! lifted to the common ancestor of a split article, with sibling blocks that continue it
//! and a lead image; and the link-heavy clutter inside it.

use super::score::{Best, Stat, is_negative, only_place_words, score_tree};
use super::text_capped;
use ego_tree::NodeId;
use scraper::{ElementRef, Html};
use std::collections::{HashMap, HashSet};

/// True when sibling `s` of the best candidate `el` continues the article: it scores at
/// least a fifth of the best, it is a paragraph of real prose with few links, or it is
/// a block of the same kind as `el` (same tag and class: the next step of a how-to, the
/// next part of a split article) with some text and few links.
fn continues_article<'a>(
    s: ElementRef<'a>,
    el: ElementRef<'a>,
    stat: Option<&Stat>,
    best: f32,
) -> bool {
    let Some(stat) = stat else { return false };
    if is_negative(s.value()) || stat.link_density() > 0.5 {
        return false;
    }
    if stat.score >= (best * 0.2).max(10.0) {
        return true;
    }
    let own = stat.text.saturating_sub(stat.link);
    let class = |e: &ElementRef<'a>| -> &'a str { e.value().attr("class").map_or("", str::trim) };
    if s.value().name() == el.value().name()
        && !class(&el).is_empty()
        && class(&s) == class(&el)
        && own >= 30
        && stat.link_density() < 0.3
    {
        return true;
    }
    matches!(s.value().name(), "p" | "pre" | "blockquote")
        && own >= 60
        && stat.link_density() < 0.25
}

/// The body container found by text density: the element collecting the most paragraph
/// text (paragraphs count fully for their parent and half for their grandparent), scaled
/// down by link density and boilerplate class names. Siblings that continue the article
/// (an article split over several blocks, see [`continues_article`]) are returned with it,
/// in page order, with the headings between them; so are preceding siblings that only hold
/// an image (a lead photo).
#[cfg(test)]
pub fn body(doc: &Html) -> Vec<ElementRef<'_>> {
    body_and_noise(doc, super::title(doc).and_then(|t| t.1)).0
}

/// Containers that are mostly link text (teaser lists, "more stories", tag clouds).
const NOISE_CONTAINERS: [&str; 9] = [
    "div", "section", "ul", "ol", "table", "aside", "nav", "form", "header",
];

/// [`body`], plus the elements inside it that are clutter: containers whose text is at
/// least half link text, and elements whose class names say boilerplate ([`is_negative`])
/// unless they only name a place (`footer`, `header`) and hold prose with few links, or
/// sit in code (`<pre>`, `<code>`).
pub fn body_and_noise(
    doc: &Html,
    headline: Option<NodeId>,
) -> (Vec<ElementRef<'_>>, HashSet<NodeId>) {
    let (stats, mut best, mut best_prose) = score_tree(doc);
    let mut scope = None;
    if let Some((inside, art)) = marked_article(doc, headline, &stats, best) {
        best = Some(inside);
        best_prose = None;
        scope = Some(art);
    }
    let roots = choose_body(doc, &stats, best, best_prose, scope);
    let roots = super::ld_body::check(doc, roots, &stats);
    let mut noise = HashSet::new();
    for r in &roots {
        for d in r.descendent_elements().skip(1) {
            let stat = stats.get(&d.id());
            let linky = stat.is_some_and(|s| s.link_density() >= 0.5);
            let prose = stat.is_some_and(|s| s.deep >= 150 && s.link_density() < 0.2);
            let clutter = (NOISE_CONTAINERS.contains(&d.value().name()) && linky)
                || is_ad(d, &stats)
                || (is_negative(d.value())
                    && !in_code(d)
                    && !(prose && only_place_words(d.value())));
            if clutter {
                noise.insert(d.id());
            }
        }
    }
    (roots, noise)
}

/// Labels that mark an advertisement in the body (lower case; compared case-folded).
const AD_LABELS: [&str; 16] = [
    "广告",
    "推广",
    "廣告",
    "advertisement",
    "advertisements",
    "ad",
    "anzeige",
    "werbung",
    "sponsored",
    "publicidade",
    "publicidad",
    "pubblicità",
    "publicité",
    "reklam",
    "reklama",
    "реклама",
];

/// An advertisement inside the body: an element whose whole text is an ad label
/// ([`AD_LABELS`]: the `Advertisement` line above an ad slot), or a link that opens with
/// one (`<a><i>广告</i>通知：…</a>`).
fn is_ad(e: ElementRef<'_>, stats: &HashMap<NodeId, Stat>) -> bool {
    let is_label = |el: ElementRef<'_>| {
        stats.get(&el.id()).is_some_and(|s| s.text <= 16) && {
            let t = text_capped(*el, 20).to_lowercase();
            AD_LABELS.contains(&t.as_str())
        }
    };
    let blank = |n: Option<ego_tree::NodeRef<'_, scraper::Node>>| {
        n.is_none_or(|n| n.value().as_text().is_none_or(|t| t.trim().is_empty()))
    };
    // a label stands apart from running text (not `<a>Ad</a>ministration`)
    if is_label(e) && blank(e.prev_sibling()) && blank(e.next_sibling()) {
        return true;
    }
    e.value().name() == "a"
        && e.child_elements()
            .next()
            .is_some_and(|first| blank(first.prev_sibling()) && is_label(first))
}

/// Inside `<pre>` or `<code>`: class names there are a highlighter's (`hljs-comment`).
fn in_code(e: ElementRef<'_>) -> bool {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| matches!(a.value().name(), "pre" | "code"))
}

/// The best element inside the element that marks the article, when the density winner
/// lies outside it (a teaser stream, a consent or payment box) or in boilerplate inside it
/// (a gallery widget), and the mark has prose of its own. The marks, in order: the page's only `[itemprop=articleBody]`
/// (schema.org microdata), the `<article>` that holds the headline (HTML5 pages put an
/// article's headline and body in one `<article>`; it needs 100 characters of prose), the
/// page's only `<article>`. Returned with that element, which the body then does not
/// outgrow.
fn marked_article(
    doc: &Html,
    headline: Option<NodeId>,
    stats: &HashMap<NodeId, Stat>,
    best: Best,
) -> Option<((f32, NodeId), NodeId)> {
    let (_, best_id) = best?;
    let best_el = doc.tree.get(best_id)?;
    let in_headline_article = headline.and_then(|h| doc.tree.get(h)).and_then(|h| {
        h.ancestors()
            .filter_map(ElementRef::wrap)
            .find(|a| a.value().name() == "article")
    });
    let marks = [
        (only(doc, |e| e.attr("itemprop") == Some("articleBody")), 20),
        (in_headline_article, 100),
        (only(doc, |e| e.name() == "article"), 20),
    ];
    marks.into_iter().find_map(|(mark, min_prose)| {
        let art = mark?;
        let inside = best_el.ancestors().any(|a| a.id() == art.id());
        if (inside && !in_boilerplate(best_el, art.id()))
            || art.ancestors().any(|a| a.id() == best_id)
            || best_id == art.id()
            || stats.get(&art.id()).map_or(0, |s| s.deep) < min_prose
        {
            return None;
        }
        art.descendants()
            .filter(|d| !in_boilerplate(*d, art.id()))
            .filter_map(|d| stats.get(&d.id()).map(|s| (s.score, d.id())))
            .filter(|(s, _)| *s > 0.0)
            .max_by(|x, y| x.0.total_cmp(&y.0))
            .map(|b| (b, art.id()))
    })
}

/// True when `n` or one of its ancestors below `stop` has a boilerplate class name (a
/// gallery widget or a related-stories box inside the article).
fn in_boilerplate(n: ego_tree::NodeRef<'_, scraper::Node>, stop: NodeId) -> bool {
    std::iter::once(n)
        .chain(n.ancestors())
        .take_while(|a| a.id() != stop)
        .filter_map(ElementRef::wrap)
        .any(|a| is_negative(a.value()))
}

/// The page's only element for which `is` holds, if there is exactly one.
fn only(doc: &Html, is: impl Fn(&scraper::node::Element) -> bool) -> Option<ElementRef<'_>> {
    let mut found = doc
        .root_element()
        .descendent_elements()
        .filter(|e| is(e.value()));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

fn choose_body<'a>(
    doc: &'a Html,
    stats: &HashMap<NodeId, Stat>,
    best: Best,
    best_prose: Best,
    scope: Option<NodeId>,
) -> Vec<ElementRef<'a>> {
    let Some((best_score, id)) = best else {
        return Vec::new();
    };
    let Some(mut el) = doc.tree.get(id).and_then(ElementRef::wrap) else {
        return Vec::new();
    };
    if let Some(p) = best_prose
        .and_then(|(_, p)| doc.tree.get(p))
        .and_then(ElementRef::wrap)
        && prose_wins(el, p, stats)
    {
        return with_lead_image(p, vec![p]);
    }
    // an article cut into several blocks of similar weight (one per column or page part):
    // the nearest ancestor holding at least two of the other strong candidates
    let mut strong: Vec<(f32, NodeId)> = stats
        .iter()
        .filter(|(n, s)| **n != id && s.score >= best_score * 0.75)
        .map(|(n, s)| (s.score, *n))
        .collect();
    strong.sort_by(|x, y| y.0.total_cmp(&x.0));
    strong.truncate(4);
    if strong.len() >= 2 {
        let holds = |anc: NodeId, n: NodeId| {
            doc.tree
                .get(n)
                .is_some_and(|x| x.ancestors().any(|a| a.id() == anc))
        };
        if let Some(anc) = el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|a| !matches!(a.value().name(), "body" | "html"))
            .take_while(|a| {
                scope.is_none_or(|sc| a.id() == sc || a.ancestors().any(|x| x.id() == sc))
            })
            .find(|a| strong.iter().filter(|(_, n)| holds(a.id(), *n)).count() >= 2)
        {
            el = anc;
        }
    }
    if let Some(step) = repeated_wrapper(el, stats, scope) {
        el = step;
    }
    // a table's rows are one block with the table: its siblings (the intro above a list
    // article's table) are the body's siblings
    if matches!(el.value().name(), "tbody" | "thead" | "tfoot" | "tr")
        && let Some(table) = el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|a| a.value().name() == "table")
        && scope.is_none_or(|sc| table.ancestors().any(|x| x.id() == sc))
    {
        el = table;
    }
    let best_score = stats
        .get(&el.id())
        .map_or(best_score, |s| s.score.max(best_score));
    let siblings: Vec<ElementRef<'_>> = match el.parent() {
        Some(p) => p.children().filter_map(ElementRef::wrap).collect(),
        None => vec![el],
    };
    let at = siblings.iter().position(|s| *s == el).unwrap_or(0);
    let keep: Vec<bool> = siblings
        .iter()
        .enumerate()
        .map(|(i, s)| i == at || continues_article(*s, el, stats.get(&s.id()), best_score))
        .collect();
    let first = keep.iter().position(|k| *k).unwrap_or(at);
    let last = keep.iter().rposition(|k| *k).unwrap_or(at);
    let mut out: Vec<ElementRef<'_>> = Vec::new();
    for (i, s) in siblings.iter().enumerate().take(last + 1).skip(first) {
        let heading = crate::extract::dom::heading_level(s.value().name()).is_some_and(|l| l > 1);
        if keep[i] || heading {
            out.push(*s);
        }
    }
    match out.first() {
        Some(f) => with_lead_image(*f, out),
        None => out,
    }
}

/// The ancestor of a small body `el` (up to three levels up) that is one of a run of
/// blocks of the same tag and class holding prose with few links: the body was one step
/// of a how-to, one part of an article printed in repeated wrappers. The siblings then
/// join it as continuations (see [`continues_article`]). List items are teasers, not steps.
fn repeated_wrapper<'a>(
    el: ElementRef<'a>,
    stats: &HashMap<NodeId, Stat>,
    scope: Option<NodeId>,
) -> Option<ElementRef<'a>> {
    let small = stats.get(&el.id()).is_some_and(|s| s.text < 1000);
    if !small {
        return None;
    }
    let class = |e: &ElementRef<'a>| -> &'a str { e.value().attr("class").map_or("", str::trim) };
    for a in el.ancestors().filter_map(ElementRef::wrap).take(3) {
        if matches!(a.value().name(), "body" | "html" | "li")
            || scope.is_some_and(|sc| a.id() == sc || !a.ancestors().any(|x| x.id() == sc))
        {
            return None;
        }
        if class(&a).is_empty() {
            continue;
        }
        let like = a
            .parent()
            .into_iter()
            .flat_map(|p| p.children())
            .filter_map(ElementRef::wrap)
            .filter(|s| *s != a && s.value().name() == a.value().name() && class(s) == class(&a))
            .filter(|s| {
                stats.get(&s.id()).is_some_and(|st| {
                    st.text.saturating_sub(st.link) >= 30 && st.link_density() < 0.3
                })
            })
            .count();
        if like >= 2 {
            return Some(a);
        }
    }
    None
}

/// Whether the best element by prose balance `p` replaces the density winner `d`: as an
/// ancestor when it adds at least 30% more prose (the article's paragraphs sit in many
/// small wrappers), as a descendant when it keeps 80% of the prose (the winner was
/// a wrapper with much else), elsewhere when it has three times the prose.
fn prose_wins(d: ElementRef<'_>, p: ElementRef<'_>, stats: &HashMap<NodeId, Stat>) -> bool {
    let deep = |e: ElementRef<'_>| stats.get(&e.id()).map_or(0, |s| s.deep);
    let (dd, pd) = (deep(d), deep(p));
    if d == p {
        false
    } else if d.ancestors().any(|a| a.id() == p.id()) {
        pd * 10 >= dd * 13
    } else if p.ancestors().any(|a| a.id() == d.id()) {
        pd * 5 >= dd * 4
    } else {
        dd > 0 && dd * 3 < pd
    }
}

/// Class words of a CMS's image field (Drupal `field--name-field-image`, TYPO3
/// `ce-image`, `article-image`, `lead-image`, `featured-image`, `hero-image`).
static IMAGE_FIELD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)field-image|field--type-image|ce-image|ce-gallery|(?:lead|featured|hero|article|main|top)[-_]?(?:image|img|media|photo|figure)")
        .expect("static regex")
});

/// `out` (the body, starting with `first`) preceded by up to two siblings just before
/// `first` that only hold an image (a lead photo): under 40 characters of text, or under
/// 300 when the image is captioned (a `figure`, a CMS image field).
fn with_lead_image<'a>(first: ElementRef<'a>, mut out: Vec<ElementRef<'a>>) -> Vec<ElementRef<'a>> {
    for s in first.prev_siblings().filter_map(ElementRef::wrap).take(2) {
        let has_img = s.descendent_elements().any(|d| d.value().name() == "img");
        // a captioned lead photo (`figure`, a CMS image field) may carry a sentence or two
        let captioned = s
            .descendent_elements()
            .any(|d| matches!(d.value().name(), "figure" | "figcaption"))
            || crate::extract::dom::class_id_matches(s.value(), &IMAGE_FIELD);
        let limit = if captioned { 300 } else { 40 };
        if has_img && !is_negative(s.value()) && text_capped(*s, limit + 20).chars().count() < limit
        {
            out.insert(0, s);
        } else {
            break;
        }
    }
    out
}
