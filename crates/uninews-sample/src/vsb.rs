//! VSB/博达-style templates: the home page, list pages (`pb_sys_common` paging with
//! `共N条 1/30`, 首页/上页/下页/尾页 and `span.p_next`) and article pages (the
//! `_newscontent_fromname` form, `div#vsb_content > div.v_news_content`, `_showDynClicks`,
//! 上一条/下一条, the 当前位置 trail and a 发布时间/作者/来源 meta line). Links are relative,
//! as on statically published VSB sites.

use super::content::Article;
use super::html::{self, Flavor, esc};
use super::ids::VSB_OWNER;
use super::phrases::SITE_NAME;
use super::view::{ArticleView, ListItem, Listing, PageCtx, relative};
use std::fmt::Write;

fn head(out: &mut String, c: &PageCtx, title: &str) {
    out.push_str("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<HTML><HEAD>\n");
    if let Some(cs) = c.charset {
        let _ = writeln!(
            out,
            "<META http-equiv=\"Content-Type\" content=\"text/html; charset={}\">",
            cs.to_ascii_uppercase()
        );
    }
    let _ = writeln!(out, "<TITLE>{}</TITLE>", esc(title));
    let _ = writeln!(out, "<META name=\"keywords\" content=\"{SITE_NAME}\">");
    out.push_str(
        "<LINK href=\"/system/resource/css/style.css\" type=\"text/css\" rel=\"stylesheet\">\n",
    );
    out.push_str("<script type=\"text/javascript\" src=\"/system/resource/js/jquery/jquery-latest.min.js\"></script>\n</HEAD>\n<BODY>\n");
    let home = relative(&c.path, "/index.htm");
    let _ = writeln!(
        out,
        "<DIV class=\"header\"><DIV class=\"logo\"><a href=\"{home}\"><img src=\"{}\" alt=\"{SITE_NAME}\"></a></DIV>",
        relative(&c.path, "/images/logo.png")
    );
    let _ = write!(
        out,
        "<DIV class=\"nav\"><UL><LI><a href=\"{home}\">首页</a></LI>"
    );
    for (name, path) in &c.nav {
        let _ = write!(
            out,
            "<LI><a href=\"{}\">{}</a></LI>",
            relative(&c.path, path),
            esc(name)
        );
    }
    out.push_str("</UL></DIV></DIV>\n<DIV class=\"container\">\n");
}

fn foot(out: &mut String) {
    out.push_str("</DIV>\n<DIV class=\"footer\"><!-- 页脚 -->\n<P class=\"copyright\">版权所有：示例大学党委宣传部&nbsp;&nbsp;地址：示例市大学路1号</P></DIV>\n</BODY></HTML>\n");
}

fn position(out: &mut String, c: &PageCtx, article: bool) {
    let _ = write!(
        out,
        "<DIV class=\"position\">当前位置: \n<a href=\"{}\">首页</a>\n&gt;&gt;\n<a href=\"{}\">{}</a>",
        relative(&c.path, "/index.htm"),
        relative(&c.path, &c.section_path),
        esc(&c.section_name)
    );
    out.push_str(if article {
        "\n&gt;&gt;\n正文\n</DIV>\n"
    } else {
        "\n</DIV>\n"
    });
}

/// The shortened link text VSB prints for long titles.
fn short(title: &str) -> String {
    if title.chars().count() > 24 {
        format!("{}...", title.chars().take(22).collect::<String>())
    } else {
        title.to_string()
    }
}

fn cn_date(d: jiff::civil::Date) -> String {
    format!("{}年{:02}月{:02}日", d.year(), d.month(), d.day())
}

/// An article page.
pub(crate) fn article(c: &PageCtx, v: &ArticleView) -> String {
    let a: &Article = &v.article;
    let mut out = String::with_capacity(12 * 1024);
    head(&mut out, c, &format!("{}-{SITE_NAME}", a.title));
    position(&mut out, c, true);
    out.push_str("<DIV class=\"content\">\n<script language=\"javascript\" src=\"/system/resource/js/dynclicks.js\"></script><script language=\"javascript\" src=\"/system/resource/js/news/newscontent.js\"></script>\n<form name=\"_newscontent_fromname\">\n");
    let _ = writeln!(out, "<h1 align=\"center\">{}</h1>", esc(&a.title));
    let author = a
        .credits
        .author
        .as_deref()
        .filter(|_| a.credits.author_in_meta)
        .unwrap_or("");
    let _ = write!(
        out,
        "<div class=\"info\" align=\"center\">发布时间：{}&nbsp;&nbsp;作者：{}&nbsp;&nbsp;",
        a.printed_date(),
        esc(author)
    );
    if let Some(src) = &a.credits.source {
        let _ = write!(out, "来源：{}&nbsp;&nbsp;", esc(src));
    }
    let _ = writeln!(
        out,
        "浏览次数：<span id=\"dynclicks_wbnews_{id}\"><script>_showDynClicks(\"wbnews\", {VSB_OWNER}, {id})</script></span>次</div>",
        id = v.id
    );
    out.push_str("<div id=\"vsb_content\"><div class=\"v_news_content\">\n");
    html::body(&mut out, a, Flavor::Vsb);
    out.push_str("</div></div><div id=\"div_vote_id\"></div>\n");
    if !a.attachments.is_empty() {
        out.push_str("<ul style=\"list-style-type:none;\">\n");
        for att in &a.attachments {
            let id = att.key.vsb_file_id();
            let _ = writeln!(
                out,
                "<li>附件【<a href=\"{}\" target=\"_blank\">{}</a>】已下载<span id=\"nattach{id}\"><script language=\"javascript\">getClickTimes({id},{VSB_OWNER},\"wbnewsfile\",\"attach\")</script></span>次</li>",
                esc(&att.key.vsb_path()),
                esc(&att.name)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<div class=\"page-show\">\n");
    for (label, n) in [("上一条", &v.newer), ("下一条", &v.older)] {
        match n {
            Some(n) => {
                let _ = writeln!(
                    out,
                    "<p>{label}：<a href=\"{}\" title=\"{}\">{}</a></p>",
                    relative(&c.path, &n.path),
                    esc(&n.title),
                    esc(&short(&n.title))
                );
            }
            None => {
                let _ = writeln!(out, "<p>{label}：没有了</p>");
            }
        }
    }
    out.push_str("</div>\n<p align=\"right\">【<a href=\"javascript:window.print()\">打印本页</a>】【<a href=\"javascript:window.opener=null;window.open('','_self');window.close();\">关闭窗口</a>】</p>\n</form></DIV>\n");
    foot(&mut out);
    out
}

fn item(out: &mut String, c: &PageCtx, i: usize, it: &ListItem, pinned: bool) {
    let tag = if pinned {
        "<span class=\"zd\">[置顶]</span>"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<li id=\"line_u5_{i}\">{tag}<a href=\"{}\" target=\"_blank\" title=\"{}\">{}</a><span>{}</span></li>",
        relative(&c.path, &it.path),
        esc(&it.title),
        esc(&short(&it.title)),
        cn_date(it.date)
    );
}

fn pager_link(out: &mut String, c: &PageCtx, class: &str, label: &str, to: &Option<String>) {
    let _ = match to {
        Some(p) => write!(
            out,
            "<span class=\"{class} p_fun\"><a href=\"{}\">{label}</a></span>",
            relative(&c.path, p)
        ),
        None => write!(out, "<span class=\"{class}_d p_fun_d\">{label}</span>"),
    };
}

/// A list page.
pub(crate) fn list(c: &PageCtx, l: &Listing) -> String {
    let mut out = String::with_capacity(8 * 1024);
    head(&mut out, c, &format!("{}-{SITE_NAME}", c.section_name));
    position(&mut out, c, false);
    out.push_str("<DIV class=\"list\"><script language=\"javascript\" src=\"/system/resource/js/centerCutImg.js\"></script>\n<UL class=\"list-news\">\n");
    for (i, it) in l.pinned.iter().enumerate() {
        item(&mut out, c, i, it, true);
    }
    for (i, it) in l.items.iter().enumerate() {
        item(&mut out, c, i, it, false);
    }
    out.push_str("</UL>\n");
    let _ = write!(
        out,
        "<div class=\"pb_sys_common pb_sys_short pb_sys_style1\" style=\"text-align:center;\"><span class=\"p_t\">共{}条&nbsp;&nbsp;{}/{}</span> <span class=\"p_pages\">",
        l.total, l.page, l.pages
    );
    pager_link(&mut out, c, "p_first", "首页", &l.first);
    pager_link(&mut out, c, "p_prev", "上页", &l.prev);
    let mut last_shown = 0;
    for (n, p) in &l.numbered {
        if *n > last_shown + 1 {
            out.push_str("<span class=\"p_dot\">...</span>");
        }
        last_shown = *n;
        let _ = if *n == l.page {
            write!(out, "<span class=\"p_no_d\">{n}</span>")
        } else {
            write!(
                out,
                "<span class=\"p_no\"><a href=\"{}\">{n}</a></span>",
                relative(&c.path, p)
            )
        };
    }
    pager_link(&mut out, c, "p_next", "下页", &l.next);
    pager_link(&mut out, c, "p_last", "尾页", &l.last);
    out.push_str("</span></div>\n</DIV>\n");
    foot(&mut out);
    out
}

/// The home page: each section's newest headlines and a link to its list.
pub(crate) fn home(c: &PageCtx, boxes: &[(String, String, Vec<ListItem>)]) -> String {
    let mut out = String::with_capacity(8 * 1024);
    head(&mut out, c, SITE_NAME);
    for (name, path, items) in boxes {
        let rel = relative(&c.path, path);
        let _ = writeln!(
            out,
            "<DIV class=\"news-box\"><h2><a href=\"{rel}\">{}</a><a class=\"more\" href=\"{rel}\">更多&gt;&gt;</a></h2><UL>",
            esc(name)
        );
        for it in items {
            let _ = writeln!(
                out,
                "<li><a href=\"{}\" title=\"{}\">{}</a><span>{}</span></li>",
                relative(&c.path, &it.path),
                esc(&it.title),
                esc(&short(&it.title)),
                it.date
            );
        }
        out.push_str("</UL></DIV>\n");
    }
    foot(&mut out);
    out
}
