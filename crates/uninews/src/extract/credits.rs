//! Credits: 作者/撰稿/文/记者/通讯员 (author), 摄影/图/图片 (photographer), 编辑/责任编辑/
//! 责编/编审 (editor), 审核/审稿/终审 (reviewer), 来源 (source), and English bylines.
//!
//! Three readings of a text: [`credit_line`] (a line that holds only credits, maybe in
//! parentheses, like `（编辑 周四海）` or `撰稿：赵一、钱二，摄影：孙三`),
//! [`trailing_credits`] (credits in parentheses closing a paragraph) and [`scan_meta`] (credit
//! labels among other meta data: `2019-05-06 作者：宣传部 浏览次数：`); [`photo_credit`] reads
//! the photo credit inside a caption or a credit element (`Photo: X`, `Foto: X`, `© X`).

use regex::Regex;
use std::sync::LazyLock;

/// Which credit field a label fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Writer.
    Author,
    /// Photographer.
    Photographer,
    /// Editor.
    Editor,
    /// Reviewer.
    Reviewer,
    /// 来源.
    Source,
}

/// Credits found so far; each field keeps its first value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credits {
    /// Writer credit.
    pub author: Option<String>,
    /// Photo credit.
    pub photographer: Option<String>,
    /// Editor credit.
    pub editor: Option<String>,
    /// Review credit.
    pub reviewer: Option<String>,
    /// 来源.
    pub source: Option<String>,
}

impl Credits {
    fn slot(&mut self, role: Role) -> &mut Option<String> {
        match role {
            Role::Author => &mut self.author,
            Role::Photographer => &mut self.photographer,
            Role::Editor => &mut self.editor,
            Role::Reviewer => &mut self.reviewer,
            Role::Source => &mut self.source,
        }
    }

    /// The value of `role`.
    pub fn get(&self, role: Role) -> Option<&str> {
        match role {
            Role::Author => self.author.as_deref(),
            Role::Photographer => self.photographer.as_deref(),
            Role::Editor => self.editor.as_deref(),
            Role::Reviewer => self.reviewer.as_deref(),
            Role::Source => self.source.as_deref(),
        }
        .filter(|s| !s.is_empty())
    }

    /// Record `value` for `role` unless the field already has a value.
    pub fn add(&mut self, role: Role, value: Option<String>) {
        let slot = self.slot(role);
        if slot.is_none() {
            *slot = value.filter(|v| !v.is_empty());
        }
    }

    /// Add every credit of `list`.
    pub fn add_all(&mut self, list: Found) {
        for (role, value) in list {
            self.add(role, value);
        }
    }
}

/// Credits read from a text: each role with its value (`None` for a label with nothing after it).
pub type Found = Vec<(Role, Option<String>)>;

/// All roles, in record order.
pub const ROLES: [Role; 5] = [
    Role::Author,
    Role::Photographer,
    Role::Editor,
    Role::Reviewer,
    Role::Source,
];

const LABELS: &str = "本文作者|文章作者|作者|撰稿人|撰稿|撰文|文字|特约记者|见习记者|实习记者|记者|記者|通讯员|通訊員|图文|圖文|摄影|攝影|摄像|攝像|图片|圖片|供图|供圖|责任编辑|責任編輯|网络编辑|文字编辑|编辑|編輯|责编|責編|编审|审核|審核|审稿|終審|终审|审校|审定|复审|初审|文章来源|稿件来源|信息来源|新闻来源|来源|來源|供稿|文|图|圖";

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"({LABELS})(\s*[：:／/]\s*|\s+|$)")).expect("static regex")
});

static META_STOP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(发布时间|发布日期|发表时间|更新时间|发布者|发布人|时间|日期|浏览次数|浏览量|浏览|点击数|点击量|点击率|点击|阅读量|阅读数|阅读|访问量|访问次数|次数|字号|【|\[|\||｜|\s{2,}|\d{4}\s*[-/.年])")
        .expect("static regex")
});

/// English and German credit labels opening a line; group 1 text and photos, 2 writer,
/// 3 photographer, 4 editor, 5 source, 6 the value. A word label (`By`, `Von`) needs a
/// space after it, a colon label its colon.
static ENGLISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:",
        r"((?:text|words)\s*(?:and|und|&|\+|/)\s*(?:photos?|pictures?|images?|fotos?|bild(?:er)?)(?:\s*:|\s+by\s|\s+von\s))",
        r"|((?:by|written by|story by|text by|words by|von|verfasst von|text von)\s|(?:text|author|authors|autor|autorin|autoren|verfasser|verfasserin)\s*:)",
        r"|((?:photos? by|photograph(?:y|s)? by|images? by|fotos? von|bild(?:er)? von)\s|(?:photos?|photo credits?|images?|image credits?|pictures?|credits?|fotos?|bild(?:er)?|bildnachweis|fotonachweis)\s*:)",
        r"|((?:edited by)\s|(?:editor|redaktion)\s*:)",
        r"|((?:source|quelle)\s*:)",
        r")\s*(\S.*)$"
    ))
    .expect("static regex")
});

fn role_of(label: &str) -> &'static [Role] {
    match label {
        "图文" | "圖文" => &[Role::Author, Role::Photographer],
        "摄影" | "攝影" | "摄像" | "攝像" | "图片" | "圖片" | "供图" | "供圖" | "图" | "圖" => {
            &[Role::Photographer]
        }
        "责任编辑" | "責任編輯" | "网络编辑" | "文字编辑" | "编辑" | "編輯" | "责编" | "責編"
        | "编审" => &[Role::Editor],
        "审核" | "審核" | "审稿" | "终审" | "終審" | "审校" | "审定" | "复审" | "初审" => {
            &[Role::Reviewer]
        }
        "文章来源" | "稿件来源" | "信息来源" | "新闻来源" | "来源" | "來源" | "供稿" => {
            &[Role::Source]
        }
        _ => &[Role::Author],
    }
}

/// Characters that may stand right before a label.
fn is_delim(c: char) -> bool {
    crate::text::is_space(c)
        || matches!(
            c,
            '，' | ',' | '；' | ';' | '。' | '|' | '｜' | '（' | '(' | '【' | '[' | '〔' | '、'
        )
}

fn clean_value(v: &str) -> String {
    let t = v.trim_matches(|c: char| {
        crate::text::is_space(c)
            || matches!(
                c,
                '，' | ','
                    | '；'
                    | ';'
                    | '。'
                    | '．'
                    | '）'
                    | ')'
                    | '】'
                    | ']'
                    | '〕'
                    | '（'
                    | '('
                    | '：'
                    | ':'
            )
    });
    crate::text::normalize_ws(t)
}

/// `某某大学中文系学生 郑六一` → `郑六一`: an affiliation before a person's name is dropped.
fn person_name(value: String) -> String {
    let Some((head, last)) = value.rsplit_once(' ') else {
        return value;
    };
    let han = last.chars().filter(|c| crate::text::is_han(*c)).count();
    let is_name =
        (2..=4).contains(&han) && last.chars().all(|c| c == '·' || crate::text::is_han(c));
    const AFFIL: [&str; 16] = [
        "大学",
        "学院",
        "学校",
        "学生",
        "研究生",
        "本科生",
        "博士",
        "硕士",
        "教授",
        "老师",
        "中心",
        "系",
        "部",
        "处",
        "办公室",
        "记者",
    ];
    if is_name
        && AFFIL
            .iter()
            .any(|w| head.ends_with(w) || head.contains("大学"))
    {
        last.to_string()
    } else {
        value
    }
}

struct Hit {
    start: usize,
    end: usize,
    label: String,
}

fn label_hits(text: &str, strict_start: bool) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let Some(c) = LABEL.captures_at(text, from) else {
            break;
        };
        let (Some(m), Some(label), Some(sep)) = (c.get(0), c.get(1), c.get(2)) else {
            break;
        };
        let before = text[..m.start()].chars().next_back();
        let single = label.as_str().chars().count() == 1;
        let sep_str = sep.as_str().trim();
        // single-character labels (文, 图) need an explicit separator (`文/`, `图：`)
        let sep_ok = if single {
            !sep_str.is_empty()
        } else {
            !sep_str.is_empty() || !sep.as_str().is_empty() || m.end() == text.len()
        };
        let delim_ok =
            before.is_none_or(is_delim) || (!strict_start && !single && !sep_str.is_empty());
        if sep_ok && delim_ok {
            hits.push(Hit {
                start: m.start(),
                end: m.end(),
                label: label.as_str().to_string(),
            });
            from = m.end();
        } else {
            from = m.start() + label.as_str().chars().next().map_or(1, char::len_utf8);
        }
    }
    hits
}

fn values(text: &str, hits: &[Hit], meta: bool) -> Found {
    let mut out = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        let end = hits.get(i + 1).map_or(text.len(), |n| n.start);
        let mut raw = &text[h.end..end];
        if meta && let Some(stop) = META_STOP.find(raw) {
            raw = &raw[..stop.start()];
        }
        let value = clean_value(raw);
        for role in role_of(&h.label) {
            let v = if *role == Role::Source {
                value.clone()
            } else {
                person_name(value.clone())
            };
            out.push((*role, (!v.is_empty()).then_some(v)));
        }
    }
    out
}

fn english(text: &str) -> Option<Found> {
    if !text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let c = ENGLISH.captures(text)?;
    let value = clean_value(c.get(6)?.as_str());
    let roles: &[Role] = if c.get(1).is_some() {
        &[Role::Author, Role::Photographer]
    } else if c.get(2).is_some() {
        &[Role::Author]
    } else if c.get(3).is_some() {
        &[Role::Photographer]
    } else if c.get(4).is_some() {
        &[Role::Editor]
    } else {
        &[Role::Source]
    };
    let ok = name_like(&value) || roles == [Role::Source] && value.split_whitespace().count() <= 8;
    let value = if roles == [Role::Photographer] {
        photo_value(&value).map_or(value, |p| p.name)
    } else {
        value
    };
    ok.then(|| roles.iter().map(|r| (*r, Some(value.clone()))).collect())
}

/// The credits of a line that holds nothing but credits (optionally in brackets), or `None`.
pub fn credit_line(text: &str) -> Option<Found> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 120 {
        return None;
    }
    if let Some(e) = english(t) {
        return Some(e);
    }
    let inner = t
        .strip_prefix(['（', '(', '【', '[', '〔'])
        .and_then(|s| s.strip_suffix(['）', ')', '】', ']', '〕']))
        .unwrap_or(t)
        .trim();
    let hits = label_hits(inner, true);
    let first = hits.first()?;
    if !inner[..first.start].trim().is_empty() {
        return None;
    }
    for (i, h) in hits.iter().enumerate() {
        let end = hits.get(i + 1).map_or(inner.len(), |n| n.start);
        let v = clean_value(&inner[h.end..end]);
        if v.chars().count() > 40 || v.contains(['。', '！', '？', '!', '?', '，', '；', '“', '”'])
        {
            return None;
        }
    }
    Some(values(inner, &hits, false))
}

static TRAILING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[（(]([^（）()]{2,80})[）)]\s*$").expect("static regex"));

/// Credits in brackets closing a paragraph (`…新学年！（文/校团委 图/学生记者团）`):
/// the paragraph without them, and the credits.
pub fn trailing_credits(text: &str) -> Option<(String, Found)> {
    if !text.trim_end().ends_with(['）', ')']) {
        return None;
    }
    let c = TRAILING.captures(text)?;
    let whole = c.get(0)?;
    let credits = credit_line(c.get(1)?.as_str())?;
    if credits.iter().all(|(_, v)| v.is_none()) {
        return None;
    }
    Some((text[..whole.start()].trim_end().to_string(), credits))
}

/// Credit labels among other meta data on a line (`发布时间：… 作者：宣传部 浏览次数：`).
pub fn scan_meta(text: &str) -> Found {
    if let Some(e) = english(text.trim()) {
        return e;
    }
    let hits: Vec<Hit> = label_hits(text, false)
        .into_iter()
        .filter(|h| {
            // in running meta text a label must be followed by a colon-like separator
            let sep = text[h.start + h.label.len()..h.end].trim();
            !sep.is_empty()
        })
        .collect();
    values(text, &hits, true)
}

mod photo;
pub use photo::photo_credit;
use photo::{name_like, photo_value};

#[cfg(test)]
mod tests;
