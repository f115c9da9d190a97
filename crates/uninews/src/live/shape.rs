//! The *shape* of a record: what `check --live` compares between a fixture's reviewed
//! expectation and today's page. Not the text (articles get edited, comments and counters
//! change), but whether extraction still works the same way. Pure.
//!
//! A page keeps its shape when, for every field the expectation has:
//! - `extractor`: the same rules extracted it (a profile or CMS rule that stops matching
//!   and leaves the page to the generic extractor is the clearest sign of a redesign);
//! - `title`: still found (non-empty);
//! - `sections`: still some body text, and the number of sections within
//!   [`SECTION_TOLERANCE`] (at least [`SECTION_TOLERANCE_MIN`]) of the expected number;
//! - `published`: still found;
//! - `images`: some still found when the expectation had any.

use crate::record::Record;
use serde_json::Value;
use std::fmt;

/// Allowed difference in the number of sections, as a share of the expected number.
pub const SECTION_TOLERANCE: f64 = 0.25;
/// Allowed difference in the number of sections, at least.
pub const SECTION_TOLERANCE_MIN: usize = 1;

/// One way today's record lost the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeChange {
    /// Other rules extracted it.
    Extractor {
        /// The expected `extractor`.
        expected: String,
        /// Today's.
        actual: String,
    },
    /// No title found.
    TitleLost,
    /// No body text found.
    BodyLost,
    /// The section count moved beyond the tolerance.
    Sections {
        /// Expected number of sections.
        expected: usize,
        /// Today's.
        actual: usize,
    },
    /// No publication date found.
    DateLost,
    /// No image found where the expectation had some.
    ImagesLost {
        /// Expected number of images.
        expected: usize,
    },
}

impl fmt::Display for ShapeChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeChange::Extractor { expected, actual } => {
                write!(f, "extractor {expected} -> {actual}")
            }
            ShapeChange::TitleLost => f.write_str("title not found"),
            ShapeChange::BodyLost => f.write_str("body empty"),
            ShapeChange::Sections { expected, actual } => {
                write!(f, "sections {expected} -> {actual}")
            }
            ShapeChange::DateLost => f.write_str("date not found"),
            ShapeChange::ImagesLost { expected } => write!(f, "images {expected} -> 0"),
        }
    }
}

/// The section-count difference tolerated for `expected` sections.
pub fn section_tolerance(expected: usize) -> usize {
    ((expected as f64 * SECTION_TOLERANCE).round() as usize).max(SECTION_TOLERANCE_MIN)
}

/// How `actual` lost the shape of `expected` (empty: same shape). Only the fields present
/// in `expected` are looked at, so hand-made labels with a few fields work too.
pub fn shape_changes(expected: &Value, actual: &Record) -> Vec<ShapeChange> {
    let mut out = Vec::new();
    if let Some(e) = expected.get("extractor").and_then(Value::as_str)
        && e != actual.extractor
    {
        out.push(ShapeChange::Extractor {
            expected: e.to_string(),
            actual: actual.extractor.clone(),
        });
    }
    let had_title = expected
        .get("title")
        .and_then(Value::as_str)
        .is_some_and(|t| !t.trim().is_empty());
    if had_title && actual.title.trim().is_empty() {
        out.push(ShapeChange::TitleLost);
    }
    if let Some(sections) = expected.get("sections").and_then(Value::as_array) {
        let had_text = sections.iter().any(|s| {
            s.get("paragraphs")
                .and_then(Value::as_array)
                .is_some_and(|p| !p.is_empty())
        });
        let has_text = actual.sections.iter().any(|s| !s.paragraphs.is_empty());
        if had_text && !has_text {
            out.push(ShapeChange::BodyLost);
        }
        let (e, a) = (sections.len(), actual.sections.len());
        if e.abs_diff(a) > section_tolerance(e) {
            out.push(ShapeChange::Sections {
                expected: e,
                actual: a,
            });
        }
    }
    let had_date = expected.get("published").is_some_and(|d| !d.is_null());
    if had_date && actual.published.is_none() {
        out.push(ShapeChange::DateLost);
    }
    let images = expected
        .get("images")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if images > 0 && actual.images.is_empty() {
        out.push(ShapeChange::ImagesLost { expected: images });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Image, Section};
    use serde_json::json;

    fn record(sections: usize, images: usize) -> Record {
        let mut r = Record::empty("http://x.edu.cn/a.htm", "cms:vsb");
        r.title = "标题".into();
        r.published = Some("2024-01-02".into());
        r.sections = (0..sections)
            .map(|i| Section {
                heading: (i > 0).then(|| format!("小标题{i}")),
                paragraphs: vec![format!("段落{i}")],
            })
            .collect();
        r.images = (0..images)
            .map(|i| Image {
                src: format!("http://x.edu.cn/{i}.jpg"),
                alt: None,
                caption: None,
                section: 0,
                local: None,
            })
            .collect();
        r
    }

    fn expect(r: &Record) -> Value {
        serde_json::to_value(r).unwrap()
    }

    #[test]
    fn the_same_record_and_an_edited_one_keep_their_shape() {
        let r = record(4, 2);
        assert!(shape_changes(&expect(&r), &r).is_empty());
        let mut edited = r.clone();
        edited.title = "另一个标题".into();
        edited.sections.pop();
        edited.sections[0].paragraphs.push("新段落".into());
        edited.images.pop();
        edited.published = Some("2024-01-03".into());
        assert!(shape_changes(&expect(&r), &edited).is_empty());
    }

    #[test]
    fn each_lost_part_is_named() {
        let r = record(4, 2);
        let mut broken = Record::empty(r.url.clone(), "generic");
        broken.sections = vec![Section {
            heading: None,
            paragraphs: vec![],
        }];
        assert_eq!(
            shape_changes(&expect(&r), &broken),
            [
                ShapeChange::Extractor {
                    expected: "cms:vsb".into(),
                    actual: "generic".into()
                },
                ShapeChange::TitleLost,
                ShapeChange::BodyLost,
                ShapeChange::Sections {
                    expected: 4,
                    actual: 1
                },
                ShapeChange::DateLost,
                ShapeChange::ImagesLost { expected: 2 },
            ]
        );
    }

    #[test]
    fn section_tolerance_is_a_quarter_but_at_least_one() {
        assert_eq!(section_tolerance(1), 1);
        assert_eq!(section_tolerance(4), 1);
        assert_eq!(section_tolerance(12), 3);
        let r = record(12, 0);
        assert!(shape_changes(&expect(&r), &record(9, 0)).is_empty());
        assert_eq!(
            shape_changes(&expect(&r), &record(8, 0)),
            [ShapeChange::Sections {
                expected: 12,
                actual: 8
            }]
        );
    }

    #[test]
    fn only_fields_in_the_expectation_count() {
        let label = json!({"title": "标题"});
        let mut r = Record::empty("http://x.edu.cn/a.htm", "generic");
        r.title = "标题".into();
        assert!(shape_changes(&label, &r).is_empty());
        assert!(shape_changes(&json!({"published": null}), &r).is_empty());
    }
}
