//! ArticleCredits of an article (作者, 摄影, 编辑, 审核, 来源): the values, whether the meta line
//! or the body prints them, and the credit-only lines that close the body
//! (`撰稿：… 摄影：…`, `（编辑  …）`, `文/… 图/…`, `责任编辑：… 审核：…`).

use super::config::CmsStyle;
use super::content::{ArticleCredits, BodyBlock};
use super::phrases::{NAMES, OFFICES};
use super::rng::Rng;

fn name(rng: &mut Rng) -> String {
    rng.pick(NAMES).to_string()
}

pub(crate) fn make_credits(rng: &mut Rng, style: CmsStyle, has_images: bool) -> ArticleCredits {
    let author = rng.chance(65).then(|| {
        if rng.chance(15) {
            format!("{}、{}", name(rng), name(rng))
        } else {
            name(rng)
        }
    });
    ArticleCredits {
        author_in_meta: author.is_some() && rng.chance(50),
        author,
        photographer: (has_images && rng.chance(50)).then(|| name(rng)),
        editor_in_meta: style == CmsStyle::WebPlus && rng.chance(30),
        editor: rng.chance(70).then(|| name(rng)),
        reviewer: rng.chance(35).then(|| name(rng)),
        source: rng.chance(55).then(|| rng.pick(OFFICES).to_string()),
    }
}

/// The credit-only lines closing the body. Spaces inside are `\u{a0}` where the page
/// prints `&nbsp;`.
pub(crate) fn credit_lines(rng: &mut Rng, c: &ArticleCredits) -> Vec<BodyBlock> {
    let mut out = Vec::new();
    let line = |text: String, right: bool| BodyBlock::Credit { text, right };
    let body_author = c.author.as_ref().filter(|_| !c.author_in_meta);
    match (body_author, &c.photographer) {
        (Some(a), Some(p)) if rng.chance(25) => out.push(line(format!("文/{a} 图/{p}"), false)),
        (Some(a), Some(p)) => out.push(line(format!("撰稿：{a} 摄影：{p}"), false)),
        (Some(a), None) => {
            let text = match rng.below(3) {
                0 => format!("（撰稿：{a}）"),
                1 => format!("撰稿：{a}"),
                _ => format!("文/{a}"),
            };
            out.push(line(text, false));
        }
        (None, Some(p)) => out.push(line(format!("摄影：{p}"), false)),
        (None, None) => {}
    }
    let body_editor = c.editor.as_ref().filter(|_| !c.editor_in_meta);
    match (body_editor, &c.reviewer) {
        (Some(e), Some(r)) if rng.chance(50) => {
            out.push(line(format!("责任编辑：{e} 审核：{r}"), true))
        }
        (Some(e), reviewer) => {
            let text = match rng.below(3) {
                0 => format!("（编辑\u{a0}\u{a0}{e}）"),
                1 => format!("编辑：{e}"),
                _ => format!("责任编辑：{e}"),
            };
            out.push(line(text, true));
            if let Some(r) = reviewer {
                out.push(line(format!("审核：{r}"), true));
            }
        }
        (None, Some(r)) => out.push(line(format!("审核：{r}"), true)),
        (None, None) => {}
    }
    if !out.is_empty() && rng.chance(40) {
        out.insert(0, BodyBlock::Blank);
    }
    out
}
