//! HTML helpers shared by the templates: escaping, and the body blocks of an article in
//! each template flavour.

use super::config::CmsStyle;
use super::content::{Article, BodyBlock, HeadingStyle, Indent};
use std::fmt::Write;

/// The markup family a page is rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Vsb,
    WebPlus,
    /// The "redesign" (template variant >= 1): new class names, no CMS markers; URLs of
    /// images and files stay those of the section's CMS.
    Modern(CmsStyle),
}

impl Flavor {
    pub(crate) fn of(style: CmsStyle, variant: u32) -> Flavor {
        match (style, variant) {
            (s, 1..) => Flavor::Modern(s),
            (CmsStyle::Vsb, 0) => Flavor::Vsb,
            (CmsStyle::WebPlus, 0) => Flavor::WebPlus,
        }
    }
}

/// Escape text for HTML content and attribute values; NBSP becomes `&nbsp;` (it has no
/// GBK code).
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out
}

fn para_html(
    out: &mut String,
    text: &str,
    indent: Indent,
    split: Option<usize>,
    f: Flavor,
    class: &str,
) {
    let (open, lead) = match (indent, f) {
        (Indent::Css, Flavor::Vsb) => ("<p style=\"text-indent:2em;line-height:1.8;\"", ""),
        (Indent::Css, _) => ("<p style=\"text-indent:2em;\"", ""),
        (Indent::Ideographic, _) => ("<p", "\u{3000}\u{3000}"),
        (Indent::Nbsp, _) => ("<p", "&nbsp;&nbsp;&nbsp;&nbsp;"),
    };
    out.push_str(open);
    out.push_str(class);
    out.push('>');
    out.push_str(lead);
    match split.and_then(|at| text.char_indices().nth(at)) {
        Some((byte, _)) if !matches!(f, Flavor::Modern(_)) => {
            let _ = write!(
                out,
                "<span style=\"font-family:宋体;font-size:16px;\">{}</span><span style=\"font-size:16px;\">{}</span>",
                esc(&text[..byte]),
                esc(&text[byte..])
            );
        }
        _ => out.push_str(&esc(text)),
    }
    out.push_str("</p>\n");
}

fn icon_for(name: &str) -> &'static str {
    if name.ends_with(".pdf") {
        "icon_pdf.gif"
    } else if name.ends_with(".xlsx") {
        "icon_xls.gif"
    } else {
        "icon_doc.gif"
    }
}

/// Append the body blocks of `a` in flavour `f`.
pub(crate) fn body(out: &mut String, a: &Article, f: Flavor) {
    let paras: Vec<usize> = (0..a.blocks.len())
        .filter(|&i| matches!(a.blocks[i], BodyBlock::Para { .. }))
        .collect();
    for (i, block) in a.blocks.iter().enumerate() {
        match block {
            BodyBlock::TitleRepeat => {
                let _ = writeln!(
                    out,
                    "<p style=\"text-align:center;\"><strong>{}</strong></p>",
                    esc(&a.title)
                );
            }
            BodyBlock::Para {
                text,
                indent,
                split,
            } => {
                let class = match f {
                    Flavor::Vsb if paras.first() == Some(&i) => " class=\"vsbcontent_start\"",
                    Flavor::Vsb if paras.last() == Some(&i) => " class=\"vsbcontent_end\"",
                    _ => "",
                };
                para_html(out, text, *indent, *split, f, class);
            }
            BodyBlock::Heading { text, style } => {
                let t = esc(text);
                let _ = match (f, style) {
                    (Flavor::Modern(_), _) => writeln!(out, "<h2 class=\"sub\">{t}</h2>"),
                    (_, HeadingStyle::H3) => writeln!(out, "<h3>{t}</h3>"),
                    (Flavor::Vsb, HeadingStyle::Bold) => writeln!(out, "<p><b>{t}</b></p>"),
                    (_, HeadingStyle::Bold) => writeln!(out, "<p><strong>{t}</strong></p>"),
                    (_, HeadingStyle::BoldCentered) => {
                        writeln!(
                            out,
                            "<p style=\"text-align:center;\"><strong>{t}</strong></p>"
                        )
                    }
                };
            }
            BodyBlock::Image { key, alt, caption } => {
                image(out, key, alt.as_deref(), caption.as_deref(), f)
            }
            BodyBlock::Table { rows } => table(out, rows, f),
            BodyBlock::AttachmentIntro if f != Flavor::Vsb => out.push_str("<p>附件：</p>\n"),
            BodyBlock::AttachmentLink { index } if f != Flavor::Vsb => {
                let Some(att) = a.attachments.get(*index) else {
                    continue;
                };
                let name = esc(&att.name);
                match f {
                    Flavor::Modern(style) => {
                        let href = match style {
                            CmsStyle::Vsb => att.key.vsb_path(),
                            CmsStyle::WebPlus => att.key.webplus_path(),
                        };
                        let _ = writeln!(
                            out,
                            "<p class=\"file\"><a href=\"{}\" download>{name}</a></p>",
                            esc(&href)
                        );
                    }
                    _ => {
                        let _ = writeln!(
                            out,
                            "<p><img src=\"/_ueditor/themes/default/images/{}\" style=\"float:left;padding-right:10px;\" /><a href=\"{}\" sudyfile-attr=\"{{'title':'{name}'}}\">{name}</a></p>",
                            icon_for(&att.name),
                            esc(&att.key.webplus_path())
                        );
                    }
                }
            }
            BodyBlock::AttachmentIntro | BodyBlock::AttachmentLink { .. } => {}
            BodyBlock::Credit { text, right } => {
                let style = if *right {
                    " style=\"text-align:right;\""
                } else {
                    ""
                };
                let _ = writeln!(out, "<p{style}>{}</p>", esc(text));
            }
            BodyBlock::Blank => out.push_str(if i % 2 == 0 {
                "<p><br></p>\n"
            } else {
                "<p>&nbsp;</p>\n"
            }),
        }
    }
}

fn image(
    out: &mut String,
    key: &super::ids::ImageKey,
    alt: Option<&str>,
    caption: Option<&str>,
    f: Flavor,
) {
    let alt_attr = alt
        .map(|a| format!(" alt=\"{}\"", esc(a)))
        .unwrap_or_default();
    match f {
        Flavor::Vsb => {
            let src = key.vsb_path();
            let _ = writeln!(
                out,
                "<p class=\"vsbcontent_img\" style=\"text-align:center;\"><img class=\"img_vsb_content\" src=\"{src}\" width=\"600\" vwidth=\"600\" vheight=\"\" vurl=\"{}\" vsbhref=\"vurl\" orisrc=\"{src}\" border=\"0\"{alt_attr}></p>",
                key.vsb_vurl()
            );
            if let Some(c) = caption {
                let _ = writeln!(
                    out,
                    "<p style=\"text-align:center;\"><span style=\"font-family:楷体;\">{}</span></p>",
                    esc(c)
                );
            }
        }
        Flavor::WebPlus => {
            let src = key.webplus_path();
            let file = src.rsplit('/').next().unwrap_or_default();
            let ext = key.ext();
            let _ = writeln!(
                out,
                "<p style=\"text-align:center;\"><img data-layer=\"photo\" src=\"{src}\" original-src=\"{}\" width=\"600\" style=\"float:none;\" sudyfile-attr=\"{{'title':'{file}'}}\"{alt_attr} /></p>",
                src.replace(&format!(".{ext}"), &format!("_d.{ext}"))
            );
            if let Some(c) = caption {
                let _ = writeln!(out, "<p style=\"text-align:center;\">{}</p>", esc(c));
            }
        }
        Flavor::Modern(style) => {
            let src = match style {
                CmsStyle::Vsb => key.vsb_path(),
                CmsStyle::WebPlus => key.webplus_path(),
            };
            let _ = write!(out, "<figure class=\"pic\"><img src=\"{src}\"{alt_attr}>");
            if let Some(c) = caption {
                let _ = write!(out, "<figcaption>{}</figcaption>", esc(c));
            }
            out.push_str("</figure>\n");
        }
    }
}

fn table(out: &mut String, rows: &[Vec<String>], f: Flavor) {
    out.push_str(match f {
        Flavor::Vsb => "<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" style=\"border-collapse:collapse;width:100%;\"><tbody>\n",
        Flavor::WebPlus => "<table class=\"wp_editor_art_table\" width=\"100%\"><tbody>\n",
        Flavor::Modern(_) => "<table class=\"data\"><tbody>\n",
    });
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = match f {
                Flavor::Vsb => write!(
                    out,
                    "<td style=\"border:1px solid #000;\"><p style=\"text-align:center;\">{}</p></td>",
                    esc(cell)
                ),
                _ => write!(out, "<td>{}</td>", esc(cell)),
            };
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}
