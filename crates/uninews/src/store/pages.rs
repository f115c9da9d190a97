//! Raw pages of a crawl under `DIR/pages/`: the body bytes exactly as received (after
//! content decoding), plus a `.meta.json` beside each (URL, final URL, status, headers,
//! fetch time). The layout mirrors the site so people can browse it:
//! `pages/<host>[_<port>]/<path>[~<query hash>].html`, and `uninews extract` on a stored page
//! gives the record the crawler wrote, because it reads the same meta.
//!
//! No URL can break the store ([`relative_path`]):
//! - every component is cleaned (no `/`, `\\`, control or reserved characters, no `.`/`..`)
//!   and at most [`MAX_COMPONENT`] bytes (longer ones end in `~<hash>`);
//! - a file and a folder never share a name: files end in `.html`, and a folder whose
//!   name would end in `.html` gets `~d` appended; folder names that start with `~` get a
//!   second `~`, so the store's own `~long` folder cannot come from a URL;
//! - a path deeper than [`MAX_DEPTH`] folders or longer than [`MAX_PATH`] bytes is stored
//!   as `<host>/~long/<hash of the URL>.html`;
//! - two URLs that clean to the same name (`a:b` and `a_b`): the second is stored under
//!   `~long` too ([`PageStore::save`] checks the meta of a file it would overwrite).
//!
//! The path each URL was stored at is kept in `crawl.sqlite` (`page_path`), which is
//! what `serve` and fixture capture read.

use super::meta::{PageMeta, write_meta};
use super::{StoreError, write_atomic};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use url::Url;

/// Longest file-name component kept as is; longer ones are cut and suffixed with a hash.
pub const MAX_COMPONENT: usize = 120;
/// Most folders a mirrored path keeps; deeper URLs go to `~long`.
pub const MAX_DEPTH: usize = 32;
/// Longest relative path (bytes) a mirrored path keeps; longer ones go to `~long`.
pub const MAX_PATH: usize = 1024;
/// The folder (under the host's) of pages whose URL cannot be mirrored as a path.
const LONG_DIR: &str = "~long";

/// The page store of one crawl.
#[derive(Debug, Clone)]
pub struct PageStore {
    root: PathBuf,
}

impl PageStore {
    /// A store rooted at `root` (normally `DIR/pages`).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        PageStore { root: root.into() }
    }

    /// The store's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Save a page (body, then meta; both atomic). Returns the page's path relative to
    /// the store root. `version` > 1 keeps earlier versions of a re-fetched page.
    pub fn save(
        &self,
        url: &Url,
        version: u32,
        body: &[u8],
        meta: &PageMeta,
    ) -> Result<PathBuf, StoreError> {
        let mut rel = relative_path(url, version);
        if self.taken_by_another(&rel, url) {
            rel = hashed_path(url, version);
        }
        let path = self.root.join(&rel);
        write_atomic(&path, body)?;
        write_meta(&path, meta)?;
        Ok(rel)
    }

    /// Does `rel` already hold the page of a URL other than `url` (two URLs that clean
    /// to one name)? A file without readable meta counts as taken.
    fn taken_by_another(&self, rel: &Path, url: &Url) -> bool {
        let path = self.root.join(rel);
        if !path.exists() {
            return false;
        }
        !matches!(super::read_meta(&path), Ok(Some(m)) if m.url == url.as_str())
    }

    /// Absolute path of a stored page.
    pub fn path(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }
}

/// The host folder: `<host>[_<port>]`.
fn host_dir(url: &Url) -> String {
    let mut host = url.host_str().unwrap_or("no-host").to_string();
    if let Some(port) = url.port() {
        host.push_str(&format!("_{port}"));
    }
    dir_component(&host)
}

/// `<host>/~long/<hash of the URL>[.vN].html`: for URLs that cannot be mirrored as a path.
fn hashed_path(url: &Url, version: u32) -> PathBuf {
    let mut name = content_hash(url.as_str().as_bytes());
    name.truncate(32);
    if version > 1 {
        name.push_str(&format!(".v{version}"));
    }
    name.push_str(".html");
    [host_dir(url), LONG_DIR.to_string(), name].iter().collect()
}

/// Where a URL's page is stored, relative to the store root. Pure and deterministic.
pub fn relative_path(url: &Url, version: u32) -> PathBuf {
    let mut path = PathBuf::from(host_dir(url));
    let segments: Vec<&str> = url.path().split('/').skip(1).collect();
    let (dirs, last) = match segments.split_last() {
        Some((last, dirs)) => (dirs, *last),
        None => (&[][..], ""),
    };
    if dirs.len() > MAX_DEPTH {
        return hashed_path(url, version);
    }
    for d in dirs {
        path.push(dir_component(if d.is_empty() { "_" } else { d }));
    }
    let mut name = if last.is_empty() {
        "index".to_string()
    } else {
        last.to_string()
    };
    if let Some(q) = url.query() {
        name.push('~');
        name.push_str(&short_hash(q));
    }
    if version > 1 {
        name.push_str(&format!(".v{version}"));
    }
    name.push_str(".html");
    path.push(safe_component(&name));
    if path.as_os_str().len() > MAX_PATH {
        return hashed_path(url, version);
    }
    path
}

/// A folder's name: cleaned, and never one a file could have (files end in `.html`) nor
/// the store's own `~long` (names starting with `~` get another `~`).
fn dir_component(s: &str) -> String {
    let mut name = safe_component(s);
    if name.starts_with('~') {
        name.insert(0, '~');
    }
    if name.ends_with(".html") {
        name.push_str("~d");
    }
    name
}

fn safe_component(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '\0' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = match cleaned.as_str() {
        "." | ".." => "_".repeat(cleaned.len()),
        _ => cleaned,
    };
    if cleaned.len() <= MAX_COMPONENT {
        return cleaned;
    }
    let mut cut = MAX_COMPONENT - 17;
    while !cleaned.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}~{}", &cleaned[..cut], short_hash(&cleaned))
}

/// First 16 hex digits of the SHA-256 of `s`.
fn short_hash(s: &str) -> String {
    let mut hex = content_hash(s.as_bytes());
    hex.truncate(16);
    hex
}

/// Hex SHA-256 of `bytes`: the content hash recorded for pages and images.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(u: &str) -> String {
        relative_path(&Url::parse(u).unwrap(), 1)
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn layout_mirrors_the_site() {
        assert_eq!(
            rel("http://news.upc.edu.cn/info/1078/1564.htm"),
            "news.upc.edu.cn/info/1078/1564.htm.html"
        );
        assert_eq!(rel("http://127.0.0.1:8080/"), "127.0.0.1_8080/index.html");
        assert_eq!(rel("http://x.edu.cn/a/b/"), "x.edu.cn/a/b/index.html");
    }

    #[test]
    fn queries_and_versions_get_distinct_names() {
        let a = rel("http://x.edu.cn/list.jsp?page=1");
        let b = rel("http://x.edu.cn/list.jsp?page=2");
        assert_ne!(a, b);
        assert!(
            a.starts_with("x.edu.cn/list.jsp~") && a.ends_with(".html"),
            "{a}"
        );
        let v2 = relative_path(&Url::parse("http://x.edu.cn/a.htm").unwrap(), 2);
        assert_eq!(v2, Path::new("x.edu.cn/a.htm.v2.html"));
    }

    #[test]
    fn hostile_paths_stay_inside_the_store() {
        let long = format!("http://x.edu.cn/{}", "长".repeat(200));
        let p = rel(&long);
        assert!(p.split('/').all(|c| c.len() <= MAX_COMPONENT), "{p}");
        let p = rel("http://x.edu.cn/a%2F..%2F..%2Fetc/passwd");
        assert!(!p.contains("/../"), "{p}");
        assert!(
            Path::new(&p)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_))),
            "{p}"
        );
    }

    #[test]
    fn a_file_and_a_folder_never_share_a_name() {
        let file = rel("http://x.edu.cn/info/1078/19.htm");
        let under = rel("http://x.edu.cn/info/1078/19.htm.html/info/1078/20.htm");
        assert_eq!(file, "x.edu.cn/info/1078/19.htm.html");
        assert!(!under.starts_with(&format!("{file}/")), "{under}");
        assert!(
            under.starts_with("x.edu.cn/info/1078/19.htm.html~d/"),
            "{under}"
        );
        // The reserved folder cannot come from a URL.
        assert!(rel("http://x.edu.cn/~long/a.htm").starts_with("x.edu.cn/~~long/"));
    }

    #[test]
    fn deep_and_long_paths_are_hashed_under_the_host() {
        let deep = format!("http://x.edu.cn/{}a.htm", "d/".repeat(3000));
        let p = rel(&deep);
        assert!(
            p.starts_with("x.edu.cn/~long/") && p.ends_with(".html"),
            "{p}"
        );
        assert!(p.len() < 100, "{p}");
        let long = format!(
            "http://x.edu.cn/{}/a.htm",
            vec!["长".repeat(40); 20].join("/")
        );
        let p = rel(&long);
        assert!(
            p.len() <= MAX_PATH && p.starts_with("x.edu.cn/~long/"),
            "{p}"
        );
        // Distinct URLs, distinct files; versions too.
        assert_ne!(rel(&deep), rel(&format!("{deep}?x=1")));
        let v2 = relative_path(&Url::parse(&deep).unwrap(), 2);
        assert!(v2.to_string_lossy().ends_with(".v2.html"));
    }

    #[test]
    fn two_urls_that_clean_to_one_name_keep_both_pages() {
        let dir = tempfile::tempdir().unwrap();
        let store = PageStore::new(dir.path());
        let a = Url::parse("http://x.edu.cn/a:b.htm").unwrap();
        let b = Url::parse("http://x.edu.cn/a_b.htm").unwrap();
        let meta = |u: &Url| PageMeta {
            url: u.to_string(),
            ..PageMeta::default()
        };
        let ra = store.save(&a, 1, b"A", &meta(&a)).unwrap();
        let rb = store.save(&b, 1, b"B", &meta(&b)).unwrap();
        assert_ne!(ra, rb);
        assert_eq!(std::fs::read(store.path(&ra)).unwrap(), b"A");
        assert_eq!(std::fs::read(store.path(&rb)).unwrap(), b"B");
        // Saving the same URL again overwrites its own file.
        assert_eq!(store.save(&a, 1, b"A2", &meta(&a)).unwrap(), ra);
    }

    #[test]
    fn saves_page_and_meta() {
        let dir = tempfile::tempdir().unwrap();
        let store = PageStore::new(dir.path());
        let url = Url::parse("http://x.edu.cn/info/1/2.htm").unwrap();
        let meta = PageMeta {
            url: url.to_string(),
            ..PageMeta::default()
        };
        let rel = store.save(&url, 1, b"<p>hi", &meta).unwrap();
        let path = store.path(&rel);
        assert_eq!(std::fs::read(&path).unwrap(), b"<p>hi");
        assert_eq!(super::super::read_meta(&path).unwrap().unwrap(), meta);
    }
}
