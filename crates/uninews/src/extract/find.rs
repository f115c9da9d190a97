//! One pass over the document for all rule selectors. Each selector is indexed by its
//! most selective condition (id, class or tag); every element is looked up in the index
//! and only the selectors that may match it are tested. A page of a few thousand elements
//! is then walked once, not once per field.

use crate::selectors::{FastSelector, IndexKey};
use scraper::{ElementRef, Html};

/// The matches of a set of selectors: the first match of each, and all matches of those
/// asked for in full.
pub struct Found<'a> {
    keys: Vec<*const FastSelector>,
    first: Vec<Option<ElementRef<'a>>>,
    all: Vec<Vec<ElementRef<'a>>>,
}

fn sorted(mut v: Vec<(&str, usize)>) -> Vec<(&str, usize)> {
    v.sort_unstable();
    v
}

/// Compare `a` (lower-case) with `b` as if `b` were lower-cased too.
fn cmp_ci(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes().cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The selectors indexed under `key` (compared ASCII case-insensitively).
fn lookup<'v>(index: &'v [(&str, usize)], key: &str) -> impl Iterator<Item = usize> + 'v {
    use std::cmp::Ordering::{Equal, Less};
    let start = index.partition_point(|(k, _)| cmp_ci(k, key) == Less);
    let end = start + index[start..].partition_point(|(k, _)| cmp_ci(k, key) == Equal);
    index[start..end].iter().map(|(_, i)| *i)
}

impl<'a> Found<'a> {
    /// Find, in one pass over `doc`, the first match of each of `first` and every match of
    /// each of `all`.
    pub fn new(doc: &'a Html, first: &[&FastSelector], all: &[&FastSelector]) -> Found<'a> {
        let sels: Vec<&FastSelector> = first.iter().chain(all.iter()).copied().collect();
        let keep_all: Vec<bool> = (0..sels.len()).map(|i| i >= first.len()).collect();
        let (mut ids, mut classes, mut tags, mut any) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, s) in sels.iter().enumerate() {
            match s.index_key() {
                IndexKey::Id(k) => ids.push((k, i)),
                IndexKey::Class(k) => classes.push((k, i)),
                IndexKey::Tag(k) => tags.push((k, i)),
                IndexKey::Any => any.push(i),
            }
        }
        let (ids, classes, tags) = (sorted(ids), sorted(classes), sorted(tags));
        let mut found = Found {
            keys: sels.iter().map(|s| *s as *const FastSelector).collect(),
            first: vec![None; sels.len()],
            all: vec![Vec::new(); sels.len()],
        };
        let mut open = sels.len();
        let mut candidates: Vec<usize> = Vec::new();
        for el in doc.root_element().descendent_elements().skip(1) {
            if open == 0 {
                break;
            }
            let v = el.value();
            candidates.clear();
            candidates.extend(lookup(&tags, v.name()));
            if !ids.is_empty()
                && let Some(id) = v.id()
            {
                candidates.extend(lookup(&ids, id));
            }
            if !classes.is_empty()
                && let Some(class) = super::dom::attr(v, "class")
            {
                for c in class.split_ascii_whitespace() {
                    candidates.extend(lookup(&classes, c));
                }
            }
            candidates.extend(any.iter().copied());
            for &i in &candidates {
                if (found.first[i].is_some() && !keep_all[i]) || !sels[i].matches(&el) {
                    continue;
                }
                if found.first[i].is_none() {
                    found.first[i] = Some(el);
                    if !keep_all[i] {
                        open -= 1;
                    }
                }
                if keep_all[i] && found.all[i].last() != Some(&el) {
                    found.all[i].push(el);
                }
            }
        }
        found
    }

    fn index(&self, sel: &FastSelector) -> Option<usize> {
        let p = sel as *const FastSelector;
        self.keys.iter().position(|k| *k == p)
    }

    /// The first match of `sel` (which must have been given to [`Found::new`]).
    pub fn first(&self, sel: &FastSelector) -> Option<ElementRef<'a>> {
        self.index(sel).and_then(|i| self.first[i])
    }

    /// The first match of the first selector of `list` that matches anything.
    pub fn first_of(&self, list: &[FastSelector]) -> Option<ElementRef<'a>> {
        list.iter().find_map(|s| self.first(s))
    }

    /// All matches of `sel` (given to [`Found::new`] in `all`), in document order.
    pub fn all(&self, sel: &FastSelector) -> &[ElementRef<'a>] {
        self.index(sel).map_or(&[], |i| &self.all[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pass_agrees_with_selector_by_selector() {
        let doc = Html::parse_document(
            r#"<div id="Main" class="Box news"><h1 class="t">A</h1><p class="t">B</p><h1>C</h1>
            <ul><li><a href="/a.doc">1</a></li><li><a href="/b.pdf">2</a></li></ul></div>"#,
        );
        let sels: Vec<FastSelector> =
            ["h1", ".t", "#main h1", "div.news > p", "[id]", "ul a", "li"]
                .iter()
                .map(|c| FastSelector::parse(c).unwrap())
                .collect();
        let firsts: Vec<&FastSelector> = sels[..5].iter().collect();
        let alls: Vec<&FastSelector> = sels[5..].iter().collect();
        let found = Found::new(&doc, &firsts, &alls);
        for (s, css) in sels[..5]
            .iter()
            .zip(["h1", ".t", "#main h1", "div.news > p", "[id]"])
        {
            assert_eq!(found.first(s), s.first(doc.root_element()), "{css}");
        }
        for s in &sels[5..] {
            let want: Vec<_> = s.select(doc.root_element()).collect();
            assert_eq!(found.all(s), want.as_slice());
        }
        // ids are case-sensitive here (`#main` is not `Main`): the list falls to its next selector
        assert_eq!(found.first(&sels[2]), None);
        assert_eq!(
            found.first_of(&sels[2..4]),
            sels[3].first(doc.root_element())
        );
        assert!(found.first_of(&sels[2..4]).is_some());
    }
}
