//! The index of a crawl folder for replay: which stored file answers which URL. Built once
//! from the crawl state (`DIR/crawl.sqlite`); lookups are pure.

use super::ServeError;
use crate::frontier::normalize;
use crate::frontier::state::{CrawlState, STATE_FILE};
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use url::Url;

/// What answers one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// A stored response: its `page_path` as the state records it.
    File(String),
    /// The URL redirected to this one during the crawl.
    Redirect(Url),
}

/// What a request finds in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A stored response: the file holding its body.
    File(PathBuf),
    /// A redirect to `location` (a path when the target is served here, else absolute).
    Redirect(String),
    /// Nothing stored at this URL.
    NotFound,
}

/// A crawl folder's URLs and where their responses are stored.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    dir: PathBuf,
    /// `authority + path?query` → entry.
    by_url: HashMap<String, Entry>,
    /// `path?query` → entry, for requests whose host is not one of the crawl's: the
    /// host with the most stored URLs wins a path that several hosts have.
    by_path: HashMap<String, Entry>,
    /// Stored URLs per authority (`host[:port]`).
    authorities: BTreeMap<String, usize>,
    /// Paths skipped because robots.txt disallowed them, per authority.
    robots_skipped: BTreeMap<String, Vec<String>>,
}

/// `host[:port]` and `path[?query]` of a normalised URL.
fn split(url: &Url) -> (String, String) {
    let mut authority = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if let Some(port) = url.port() {
        authority.push_str(&format!(":{port}"));
    }
    let mut path = url.path().to_string();
    if let Some(q) = url.query() {
        path.push('?');
        path.push_str(q);
    }
    (authority, path)
}

fn parse_normal(text: &str) -> Option<Url> {
    Url::parse(text).ok().and_then(|u| normalize(&u, &[]))
}

impl Archive {
    /// Index the crawl in `dir` (read-only use of its state).
    pub fn open(dir: &Path) -> Result<Archive, ServeError> {
        if !dir.join(STATE_FILE).is_file() {
            return Err(ServeError::NoCrawl {
                path: dir.to_path_buf(),
            });
        }
        let state = CrawlState::open_dir(dir)?;
        let mut archive = Archive {
            dir: dir.to_path_buf(),
            ..Archive::default()
        };
        let mut rows: Vec<(String, String, Entry)> = Vec::new();
        let mut finals: Vec<(Url, String)> = Vec::new();
        for row in state.stored_urls()? {
            let Some(url) = parse_normal(&row.url) else {
                continue;
            };
            let (authority, path) = split(&url);
            let target = row.final_url.as_deref().and_then(parse_normal);
            match target.filter(|t| *t != url) {
                Some(target) => {
                    finals.push((target.clone(), row.page_path.clone()));
                    rows.push((authority, path, Entry::Redirect(target)));
                }
                None => rows.push((authority, path, Entry::File(row.page_path))),
            }
        }
        // A redirect target answers with the page stored for it, unless it has its own row.
        for (target, page_path) in finals {
            let (authority, path) = split(&target);
            rows.push((authority, path, Entry::File(page_path)));
        }
        for (authority, path, entry) in rows {
            let key = format!("{authority}{path}");
            if let std::collections::hash_map::Entry::Vacant(v) = archive.by_url.entry(key) {
                v.insert(entry);
                *archive.authorities.entry(authority).or_default() += 1;
            }
        }
        let mut ranked: Vec<(&String, &usize)> = archive.authorities.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let rank: HashMap<&str, usize> = ranked
            .iter()
            .enumerate()
            .map(|(i, (a, _))| (a.as_str(), i))
            .collect();
        let mut by_rank: Vec<(usize, &String, &Entry)> = archive
            .by_url
            .iter()
            .filter_map(|(key, entry)| {
                let (authority, _) = key.split_at(key.find('/')?);
                Some((*rank.get(authority)?, key, entry))
            })
            .collect();
        by_rank.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        let mut by_path = HashMap::new();
        for (_, key, entry) in by_rank {
            if let Some(slash) = key.find('/') {
                by_path
                    .entry(key[slash..].to_string())
                    .or_insert_with(|| entry.clone());
            }
        }
        archive.by_path = by_path;
        for url in state.skipped_urls("robots")? {
            if let Some(url) = parse_normal(&url) {
                let (authority, path) = split(&url);
                archive
                    .robots_skipped
                    .entry(authority)
                    .or_default()
                    .push(path);
            }
        }
        Ok(archive)
    }

    /// The crawl folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The crawl's hosts (`host[:port]`) with their number of stored URLs.
    pub fn authorities(&self) -> &BTreeMap<String, usize> {
        &self.authorities
    }

    /// Number of URLs served.
    pub fn len(&self) -> usize {
        self.by_url.len()
    }

    /// True when the crawl stored nothing.
    pub fn is_empty(&self) -> bool {
        self.by_url.is_empty()
    }

    /// Is `authority` (`host[:port]`, as in a `Host` header) one of the crawl's?
    fn knows(&self, authority: Option<&str>) -> Option<String> {
        let url = Url::parse(&format!("http://{}/", authority?.trim())).ok()?;
        let (a, _) = split(&url);
        self.authorities.contains_key(&a).then_some(a)
    }

    /// What answers `path_and_query` asked of `authority` (the request's `Host`). When the
    /// authority is one of the crawl's, only its URLs answer; otherwise (the replay's own
    /// `127.0.0.1:PORT`) the path is looked up over all hosts.
    pub fn lookup(&self, authority: Option<&str>, path_and_query: &str) -> Found {
        let host = self.knows(authority);
        if !path_and_query.starts_with('/') {
            return Found::NotFound;
        }
        let text = format!(
            "http://{}{path_and_query}",
            host.as_deref().unwrap_or("replay.invalid")
        );
        let Some(url) = parse_normal(&text) else {
            return Found::NotFound;
        };
        let (_, path) = split(&url);
        let entry = match &host {
            Some(h) => self.by_url.get(&format!("{h}{path}")),
            None => self.by_path.get(&path),
        };
        match entry {
            None => Found::NotFound,
            Some(Entry::File(page_path)) => match self.file(page_path) {
                Some(p) => Found::File(p),
                None => Found::NotFound,
            },
            Some(Entry::Redirect(target)) => {
                let (t_auth, t_path) = split(target);
                let here = match &host {
                    Some(h) => *h == t_auth,
                    None => self.authorities.contains_key(&t_auth),
                };
                Found::Redirect(if here { t_path } else { target.to_string() })
            }
        }
    }

    /// The file of a stored response: under `DIR/pages/` (pages), else under `DIR/`
    /// (other stored files, e.g. `images/…`). `None` for a path that would leave the
    /// folder or a file that is missing.
    fn file(&self, page_path: &str) -> Option<PathBuf> {
        let rel = Path::new(page_path);
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            tracing::warn!("{page_path}: stored path leaves the crawl folder; not served");
            return None;
        }
        [
            self.dir.join(crate::crawl::PAGES_DIR).join(rel),
            self.dir.join(rel),
        ]
        .into_iter()
        .find(|p| p.is_file())
    }

    /// A robots.txt for `authority` that replays the crawl's robots decisions: every URL
    /// the crawl skipped because of robots.txt is disallowed, everything else allowed.
    /// (For an unknown authority, the skipped URLs of every host.)
    pub fn robots_txt(&self, authority: Option<&str>) -> String {
        let host = self.knows(authority);
        let mut paths: Vec<&String> = match &host {
            Some(h) => self.robots_skipped.get(h).into_iter().flatten().collect(),
            None => self.robots_skipped.values().flatten().collect(),
        };
        paths.sort();
        paths.dedup();
        let mut out = String::from(
            "# uninews serve: replays the crawl's robots.txt decisions\nUser-agent: *\n",
        );
        if paths.is_empty() {
            out.push_str("Disallow:\n");
        }
        for p in paths {
            out.push_str(&format!("Disallow: {p}\n"));
        }
        out
    }
}
