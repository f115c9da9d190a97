//! Link discovery stays linear in the links of a page: a generated list page of 200,000
//! links (one `<ul>`, no dates, some links repeated, the shape that was quadratic) is
//! discovered in seconds even in the debug profile, every distinct link exactly once.
//! The speed itself is measured by `cargo bench --bench discover`.

use std::collections::HashSet;
use uninews::frontier::discover::{Cms, discover};
use uninews::frontier::{Kind, Scope};
use url::Url;

const LINKS: usize = 200_000;

#[test]
fn two_hundred_thousand_links_each_found_once() {
    let mut html = String::with_capacity(LINKS * 80);
    html.push_str("<html><body><ul>");
    for i in 0..LINKS {
        // Every 10th entry repeats the link two entries before it.
        let id = if i % 10 == 9 { i - 2 } else { i };
        html.push_str(&format!(
            "<li><a href=\"/info/1078/{id}.htm\">关于做好第{id}项工作的通知</a></li>"
        ));
    }
    html.push_str("</ul><p><a href=\"/about.htm\">关于我们</a></p></body></html>");
    let page = Url::parse("http://news.example.edu.cn/tzgg.htm").expect("page URL");
    let d = discover(&html, &page, None, &Scope::of_urls([&page]));

    let want: Vec<String> = (0..LINKS)
        .filter(|i| i % 10 != 9)
        .map(|i| format!("http://news.example.edu.cn/info/1078/{i}.htm"))
        .collect();
    assert_eq!(d.cms, Cms::Vsb);
    assert_eq!(d.articles.len(), want.len());
    assert!(
        d.articles
            .iter()
            .map(Url::as_str)
            .eq(want.iter().map(String::as_str)),
        "articles in page order, each once"
    );
    let distinct: HashSet<&str> = d.articles.iter().map(Url::as_str).collect();
    assert_eq!(distinct.len(), d.articles.len());
    assert_eq!(d.article_dates.len(), d.articles.len());
    assert!(d.article_dates.iter().all(Option::is_none));
    let other: Vec<(&str, Kind)> = d.other.iter().map(|(u, k)| (u.as_str(), *k)).collect();
    assert_eq!(
        other,
        [("http://news.example.edu.cn/about.htm", Kind::Other)]
    );
}
