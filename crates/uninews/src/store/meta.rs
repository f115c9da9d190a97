//! Page metadata saved beside a raw page as `<name>.meta.json`: the URL the page was served
//! at, when, and its content type. `uninews extract` reads it to extract a saved page
//! exactly as the crawler did.

use super::StoreError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What is known about a saved page besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PageMeta {
    /// The URL the page was served at (after redirects): the URL records get.
    pub url: String,
    /// The URL first asked for, when a redirect led elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_url: Option<String>,
    /// When it was fetched (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched_at: Option<String>,
    /// The `Content-Type` it was served with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Response headers (lower-case names).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
}

impl PageMeta {
    /// The charset declared by the content type, if any.
    pub fn charset(&self) -> Option<&str> {
        self.content_type
            .as_deref()
            .and_then(crate::decode::charset_from_content_type)
    }
}

/// `<dir>/<name>.meta.json` for `<dir>/<name>.html` (any extension).
pub fn meta_path(page: &Path) -> PathBuf {
    page.with_extension("meta.json")
}

/// Write `meta` beside `page` (pretty JSON, atomic).
pub fn write_meta(page: &Path, meta: &PageMeta) -> Result<(), StoreError> {
    let path = meta_path(page);
    let mut json = serde_json::to_vec_pretty(meta).map_err(|e| StoreError::Corrupt {
        path: path.clone(),
        message: e.to_string(),
    })?;
    json.push(b'\n');
    super::write_atomic(&path, &json)
}

/// Read the metadata beside `page`: `Ok(None)` when there is none.
pub fn read_meta(page: &Path) -> Result<Option<PageMeta>, StoreError> {
    let path = meta_path(page);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(path)(e)),
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| StoreError::Corrupt {
            path,
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_sits_beside_the_page() {
        assert_eq!(
            meta_path(Path::new("fixtures/upc/a.html")),
            Path::new("fixtures/upc/a.meta.json")
        );
    }

    #[test]
    fn reads_charset_from_content_type() {
        let m: PageMeta = serde_json::from_str(
            r#"{"url":"http://x.edu.cn/a.htm","content_type":"text/html; charset=gbk"}"#,
        )
        .unwrap();
        assert_eq!(m.charset(), Some("gbk"));
    }

    #[test]
    fn missing_meta_is_none_and_bad_meta_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("a.html");
        assert!(read_meta(&page).unwrap().is_none());
        std::fs::write(meta_path(&page), "{not json").unwrap();
        let err = read_meta(&page).unwrap_err();
        assert!(err.to_string().contains("a.meta.json"), "{err}");
    }
}
