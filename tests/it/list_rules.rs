//! The `[list]` rules of the shipped profiles work on the corpus list pages: the page's
//! URL is a list URL, the article-link selectors find links that are article URLs, and the
//! next-page and page links (when there are any) lead to list URLs. Skipped when the
//! corpus is absent.

use crate::common;

use uninews::selectors::{ListRules, Profile, ProfileSet};
use url::Url;

fn matches_any(patterns: &[regex::Regex], url: &Url) -> bool {
    patterns.iter().any(|p| p.is_match(url.as_str()))
}

fn links(doc: &scraper::Html, base: &Url, sels: &[scraper::Selector]) -> Vec<Url> {
    sels.iter()
        .flat_map(|s| doc.select(s))
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| !h.trim_start().starts_with("javascript:") && !h.trim().is_empty())
        .filter_map(|h| base.join(h.trim()).ok())
        .collect()
}

fn check(file: &str, url: &Url, profile: &Profile, html: &str) {
    let list: &ListRules = &profile.list;
    let doc = scraper::Html::parse_document(html);
    if !list.list_url_patterns.is_empty() {
        assert!(
            matches_any(&list.list_url_patterns, url),
            "{file}: {url} is not a list URL"
        );
    }
    // links to other hosts (a faculty's own site) are left to the crawler's host policy
    let articles: Vec<Url> = links(&doc, url, &list.article_links)
        .into_iter()
        .filter(|a| profile.covers(a.host_str().unwrap_or("")))
        .collect();
    assert!(!articles.is_empty(), "{file}: no article links");
    for a in &articles {
        assert!(
            matches_any(&list.article_url_patterns, a),
            "{file}: article link {a} does not match article_url_patterns"
        );
    }
    for next in links(&doc, url, &list.next_page) {
        assert!(
            matches_any(&list.list_url_patterns, &next),
            "{file}: next page {next} is not a list URL"
        );
    }
    for page in links(&doc, url, &list.page_links) {
        assert!(
            matches_any(&list.list_url_patterns, &page),
            "{file}: page link {page} is not a list URL"
        );
    }
}

#[test]
fn corpus_list_pages_follow_their_profiles_list_rules() {
    let Some(corpus) = common::shared_dir("corpus") else {
        return;
    };
    let profiles = ProfileSet::builtin().unwrap();
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv")).unwrap();
    let mut checked = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.get(2) != Some(&"list") {
            continue;
        }
        let url = Url::parse(cols[1]).unwrap();
        let profile = profiles
            .for_url(&url)
            .unwrap_or_else(|| panic!("{}: no profile covers {url}", cols[0]));
        assert!(
            profile
                .list
                .start_urls
                .iter()
                .any(|s| s.host_str() == url.host_str()),
            "{}: start_urls are on another host",
            profile.name
        );
        let bytes = std::fs::read(corpus.join(cols[0])).unwrap();
        let html = uninews::decode::decode(&bytes, None, None).text;
        check(cols[0], &url, profile, &html);
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} list pages");
}

#[test]
fn every_start_url_is_a_list_url() {
    for p in ProfileSet::builtin().unwrap().iter() {
        assert!(!p.list.start_urls.is_empty(), "{}: no start_urls", p.name);
        for s in &p.list.start_urls {
            assert!(
                p.covers(s.host_str().unwrap_or("")),
                "{}: {s} is not on its hosts",
                p.name
            );
            if !p.list.list_url_patterns.is_empty() {
                assert!(matches_any(&p.list.list_url_patterns, s), "{}: {s}", p.name);
            }
        }
    }
}
