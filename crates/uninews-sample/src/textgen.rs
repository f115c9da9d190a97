//! Chinese news-like sentences, titles, headings, captions and tables from the phrase
//! lists, driven by a seeded [`Rng`].

use super::phrases::*;
use super::rng::Rng;
use jiff::civil::Date;

/// What an article is about: fixed per article so its sentences agree with each other.
#[derive(Debug, Clone)]
pub(crate) struct Topic {
    pub unit: &'static str,
    pub topic: &'static str,
    pub place: &'static str,
    pub date: Date,
}

impl Topic {
    pub(crate) fn new(rng: &mut Rng, date: Date) -> Topic {
        Topic {
            unit: rng.pick(UNITS),
            topic: rng.pick(TOPICS),
            place: rng.pick(PLACES),
            date,
        }
    }
}

/// The headline of an article.
pub(crate) fn title(rng: &mut Rng, t: &Topic) -> String {
    let year = t.date.year();
    let name = rng.pick(NAMES);
    match rng.below(10) {
        0 => format!("{}召开{year}年{}工作推进会", t.unit, t.topic),
        1 => format!("{}举办{}专题报告会", t.unit, t.topic),
        2 => format!(
            "我校{}项成果获{year}年度{}",
            rng.range(2, 9),
            rng.pick(AWARDS)
        ),
        3 => format!("{}开展“{}”主题活动", t.unit, rng.pick(THEMES)),
        4 => format!("我校学子在{year}年{}中获佳绩", rng.pick(CONTESTS)),
        5 => format!("我校与{}签署合作协议", rng.pick(PARTNERS)),
        6 => format!("{}{name}调研{}{}工作", rng.pick(ROLES), t.unit, t.topic),
        7 => format!("{}举行{year}年{}经验交流会", t.unit, t.topic),
        8 => format!("{name}教授团队在{}研究中取得新进展", rng.pick(FIELDS)),
        _ => format!("{}召开{}专题培训会", t.unit, t.topic),
    }
}

/// A 副标题 line, `——记…`.
pub(crate) fn subtitle(rng: &mut Rng, t: &Topic) -> String {
    format!("——{}{}{}", t.unit, t.topic, rng.pick(SUBTITLES))
}

/// Number of non-opening sentence templates in [`sentence`].
const SENTENCES: u64 = 20;

/// The opening sentence of an article: date, unit, place, event.
pub(crate) fn opening(rng: &mut Rng, t: &Topic) -> String {
    let half = if rng.chance(50) { "上午" } else { "下午" };
    let (m, d) = (t.date.month(), t.date.day());
    match rng.below(3) {
        0 => format!(
            "{m}月{d}日{half}，{}在{}召开{}工作会议，{}{}出席会议并讲话。",
            t.unit,
            t.place,
            t.topic,
            rng.pick(ROLES),
            rng.pick(NAMES)
        ),
        1 => format!(
            "近日，{}围绕{}工作在{}举办专题活动。",
            t.unit, t.topic, t.place
        ),
        _ => format!(
            "{m}月{d}日，{}{}工作交流会在{}举行，来自各学院的{}余名代表参加。",
            t.unit,
            t.topic,
            t.place,
            rng.range(3, 20) * 10
        ),
    }
}

/// Sentence template `which` (0..[`SENTENCES`]), ending in `。`.
pub(crate) fn sentence(rng: &mut Rng, t: &Topic, which: u64) -> String {
    let name = rng.pick(NAMES);
    let role = rng.pick(ROLES);
    let other = |rng: &mut Rng, list: &[&'static str], not: &str| loop {
        let x = rng.pick(list);
        if x != not {
            break x;
        }
    };
    match which {
        0 => format!(
            "会议指出，做好{}工作是落实学校发展规划的重要举措，各单位要{}。",
            t.topic,
            rng.pick(ACTIONS)
        ),
        1 => format!(
            "{name}在发言中表示，{}将以此次活动为契机，{}。",
            t.unit,
            rng.pick(ACTIONS)
        ),
        2 => format!(
            "据了解，本次活动共吸引{}余名师生参加，{}。",
            rng.range(3, 60) * 10,
            rng.pick(RESULTS)
        ),
        3 => format!(
            "与会人员围绕{}、{}等议题进行了深入交流。",
            t.topic,
            other(rng, TOPICS, t.topic)
        ),
        4 => format!(
            "{role}{name}介绍了{}的总体情况，并就下一步工作提出具体要求。",
            t.topic
        ),
        5 => format!(
            "近年来，{}坚持立德树人根本任务，在{}等方面取得了显著成效。",
            t.unit,
            rng.pick(FIELDS)
        ),
        6 => format!("活动现场气氛热烈，同学们纷纷表示{}。", rng.pick(FEELINGS)),
        7 => format!(
            "下一步，学校将{}，为{}工作提供有力支撑。",
            rng.pick(ACTIONS),
            t.topic
        ),
        8 => format!("此次活动的成功举办，{}。", rng.pick(RESULTS)),
        9 => format!(
            "{}相关负责人表示，将认真梳理会上提出的意见建议，{}。",
            rng.pick(UNITS),
            rng.pick(ACTIONS)
        ),
        10 => format!(
            "{name}结合自身经历，从{}、{}两个方面分享了经验和体会。",
            t.topic,
            rng.pick(FIELDS)
        ),
        11 => format!(
            "{}、{}等单位负责人参加会议。",
            other(rng, UNITS, t.unit),
            t.unit
        ),
        12 => format!("{role}{name}对前一阶段的工作给予充分肯定，并对存在的问题逐一进行了分析。"),
        13 => format!(
            "{}教授以“{}的机遇与挑战”为题作主旨报告。",
            name,
            rng.pick(FIELDS)
        ),
        14 => format!(
            "报告结束后，{}与现场师生进行了互动交流，耐心解答了大家关心的问题。",
            name
        ),
        15 => format!(
            "大家一致认为，{}，必须把{}工作摆在更加突出的位置。",
            rng.pick(RESULTS).trim_end_matches('。'),
            t.topic
        ),
        16 => format!(
            "活动期间，{}还组织参观了{}，了解学校在{}方面的建设情况。",
            t.unit,
            rng.pick(PLACES),
            rng.pick(FIELDS)
        ),
        17 => format!(
            "据悉，{}已连续{}年开展此项工作，累计覆盖学生{}余人次。",
            t.unit,
            rng.range(2, 9),
            rng.range(5, 90) * 100
        ),
        18 => format!(
            "{}代表{}作了交流发言，分享了在{}方面的具体做法。",
            name,
            other(rng, UNITS, t.unit),
            t.topic
        ),
        _ => format!(
            "会议要求，各单位要进一步统一思想、明确分工，确保{}各项任务按期完成。",
            t.topic
        ),
    }
}

/// A paragraph of two to four sentences, no template twice.
pub(crate) fn paragraph(rng: &mut Rng, t: &Topic, opening_first: bool) -> String {
    let mut p = if opening_first {
        opening(rng, t)
    } else {
        String::new()
    };
    let n = rng.range(2, 4) - u64::from(opening_first);
    let mut used = Vec::new();
    while (used.len() as u64) < n {
        let which = rng.below(SENTENCES);
        if !used.contains(&which) {
            used.push(which);
            p.push_str(&sentence(rng, t, which));
        }
    }
    p
}

/// `n` distinct sub-headings (optionally numbered 一、二、…), none ending in punctuation.
pub(crate) fn headings(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut idx: Vec<usize> = (0..HEADINGS.len()).collect();
    for i in (1..idx.len()).rev() {
        idx.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let numbered = rng.chance(30);
    idx.iter()
        .take(n.min(NUMBERED.len()))
        .enumerate()
        .map(|(i, &h)| {
            if numbered {
                format!("{}{}", NUMBERED[i], HEADINGS[h])
            } else {
                HEADINGS[h].to_string()
            }
        })
        .collect()
}

/// An image caption.
pub(crate) fn caption(rng: &mut Rng) -> String {
    if rng.chance(25) {
        format!("{}作报告", rng.pick(NAMES))
    } else {
        rng.pick(CAPTIONS).to_string()
    }
}

/// A small table: a header row and two to five data rows, every cell non-empty.
pub(crate) fn table(rng: &mut Rng, t: &Topic) -> Vec<Vec<String>> {
    let rows = rng.range(2, 5) as usize;
    if rng.chance(50) {
        let mut out = vec![vec!["序号".into(), "单位".into(), "参与人数".into()]];
        for i in 0..rows {
            out.push(vec![
                (i + 1).to_string(),
                rng.pick(UNITS).to_string(),
                rng.range(12, 240).to_string(),
            ]);
        }
        out
    } else {
        let mut out = vec![vec!["日期".into(), "地点".into(), "内容".into()]];
        for i in 0..rows {
            let d = t
                .date
                .checked_add(jiff::Span::new().days(i as i64 + 1))
                .unwrap_or(t.date);
            out.push(vec![
                format!("{}月{}日", d.month(), d.day()),
                rng.pick(PLACES).to_string(),
                format!(
                    "{}{}",
                    rng.pick(TOPICS),
                    if rng.chance(50) { "讲座" } else { "研讨" }
                ),
            ]);
        }
        out
    }
}

/// An attachment's file name (without extension).
pub(crate) fn attachment_name(rng: &mut Rng, t: &Topic, n: usize) -> String {
    format!(
        "附件{n}：{}年{}{}",
        t.date.year(),
        t.topic,
        rng.pick(ATTACHMENT_TITLES)
    )
}
