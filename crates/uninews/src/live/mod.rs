//! `check --live`: re-fetch the URL of every fixture, politely, and tell per site whether
//! today's page still extracts to a record of the same [shape](shape) as the reviewed
//! expectation: the early warning that a site was redesigned.
//!
//! Verdicts:
//! - a fixture is *same*, *changed* (with the [`ShapeChange`]s), *unreachable* (the fetch
//!   failed, was refused by robots.txt, or the page is gone: a network failure is not a
//!   redesign) or *not checked* (no URL, or no reviewed expectation yet);
//! - a site is **changed** when any of its checked fixtures changed shape (a redesign
//!   often touches one template or column only, so one is enough), **unchanged** when at
//!   least one fixture was checked and none changed, and **unchecked** when none could be
//!   checked.
//!
//! The site of a fixture is its folder under the fixture root (`fixtures/<site>/…`);
//! fixtures directly in the root take the name of their folder.

pub mod shape;

pub use shape::{SECTION_TOLERANCE, SECTION_TOLERANCE_MIN, ShapeChange, shape_changes};

use crate::extract::Extractor;
use crate::fetch::{Fetcher, Outcome, Request};
use crate::store::StoreError;
use crate::store::fixtures::{Fixture, find_fixtures};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tokio::task::JoinSet;
use url::Url;

/// What the live check found for one fixture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveOutcome {
    /// Today's page has the expected shape.
    Same,
    /// Today's page lost the expected shape.
    Changed(Vec<ShapeChange>),
    /// The page could not be fetched (the cause).
    Unreachable(String),
    /// Not checked (why): no URL, or no reviewed expectation.
    NotChecked(String),
}

/// One fixture's live result.
#[derive(Debug, Clone)]
pub struct LiveResult {
    /// The fixture's page.
    pub page: PathBuf,
    /// The URL fetched, if any.
    pub url: Option<String>,
    /// What was found.
    pub outcome: LiveOutcome,
}

/// A site's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteVerdict {
    /// At least one fixture checked, none changed.
    Unchanged,
    /// At least one fixture changed shape.
    Changed,
    /// No fixture could be checked.
    Unchecked,
}

impl SiteVerdict {
    /// `unchanged`, `CHANGED`, `unchecked`.
    pub fn label(self) -> &'static str {
        match self {
            SiteVerdict::Unchanged => "unchanged",
            SiteVerdict::Changed => "CHANGED",
            SiteVerdict::Unchecked => "unchecked",
        }
    }
}

/// One site's results.
#[derive(Debug, Clone)]
pub struct SiteReport {
    /// The site (its fixture folder name).
    pub site: String,
    /// Its fixtures, in path order.
    pub results: Vec<LiveResult>,
}

/// Counts of a set of results: (same, changed, unreachable, not checked).
fn count(results: &[LiveResult]) -> (usize, usize, usize, usize) {
    let mut c = (0, 0, 0, 0);
    for r in results {
        match r.outcome {
            LiveOutcome::Same => c.0 += 1,
            LiveOutcome::Changed(_) => c.1 += 1,
            LiveOutcome::Unreachable(_) => c.2 += 1,
            LiveOutcome::NotChecked(_) => c.3 += 1,
        }
    }
    c
}

impl SiteReport {
    /// The site's verdict.
    pub fn verdict(&self) -> SiteVerdict {
        match count(&self.results) {
            (_, changed, _, _) if changed > 0 => SiteVerdict::Changed,
            (0, _, _, _) => SiteVerdict::Unchecked,
            _ => SiteVerdict::Unchanged,
        }
    }

    /// One line: verdict, site, counts.
    pub fn line(&self) -> String {
        let (same, changed, unreachable, unchecked) = count(&self.results);
        let mut text = format!(
            "{:<9} {}: {} of {} fixtures checked, {changed} changed shape",
            self.verdict().label(),
            self.site,
            same + changed,
            self.results.len()
        );
        if unreachable > 0 {
            text.push_str(&format!(", {unreachable} unreachable"));
        }
        if unchecked > 0 {
            text.push_str(&format!(", {unchecked} not checked"));
        }
        text
    }
}

/// The live check of a set of fixtures.
#[derive(Debug, Clone, Default)]
pub struct LiveReport {
    /// Per site, in name order.
    pub sites: Vec<SiteReport>,
}

impl LiveReport {
    /// Sites whose verdict is `verdict`.
    pub fn sites_with(&self, verdict: SiteVerdict) -> Vec<&str> {
        self.sites
            .iter()
            .filter(|s| s.verdict() == verdict)
            .map(|s| s.site.as_str())
            .collect()
    }

    /// True when some fixture could not be fetched, some site had nothing to check, or
    /// there were no fixtures at all.
    pub fn incomplete(&self) -> bool {
        self.sites.is_empty()
            || self.sites.iter().any(|s| {
                s.verdict() == SiteVerdict::Unchecked
                    || s.results
                        .iter()
                        .any(|r| matches!(r.outcome, LiveOutcome::Unreachable(_)))
            })
    }

    /// The one-line summary.
    pub fn summary(&self) -> String {
        let all: Vec<LiveResult> = self
            .sites
            .iter()
            .flat_map(|s| s.results.iter().cloned())
            .collect();
        let (same, changed, unreachable, unchecked) = count(&all);
        format!(
            "check --live: {} sites: {} changed, {} unchanged, {} unchecked; {} fixtures: {same} same shape, {changed} changed, {unreachable} unreachable, {unchecked} not checked",
            self.sites.len(),
            self.sites_with(SiteVerdict::Changed).len(),
            self.sites_with(SiteVerdict::Unchanged).len(),
            self.sites_with(SiteVerdict::Unchecked).len(),
            all.len()
        )
    }
}

/// The site of a fixture found under `root`: the first folder below `root`, or the name
/// of the folder holding it for a fixture directly in the root (or given as the root).
pub fn site_of(root: &Path, fixture: &Fixture) -> String {
    let rel = fixture.page.strip_prefix(root).unwrap_or(&fixture.page);
    let mut parts = rel.components();
    match (parts.next(), parts.next()) {
        (Some(first), Some(_)) => first.as_os_str().to_string_lossy().into_owned(),
        _ => {
            // A fixture directly in the root (or the root is a page): its folder's name.
            let folder = fixture.page.parent().and_then(|p| p.canonicalize().ok());
            folder
                .and_then(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "fixtures".to_string())
        }
    }
}

/// Check every fixture under `roots` against its live page, fetching with `fetcher`
/// (its per-host rate limit, robots.txt and retries; all hosts in parallel) and
/// extracting with `extractor`.
pub async fn check_live(
    roots: &[PathBuf],
    fetcher: &Fetcher,
    extractor: &Extractor,
) -> Result<LiveReport, StoreError> {
    let mut tasks: JoinSet<(String, LiveResult)> = JoinSet::new();
    let mut sites: BTreeMap<String, Vec<LiveResult>> = BTreeMap::new();
    let mut spawned: HashMap<tokio::task::Id, (String, PathBuf, Option<String>)> = HashMap::new();
    for root in roots {
        for fixture in find_fixtures(root)? {
            let site = site_of(root, &fixture);
            let url = fixture.url().map(str::to_string);
            let not_checked = |why: &str| LiveResult {
                page: fixture.page.clone(),
                url: url.clone(),
                outcome: LiveOutcome::NotChecked(why.to_string()),
            };
            let Some(parsed) = url.as_deref().and_then(|u| Url::parse(u).ok()) else {
                sites
                    .entry(site)
                    .or_default()
                    .push(not_checked("no URL in its metadata"));
                continue;
            };
            let Some(expected) = fixture.expected.clone() else {
                sites.entry(site).or_default().push(not_checked(
                    "not reviewed yet (no .expected.json; run `uninews check`)",
                ));
                continue;
            };
            let (fetcher, extractor) = (fetcher.clone(), extractor.clone());
            let page = fixture.page.clone();
            let task_info = (site.clone(), page.clone(), url.clone());
            let handle = tasks.spawn(async move {
                let outcome = match fetcher.fetch(&Request::new(parsed).html_only()).await {
                    Outcome::Page(p) => {
                        let charset = p
                            .response
                            .content_type
                            .as_deref()
                            .and_then(crate::decode::charset_from_content_type);
                        let record = extractor
                            .extract_bytes(&p.body, &p.response.final_url, charset)
                            .record;
                        let changes = shape_changes(&expected, &record);
                        if changes.is_empty() {
                            LiveOutcome::Same
                        } else {
                            LiveOutcome::Changed(changes)
                        }
                    }
                    Outcome::NotModified(_) => {
                        LiveOutcome::Unreachable("unexpected 304 Not Modified".into())
                    }
                    Outcome::Skipped(s) => LiveOutcome::Unreachable(s.reason.to_string()),
                    Outcome::Failed(f) => LiveOutcome::Unreachable(f.error.to_string()),
                };
                (site, LiveResult { page, url, outcome })
            });
            spawned.insert(handle.id(), task_info);
        }
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((site, result)) => sites.entry(site).or_default().push(result),
            Err(e) => {
                // A task that panicked still shows up in the report, as not checked.
                if let Some((site, page, url)) = spawned.remove(&e.id()) {
                    sites.entry(site).or_default().push(LiveResult {
                        page,
                        url,
                        outcome: LiveOutcome::NotChecked(format!("internal error: {e}")),
                    });
                }
            }
        }
    }
    Ok(LiveReport {
        sites: sites
            .into_iter()
            .map(|(site, mut results)| {
                results.sort_by(|a, b| a.page.cmp(&b.page));
                SiteReport { site, results }
            })
            .collect(),
    })
}
