//! WebPlus/SudyTech-style templates: list pages (`ul.wp_article_list`, `.wp_paging` with
//! `a.next`) and article pages (`h1.arti_title`, `p.arti_metas`, `div.wp_articlecontent`,
//! a 分享到 share widget, 上一篇/下一篇). Links are root-relative, as WebPlus writes them.

use super::content::Article;
use super::html::{self, Flavor, esc};
use super::phrases::SITE_NAME;
use super::view::{ArticleView, ListItem, Listing, PageCtx};
use std::fmt::Write;

fn head(out: &mut String, c: &PageCtx, title: &str, body_class: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n");
    if let Some(cs) = c.charset {
        let _ = writeln!(out, "<meta charset=\"{cs}\">");
    }
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width,user-scalable=0,initial-scale=1\">\n",
    );
    let _ = writeln!(out, "<title>{}</title>", esc(title));
    out.push_str("<link type=\"text/css\" href=\"/_css/_system/system.css\" rel=\"stylesheet\">\n<link type=\"text/css\" href=\"/_upload/tpl/00/01/1/template1/style.css\" rel=\"stylesheet\">\n<script type=\"text/javascript\" src=\"/_js/jquery.min.js\" sudy-wp-context=\"\" sudy-wp-siteId=\"1\"></script>\n</head>\n");
    let _ = writeln!(out, "<body class=\"{body_class}\">\n<!--Start||head-->");
    let _ = write!(
        out,
        "<div class=\"wrapper header\" id=\"header\"><div class=\"inner\"><div class=\"sitelogo\"><a href=\"/main.htm\"><img src=\"/_upload/tpl/00/01/1/template1/images/logo.png\" alt=\"{SITE_NAME}\"></a></div>\n<div class=\"nav\" frag=\"窗口1\"><ul class=\"wp-menu\"><li class=\"menu-item i1\"><a class=\"menu-link\" href=\"/main.htm\">首页</a></li>"
    );
    for (i, (name, path)) in c.nav.iter().enumerate() {
        let _ = write!(
            out,
            "<li class=\"menu-item i{}\"><a class=\"menu-link\" href=\"{}\">{}</a></li>",
            i + 2,
            esc(path),
            esc(name)
        );
    }
    out.push_str("</ul></div></div></div>\n<!--End||head-->\n<!--Start||content-->\n<div class=\"wrapper\" id=\"d-container\"><div class=\"inner clearfix\">\n");
}

fn foot(out: &mut String) {
    out.push_str("</div></div>\n<!--End||content-->\n<!--Start||footer-->\n<div class=\"wrapper footer\" id=\"footer\"><div class=\"inner\"><p class=\"copyright\">版权所有：示例大学&nbsp;&nbsp;地址：示例市大学路1号</p></div></div>\n<!--End||footer-->\n</body>\n</html>\n");
}

fn path_trail(c: &PageCtx) -> String {
    format!(
        "<span class=\"path_name\">当前位置：</span><a href=\"/main.htm\" target=\"_self\">首页</a><span class=\"possplit\">&raquo;</span><a href=\"{}\" target=\"_self\">{}</a>",
        esc(&c.section_path),
        esc(&c.section_name)
    )
}

/// An article page.
pub(crate) fn article(c: &PageCtx, v: &ArticleView) -> String {
    let a: &Article = &v.article;
    let mut out = String::with_capacity(12 * 1024);
    head(&mut out, c, &a.title, "list");
    let _ = writeln!(
        out,
        "<div class=\"col_path\" frag=\"窗口2\">{}</div>",
        path_trail(c)
    );
    out.push_str("<div class=\"infobox\">\n<div class=\"article\" frag=\"窗口3\" portletmode=\"simpleArticleAttri\">\n");
    let _ = writeln!(out, "<h1 class=\"arti_title\">{}</h1>", esc(&a.title));
    let _ = writeln!(
        out,
        "<h2 class=\"arti_title\">{}</h2>",
        esc(a.subtitle.as_deref().unwrap_or(""))
    );
    out.push_str("<p class=\"arti_metas\">");
    if let Some(author) = a
        .credits
        .author
        .as_ref()
        .filter(|_| a.credits.author_in_meta)
    {
        let _ = write!(
            out,
            "<span class=\"arti_publisher\">作者：{}</span>",
            esc(author)
        );
    }
    let _ = write!(
        out,
        "<span class=\"arti_update\">发布时间：{}</span>",
        a.printed_date()
    );
    if let Some(editor) = a
        .credits
        .editor
        .as_ref()
        .filter(|_| a.credits.editor_in_meta)
    {
        let _ = write!(
            out,
            "<span class=\"arti_editor\">编辑：{}</span>",
            esc(editor)
        );
    }
    if let Some(src) = &a.credits.source {
        let _ = write!(out, "<span class=\"arti_source\">来源：{}</span>", esc(src));
    }
    let _ = writeln!(
        out,
        "<span class=\"arti_views\">浏览次数：<span class=\"WP_VisitCount\" url=\"/_visitcountdisplay?siteId=1&amp;type=3&amp;articleId={}\">{}</span></span></p>",
        v.id, a.views
    );
    out.push_str("<div class=\"entry\">\n<div class=\"read\">\n<div class='wp_articlecontent'>\n");
    html::body(&mut out, a, Flavor::WebPlus);
    out.push_str("</div>\n</div>\n</div>\n</div>\n");
    out.push_str("<div class=\"share\" frag=\"窗口4\"><span class=\"share_title\">分享到：</span><a class=\"share_weixin\" href=\"javascript:;\" title=\"微信\"></a><a class=\"share_weibo\" href=\"javascript:;\" title=\"微博\"></a><a class=\"share_qq\" href=\"javascript:;\" title=\"QQ空间\"></a></div>\n<div class=\"arti_nav\">\n");
    for (label, n) in [("上一篇", &v.newer), ("下一篇", &v.older)] {
        let _ = match n {
            Some(n) => writeln!(
                out,
                "<p>{label}：<a href=\"{}\">{}</a></p>",
                esc(&n.path),
                esc(&n.title)
            ),
            None => writeln!(out, "<p>{label}：无</p>"),
        };
    }
    out.push_str("</div>\n</div>\n");
    foot(&mut out);
    out
}

fn item(out: &mut String, n: usize, it: &ListItem, extra_class: &str) {
    let _ = writeln!(
        out,
        "<li class=\"list_item i{n}{extra_class}\"><div class=\"fields pr_fields\"><span class='Article_Index'>{n}</span><span class='Article_Title'><a href='{}' target='_blank' title='{}'>{}</a></span></div><div class=\"fields ex_fields\"><span class='Article_PublishDate'>{}</span></div></li>",
        esc(&it.path),
        esc(&it.title),
        esc(&it.title),
        it.date
    );
}

fn nav_link(out: &mut String, class: &str, label: &str, to: &Option<String>) {
    let href = to
        .as_deref()
        .map(esc)
        .unwrap_or_else(|| "javascript:void(0);".to_string());
    let _ = write!(
        out,
        "<a class=\"{class}\" href=\"{href}\" target=\"_self\"><span>{label}</span></a>"
    );
}

/// A list page.
pub(crate) fn list(c: &PageCtx, l: &Listing) -> String {
    let mut out = String::with_capacity(8 * 1024);
    head(&mut out, c, &c.section_name, "list");
    let _ = writeln!(
        out,
        "<div class=\"col_news\"><div class=\"col_news_head\"><ul class=\"col_metas clearfix\" frag=\"窗口5\" portletmode=\"simpleColumnAttri\"><li class=\"col_path\">{}</li><li class=\"col_title\"><h2>{}</h2></li></ul></div>",
        path_trail(c),
        esc(&c.section_name)
    );
    out.push_str("<div class=\"col_news_con\"><div class=\"col_news_list listcon\"><div frag=\"窗口6\" portletmode=\"simpleList\">\n<div id=\"wp_news_w6\"><ul class=\"wp_article_list\">\n");
    for it in &l.pinned {
        item(&mut out, 0, it, " top");
    }
    for (i, it) in l.items.iter().enumerate() {
        item(&mut out, i + 1, it, "");
    }
    out.push_str("</ul></div>\n<div id=\"wp_paging_w6\"><ul class=\"wp_paging clearfix\">");
    let _ = write!(
        out,
        "<li class=\"pages_count\"><span class=\"per_page\">每页&nbsp;<em class=\"per_count\">{}</em>&nbsp;记录&nbsp;</span><span class=\"all_count\">总共&nbsp;<em class=\"all_count\">{}</em>&nbsp;记录&nbsp;</span></li><li class=\"page_nav\">",
        l.per_page, l.total
    );
    nav_link(&mut out, "first", "第一页", &l.first);
    nav_link(&mut out, "prev", "&lt;&lt;上一页", &l.prev);
    nav_link(&mut out, "next", "下一页&gt;&gt;", &l.next);
    nav_link(&mut out, "last", "尾页", &l.last);
    let _ = writeln!(
        out,
        "</li><li class=\"page_jump\"><span class=\"pages\">页码&nbsp;<em class=\"curr_page\">{}</em>/<em class=\"all_pages\">{}</em></span><span><input class=\"pageNum\" type=\"text\" /><input type=\"hidden\" class=\"currPageURL\" value=\"\"></span><span><a class=\"pagingJump\" href=\"javascript:void(0);\" target=\"_self\">跳转到&nbsp;</a></span></li></ul></div>",
        l.page, l.pages
    );
    out.push_str("</div></div></div></div>\n");
    foot(&mut out);
    out
}
