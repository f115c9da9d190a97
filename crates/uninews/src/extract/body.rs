//! The role pass: assigns every body block its role (paragraph, sub-heading, caption,
//! credit line, meta line, boilerplate, title repeat) and builds the record's sections and
//! images. The rules are the corpus README's; nothing here depends on the site.

use super::blocks::{Block, BlockKind};
use super::credits::{Credits, Role, credit_line, photo_credit, trailing_credits};
use super::dates;
use super::dom::Align;
use crate::record::{Image, Section};
use regex::Regex;
use std::sync::LazyLock;

/// The body, assembled.
#[derive(Debug, Default)]
pub struct Assembled {
    /// Sections in reading order.
    pub sections: Vec<Section>,
    /// Content images with captions and section indexes.
    pub images: Vec<Image>,
    /// Credits found on credit lines and in closing brackets.
    pub credits: Credits,
    /// Meta lines (date, labels) that opened the body before any content.
    pub lead_meta: Vec<String>,
}

static BOILERPLATE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[【\[]?\s*(分享到|分享至|上一篇|下一篇|上一条|下一条|上一页|下一页|浏览次数|阅读次数|点击次数|访问次数|点击数|浏览量|阅读量|点击量|您是第|Share this|Previous article|Next article)")
        .expect("static regex")
});

static BOILERPLATE_WHOLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[【\[|｜\s]*(?:打印本页|打印此页|打印文章|打印|关闭窗口|关闭本页|关闭|返回顶部|返回列表|返回|收藏本页|加入收藏|字号|大|中|小|Print|Close|Back to top|Top)[】\]|｜\s]*)+$")
        .expect("static regex")
});

static CAPTION_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(图\s*[｜|：:]|图片\s*[｜|：:]|图为|上图|下图|左图|右图|▲|△|↑|（图|\(图)")
        .expect("static regex")
});

static META_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(发布时间|发布日期|发表时间|更新时间|时间|日期|来源|作者|编辑|浏览次数|浏览|点击|阅读|次|[：:|｜\s\-/.年月日]|\d)")
        .expect("static regex")
});

/// True when `s` without whitespace equals `key`.
fn same_key(s: &str, key: &str) -> bool {
    s.chars()
        .filter(|c| !crate::text::is_space(*c))
        .eq(key.chars())
}

/// Length in reading units: one per CJK character, one per other word.
pub fn reading_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in s.chars() {
        if ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c) {
            n += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                n += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    n
}

/// True when the text ends in sentence punctuation (closing quotes and brackets looked
/// through): such a line is never a heading.
fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['”', '’', '"', '\'', '」', '』', '》']);
    t.ends_with([
        '。', '．', '.', '！', '!', '？', '?', '；', ';', '，', ',', '、', '…', '～', '~',
    ])
}

static DOWNLOAD_COUNTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^附件\s*[【\[].*[】\]]\s*已下载\s*\d*\s*次?$").expect("static regex")
});

fn is_boilerplate(text: &str) -> bool {
    let n = text.chars().count();
    (n <= 200 && (BOILERPLATE_PREFIX.is_match(text) || DOWNLOAD_COUNTER.is_match(text)))
        || (n <= 40 && BOILERPLATE_WHOLE.is_match(text))
}

/// A line that only says when/who (a date, meta labels, a view counter).
fn is_meta_line(text: &str) -> bool {
    let has_date = dates::has_date(text);
    let labelled = [
        "发布时间",
        "发布日期",
        "来源：",
        "作者：",
        "浏览次数",
        "点击",
    ]
    .iter()
    .any(|w| text.contains(w));
    if !has_date && !labelled {
        return false;
    }
    let rest = META_WORDS.replace_all(text, "");
    rest.chars().count() <= 12 && text.chars().count() <= 120
}

fn is_caption(b: &Block) -> bool {
    b.kind == BlockKind::Text
        && b.heading.is_none()
        && b.text.chars().count() <= 120
        && (CAPTION_PREFIX.is_match(&b.text) || (b.align == Align::Center && !b.bold))
}

fn is_heading(b: &Block) -> bool {
    if b.kind != BlockKind::Text {
        return false;
    }
    if b.heading.is_some() {
        return true;
    }
    let styled = b.bold || b.align == Align::Center;
    styled
        && b.align != Align::End
        && reading_len(&b.text) <= 40
        && !ends_sentence(&b.text)
        && !is_date_only(&b.text)
}

fn is_date_only(text: &str) -> bool {
    dates::has_date(text) && META_WORDS.replace_all(text, "").chars().count() <= 2
}

struct Builder {
    out: Assembled,
    group: Vec<usize>,
    group_key: Option<(u32, Option<u32>)>,
    caption_open: bool,
    caption_merge: bool,
    started: bool,
    /// The figure whose caption element set the current images' caption: a second caption
    /// line of that figure is appended.
    caption_figure: Option<u32>,
    /// Photo credits read from captions and credit elements: a person, an organisation.
    photo_person: Option<String>,
    photo_org: Option<String>,
}

impl Builder {
    fn section_index(&self) -> usize {
        self.out.sections.len().saturating_sub(1)
    }

    fn paragraph(&mut self, text: String) {
        if self.out.sections.is_empty() {
            self.out.sections.push(Section {
                heading: None,
                paragraphs: Vec::new(),
            });
        }
        if let Some(s) = self.out.sections.last_mut() {
            s.paragraphs.push(text);
        }
        self.started = true;
    }

    /// Remember the photo credit printed in a caption or credit element.
    fn photo(&mut self, text: &str, bare: bool) -> bool {
        let Some(p) = photo_credit(text, bare) else {
            return false;
        };
        let slot = if p.person {
            &mut self.photo_person
        } else {
            &mut self.photo_org
        };
        if slot.is_none() {
            *slot = Some(p.name);
        }
        true
    }

    fn set_caption(&mut self, text: &str, append: bool) {
        self.photo(text, false);
        for &i in &self.group {
            if let Some(img) = self.out.images.get_mut(i) {
                img.caption = match (img.caption.take(), append) {
                    (Some(c), true) => Some(format!("{c} {text}")),
                    _ => Some(text.to_string()),
                };
            }
        }
    }

    fn image(&mut self, b: Block) {
        let Some(found) = b.image else { return };
        let k = (b.group, b.figure);
        if self.group_key != Some(k) {
            self.group.clear();
            self.group_key = Some(k);
        }
        self.group.push(self.out.images.len());
        let section = self.section_index();
        self.out.images.push(Image {
            src: found.src,
            alt: found.alt,
            caption: None,
            section,
            local: None,
        });
        self.caption_open = true;
        self.caption_merge = false;
        self.caption_figure = None;
    }

    /// The text of a photo-credit element: the photographer, never a paragraph.
    fn credit(&mut self, b: Block) {
        if !self.photo(&b.text, true)
            && let Some(credits) = credit_line(&b.text)
        {
            self.out.credits.add_all(credits);
        }
    }

    fn text(&mut self, b: Block, title_key: &str) {
        let text = b.text.as_str();
        if !title_key.is_empty() && same_key(text, title_key) {
            return;
        }
        if is_boilerplate(text) {
            return;
        }
        if b.figcaption {
            let in_figure =
                b.figure.is_some() && self.group_key.is_some_and(|(_, f)| f == b.figure);
            if in_figure && b.figure.is_some() && self.caption_figure == b.figure {
                self.set_caption(text, true);
                return;
            }
            if in_figure || self.caption_open {
                self.set_caption(text, false);
                self.caption_open = false;
                self.caption_figure = b.figure.filter(|_| in_figure);
                return;
            }
        }
        // a copyright line right after an image (`© Jane Roe`) is its photo credit
        if self.caption_open
            && (text.starts_with('©') || text.to_ascii_lowercase().starts_with("(c) "))
            && text.chars().count() <= 80
            && self.photo(text, false)
        {
            return;
        }
        // A line right after an image that opens like a caption (`图：…`, `图｜…`, `▲`) is
        // the image's caption, even when it could also read as a photo credit (`图：X`).
        if self.caption_open && CAPTION_PREFIX.is_match(text) && is_caption(&b) {
            self.set_caption(text, false);
            self.caption_open = false;
            self.caption_merge = b.align == Align::Center && !b.bold;
            return;
        }
        if let Some(credits) = credit_line(text) {
            self.out.credits.add_all(credits);
            self.caption_open = false;
            self.caption_merge = false;
            return;
        }
        if !self.started && is_meta_line(text) {
            self.out.lead_meta.push(b.text);
            return;
        }
        if self.caption_open && is_caption(&b) {
            self.set_caption(text, false);
            self.caption_open = false;
            self.caption_merge = b.align == Align::Center && !b.bold;
            return;
        }
        if self.caption_merge && b.align == Align::Center && !b.bold && is_caption(&b) {
            self.set_caption(text, true);
            return;
        }
        self.caption_open = false;
        self.caption_merge = false;
        if is_heading(&b) {
            self.out.sections.push(Section {
                heading: Some(b.text),
                paragraphs: Vec::new(),
            });
            self.started = true;
            return;
        }
        match trailing_credits(text) {
            Some((rest, credits)) => {
                self.out.credits.add_all(credits);
                if !rest.is_empty() {
                    self.paragraph(rest);
                }
            }
            None => self.paragraph(b.text),
        }
    }
}

/// True when most of the body's text (by characters, at least ten lines) is centred: then
/// centring is the page's style, not the mark of a caption or a sub-heading.
fn centred_throughout(blocks: &[Block]) -> bool {
    let lines = blocks.iter().filter(|b| b.kind == BlockKind::Text);
    let (mut all, mut centred, mut n) = (0usize, 0usize, 0usize);
    for b in lines {
        let len = b.text.chars().count();
        all += len;
        n += 1;
        if b.align == Align::Center {
            centred += len;
        }
    }
    n >= 10 && centred * 10 >= all * 7
}

/// Assign roles to `blocks` and build sections and images. `title` lines are dropped.
pub fn assemble(mut blocks: Vec<Block>, title: &str) -> Assembled {
    if centred_throughout(&blocks) {
        for b in &mut blocks {
            if b.align == Align::Center {
                b.align = Align::Start;
            }
        }
    }
    let title_key = crate::text::without_ws(title);
    let mut b = Builder {
        out: Assembled::default(),
        group: Vec::new(),
        group_key: None,
        caption_open: false,
        caption_merge: false,
        started: false,
        caption_figure: None,
        photo_person: None,
        photo_org: None,
    };
    for block in blocks {
        match block.kind {
            BlockKind::Blank => {
                b.caption_open = false;
                b.caption_merge = false;
            }
            BlockKind::Image => b.image(block),
            BlockKind::Row => {
                b.caption_open = false;
                b.caption_merge = false;
                b.paragraph(block.text);
            }
            BlockKind::Text => b.text(block, &title_key),
            BlockKind::Credit => b.credit(block),
        }
    }
    let photo = b.photo_person.take().or(b.photo_org.take());
    let mut out = b.out;
    out.credits.add(Role::Photographer, photo);
    if out.sections.is_empty() && !out.images.is_empty() {
        out.sections.push(Section {
            heading: None,
            paragraphs: Vec::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests;
