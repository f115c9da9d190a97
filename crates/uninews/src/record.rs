//! The article record, schema v1.
//!
//! Field names, types and rules are those of the corpus README (`../shared/corpus/README.md`)
//! and of `docs/schema/article.v1.json`. Three fields are added to every record
//! (`schema_version`, `site`, `extractor`); crawl-time fields are optional and left out of the
//! JSON when unset, so a record from `uninews extract` and one from `uninews crawl` of the
//! same page differ only in those.

use serde::{Deserialize, Serialize};

/// Version of the record layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// One article, as extracted from one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The page's absolute URL.
    pub url: String,
    /// Name of the site profile that matched the page, if any.
    pub site: Option<String>,
    /// Which rules produced the record: `profile:<name>`, `cms:vsb`, `cms:webplus` or `generic`.
    pub extractor: String,
    /// The on-page headline (not `<title>`); empty when none was found.
    pub title: String,
    /// A second headline (副标题/引题), when the page shows one.
    pub subtitle: Option<String>,
    /// ISO 8601: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM[:SS]±HH:MM` when a time is printed.
    pub published: Option<String>,
    /// Writer credit (作者, 撰稿, 文, 记者, 通讯员, a byline).
    pub author: Option<String>,
    /// Photo credit (摄影, 图, 图片).
    pub photographer: Option<String>,
    /// Editor credit (编辑, 责任编辑, 责编, 编审).
    pub editor: Option<String>,
    /// Review credit (审核, 审稿, 终审).
    pub reviewer: Option<String>,
    /// 来源: the office or outlet the article comes from.
    pub source: Option<String>,
    /// The location trail, without its label and without a final 正文/内容 placeholder.
    pub breadcrumb: Vec<String>,
    /// The body in reading order, split at in-body sub-headings.
    pub sections: Vec<Section>,
    /// Content images of the body, in order.
    pub images: Vec<Image>,
    /// Links in the body to files (pdf, doc, xls, zip, ...).
    pub attachments: Vec<Attachment>,
    /// When the crawler fetched the page (RFC 3339, UTC); absent for `extract`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<String>,
    /// Crawl only: which stored version of the page this record is (1 for the first;
    /// a changed page found by `--refresh` is appended again with the next number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// `WARC-Record-ID` (`<urn:uuid:…>`) of the `response` or `revisit` record the page
    /// came from, when the crawl wrote WARC files (`--warc`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warc_record_id: Option<String>,
}

/// A run of paragraphs under one (optional) sub-heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The sub-heading; `None` for a body that starts with text.
    pub heading: Option<String>,
    /// The section's paragraphs, whitespace-normalised, never empty strings.
    pub paragraphs: Vec<String>,
}

/// A content image of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Absolute URL (the `src`, or a lazy-load attribute when `src` is a placeholder).
    pub src: String,
    /// The `alt` text; `None` when absent or empty.
    pub alt: Option<String>,
    /// The caption attached to this image.
    pub caption: Option<String>,
    /// Index into [`Record::sections`] of the section the image appears in.
    pub section: usize,
    /// Crawl with `--images` only: where the image is stored, relative to the crawl
    /// folder (`images/<2 hex>/<sha256>.<ext>`, content-addressed). Absent when images
    /// are not mirrored or its download failed (the crawl state says why).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<String>,
}

/// A link in the body to a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Absolute URL of the file.
    pub url: String,
    /// The link text (or the file's title when the link has none).
    pub name: String,
    /// Crawl with `--attachments` only: where the file is stored, relative to the crawl
    /// folder (`attachments/<2 hex>/<sha256>.<ext>`). Absent when attachments are not
    /// mirrored or its download failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<String>,
}

impl Record {
    /// An empty record for `url`, to be filled in by an extractor.
    pub fn empty(url: impl Into<String>, extractor: impl Into<String>) -> Self {
        Record {
            schema_version: SCHEMA_VERSION,
            url: url.into(),
            site: None,
            extractor: extractor.into(),
            title: String::new(),
            subtitle: None,
            published: None,
            author: None,
            photographer: None,
            editor: None,
            reviewer: None,
            source: None,
            breadcrumb: Vec::new(),
            sections: Vec::new(),
            images: Vec::new(),
            attachments: Vec::new(),
            fetched_at: None,
            version: None,
            warc_record_id: None,
        }
    }

    /// The record as extraction alone gives it: without the fields a crawl adds
    /// (`fetched_at`, `version`, `warc_record_id`, local paths of images and attachments),
    /// which change from one fetch or mirror to the next.
    pub fn without_crawl_fields(mut self) -> Self {
        self.fetched_at = None;
        self.version = None;
        self.warc_record_id = None;
        self.images.iter_mut().for_each(|i| i.local = None);
        self.attachments.iter_mut().for_each(|a| a.local = None);
        self
    }

    /// All paragraphs of all sections, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.sections
            .iter()
            .flat_map(|s| s.paragraphs.iter().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawl_fields_are_left_out_when_unset() {
        let r = Record::empty("http://example.edu/a.htm", "generic");
        let json = serde_json::to_value(&r).unwrap();
        assert!(json.get("fetched_at").is_none());
        assert!(json.get("warc_record_id").is_none());
        assert_eq!(json["schema_version"], 1);
        assert_eq!(json["breadcrumb"], serde_json::json!([]));
        assert!(json["subtitle"].is_null());
    }

    #[test]
    fn local_paths_are_left_out_when_unset() {
        let mut r = Record::empty("http://example.edu/a.htm", "generic");
        r.images.push(Image {
            src: "http://example.edu/a.jpg".into(),
            alt: None,
            caption: None,
            section: 0,
            local: None,
        });
        r.attachments.push(Attachment {
            url: "http://example.edu/a.pdf".into(),
            name: "a.pdf".into(),
            local: None,
        });
        let json = serde_json::to_value(&r).unwrap();
        assert!(json["images"][0].get("local").is_none());
        assert!(json["attachments"][0].get("local").is_none());
        r.images[0].local = Some("images/ab/ab.jpg".into());
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["images"][0]["local"], "images/ab/ab.jpg");
        let back: Record = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn field_order_starts_with_version_and_url() {
        let r = Record::empty("http://example.edu/a.htm", "generic");
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.starts_with(r#"{"schema_version":1,"url":"http://example.edu/a.htm","#));
    }
}
