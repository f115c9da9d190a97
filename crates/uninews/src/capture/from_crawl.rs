//! `crawl --fixtures K`: after a crawl, pick K of each site's stored articles (spread over
//! templates and columns) and save them as fixtures, from what the crawl stored: the raw
//! page under `DIR/pages/`, its `.meta.json`, and its record in `DIR/articles.jsonl`.

use super::{CaptureError, NewFixture, Saved, save_fixture, site_name, spread};
use crate::crawl::{PAGES_DIR, RECORDS_FILE};
use crate::frontier::Kind;
use crate::frontier::state::{CrawlState, STATE_FILE, StoredUrl};
use crate::record::Record;
use crate::store::{PageMeta, StoreError, read_meta, read_records};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use url::Url;

/// What was captured for one site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteCapture {
    /// The site's folder name.
    pub site: String,
    /// Stored articles of the site.
    pub articles: usize,
    /// Template/column groups they fall into.
    pub groups: usize,
    /// New fixtures (their pages).
    pub added: Vec<PathBuf>,
    /// Picked articles that already were fixtures (their pages).
    pub existing: Vec<PathBuf>,
}

/// What [`from_crawl`] did, per site in name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaptureReport {
    /// Per site.
    pub sites: Vec<SiteCapture>,
}

/// A stored article that may become a fixture: what grouping needs, not its record
/// (a big crawl's records do not fit in memory; only the picked ones are read back).
struct Candidate {
    url: Url,
    page_path: String,
    /// Position of its latest record in `articles.jsonl`.
    line: usize,
}

/// Save `k` stored articles per site of the crawl in `out` as fixtures under `root`.
/// The selection is deterministic (the same crawl gives the same picks), so running it
/// again adds nothing new.
pub fn from_crawl(out: &Path, root: &Path, k: usize) -> Result<CaptureReport, CaptureError> {
    if !out.join(STATE_FILE).is_file() {
        return Err(CaptureError::NoCrawl {
            path: out.to_path_buf(),
        });
    }
    let state = CrawlState::open_dir(out)?;
    let stored: HashMap<String, StoredUrl> = state
        .stored_urls()?
        .into_iter()
        .filter(|s| s.kind == Kind::Article)
        .map(|s| (s.url.clone(), s))
        .collect();
    // The latest record of each URL (a --refresh appends changed versions): its line,
    // site and group.
    let records = out.join(RECORDS_FILE);
    let mut latest: BTreeMap<String, (usize, String, String)> = BTreeMap::new();
    for (line, record) in read_records(&records)?.enumerate() {
        let record = record?;
        let Ok(url) = Url::parse(&record.url) else {
            continue;
        };
        let group = spread::group_key(&record.extractor, &url);
        latest.insert(record.url.clone(), (line, site_name(&record, &url), group));
    }
    let mut sites: BTreeMap<String, BTreeMap<String, Vec<Candidate>>> = BTreeMap::new();
    for (url_text, (line, site, group)) in latest {
        let Some(row) = stored.get(&url_text) else {
            tracing::debug!("{url_text}: record without a stored page; not a fixture candidate");
            continue;
        };
        let Ok(url) = Url::parse(&url_text) else {
            continue;
        };
        sites
            .entry(site)
            .or_default()
            .entry(group)
            .or_default()
            .push(Candidate {
                url,
                page_path: row.page_path.clone(),
                line,
            });
    }
    let mut picked: BTreeMap<String, (usize, usize, Vec<Candidate>)> = BTreeMap::new();
    for (site, groups) in sites {
        let articles = groups.values().map(Vec::len).sum();
        let n_groups = groups.len();
        let picks = spread::pick(groups.into_values().collect(), k);
        picked.insert(site, (articles, n_groups, picks));
    }
    // Read back the picked records only.
    let wanted: HashSet<usize> = picked
        .values()
        .flat_map(|(_, _, picks)| picks.iter().map(|c| c.line))
        .collect();
    let mut chosen: HashMap<usize, Record> = HashMap::new();
    for (line, record) in read_records(&records)?.enumerate() {
        if wanted.contains(&line) {
            chosen.insert(line, record?);
        }
    }
    let pages = out.join(PAGES_DIR);
    let mut report = CaptureReport::default();
    for (site, (articles, groups, picks)) in picked {
        let mut capture = SiteCapture {
            site: site.clone(),
            articles,
            groups,
            ..SiteCapture::default()
        };
        for c in picks {
            let Some(record) = chosen.get(&c.line) else {
                continue;
            };
            let page = pages.join(&c.page_path);
            let body = std::fs::read(&page).map_err(StoreError::io(&page))?;
            let meta = read_meta(&page)?.unwrap_or_else(|| PageMeta {
                url: c.url.to_string(),
                ..PageMeta::default()
            });
            let new = NewFixture {
                url: &c.url,
                body: &body,
                meta: &meta,
                record,
            };
            match save_fixture(root, &site, &new)? {
                Saved::Added(p) => capture.added.push(p),
                Saved::Exists(p) => capture.existing.push(p),
            }
        }
        report.sites.push(capture);
    }
    Ok(report)
}
