//! Discovery on real list pages (the shared corpus and site mirrors, read in place) and on
//! small pages written here for the generic heuristics and profile rules; TRS WCM list
//! pages, written here too, are in the `trs` module.
//!
//! The expected article ids, next pages and page counts below were read off the pages by
//! hand (the `<ul>` of the main list, the pager block), not produced by the code.

use crate::common;
mod expect;
mod trs;

use expect::{CORPUS, Expect};
use uninews::frontier::discover::{Cms, Discovery, discover};
use uninews::frontier::{Kind, Scope};
use uninews::selectors::{ListRules, compile_regex, compile_selector};
use url::Url;

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

fn run(dir: &std::path::Path, file: &str, page: &str) -> Discovery {
    let html = std::fs::read_to_string(dir.join(file)).expect("read page");
    let page = url(page);
    discover(&html, &page, None, &Scope::of_urls([&page]))
}

fn strs(urls: &[Url]) -> Vec<&str> {
    urls.iter().map(Url::as_str).collect()
}

fn check(d: &Discovery, e: &Expect) {
    let want: Vec<String> = e
        .ids
        .iter()
        .map(|id| format!("{}{id}{}", e.prefix, e.suffix))
        .collect();
    assert_eq!(strs(&d.articles), want, "{}: articles", e.file);
    assert_eq!(d.cms, e.cms, "{}: cms", e.file);
    assert_eq!(
        d.next_page.as_ref().map(Url::as_str),
        e.next,
        "{}: next",
        e.file
    );
    assert_eq!(d.total_pages, e.total, "{}: total pages", e.file);
    for p in e.pages_include {
        assert!(
            strs(&d.pages).contains(p),
            "{}: pages lack {p}: {:?}",
            e.file,
            strs(&d.pages)
        );
    }
    assert_eq!(
        d.pages.len(),
        e.pages_len,
        "{}: pages {:?}",
        e.file,
        strs(&d.pages)
    );
    for o in e.off_scope_include {
        assert!(
            strs(&d.off_scope).contains(o),
            "{}: off-scope lacks {o}",
            e.file
        );
    }
    // Nothing is reported twice, and main-list articles are not repeated as "other".
    let mut all: Vec<&str> = strs(&d.articles);
    all.extend(strs(&d.pages));
    all.extend(d.other.iter().map(|(u, _)| u.as_str()));
    let n = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), n, "{}: a URL appears in two categories", e.file);
}

#[test]
fn corpus_list_pages() {
    let Some(dir) = common::shared_dir("corpus") else {
        return;
    };
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect("manifest");
    let mut seen = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.get(2) != Some(&"list") {
            continue;
        }
        let e = CORPUS
            .iter()
            .find(|e| e.file == cols[0])
            .unwrap_or_else(|| {
                panic!(
                    "{}: a new corpus list page: verify it by hand and add it",
                    cols[0]
                )
            });
        check(&run(&dir, e.file, cols[1]), e);
        seen += 1;
    }
    assert_eq!(
        seen,
        CORPUS.len(),
        "every expectation matched a manifest row"
    );
}

#[test]
fn vsb_mirror_pages_enumerate_down_to_one() {
    let Some(dir) = common::shared_dir("sites/cqjtu-yjszs") else {
        return;
    };
    let first = run(&dir, "kdxx.htm", "http://yjszs.cqjtu.edu.cn/kdxx.htm");
    assert_eq!(first.cms, Cms::Vsb);
    assert_eq!(first.total_pages, Some(3), "共24条 1/3");
    assert_eq!(
        first.next_page.as_ref().map(Url::as_str),
        Some("http://yjszs.cqjtu.edu.cn/kdxx/2.htm")
    );
    assert_eq!(
        strs(&first.pages),
        [
            "http://yjszs.cqjtu.edu.cn/kdxx/2.htm",
            "http://yjszs.cqjtu.edu.cn/kdxx/1.htm"
        ]
    );
    let ids = [
        "1870", "1869", "1868", "1867", "1863", "1862", "1854", "1853", "1839", "1835",
    ];
    let want: Vec<String> = ids
        .iter()
        .map(|i| format!("http://yjszs.cqjtu.edu.cn/info/1052/{i}.htm"))
        .collect();
    assert_eq!(strs(&first.articles), want);

    let middle = run(&dir, "kdxx/2.htm", "http://yjszs.cqjtu.edu.cn/kdxx/2.htm");
    assert_eq!(
        middle.next_page.as_ref().map(Url::as_str),
        Some("http://yjszs.cqjtu.edu.cn/kdxx/1.htm")
    );
    let mut pages = strs(&middle.pages);
    pages.sort_unstable();
    assert_eq!(
        pages,
        [
            "http://yjszs.cqjtu.edu.cn/kdxx.htm",
            "http://yjszs.cqjtu.edu.cn/kdxx/1.htm"
        ]
    );
    assert_eq!(middle.articles.len(), 10);
    assert!(middle.articles[0].as_str().ends_with("/info/1052/1581.htm"));

    let last = run(&dir, "kdxx/1.htm", "http://yjszs.cqjtu.edu.cn/kdxx/1.htm");
    assert_eq!(last.next_page, None, "the last page has no next");
    assert_eq!(last.articles.len(), 4);
}

#[test]
fn webplus_mirror_page_two_of_thirteen() {
    let Some(dir) = common::shared_dir("sites/fudan-cs") else {
        return;
    };
    let d = run(
        &dir,
        "24251/list2.html",
        "https://cs.fudan.edu.cn/24251/list2.htm",
    );
    assert_eq!(d.cms, Cms::WebPlus);
    assert_eq!(d.total_pages, Some(13));
    assert_eq!(
        d.next_page.as_ref().map(Url::as_str),
        Some("https://cs.fudan.edu.cn/24251/list3.htm")
    );
    let pages = strs(&d.pages);
    for k in ["list.htm", "list3.htm"] {
        assert!(
            pages.contains(&format!("https://cs.fudan.edu.cn/24251/{k}").as_str()),
            "{k}"
        );
    }
    assert!(
        !pages.iter().any(|p| p.ends_with("/list7.htm")),
        "page 2 does not enumerate the list: the first page does"
    );
    let head = run(
        &dir,
        "24251/list.html",
        "https://cs.fudan.edu.cn/24251/list.htm",
    );
    assert_eq!(head.total_pages, Some(13));
    let head_pages = strs(&head.pages);
    // The mirror's pager links say `.html`; enumeration follows the pager's spelling.
    for k in 2..=13 {
        let want = format!("https://cs.fudan.edu.cn/24251/list{k}.html");
        assert!(
            head_pages.contains(&want.as_str()),
            "the first page enumerates {want}: {head_pages:?}"
        );
    }
    assert!(
        !pages.iter().any(|p| p.ends_with("/list1.htm")),
        "list1 is list"
    );
    assert!(
        !pages.iter().any(|p| p.ends_with("/list2.htm")),
        "the page itself"
    );
    assert_eq!(d.articles.len(), 18);
    assert!(
        d.articles[0]
            .as_str()
            .ends_with("/bc/ba/c24280a507066/page.htm")
    );
    assert!(d.articles[17].as_str().ends_with("c24280a483532/page.htm"));
}

const GENERIC: &str = r#"<html><body>
<nav><ul><li><a href="/">Home page of the university</a></li><li><a href="/about/">About the university and more</a></li></ul></nav>
<div class="content"><ul class="items">
  <li><a href="/2024/05/new-lab-opens.html">A new laboratory opens on the east campus</a> <span>2024-05-01</span></li>
  <li><a href="/2024/04/award.html?utm_source=feed">Professor receives the national teaching award</a></li>
  <li><a href="/2024/04/exchange.html#comments">Student exchange programme with three partners</a></li>
  <li><a href="/2024/04/award.html">Professor receives the national teaching award</a></li>
</ul>
<div class="pager"><a href="?page=1">1</a> <a href="?page=2">2</a> <a href="?page=3">3</a> <a href="?page=2">下一页 &gt;</a></div>
</div>
<aside><a href="mailto:press@example.edu">Write to the press office today</a>
<a href="https://elsewhere.org/story">A story on another site entirely</a></aside>
</body></html>"#;

#[test]
fn generic_heuristics_find_list_and_pager() {
    let page = url("https://news.example.edu/news/?page=1");
    let d = discover(GENERIC, &page, None, &Scope::of_urls([&page]));
    assert_eq!(d.cms, Cms::Generic);
    assert_eq!(
        strs(&d.articles),
        [
            "https://news.example.edu/2024/05/new-lab-opens.html",
            "https://news.example.edu/2024/04/award.html",
            "https://news.example.edu/2024/04/exchange.html",
        ]
    );
    assert_eq!(
        d.next_page.as_ref().map(Url::as_str),
        Some("https://news.example.edu/news/?page=2")
    );
    assert_eq!(
        strs(&d.pages),
        [
            "https://news.example.edu/news/?page=2",
            "https://news.example.edu/news/?page=3"
        ]
    );
    assert_eq!(strs(&d.off_scope), ["https://elsewhere.org/story"]);
    let other: Vec<&str> = d.other.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        other,
        [
            "https://news.example.edu/",
            "https://news.example.edu/about/"
        ]
    );
}

const PROFILED: &str = r#"<html><body>
<div id="latest"><a href="/story/9.html">A sidebar story that is not in the list</a></div>
<table id="news"><tr><td><a href="/story/3.html?from=rss">Three</a></td></tr>
<tr><td><a href="/story/2.html">Two</a></td></tr></table>
<p class="nav"><a class="fwd" href="/news/p2.html">onward</a> <a class="num" href="/news/p3.html">3</a></p>
</body></html>"#;

#[test]
fn profile_rules_take_precedence() {
    let p = std::path::Path::new("test.toml");
    let rules = ListRules {
        article_links: vec![
            compile_selector(p, "list.article_links", "#news td").expect("selector"),
        ],
        next_page: vec![compile_selector(p, "list.next_page", "a.fwd").expect("selector")],
        page_links: vec![compile_selector(p, "list.page_links", "p.nav a.num").expect("selector")],
        article_url_patterns: vec![
            compile_regex(p, "list.article_url_patterns", r"/story/\d+\.html$", false)
                .expect("regex"),
        ],
        list_url_patterns: vec![
            compile_regex(p, "list.list_url_patterns", r"/news/p\d+\.html$", false).expect("regex"),
        ],
        tracking_params: vec!["from".into()],
        ..ListRules::default()
    };
    let page = url("http://site.example/news/p1.html");
    let d = discover(PROFILED, &page, Some(&rules), &Scope::of_urls([&page]));
    assert_eq!(d.cms, Cms::Profile);
    assert_eq!(
        strs(&d.articles),
        [
            "http://site.example/story/3.html",
            "http://site.example/story/2.html"
        ]
    );
    assert_eq!(
        d.next_page.as_ref().map(Url::as_str),
        Some("http://site.example/news/p2.html")
    );
    assert_eq!(
        strs(&d.pages),
        [
            "http://site.example/news/p2.html",
            "http://site.example/news/p3.html"
        ]
    );
    assert_eq!(
        d.other,
        vec![(url("http://site.example/story/9.html"), Kind::Article)]
    );
}
