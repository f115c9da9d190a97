//! Publication dates in every printed form (`2020-04-16`, `2020年4月16日`, `2020.04.16`,
//! `2020/4/16 09:30`, `发布时间：…`, `March 9, 2021`, day-first `03.11.18`), normalised
//! to ISO 8601: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM[:SS]±HH:MM` in the site's zone when a
//! time is printed.

use crate::selectors::DateRules;
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use regex::Regex;
use std::sync::LazyLock;

/// A date (and maybe a time) as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Printed {
    /// The calendar date.
    pub date: Date,
    /// Hour, minute and (when printed) second.
    pub time: Option<(i8, i8, Option<i8>)>,
}

static YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:^|[^\d])((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?:\s*日)?",
        r"(?:(?:\s*T\s*|\s+|\s*)(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?)?",
    ))
    .expect("static regex")
});

static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?:[^\d.]|$)")
        .expect("static regex")
});

const MONTHS: &str = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec";

static MDY_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)({MONTHS})[a-z]*\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?-u:\b)"
    ))
    .expect("static regex")
});

static DMY_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+({MONTHS})[a-z]*\.?,?\s+(\d{{4}})(?-u:\b)"
    ))
    .expect("static regex")
});

fn month_no(name: &str) -> Option<i8> {
    let n = name.get(..3)?.to_ascii_lowercase();
    MONTHS
        .split('|')
        .position(|m| m == n)
        .and_then(|i| i8::try_from(i + 1).ok())
}

fn date(y: i32, m: i32, d: i32) -> Option<Date> {
    if !(1900..=2100).contains(&y) {
        return None;
    }
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

fn num(c: &regex::Captures<'_>, i: usize) -> Option<i32> {
    c.get(i)?.as_str().parse().ok()
}

impl Printed {
    /// A date printed without a time.
    fn day(date: Date) -> Printed {
        Printed { date, time: None }
    }
}

/// The first date printed in `text` (with its start offset): the earliest match of any
/// pattern (each pattern's first valid match; on a tie, the pattern listed first).
fn first_builtin(text: &str) -> Option<(usize, Printed)> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let letters = text.bytes().any(|b| b.is_ascii_alphabetic());
    let dots = text.contains('.');
    let start = |c: &regex::Captures<'_>, i: usize| c.get(i).map_or(0, |m| m.start());
    let ymd = YMD.captures_iter(text).find_map(|c| {
        let d = date(
            num(&c, 1).unwrap_or(0),
            num(&c, 2).unwrap_or(0),
            num(&c, 3).unwrap_or(0),
        )?;
        let time = match (num(&c, 4), num(&c, 5)) {
            (Some(h), Some(m)) if (0..24).contains(&h) && (0..60).contains(&m) => {
                let s = num(&c, 6).filter(|s| (0..60).contains(s));
                Some((h as i8, m as i8, s.map(|s| s as i8)))
            }
            _ => None,
        };
        Some((start(&c, 1), Printed { date: d, time }))
    });
    let dmy = DMY
        .captures_iter(if dots { text } else { "" })
        .find_map(|c| {
            let (d, m, ys) = (num(&c, 1)?, num(&c, 2)?, c.get(3)?);
            let mut y: i32 = ys.as_str().parse().unwrap_or(0);
            if ys.as_str().len() == 2 {
                y += if y <= 69 { 2000 } else { 1900 };
            }
            Some((start(&c, 1), Printed::day(date(y, m, d)?)))
        });
    let mdy_en = MDY_EN
        .captures_iter(if letters { text } else { "" })
        .find_map(|c| {
            let m = month_no(c.get(1)?.as_str())?;
            let dt = date(num(&c, 3)?, i32::from(m), num(&c, 2)?)?;
            Some((start(&c, 0), Printed::day(dt)))
        });
    let dmy_en = DMY_EN
        .captures_iter(if letters { text } else { "" })
        .find_map(|c| {
            let m = month_no(c.get(2)?.as_str())?;
            let dt = date(num(&c, 3)?, i32::from(m), num(&c, 1)?)?;
            Some((start(&c, 0), Printed::day(dt)))
        });
    [ymd, dmy, mdy_en, dmy_en]
        .into_iter()
        .flatten()
        .min_by_key(|(at, _)| *at)
}

fn with_format(text: &str, formats: &[String]) -> Option<Printed> {
    let t = text.trim();
    for f in formats {
        let Ok(tm) = jiff::fmt::strtime::parse(f.as_str(), t) else {
            continue;
        };
        let Ok(d) = tm.to_date() else { continue };
        let time = match (tm.hour(), tm.minute()) {
            (Some(h), Some(m)) => Some((
                h,
                m,
                tm.second().filter(|_| f.contains("%S") || f.contains("%T")),
            )),
            (Some(h), None) => Some((h, 0, None)),
            _ => None,
        };
        return Some(Printed { date: d, time });
    }
    None
}

/// The first date printed in `text`: the profile's formats first (on the whole text), then
/// the built-in patterns.
pub fn find(text: &str, rules: Option<&DateRules>) -> Option<Printed> {
    if let Some(r) = rules
        && let Some(p) = with_format(text, &r.formats)
    {
        return Some(p);
    }
    first_builtin(text).map(|(_, p)| p)
}

static ANY_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:19|20)\d{{2}}\s*(?:[-/.]|年)\s*\d{{1,2}}\s*(?:[-/.]|月)\s*\d{{1,2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}|(?-u:\b)(?:{MONTHS})[a-z]*\.?\s+\d{{1,2}}|(?-u:\b)\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{MONTHS})"
    ))
    .expect("static regex")
});

/// True when `text` prints a date in a built-in form (a valid one).
pub fn has_date(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        && ANY_DATE.is_match(text)
        && first_builtin(text).is_some()
}

fn offset_string(o: Offset) -> String {
    let s = o.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
}

/// ISO 8601 text of a printed date in time zone `tz` (default +08:00).
pub fn iso(p: Printed, tz: Option<&TimeZone>) -> String {
    let d = p.date;
    let day = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    let Some((h, m, s)) = p.time else { return day };
    let dt = DateTime::from_parts(
        d,
        jiff::civil::Time::new(h, m, s.unwrap_or(0), 0).unwrap_or_default(),
    );
    let offset = match tz {
        Some(tz) => tz
            .to_ambiguous_zoned_datetime(dt)
            .compatible()
            .map(|z| z.offset())
            .unwrap_or(Offset::UTC),
        None => Offset::constant(8),
    };
    let secs = s.map(|s| format!(":{s:02}")).unwrap_or_default();
    format!("{day}T{h:02}:{m:02}{secs}{}", offset_string(offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selectors::parse_timezone;

    fn f(text: &str) -> Option<String> {
        find(text, None).map(|p| iso(p, None))
    }

    #[test]
    fn all_printed_forms() {
        assert_eq!(f("2020-04-16").as_deref(), Some("2020-04-16"));
        assert_eq!(f("发布时间：2020-04-16").as_deref(), Some("2020-04-16"));
        assert_eq!(f("2020年4月16日").as_deref(), Some("2020-04-16"));
        assert_eq!(f("2020.04.16").as_deref(), Some("2020-04-16"));
        assert_eq!(
            f("2020/4/16 09:30").as_deref(),
            Some("2020-04-16T09:30+08:00")
        );
        assert_eq!(
            f("时间：2018-01-02 08:15:30  点击：").as_deref(),
            Some("2018-01-02T08:15:30+08:00")
        );
        assert_eq!(
            f("发布时间 2017-06-07 14:20:05").as_deref(),
            Some("2017-06-07T14:20:05+08:00")
        );
        assert_eq!(f("March 9, 2021").as_deref(), Some("2021-03-09"));
        assert_eq!(f("5 Feb. 2020").as_deref(), Some("2020-02-05"));
        assert_eq!(f("03.11.18").as_deref(), Some("2018-11-03"));
        assert_eq!(f("2.12.2019").as_deref(), Some("2019-12-02"));
        assert_eq!(
            f("2020年4月16日 9时30分").as_deref(),
            Some("2020-04-16T09:30+08:00")
        );
    }

    #[test]
    fn not_dates() {
        assert_eq!(f("浏览次数：2020"), None);
        assert_eq!(f("2020-13-45"), None);
        assert_eq!(f("电话：023-62650942"), None);
        assert_eq!(f("版本 1.2.3"), None);
    }

    #[test]
    fn first_printed_date_wins() {
        assert_eq!(
            f("更新 03.11.18，发布 2018-01-01").as_deref(),
            Some("2018-11-03")
        );
    }

    #[test]
    fn site_zone_and_formats() {
        let berlin = parse_timezone("Europe/Berlin").unwrap();
        let p = find("2019-12-02 10:00", None).unwrap();
        assert_eq!(iso(p, Some(&berlin)), "2019-12-02T10:00+01:00");
        let p = find("2019-07-02 10:00", None).unwrap();
        assert_eq!(iso(p, Some(&berlin)), "2019-07-02T10:00+02:00");
        let minus = parse_timezone("-05:00").unwrap();
        assert_eq!(iso(p, Some(&minus)), "2019-07-02T10:00-05:00");
        let rules = DateRules {
            formats: vec!["%m/%d/%Y".into()],
            timezone: None,
        };
        let p = find("04/16/2020", Some(&rules)).unwrap();
        assert_eq!(iso(p, None), "2020-04-16");
    }
}
