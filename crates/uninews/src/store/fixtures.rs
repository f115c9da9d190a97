//! Regression fixtures on disk: `<dir>/<site>/<name>.html` (raw bytes as fetched),
//! `<name>.meta.json` (URL, fetch time, content type) and `<name>.expected.json` (the
//! reviewed record). A folder may instead carry a `manifest.tsv` (columns `file` and `url`,
//! as the shared corpus does) to give each page's URL.
//!
//! A fixture captured by uninews (`crawl --fixtures`, `fixture add`) starts with a
//! `<name>.proposed.json` instead of an expectation: the record extracted when it was
//! captured, for a person to review (and correct by hand if needed). It is not an
//! expectation: `check` reports the fixture as NEW until `check --accept` promotes the
//! proposal to `<name>.expected.json`.

use super::meta::{PageMeta, read_meta};
use super::{StoreError, write_atomic};
use crate::record::Record;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One fixture page and what is known about it.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The raw page.
    pub page: PathBuf,
    /// The page's metadata, when a `.meta.json` is beside it.
    pub meta: Option<PageMeta>,
    /// The URL from the folder's `manifest.tsv`, when there is one.
    pub manifest_url: Option<String>,
    /// The reviewed record, when it exists (`None`: a new fixture awaiting review).
    pub expected: Option<Value>,
    /// The proposed record awaiting review (`<name>.proposed.json`), when there is one.
    pub proposed: Option<Value>,
}

impl Fixture {
    /// The URL the page was served at, from its meta or the manifest.
    pub fn url(&self) -> Option<&str> {
        self.meta
            .as_ref()
            .map(|m| m.url.as_str())
            .or(self.manifest_url.as_deref())
    }
}

/// `<name>.expected.json` beside `<name>.html`.
pub fn expected_path(page: &Path) -> PathBuf {
    page.with_extension("expected.json")
}

/// `<name>.proposed.json` beside `<name>.html`.
pub fn proposed_path(page: &Path) -> PathBuf {
    page.with_extension("proposed.json")
}

/// Every fixture under `root` (or `root` itself when it is a page), sorted by path.
/// A page counts as a fixture when it has an expectation, a proposal or a `.meta.json`;
/// pages with none of them (e.g. list pages in the corpus) are not fixtures.
pub fn find_fixtures(root: &Path) -> Result<Vec<Fixture>, StoreError> {
    let mut pages = Vec::new();
    if root.is_file() {
        pages.push(root.to_path_buf());
    } else {
        collect_pages(root, &mut pages)?;
        pages.sort();
    }
    let manifest = read_manifest(root)?;
    let mut out = Vec::new();
    for page in pages {
        let meta = read_meta(&page)?;
        let expected = read_expected(&page)?;
        let proposed = read_json(&proposed_path(&page))?;
        let manifest_url = page
            .strip_prefix(root)
            .ok()
            .and_then(|rel| manifest.get(&rel.to_string_lossy().replace('\\', "/")))
            .cloned();
        if meta.is_none() && expected.is_none() && proposed.is_none() {
            continue;
        }
        out.push(Fixture {
            page,
            meta,
            manifest_url,
            expected,
            proposed,
        });
    }
    Ok(out)
}

/// The expectation beside `page`, if any.
pub fn read_expected(page: &Path) -> Result<Option<Value>, StoreError> {
    read_json(&expected_path(page))
}

fn read_json(path: &Path) -> Result<Option<Value>, StoreError> {
    let path = path.to_path_buf();
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| StoreError::Corrupt {
                path,
                message: e.to_string(),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path)(e)),
    }
}

/// Write `record` as the expectation of `page` (pretty JSON, atomic). Crawl-time fields
/// ([`Record::without_crawl_fields`]) are left out: they change from one fetch to the next.
pub fn write_expected(page: &Path, record: &Record) -> Result<(), StoreError> {
    write_record(&expected_path(page), record)
}

/// Write `record` as the proposal of `page`, for review (pretty JSON, atomic; crawl-time
/// fields left out as in [`write_expected`]).
pub fn write_proposed(page: &Path, record: &Record) -> Result<(), StoreError> {
    write_record(&proposed_path(page), record)
}

/// Accept the proposal of `page`: its file, as it is now (with any correction a reviewer
/// made), becomes `<name>.expected.json`, and the proposal is removed. Returns `false`
/// when there is no proposal. The proposal must be valid JSON.
pub fn promote_proposed(page: &Path) -> Result<bool, StoreError> {
    let from = proposed_path(page);
    let text = match std::fs::read(&from) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(StoreError::io(from)(e)),
    };
    if let Err(e) = serde_json::from_slice::<Value>(&text) {
        return Err(StoreError::Corrupt {
            path: from,
            message: e.to_string(),
        });
    }
    write_atomic(&expected_path(page), &text)?;
    std::fs::remove_file(&from).map_err(StoreError::io(from))?;
    Ok(true)
}

fn write_record(path: &Path, record: &Record) -> Result<(), StoreError> {
    let record = record.clone().without_crawl_fields();
    let mut text = serde_json::to_string_pretty(&record).map_err(|e| StoreError::Corrupt {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

fn collect_pages(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), StoreError> {
    let entries = std::fs::read_dir(dir).map_err(StoreError::io(dir))?;
    for entry in entries {
        let path = entry.map_err(StoreError::io(dir))?.path();
        if path.is_dir() {
            collect_pages(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// `file -> url` from `<root>/manifest.tsv`, if present.
fn read_manifest(root: &Path) -> Result<HashMap<String, String>, StoreError> {
    if root.is_file() {
        return Ok(HashMap::new());
    }
    let path = root.join("manifest.tsv");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(StoreError::io(path)(e)),
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(file_col), Some(url_col)) = (col("file"), col("url")) else {
        return Err(StoreError::Corrupt {
            path,
            message: "manifest.tsv needs `file` and `url` columns".into(),
        });
    };
    Ok(lines
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            Some((
                cells.get(file_col)?.to_string(),
                cells.get(url_col)?.to_string(),
            ))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fixtures_with_meta_or_expectation_only() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(site.join("a.html"), "<p>a").unwrap();
        std::fs::write(
            site.join("a.meta.json"),
            r#"{"url":"http://x.edu.cn/a.htm"}"#,
        )
        .unwrap();
        std::fs::write(site.join("b.html"), "<p>b").unwrap();
        std::fs::write(site.join("c.html"), "<p>c").unwrap();
        write_expected(
            &site.join("c.html"),
            &Record::empty("http://x.edu.cn/c.htm", "generic"),
        )
        .unwrap();
        let found = find_fixtures(dir.path()).unwrap();
        let names: Vec<_> = found
            .iter()
            .map(|f| f.page.file_name().unwrap().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, ["a.html", "c.html"]);
        assert_eq!(found[0].url(), Some("http://x.edu.cn/a.htm"));
        assert!(found[0].expected.is_none());
        assert_eq!(
            found[1].expected.as_ref().unwrap()["url"],
            "http://x.edu.cn/c.htm"
        );
    }

    #[test]
    fn manifest_gives_urls() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("s")).unwrap();
        std::fs::write(
            dir.path().join("manifest.tsv"),
            "file\turl\tkind\ns/a.html\thttp://x.edu.cn/a.htm\tarticle\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("s/a.html"), "<p>a").unwrap();
        std::fs::write(dir.path().join("s/a.expected.json"), r#"{"title":"a"}"#).unwrap();
        let found = find_fixtures(dir.path()).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].url(), Some("http://x.edu.cn/a.htm"));
    }

    #[test]
    fn a_proposal_is_a_fixture_and_accepting_promotes_it_as_edited() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("a.html");
        std::fs::write(&page, "<p>a").unwrap();
        let mut record = Record::empty("http://x.edu.cn/a.htm", "generic");
        record.fetched_at = Some("2026-01-01T00:00:00Z".into());
        record.version = Some(2);
        record.warc_record_id = Some("<urn:uuid:0>".into());
        record.images.push(crate::record::Image {
            src: "http://x.edu.cn/1.jpg".into(),
            alt: None,
            caption: None,
            section: 0,
            local: Some("images/ab/abcd.jpg".into()),
        });
        write_proposed(&page, &record).unwrap();
        let found = find_fixtures(dir.path()).unwrap();
        assert_eq!(found.len(), 1);
        let proposed = found[0].proposed.as_ref().unwrap();
        assert!(found[0].expected.is_none());
        for crawl_field in ["fetched_at", "version", "warc_record_id"] {
            assert!(proposed.get(crawl_field).is_none(), "{crawl_field}");
        }
        assert_eq!(proposed["images"][0]["src"], "http://x.edu.cn/1.jpg");
        assert!(proposed["images"][0].get("local").is_none());
        // A reviewer corrects the proposal; accepting keeps the correction.
        let edited = r#"{"title": "corrected"}"#;
        std::fs::write(proposed_path(&page), edited).unwrap();
        assert!(promote_proposed(&page).unwrap());
        assert_eq!(
            std::fs::read_to_string(expected_path(&page)).unwrap(),
            edited
        );
        assert!(!proposed_path(&page).exists());
        assert!(!promote_proposed(&page).unwrap(), "nothing left to promote");
    }

    #[test]
    fn a_broken_proposal_is_not_promoted() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("a.html");
        std::fs::write(proposed_path(&page), "{").unwrap();
        let err = promote_proposed(&page).unwrap_err();
        assert!(err.to_string().contains("a.proposed.json"), "{err}");
        assert!(!expected_path(&page).exists());
    }

    #[test]
    fn corrupt_expectation_names_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.html"), "<p>a").unwrap();
        std::fs::write(dir.path().join("a.expected.json"), "{").unwrap();
        let err = find_fixtures(dir.path()).unwrap_err();
        assert!(err.to_string().contains("a.expected.json"), "{err}");
    }
}
