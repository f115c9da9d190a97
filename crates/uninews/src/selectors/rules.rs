//! Article extraction rules of a profile: the `[fields.*]`, `[body]` and `[dates]` tables.
//!
//! The same format is used by the built-in CMS rule sets (`src/extract/cms/*.toml`), so a
//! site profile and a CMS rule set are one mechanism. Every selector, regex, date format and
//! time zone is checked here, when the file is loaded; errors name the file, the field and
//! the bad text.

use super::ProfileError;
use super::compile::compile_regex;
use super::fast::{FastSelector, compile_fast};
use jiff::tz::{Offset, TimeZone};
use regex::Regex;
use serde::Deserialize;
use std::path::Path;

/// One field's rule, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawField {
    #[serde(default)]
    selectors: Vec<String>,
    attr: Option<String>,
    regex: Option<String>,
}

/// The `[fields]` table, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFields {
    title: Option<RawField>,
    subtitle: Option<RawField>,
    published: Option<RawField>,
    author: Option<RawField>,
    photographer: Option<RawField>,
    editor: Option<RawField>,
    reviewer: Option<RawField>,
    source: Option<RawField>,
    breadcrumb: Option<RawField>,
}

/// The `[body]` table, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBody {
    #[serde(default)]
    selectors: Vec<String>,
    #[serde(default)]
    drop: Vec<String>,
    #[serde(default)]
    attachments: Vec<String>,
}

/// The `[dates]` table, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDates {
    #[serde(default)]
    formats: Vec<String>,
    timezone: Option<String>,
}

/// A field rule: where a value is found on the page.
#[derive(Debug, Clone)]
pub struct FieldRule {
    /// CSS selectors, tried in order; the first one that matches an element wins.
    pub selectors: Vec<FastSelector>,
    /// Read this attribute of the element instead of its text.
    pub attr: Option<String>,
    /// Keep only the first capture group of this regex (applied to the text or attribute).
    pub regex: Option<Regex>,
}

/// Where the article body is and what to leave out of it.
#[derive(Debug, Clone, Default)]
pub struct BodyRules {
    /// Body container selectors, tried in order; the first match is the body.
    pub selectors: Vec<FastSelector>,
    /// Elements inside the body that are never content (share bars, counters, ...).
    pub drop: Vec<FastSelector>,
    /// Links to files outside the body that are the article's attachments (for example
    /// the VSB attachment list under the body).
    pub attachments: Vec<FastSelector>,
}

/// How dates are printed on the site.
#[derive(Debug, Clone, Default)]
pub struct DateRules {
    /// `strptime`-style formats (jiff) tried on the field text before the built-in patterns.
    pub formats: Vec<String>,
    /// The site's time zone, used when a time is printed; `None` means +08:00.
    pub timezone: Option<TimeZone>,
}

/// Compiled extraction rules.
#[derive(Debug, Clone, Default)]
pub struct ExtractRules {
    /// The headline.
    pub title: Option<FieldRule>,
    /// A second headline (副标题/引题).
    pub subtitle: Option<FieldRule>,
    /// The publication date/time.
    pub published: Option<FieldRule>,
    /// Writer credit.
    pub author: Option<FieldRule>,
    /// Photo credit.
    pub photographer: Option<FieldRule>,
    /// Editor credit.
    pub editor: Option<FieldRule>,
    /// Review credit.
    pub reviewer: Option<FieldRule>,
    /// 来源.
    pub source: Option<FieldRule>,
    /// The breadcrumb container (its links and separated text become the trail).
    pub breadcrumb: Option<FieldRule>,
    /// The body container.
    pub body: BodyRules,
    /// Date formats and time zone.
    pub dates: DateRules,
}

/// The names of the text fields a profile may set, in file order.
pub const FIELD_NAMES: [&str; 9] = [
    "title",
    "subtitle",
    "published",
    "author",
    "photographer",
    "editor",
    "reviewer",
    "source",
    "breadcrumb",
];

impl ExtractRules {
    /// The rule of field `name` (one of [`FIELD_NAMES`]).
    pub fn field(&self, name: &str) -> Option<&FieldRule> {
        match name {
            "title" => self.title.as_ref(),
            "subtitle" => self.subtitle.as_ref(),
            "published" => self.published.as_ref(),
            "author" => self.author.as_ref(),
            "photographer" => self.photographer.as_ref(),
            "editor" => self.editor.as_ref(),
            "reviewer" => self.reviewer.as_ref(),
            "source" => self.source.as_ref(),
            "breadcrumb" => self.breadcrumb.as_ref(),
            _ => None,
        }
    }
}

fn compile_field(
    path: &Path,
    name: &str,
    raw: Option<RawField>,
) -> Result<Option<FieldRule>, ProfileError> {
    let Some(raw) = raw else { return Ok(None) };
    let field = format!("fields.{name}");
    let invalid = |sub: &str, message: &str| ProfileError::Invalid {
        path: path.to_path_buf(),
        field: format!("{field}.{sub}"),
        message: message.to_string(),
    };
    if raw.selectors.is_empty() {
        return Err(invalid("selectors", "list at least one CSS selector"));
    }
    if name == "breadcrumb" && (raw.attr.is_some() || raw.regex.is_some()) {
        return Err(invalid(
            "regex",
            "breadcrumb takes only `selectors` (the trail's container)",
        ));
    }
    if raw.attr.as_deref().is_some_and(|a| a.trim().is_empty()) {
        return Err(invalid("attr", "must not be empty"));
    }
    let regex = raw
        .regex
        .as_deref()
        .map(|r| compile_regex(path, &format!("{field}.regex"), r, true))
        .transpose()?;
    Ok(Some(FieldRule {
        selectors: compile_fast(path, &format!("{field}.selectors"), &raw.selectors)?,
        attr: raw.attr,
        regex,
    }))
}

/// Parse a time zone: a fixed offset (`+08:00`, `+0800`, `+8`, `UTC`, `Z`) or an IANA name
/// (`Asia/Shanghai`).
pub fn parse_timezone(text: &str) -> Option<TimeZone> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("gmt")
    {
        return Some(TimeZone::UTC);
    }
    let body = t
        .strip_prefix("UTC")
        .or_else(|| t.strip_prefix("GMT"))
        .unwrap_or(t);
    if let Some(rest) = body.strip_prefix(['+', '-']) {
        let sign = if body.starts_with('-') { -1 } else { 1 };
        let (h, m) = match rest.split_once(':') {
            Some((h, m)) => (h, m),
            None if rest.len() == 4 => rest.split_at(2),
            None => (rest, "0"),
        };
        let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
        if !(0..=14).contains(&h) || !(0..60).contains(&m) {
            return None;
        }
        let offset = Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()?;
        return Some(TimeZone::fixed(offset));
    }
    TimeZone::get(t).ok()
}

/// Compile the extraction tables of a profile or CMS rule set.
pub(crate) fn compile(
    path: &Path,
    fields: RawFields,
    body: RawBody,
    dates: RawDates,
) -> Result<ExtractRules, ProfileError> {
    let RawFields {
        title,
        subtitle,
        published,
        author,
        photographer,
        editor,
        reviewer,
        source,
        breadcrumb,
    } = fields;
    let timezone = match dates.timezone.as_deref() {
        None => None,
        Some(tz) => Some(parse_timezone(tz).ok_or_else(|| ProfileError::Invalid {
            path: path.to_path_buf(),
            field: "dates.timezone".into(),
            message: format!(
                "unknown time zone {tz:?} (use a fixed offset like \"+08:00\" or an IANA name like \"Asia/Shanghai\")"
            ),
        })?),
    };
    let sample = jiff::civil::date(2020, 4, 16)
        .at(9, 30, 5, 0)
        .to_zoned_datetime(TimeZone::UTC)
        .map_err(|e| ProfileError::Invalid {
            path: path.to_path_buf(),
            field: "dates.formats".into(),
            message: e.to_string(),
        })?;
    for (i, f) in dates.formats.iter().enumerate() {
        if let Err(e) = jiff::fmt::strtime::format(f.as_str(), &sample) {
            return Err(ProfileError::Invalid {
                path: path.to_path_buf(),
                field: format!("dates.formats[{i}]"),
                message: format!("invalid date format {f:?}: {e}"),
            });
        }
    }
    Ok(ExtractRules {
        title: compile_field(path, "title", title)?,
        subtitle: compile_field(path, "subtitle", subtitle)?,
        published: compile_field(path, "published", published)?,
        author: compile_field(path, "author", author)?,
        photographer: compile_field(path, "photographer", photographer)?,
        editor: compile_field(path, "editor", editor)?,
        reviewer: compile_field(path, "reviewer", reviewer)?,
        source: compile_field(path, "source", source)?,
        breadcrumb: compile_field(path, "breadcrumb", breadcrumb)?,
        body: BodyRules {
            selectors: compile_fast(path, "body.selectors", &body.selectors)?,
            drop: compile_fast(path, "body.drop", &body.drop)?,
            attachments: compile_fast(path, "body.attachments", &body.attachments)?,
        },
        dates: DateRules {
            formats: dates.formats,
            timezone,
        },
    })
}
