//! Extraction never panics or hangs on hostile input: empty pages, binary garbage, huge
//! pages, very deep nesting, truncated HTML. Each returns a best-effort record with
//! warnings. Inputs are generated here; no big files are committed.
//!
//! Speed is not asserted here (benchmarks do that); these tests only guard against panics,
//! stack overflows and runaway (quadratic) behaviour large enough to hang a test run.

use uninews::extract::{Extractor, ProfileChoice, extract};
use uninews::selectors::ProfileSet;
use url::Url;

fn url() -> Url {
    Url::parse("https://news.example.edu.cn/2020/0416/c1a2/page.htm").unwrap()
}

fn extractor() -> Extractor {
    Extractor::new(ProfileSet::builtin().unwrap(), ProfileChoice::ByHost)
}

#[test]
fn empty_input_gives_an_empty_record_with_warnings() {
    for input in ["", "   \n\t ", "<html></html>"] {
        let out = extract(input, &url(), None);
        assert_eq!(out.record.title, "");
        assert!(out.record.sections.is_empty());
        assert!(
            out.warnings.iter().any(|w| w.contains("no title")),
            "{:?}",
            out.warnings
        );
        assert!(
            out.warnings.iter().any(|w| w.contains("no body")),
            "{:?}",
            out.warnings
        );
    }
    let out = extractor().extract_bytes(b"", &url(), None);
    assert_eq!(out.record.url, url().as_str());
}

#[test]
fn binary_garbage_does_not_panic() {
    // a deterministic pseudo-random byte soup, with NULs, invalid UTF-8 and stray markup
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut bytes = Vec::with_capacity(1 << 20);
    for i in 0..(1usize << 20) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.push(match i % 97 {
            0 => b'<',
            1 => b'>',
            _ => (x >> 24) as u8,
        });
    }
    let out = extractor().extract_bytes(&bytes, &url(), None);
    assert_eq!(out.record.schema_version, 1);
    let out = extractor().extract_bytes(&bytes, &url(), Some("gbk"));
    assert_eq!(out.record.url, url().as_str());
}

#[test]
fn a_20_mb_page_is_extracted() {
    let para =
        "<p>这是一段用于测试超大页面的正文内容，包含足够多的文字来撑满二十兆字节的页面。</p>\n";
    let mut html = String::from(
        "<html><head><title>大页面-测试大学</title></head><body><h1>大页面</h1><div class=\"content\">",
    );
    while html.len() < 20 * 1024 * 1024 {
        html.push_str(para);
    }
    html.push_str("</div></body></html>");
    let out = extract(&html, &url(), None);
    assert_eq!(out.record.title, "大页面");
    let n: usize = out.record.sections.iter().map(|s| s.paragraphs.len()).sum();
    assert!(n > 100_000, "only {n} paragraphs");
}

#[test]
fn deeply_nested_elements_cost_no_stack() {
    let depth = 100_000;
    for (open, close) in [
        ("<div>", "</div>"),
        ("<span>", "</span>"),
        ("<table><tr><td>", "</td></tr></table>"),
    ] {
        let html = format!(
            "<html><head><title>深</title></head><body><h1>深</h1>{}<p>最深处的一段正文内容，用来确认没有栈溢出。</p>{}</body></html>",
            open.repeat(depth),
            close.repeat(depth)
        );
        let out = extract(&html, &url(), None);
        assert_eq!(out.record.title, "深", "{open}");
    }
}

#[test]
fn truncated_html_gives_best_effort() {
    let full = r#"<html><head><title>截断测试-大学</title></head><body>
        <form name="_newscontent_fromname"><div class="title">截断测试</div>
        <div class="time">2020-04-16</div><div id="vsb_content"><div class="v_news_content">
        <p>第一段完整的正文。</p><p>第二段正文被截断在中间的位置"#;
    for cut in [full.len(), full.len() - 10, full.len() / 2, 40, 7] {
        let cut = (0..=cut).rev().find(|i| full.is_char_boundary(*i)).unwrap();
        let out = extract(&full[..cut], &url(), None);
        assert_eq!(out.record.url, url().as_str());
        if cut == full.len() {
            assert_eq!(out.record.title, "截断测试");
            assert_eq!(out.record.published.as_deref(), Some("2020-04-16"));
            assert_eq!(out.record.sections[0].paragraphs[0], "第一段完整的正文。");
        }
    }
}

#[test]
fn unclosed_and_misnested_markup() {
    let html = "<p><b>粗<i>斜</b>体</i><table><td>格<p>段<li>项</table><img src=x onerror=alert(1)><a href=\"javascript:if(confirm('x'))window.location='\"";
    let out = extract(html, &url(), None);
    assert_eq!(out.record.schema_version, 1);
    let many = "<b>".repeat(50_000) + "文字";
    let out = extract(&many, &url(), None);
    assert_eq!(out.record.schema_version, 1);
}
