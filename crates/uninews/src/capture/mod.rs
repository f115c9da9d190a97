//! Fixtures from real pages: `crawl --fixtures K` picks K stored articles per site
//! (spread over its templates and columns, see [`spread`]) and `fixture add URL` fetches
//! one page; both save it the same way:
//!
//! ```text
//! <fixtures>/<site>/<name>.html           the raw bytes exactly as fetched
//! <fixtures>/<site>/<name>.meta.json      URL, fetch time, status, content type, headers
//! <fixtures>/<site>/<name>.proposed.json  the record extracted at capture time, for review
//! ```
//!
//! `<site>` is the profile that matched the page, else its host (with `_<port>` when the
//! URL has one). `<name>` comes from the URL path (`/info/1078/1564.htm` →
//! `info-1078-1564`); a name taken by a fixture of another URL gets `-2`, `-3`, ... and a
//! URL that already is a fixture of the site is left alone. Nothing is overwritten.
//!
//! The proposal is not an expectation: `uninews check` reports the fixture as NEW (exit
//! 6) until a person has reviewed it and run `uninews check --accept`, which promotes the
//! proposal (as edited by the reviewer) to `<name>.expected.json`.

mod add;
mod from_crawl;
pub mod spread;

pub use add::{Added, add_url};
pub use from_crawl::{CaptureReport, SiteCapture, from_crawl};

use crate::frontier::state::StateError;
use crate::record::Record;
use crate::store::fixtures::{expected_path, find_fixtures, proposed_path, write_proposed};
use crate::store::{PageMeta, StoreError, content_hash, meta_path, write_atomic, write_meta};
use std::path::{Path, PathBuf};
use url::Url;

/// Longest fixture name kept as is (in characters); longer names are cut and hashed.
const MAX_NAME_CHARS: usize = 80;

/// Why fixtures could not be captured.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// Reading the crawl or writing the fixture failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The crawl state could not be read.
    #[error(transparent)]
    State(#[from] StateError),
    /// The folder holds no crawl.
    #[error("{path}: no crawl here (no crawl.sqlite)")]
    NoCrawl {
        /// The folder.
        path: PathBuf,
    },
    /// The page could not be fetched.
    #[error("{url}: cannot fetch: {message}")]
    Fetch {
        /// The URL.
        url: String,
        /// Why.
        message: String,
    },
}

/// What saving one fixture did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// A new fixture: the path of its page.
    Added(PathBuf),
    /// The URL already is a fixture of the site (nothing written): its page.
    Exists(PathBuf),
}

impl Saved {
    /// The fixture's page, new or existing.
    pub fn page(&self) -> &Path {
        match self {
            Saved::Added(p) | Saved::Exists(p) => p,
        }
    }
}

/// One page to save as a fixture.
#[derive(Debug, Clone, Copy)]
pub struct NewFixture<'a> {
    /// The page's URL (after redirects).
    pub url: &'a Url,
    /// The raw body as fetched.
    pub body: &'a [u8],
    /// Its metadata.
    pub meta: &'a PageMeta,
    /// The record extracted from it: the proposed expectation.
    pub record: &'a Record,
}

/// The folder name of a record's site: its profile, else its URL's host (`_port` added).
pub fn site_name(record: &Record, url: &Url) -> String {
    match record.site.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(site) => safe_name(site),
        None => {
            let mut host = url.host_str().unwrap_or("no-host").to_string();
            if let Some(port) = url.port() {
                host.push_str(&format!("_{port}"));
            }
            safe_name(&host)
        }
    }
}

/// A readable, stable file name (without extension) for `url`: its path segments joined
/// by `-`, the page extension dropped, `~<hash>` of the query appended.
pub fn fixture_name(url: &Url) -> String {
    let segments: Vec<&str> = url.path().split('/').filter(|s| !s.is_empty()).collect();
    let mut parts: Vec<String> = segments.iter().map(|s| s.to_string()).collect();
    if let Some(last) = parts.last_mut() {
        for ext in [".html", ".htm", ".shtml", ".php", ".jsp", ".aspx", ".asp"] {
            if last.len() > ext.len() && last.to_ascii_lowercase().ends_with(ext) {
                last.truncate(last.len() - ext.len());
                break;
            }
        }
    }
    let mut name = safe_name(&parts.join("-"));
    if name.is_empty() || name.chars().all(|c| c == '_') {
        name = "index".to_string();
    }
    if let Some(q) = url.query() {
        name.push('~');
        name.push_str(&short_hash(q));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        let cut: String = name.chars().take(MAX_NAME_CHARS - 9).collect();
        name = format!("{cut}~{}", short_hash(&name));
    }
    name
}

/// Keep letters, digits, `-`, `_` and `.`; everything else becomes `_`.
fn safe_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match cleaned.trim_matches('.') {
        "" => "_".to_string(),
        t => t.to_string(),
    }
}

/// First 8 hex digits of the SHA-256 of `s`.
fn short_hash(s: &str) -> String {
    let mut hex = content_hash(s.as_bytes());
    hex.truncate(8);
    hex
}

/// Save `new` as a fixture of `site` under `root` (page, meta, then proposal; each
/// atomic). Never overwrites: a URL that already is a fixture of the site is reported as
/// [`Saved::Exists`], and a name taken by another URL gets a numbered suffix.
pub fn save_fixture(root: &Path, site: &str, new: &NewFixture<'_>) -> Result<Saved, CaptureError> {
    let dir = root.join(site);
    if dir.is_dir() {
        for f in find_fixtures(&dir)? {
            if f.url() == Some(new.url.as_str()) || f.url() == Some(new.meta.url.as_str()) {
                return Ok(Saved::Exists(f.page));
            }
        }
    }
    let base = fixture_name(new.url);
    let page = (1u32..)
        .map(|n| {
            let name = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            dir.join(format!("{name}.html"))
        })
        .find(|p| {
            ![p.clone(), meta_path(p), expected_path(p), proposed_path(p)]
                .iter()
                .any(|f| f.exists())
        })
        .unwrap_or_else(|| dir.join(format!("{base}.html")));
    write_atomic(&page, new.body)?;
    write_meta(&page, new.meta)?;
    write_proposed(&page, new.record)?;
    Ok(Saved::Added(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(u: &str) -> Url {
        Url::parse(u).unwrap()
    }

    #[test]
    fn names_are_readable_and_stable() {
        assert_eq!(
            fixture_name(&url("http://x.edu.cn/info/1078/1564.htm")),
            "info-1078-1564"
        );
        assert_eq!(
            fixture_name(&url("http://x.edu.cn/2020/0416/c9364a7/page.htm")),
            "2020-0416-c9364a7-page"
        );
        assert_eq!(fixture_name(&url("http://x.edu.cn/")), "index");
        let a = fixture_name(&url("http://x.edu.cn/show.jsp?id=1"));
        let b = fixture_name(&url("http://x.edu.cn/show.jsp?id=2"));
        assert!(a.starts_with("show~") && a != b, "{a} {b}");
        let long = fixture_name(&url(&format!("http://x.edu.cn/{}", "a".repeat(300))));
        assert!(long.chars().count() <= MAX_NAME_CHARS, "{long}");
        let odd = fixture_name(&url("http://x.edu.cn/a%20b/..%2F/c:d.htm"));
        assert!(
            !odd.contains('/') && !odd.contains('%') && !odd.contains(':'),
            "{odd}"
        );
    }

    #[test]
    fn site_is_the_profile_or_the_host() {
        let mut r = Record::empty("http://x.edu.cn:8080/a.htm", "generic");
        assert_eq!(site_name(&r, &url(&r.url.clone())), "x.edu.cn_8080");
        r.site = Some("upc".into());
        assert_eq!(site_name(&r, &url("http://x.edu.cn/a.htm")), "upc");
    }

    #[test]
    fn saving_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let save = |u: &str, body: &[u8]| {
            let u = url(u);
            let meta = PageMeta {
                url: u.to_string(),
                ..PageMeta::default()
            };
            let record = Record::empty(u.as_str(), "generic");
            let new = NewFixture {
                url: &u,
                body,
                meta: &meta,
                record: &record,
            };
            save_fixture(dir.path(), "site", &new).unwrap()
        };
        let first = save("http://x.edu.cn/a/1.htm", b"one");
        let Saved::Added(p1) = &first else {
            panic!("{first:?}")
        };
        assert!(p1.ends_with("site/a-1.html"));
        assert_eq!(std::fs::read(p1).unwrap(), b"one");
        assert!(proposed_path(p1).exists() && meta_path(p1).exists());
        assert!(
            !expected_path(p1).exists(),
            "a capture is never an expectation"
        );
        // The same URL again: left alone.
        assert_eq!(
            save("http://x.edu.cn/a/1.htm", b"other"),
            Saved::Exists(p1.clone())
        );
        assert_eq!(std::fs::read(p1).unwrap(), b"one");
        // Another URL with the same name: a numbered one.
        let second = save("http://x.edu.cn/a/1.html", b"two");
        assert!(second.page().ends_with("site/a-1-2.html"), "{second:?}");
    }
}
