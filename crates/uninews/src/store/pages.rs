//! Raw pages of a crawl under `DIR/pages/`: the body bytes exactly as received (after
//! content decoding), plus a `.meta.json` beside each (URL, final URL, status, headers,
//! fetch time). The layout mirrors the site so people can browse it:
//! `pages/<host>[_<port>]/<path>[~<query hash>].html`, and `uninews extract` on a stored page
//! gives the record the crawler wrote, because it reads the same meta.

use super::meta::{PageMeta, write_meta};
use super::{StoreError, write_atomic};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use url::Url;

/// Longest file-name component kept as is; longer ones are cut and suffixed with a hash.
const MAX_COMPONENT: usize = 120;

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
        let rel = relative_path(url, version);
        let path = self.root.join(&rel);
        write_atomic(&path, body)?;
        write_meta(&path, meta)?;
        Ok(rel)
    }

    /// Absolute path of a stored page.
    pub fn path(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }
}

/// Where a URL's page is stored, relative to the store root. Pure and deterministic.
pub fn relative_path(url: &Url, version: u32) -> PathBuf {
    let mut host = url.host_str().unwrap_or("no-host").to_string();
    if let Some(port) = url.port() {
        host.push_str(&format!("_{port}"));
    }
    let mut path = PathBuf::from(safe_component(&host));
    let segments: Vec<&str> = url.path().split('/').skip(1).collect();
    let (dirs, last) = match segments.split_last() {
        Some((last, dirs)) => (dirs, *last),
        None => (&[][..], ""),
    };
    for d in dirs {
        path.push(safe_component(if d.is_empty() { "_" } else { d }));
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
    path
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
