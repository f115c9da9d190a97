//! The "redesign" (template variant 1 and up) for both CMS styles: new class names and
//! structure (`article.post`, `h1.post-title`, `div.post-body`, `figure`/`figcaption`,
//! `div.pager a.pg-next`), none of the CMS markers, same URLs and same content.

use super::html::{self, Flavor, esc};
use super::phrases::UNIVERSITY;
use super::view::{ArticleView, Listing, PageCtx};
use std::fmt::Write;

fn head(out: &mut String, c: &PageCtx, title: &str) {
    out.push_str("<!doctype html>\n<html lang=\"zh\">\n<head>\n");
    if let Some(cs) = c.charset {
        let _ = writeln!(out, "<meta charset=\"{cs}\">");
    }
    let _ = writeln!(out, "<title>{} | {UNIVERSITY}</title>", esc(title));
    out.push_str("<link rel=\"stylesheet\" href=\"/_css/site.css\">\n</head>\n<body>\n");
    let _ = write!(
        out,
        "<header class=\"site-head\"><a class=\"brand\" href=\"/\">{UNIVERSITY}</a><nav class=\"menu\">"
    );
    for (name, path) in &c.nav {
        let _ = write!(out, "<a href=\"{}\">{}</a>", esc(path), esc(name));
    }
    out.push_str("</nav></header>\n<main class=\"page\">\n");
    let _ = writeln!(
        out,
        "<nav class=\"crumbs\">您在这里：<a href=\"/\">首页</a> / <a href=\"{}\">{}</a></nav>",
        esc(&c.section_path),
        esc(&c.section_name)
    );
}

fn foot(out: &mut String) {
    let _ = writeln!(
        out,
        "</main>\n<footer class=\"site-foot\">版权所有 {UNIVERSITY}</footer>\n</body>\n</html>"
    );
}

/// An article page.
pub(crate) fn article(c: &PageCtx, v: &ArticleView, flavor: Flavor) -> String {
    let a = &v.article;
    let mut out = String::with_capacity(12 * 1024);
    head(&mut out, c, &a.title);
    let _ = write!(
        out,
        "<article class=\"post\">\n<header><h1 class=\"post-title\">{}</h1>",
        esc(&a.title)
    );
    if let Some(sub) = &a.subtitle {
        let _ = write!(out, "<p class=\"post-dek\">{}</p>", esc(sub));
    }
    let _ = write!(
        out,
        "<div class=\"post-meta\"><time datetime=\"{}\">{}</time>",
        a.published(),
        a.printed_date()
    );
    if let Some(author) = a
        .credits
        .author
        .as_ref()
        .filter(|_| a.credits.author_in_meta)
    {
        let _ = write!(out, " <span class=\"by\">作者：{}</span>", esc(author));
    }
    if let Some(editor) = a
        .credits
        .editor
        .as_ref()
        .filter(|_| a.credits.editor_in_meta)
    {
        let _ = write!(out, " <span class=\"ed\">编辑：{}</span>", esc(editor));
    }
    if let Some(src) = &a.credits.source {
        let _ = write!(out, " <span class=\"src\">来源：{}</span>", esc(src));
    }
    out.push_str("</div></header>\n<div class=\"post-body\">\n");
    html::body(&mut out, a, flavor);
    out.push_str("</div>\n<footer class=\"post-nav\">");
    if let Some(n) = &v.newer {
        let _ = write!(
            out,
            "<a class=\"newer\" href=\"{}\">← {}</a>",
            esc(&n.path),
            esc(&n.title)
        );
    }
    if let Some(n) = &v.older {
        let _ = write!(
            out,
            "<a class=\"older\" href=\"{}\">{} →</a>",
            esc(&n.path),
            esc(&n.title)
        );
    }
    out.push_str("</footer>\n</article>\n");
    foot(&mut out);
    out
}

/// A list page.
pub(crate) fn list(c: &PageCtx, l: &Listing) -> String {
    let mut out = String::with_capacity(8 * 1024);
    head(&mut out, c, &c.section_name);
    out.push_str("<ul class=\"feed\">\n");
    for it in l.pinned.iter().chain(&l.items) {
        let _ = writeln!(
            out,
            "<li><a href=\"{}\">{}</a> <time>{}</time></li>",
            esc(&it.path),
            esc(&it.title),
            it.date.strftime("%Y.%m.%d")
        );
    }
    out.push_str("</ul>\n<div class=\"pager\">");
    if let Some(p) = &l.prev {
        let _ = write!(out, "<a class=\"pg-prev\" href=\"{}\">上一页</a>", esc(p));
    }
    let _ = write!(
        out,
        "<span class=\"pg-info\">第{}页，共{}页</span>",
        l.page, l.pages
    );
    if let Some(p) = &l.next {
        let _ = write!(out, "<a class=\"pg-next\" href=\"{}\">下一页</a>", esc(p));
    }
    out.push_str("</div>\n");
    foot(&mut out);
    out
}
