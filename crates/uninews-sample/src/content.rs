//! One article as data: headline, date, credits and body blocks, generated from the site
//! seed, the section, the article's sequence number and its edit version. Templates render
//! it to HTML; the ground truth reads the same data.

use super::config::CmsStyle;
use super::credits;
use super::ids::{self, FileKey, ImageKey};
use super::rng::Rng;
use super::textgen::{self, Topic};
use jiff::civil::{Date, Time};

/// Size of the pool of images shared by many articles.
pub(crate) const SHARED_IMAGES: u16 = 12;
/// Sequence numbers of `/private/` articles start here (keeps their image ids apart).
pub(crate) const PRIVATE_SEQ_BASE: u64 = 1 << 39;

/// Which article: section index, sequence number (0 = oldest), private or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ArticleRef {
    pub section: usize,
    pub seq: u64,
    pub private: bool,
}

/// The publication time as printed: with or without seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PrintedTime {
    pub time: Time,
    pub seconds: bool,
}

/// Credit values (the truth) and where the page prints them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ArticleCredits {
    pub author: Option<String>,
    pub photographer: Option<String>,
    pub editor: Option<String>,
    pub reviewer: Option<String>,
    pub source: Option<String>,
    /// The author is printed in the meta line (else in a body credit line).
    pub author_in_meta: bool,
    /// The editor is printed in the meta line (WebPlus only; else in a body credit line).
    pub editor_in_meta: bool,
}

/// How a sub-heading is marked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeadingStyle {
    Bold,
    BoldCentered,
    H3,
}

/// How a paragraph's first-line indent is made (all are whitespace to the schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Indent {
    Css,
    Ideographic,
    Nbsp,
}

/// One block of the body, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyBlock {
    /// A bold centred line repeating the headline (not content).
    TitleRepeat,
    /// A paragraph; `split` is a char offset where the markup splits it into two spans.
    Para {
        text: String,
        indent: Indent,
        split: Option<usize>,
    },
    Heading {
        text: String,
        style: HeadingStyle,
    },
    Image {
        key: ImageKey,
        alt: Option<String>,
        caption: Option<String>,
    },
    Table {
        rows: Vec<Vec<String>>,
    },
    /// The `附件：` line before in-body attachment links (a paragraph).
    AttachmentIntro,
    /// An in-body link to attachment `index` (a paragraph and an attachment).
    AttachmentLink {
        index: usize,
    },
    /// A line holding only credits (not content).
    Credit {
        text: String,
        right: bool,
    },
    /// An empty `<p>` (not content).
    Blank,
}

/// An attachment of the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttachmentSpec {
    pub key: FileKey,
    /// The link text: file name with extension.
    pub name: String,
}

/// A whole article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Article {
    pub at: ArticleRef,
    pub title: String,
    pub subtitle: Option<String>,
    pub date: Date,
    pub time: Option<PrintedTime>,
    pub credits: ArticleCredits,
    pub blocks: Vec<BodyBlock>,
    pub attachments: Vec<AttachmentSpec>,
    /// The view count printed by the page (a fixed number: pages must not change per request).
    pub views: u64,
}

impl Article {
    /// `published` as the schema wants it.
    pub(crate) fn published(&self) -> String {
        match self.time {
            None => self.date.to_string(),
            Some(t) if t.seconds => format!("{}T{}+08:00", self.date, t.time.strftime("%H:%M:%S")),
            Some(t) => format!("{}T{}+08:00", self.date, t.time.strftime("%H:%M")),
        }
    }

    /// The date (and time) as the page prints it.
    pub(crate) fn printed_date(&self) -> String {
        match self.time {
            None => self.date.to_string(),
            Some(t) if t.seconds => format!("{} {}", self.date, t.time.strftime("%H:%M:%S")),
            Some(t) => format!("{} {}", self.date, t.time.strftime("%H:%M")),
        }
    }
}

fn date_of(at: ArticleRef) -> Date {
    if at.private {
        ids::article_date((at.seq - PRIVATE_SEQ_BASE) * 5)
    } else {
        ids::article_date(at.seq)
    }
}

fn stream(seed: u64, at: ArticleRef, purpose: u64, version: u32) -> Rng {
    Rng::new(&[
        seed,
        at.section as u64,
        at.seq,
        u64::from(at.private),
        purpose,
        u64::from(version),
    ])
}

/// The headline alone (cheap: list pages and 上一条/下一条 links need only this).
pub(crate) fn title_of(seed: u64, at: ArticleRef) -> String {
    let date = date_of(at);
    let mut rng = stream(seed, at, 1, 0);
    let topic = Topic::new(&mut rng, date);
    let t = textgen::title(&mut rng, &topic);
    if at.private {
        format!("【内部】{t}")
    } else {
        t
    }
}

/// The publication date (and printed time) alone.
pub(crate) fn date_time_of(seed: u64, at: ArticleRef) -> (Date, Option<PrintedTime>) {
    let mut rng = stream(seed, at, 2, 0);
    let time = match rng.below(100) {
        0..=44 => None,
        p => Some(PrintedTime {
            time: jiff::civil::time(
                rng.range(8, 21) as i8,
                rng.below(60) as i8,
                rng.below(60) as i8,
                0,
            ),
            seconds: p < 80,
        }),
    };
    (date_of(at), time)
}

/// The whole article at edit `version` (0 = as first published).
pub(crate) fn generate(seed: u64, at: ArticleRef, style: CmsStyle, version: u32) -> Article {
    let (date, time) = date_time_of(seed, at);
    let mut trng = stream(seed, at, 1, 0);
    let topic = Topic::new(&mut trng, date);
    let mut rng = stream(seed, at, 3, version);
    let subtitle =
        (style == CmsStyle::WebPlus && rng.chance(12)).then(|| textgen::subtitle(&mut rng, &topic));
    let mut blocks = Vec::new();
    if rng.chance(8) {
        blocks.push(BodyBlock::TitleRepeat);
    }
    let mut paras: Vec<BodyBlock> = Vec::new();
    let para = |rng: &mut Rng, opening: bool| {
        let text = textgen::paragraph(rng, &topic, opening);
        let len = text.chars().count();
        BodyBlock::Para {
            indent: rng.pick(&[Indent::Css, Indent::Css, Indent::Ideographic, Indent::Nbsp]),
            split: rng
                .chance(30)
                .then(|| rng.range(4, len as u64 - 4) as usize),
            text,
        }
    };
    if version > 0 {
        paras.push(BodyBlock::Para {
            text: format!("编者按：本文于发布后进行了第{version}次修订。"),
            indent: Indent::Css,
            split: None,
        });
    }
    let intro = if rng.chance(15) { 0 } else { rng.range(1, 2) };
    for i in 0..intro {
        paras.push(para(&mut rng, i == 0));
    }
    let n_head = rng.range(1, 4) as usize;
    let styles: &[HeadingStyle] = match style {
        CmsStyle::Vsb => &[HeadingStyle::Bold, HeadingStyle::BoldCentered],
        CmsStyle::WebPlus => &[
            HeadingStyle::BoldCentered,
            HeadingStyle::H3,
            HeadingStyle::Bold,
        ],
    };
    let h_style = rng.pick(styles);
    for h in textgen::headings(&mut rng, n_head) {
        paras.push(BodyBlock::Heading {
            text: h,
            style: h_style,
        });
        for _ in 0..rng.range(1, 3) {
            paras.push(para(&mut rng, false));
        }
    }
    if rng.chance(12) {
        // A table after the last paragraph, introduced by a paragraph of its own.
        paras.push(BodyBlock::Para {
            text: "具体安排如下：".into(),
            indent: Indent::Css,
            split: None,
        });
        paras.push(BodyBlock::Table {
            rows: textgen::table(&mut rng, &topic),
        });
        paras.push(para(&mut rng, false));
    }
    place_images(&mut rng, at, style, &mut paras);
    blocks.extend(paras);
    let attachments = make_attachments(&mut rng, at, &topic);
    // In-body links; the VSB template prints its attachments after the body instead and
    // skips these two blocks.
    if !attachments.is_empty() {
        blocks.push(BodyBlock::AttachmentIntro);
        blocks.extend((0..attachments.len()).map(|index| BodyBlock::AttachmentLink { index }));
    }
    let has_images = blocks.iter().any(|b| matches!(b, BodyBlock::Image { .. }));
    let credits = credits::make_credits(&mut rng, style, has_images);
    blocks.extend(credits::credit_lines(&mut rng, &credits));
    let views = rng.range(30, 4000);
    Article {
        at,
        title: title_of(seed, at),
        subtitle,
        date,
        time,
        credits,
        blocks,
        attachments,
        views,
    }
}

/// Insert 0-3 images, each right before a paragraph (never two in a row, never right
/// before a heading, so a caption-less image is always followed by a long paragraph).
fn place_images(rng: &mut Rng, at: ArticleRef, style: CmsStyle, blocks: &mut Vec<BodyBlock>) {
    let n: u8 = match rng.below(100) {
        0..=24 => 0,
        25..=59 => 1,
        60..=84 => 2,
        _ => 3,
    };
    let mut spots: Vec<usize> = (1..blocks.len())
        .filter(|&i| {
            matches!(blocks[i], BodyBlock::Para { .. })
                && !matches!(blocks[i - 1], BodyBlock::Table { .. })
        })
        .collect();
    let mut chosen = Vec::new();
    for index in 0..n {
        if spots.is_empty() {
            break;
        }
        let spot = spots.remove(rng.below(spots.len() as u64) as usize);
        let key = if rng.chance(25) {
            ImageKey::Shared(rng.below(u64::from(SHARED_IMAGES)) as u16)
        } else {
            ImageKey::Own {
                section: at.section,
                seq: at.seq,
                index,
            }
        };
        let caption = rng.chance(60).then(|| textgen::caption(rng));
        let alt = (style == CmsStyle::WebPlus && rng.chance(30))
            .then(|| caption.clone().unwrap_or_else(|| "新闻图片".to_string()));
        chosen.push((spot, BodyBlock::Image { key, alt, caption }));
    }
    chosen.sort_by_key(|c| std::cmp::Reverse(c.0));
    for (spot, block) in chosen {
        blocks.insert(spot, block);
    }
}

fn make_attachments(rng: &mut Rng, at: ArticleRef, topic: &Topic) -> Vec<AttachmentSpec> {
    if !rng.chance(15) {
        return Vec::new();
    }
    (0..rng.range(1, 2) as u8)
        .map(|index| {
            let key = FileKey {
                section: at.section,
                seq: at.seq,
                index,
            };
            let name = format!(
                "{}.{}",
                textgen::attachment_name(rng, topic, usize::from(index) + 1),
                key.ext()
            );
            AttachmentSpec { key, name }
        })
        .collect()
}
