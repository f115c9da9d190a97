//! Photo credits inside captions and credit elements: `Photo: X`, `Photos by X`, `Foto: X`,
//! `Bild: X`, `Credit: X`, `Image: X`, `© X`, `(c) X`, and the CJK `摄影：X`, `图/X` after
//! caption text. A person is told from an organisation (`© Example University`), which is
//! kept only when no person is credited.

use regex::Regex;
use std::sync::LazyLock;

/// A photo credit read from a caption or a credit element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoCredit {
    /// The credited name, as printed (an institution after a person's name dropped).
    pub name: String,
    /// A person (or a CJK credit); `false` for an organisation (`© Example University`),
    /// which is kept only when no person is credited.
    pub person: bool,
}

/// A Latin-script credit label inside a caption: `Photo: X`, `Photos by X`, `Foto: X`,
/// `Bild: X`, `Credit: X`, `Image: X`, `Courtesy of X`, `© X`, `(c) X`.
static PHOTO_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[\s(\[|/,.;–—-])(?:",
        r"(?:photos?|photograph(?:y|s)?|images?|pictures?|fotos?|bild(?:er)?)\s+(?:by|von|courtesy(?:\s+of)?)\s",
        r"|(?:photos?|photo\s+credits?|photograph(?:y|s)?|images?|image\s+credits?|pictures?|credits?|fotos?|bild(?:er)?|bildnachweis|fotonachweis|copyright)\s*:",
        r"|courtesy(?:\s+of)?\s",
        r")|©|\(c\)\s",
    ))
    .expect("static regex")
});

/// A CJK credit label inside a caption: `摄影：X`, `图/X` anywhere; `图：X`, `图片：X`
/// only after the caption's own text (at the start they open a caption, `图：合影`).
static CJK_PHOTO_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(摄影|攝影)\s*[：:／/]?\s*|(图|圖)\s*[／/]\s*|(图片|圖片|图|圖)\s*[：:]\s*")
        .expect("static regex")
});

/// Words that make a credit an organisation, not a person.
static ORG_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(universit(y|ies|ät|aet|é|à|ad)|hochschule|institut[e]?|college|school|department|faculty|fakultät|office|cent(er|re)|zentrum|museum|archives?|archiv|library|bibliothek|press|presse|news|agency|images|photos|pictures|stock|media|inc|ltd|llc|gmbh|ag|e\.\s?v|foundation|stiftung|association|society|government|ministry|all rights reserved|alle rechte)\b|大学|學院|学院|中心|新闻|新聞|宣传部|記者團|记者团")
        .expect("static regex")
});

/// True for text with a CJK character.
fn has_cjk(s: &str) -> bool {
    s.chars().any(crate::text::is_han)
}

/// The credited name after a label: up to a closing bracket, trailing punctuation and
/// years dropped, an institution after a person's name dropped (`Jane Roe / Example
/// University`), a sentence after the name dropped (`Example University. All rights
/// reserved.`). `None` when nothing name-like is left (a year only, a description).
pub(super) fn photo_value(raw: &str) -> Option<PhotoCredit> {
    static YEARS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:©|\(c\))?\s*(?:19|20)\d{2}(?:\s*[-–/]\s*(?:19|20)?\d{2})?\s*[,.:]?\s*|\s*[,.]?\s*(?:19|20)\d{2}\s*$")
            .expect("static regex")
    });
    let mut v = raw;
    if let Some(i) = v.find([')', '）', ']', '】']) {
        v = &v[..i];
    }
    static LEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:provided\s+by|courtesy(?:\s+of)?|via|by)\s+").expect("static regex")
    });
    let v = v.trim().trim_start_matches(['©', ':', '：']).trim();
    let mut v = YEARS.replace_all(v, "").trim().to_string();
    v = LEAD.replace(&v, "").trim().to_string();
    // a sentence after the name: `Example University. All rights reserved.`
    if let Some(i) = v.find(". ")
        && v[..i]
            .rsplit(' ')
            .next()
            .is_some_and(|w| w.chars().count() >= 2)
    {
        v.truncate(i);
    }
    // a company name ends at its legal form (`Business Insider Inc Nintendo/Apple`)
    static LEGAL_END: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s(Inc|Ltd|LLC|GmbH|AG|plc)\b\.?").expect("static regex"));
    if let Some(m) = LEGAL_END.find(&v) {
        v.truncate(m.end());
    }
    let v = v
        .trim_end_matches(|c: char| c.is_whitespace() || ".,;:|/-–—".contains(c))
        .trim()
        .to_string();
    if v.is_empty() {
        return None;
    }
    if has_cjk(&v) {
        let n = v.chars().count();
        let ok = n <= 20 && !v.contains(['。', '！', '？', '，', '；', '!', '?']);
        return ok.then_some(PhotoCredit {
            name: v,
            person: true,
        });
    }
    // `Jane Roe / Example University`, `Jane Roe, Getty Images`: the person stays
    for sep in [" / ", "/", " | ", ", ", " - ", " – ", " — ", " for "] {
        if let Some((head, tail)) = v.split_once(sep)
            && ORG_WORD.is_match(tail)
            && !ORG_WORD.is_match(head)
            && name_like(head)
        {
            return Some(PhotoCredit {
                name: head.trim().to_string(),
                person: true,
            });
        }
    }
    let org = ORG_WORD.is_match(&v);
    (name_like(&v) || org && v.split_whitespace().count() <= 8).then_some(PhotoCredit {
        person: !org,
        name: v,
    })
}

/// Capitalised words (with connectors and initials), at most eight: a name or names (a
/// caption's credit, an English byline's value).
pub(super) fn name_like(v: &str) -> bool {
    let words: Vec<&str> = v.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 8
        && words.iter().all(|w| {
            w.chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(|c| c.is_uppercase())
                || matches!(
                    *w,
                    "and"
                        | "und"
                        | "&"
                        | "of"
                        | "de"
                        | "van"
                        | "von"
                        | "der"
                        | "la"
                        | "le"
                        | "du"
                        | "zu"
                        | "da"
                        | "di"
                        | "del"
                        | "y"
                        | "e"
                )
        })
}

/// The photo credit printed in a caption or credit element (`Students in the lab. Photo:
/// Jane Roe`, `© Example University`, `（摄影：张三）`), or `None`. A bare name counts only
/// when `bare` is set (the text of a dedicated credit element).
pub fn photo_credit(text: &str, bare: bool) -> Option<PhotoCredit> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 300 {
        return None;
    }
    for m in PHOTO_MARK.find_iter(t) {
        if let Some(p) = photo_value(&t[m.end()..]) {
            return Some(p);
        }
    }
    for c in CJK_PHOTO_MARK.captures_iter(t) {
        let (Some(m), trailing_only) = (c.get(0), c.get(3).is_some()) else {
            continue;
        };
        let before = &t[..m.start()];
        if trailing_only && before.trim().is_empty() {
            continue;
        }
        // a 图 label glued to the word before it is no label (`地图：`, `插图/`)
        if c.get(1).is_none()
            && before
                .chars()
                .next_back()
                .is_some_and(|ch| has_cjk(&ch.to_string()))
        {
            continue;
        }
        let rest = &t[m.end()..];
        let end = rest
            .find(|ch: char| crate::text::is_space(ch) || "）)】]，,；;。".contains(ch))
            .unwrap_or(rest.len());
        if let Some(p) = photo_value(&rest[..end]) {
            return Some(p);
        }
    }
    if bare {
        let t = t
            .trim_start_matches(|c: char| c.is_whitespace() || c == '©')
            .trim();
        return photo_value(t).filter(|p| !p.name.contains(':'));
    }
    None
}
