//! The storage step of a crawl: the single writer of pages, records and crawl state.
//!
//! Order per article: raw page (atomic files), then the record line, then one SQLite
//! transaction that marks the URL done and records the new length of `articles.jsonl`.
//! A kill at any point leaves either a committed page+record, or an uncommitted tail that
//! the next run cuts off and fetches again.

use super::process::Processed;
use super::summary::RunCounts;
use super::{CrawlError, PageFailure, TrapGuards};
use crate::fetch::{Page, Response};
use crate::frontier::Frontier;
use crate::frontier::discover::Discovery;
use crate::frontier::state::{Claimed, Done, NewUrl, UrlState};
use crate::frontier::{Kind, normalize};
use crate::store::{PageMeta, PageStore, RecordLog, StoreError, content_hash};
use std::collections::{BTreeMap, HashMap, HashSet};
use url::Url;

/// Metadata key: length of `articles.jsonl` covered by committed state.
pub(crate) const RECORDS_LEN: &str = "records_len";

/// Which pass this run is, and how it walks lists.
#[derive(Debug, Clone)]
pub(crate) struct Pass {
    /// 1 for the first crawl of the folder.
    pub number: u32,
    pub full: bool,
    pub since: Option<jiff::civil::Date>,
    pub stop_after_known: u32,
}

/// The single writer.
pub(crate) struct Sink<'a> {
    pub state: &'a dyn Frontier,
    pub pages: PageStore,
    pub log: RecordLog,
    pub max_depth: Option<u32>,
    pub guards: TrapGuards,
    /// New URLs queued per host in this run (for `guards.max_urls_per_host`).
    pub queued_per_host: HashMap<String, u64>,
    pub pass: Pass,
    /// Consecutive known articles carried from a list page to its next page.
    pub known_runs: HashMap<String, u32>,
    /// List pages already queued (or found known) in this run.
    pub lists_seen: HashSet<String>,
    pub run: RunCounts,
    /// Hosts that got pending URLs since the scheduler last looked
    /// ([`take_touched`](Sink::take_touched)).
    pub touched: HashSet<String>,
}

impl Sink<'_> {
    /// The hosts that got pending URLs since the last call.
    pub fn take_touched(&mut self) -> HashSet<String> {
        std::mem::take(&mut self.touched)
    }

    /// `url`'s host has pending work again.
    fn touch(&mut self, url: &Url) {
        if let Some(h) = url.host_str()
            && !self.touched.contains(h)
        {
            self.touched.insert(h.to_ascii_lowercase());
        }
    }

    /// Queue `url` again if settled in an earlier pass (and note its host).
    fn requeue_stale(&mut self, url: &Url) -> Result<bool, CrawlError> {
        let queued = self.state.requeue_stale(url)?;
        if queued {
            self.touch(url);
        }
        Ok(queued)
    }

    /// Store what one claimed URL came to.
    pub fn store(&mut self, processed: Processed) -> Result<(), CrawlError> {
        match processed {
            Processed::List {
                claimed,
                page,
                links,
            } => {
                let done = match self.save_page(&claimed, &page, 1) {
                    Ok(done) => done,
                    Err(e) => return self.store_failed(&claimed, e),
                };
                self.follow_list(&claimed, &links)?;
                self.state.mark_done(&claimed.url, &done)?;
                self.run.lists += 1;
            }
            Processed::Article {
                claimed,
                page,
                mut record,
                warnings,
            } => {
                for w in &warnings {
                    tracing::warn!("{}: {w}", claimed.url);
                }
                let final_url = normalize(&page.response.final_url, &[])
                    .unwrap_or_else(|| page.response.final_url.clone());
                let alias = (final_url != claimed.url).then_some(&final_url);
                if self.already_stored(&claimed.url)? || self.alias_stored(alias)? {
                    tracing::debug!("{}: already stored (via {final_url})", claimed.url);
                    let done = Done {
                        http_status: Some(page.response.status),
                        final_url: Some(final_url.clone()),
                        ..Done::default()
                    };
                    self.state.mark_done(&claimed.url, &done)?;
                    self.run.duplicates += 1;
                    return Ok(());
                }
                if let Some(a) = alias
                    && self.state.add(&NewUrl::found(
                        a.clone(),
                        Kind::Article,
                        &claimed.url,
                        claimed.depth,
                    ))?
                {
                    self.touch(a);
                }
                let stored = self.state.get(&claimed.url)?;
                let hash = content_hash(&page.body);
                if let Some(row) = stored.as_ref().filter(|r| r.version > 0)
                    && row.content_hash.as_deref() == Some(hash.as_str())
                {
                    // Re-fetched (--refresh) and unchanged: the stored version stands.
                    let done = done_of(&page.response, None, None);
                    self.state.mark_done(&claimed.url, &done)?;
                    self.run.unchanged += 1;
                    return Ok(());
                }
                let version = stored.map_or(0, |r| r.version) + 1;
                let done = match self.save_page(&claimed, &page, version) {
                    Ok(done) => done,
                    Err(e) => return self.store_failed(&claimed, e),
                };
                record.fetched_at = Some(jiff::Timestamp::now().to_string());
                record.version = Some(version);
                record.warc_record_id = page.response.record_id.clone();
                let len = self.log.append(&record)?;
                self.state.store_record(&record)?;
                let urls: Vec<&Url> = std::iter::once(&claimed.url).chain(alias).collect();
                let key = self.state.local_key(RECORDS_LEN);
                self.state
                    .mark_all_done_and_set(&urls, &done, Some((&key, &len.to_string())))?;
                self.run.articles += 1;
                if version > 1 {
                    self.run.changed += 1;
                }
            }
            Processed::Other { claimed, page } => {
                let done = match self.save_page(&claimed, &page, 1) {
                    Ok(done) => done,
                    Err(e) => return self.store_failed(&claimed, e),
                };
                self.state.mark_done(&claimed.url, &done)?;
            }
            Processed::NotModified { claimed, response } => {
                self.state
                    .mark_done(&claimed.url, &done_of(&response, None, None))?;
                self.run.not_modified += 1;
            }
            Processed::Skipped {
                claimed,
                reason,
                detail,
            } => {
                tracing::info!("{}: skipped, {detail}", claimed.url);
                self.state.mark_skipped(&claimed.url, reason)?;
                self.run.skipped += 1;
            }
            Processed::Later { claimed, message } => {
                tracing::info!("{}: put back in the queue: {message}", claimed.url);
                self.state.mark_pending(&claimed.url)?;
                self.touch(&claimed.url);
            }
            Processed::Failed {
                claimed,
                failure,
                status,
            } => {
                tracing::warn!(
                    "{}: failed after {} attempt(s): {failure}",
                    claimed.url,
                    claimed.attempts
                );
                self.state
                    .mark_failed(&claimed.url, &failure.last_error(), status)?;
                self.run.failed += 1;
            }
        }
        Ok(())
    }

    fn already_stored(&self, url: &Url) -> Result<bool, CrawlError> {
        Ok(self
            .state
            .get(url)?
            .is_some_and(|r| r.state == UrlState::Done))
    }

    fn alias_stored(&self, alias: Option<&Url>) -> Result<bool, CrawlError> {
        match alias {
            Some(a) => self.already_stored(a),
            None => Ok(false),
        }
    }

    /// Queue what a list page links to. The first pass queues every article and every
    /// pagination page at once. Later passes (and `--since`) walk the chain instead: only
    /// the next page, and only while the list still shows news: fewer than
    /// `stop_after_known` consecutive known articles, and not a whole page older than
    /// `--since`.
    fn follow_list(&mut self, claimed: &Claimed, links: &Discovery) -> Result<(), CrawlError> {
        if self.max_depth.is_some_and(|m| claimed.depth >= m) {
            return Ok(());
        }
        let found = |url: &Url, kind| NewUrl::found(url.clone(), kind, &claimed.url, claimed.depth);
        let paginate = match self.guards.max_list_depth {
            Some(m) if claimed.depth >= m && !links.pages.is_empty() => {
                tracing::warn!(
                    "{}: list page at depth {} (--max-list-depth {m}): its pagination is not followed",
                    claimed.url,
                    claimed.depth
                );
                self.run.guards.list_depth += 1;
                false
            }
            _ => true,
        };
        let mut known_run = self.known_runs.remove(claimed.url.as_str()).unwrap_or(0);
        let (mut dated, mut older) = (0usize, 0usize);
        let mut articles = Vec::with_capacity(links.articles.len());
        for (url, date) in links.articles.iter().zip(&links.article_dates) {
            if let (Some(since), Some(date)) = (self.pass.since, date) {
                dated += 1;
                if *date < since {
                    older += 1;
                    continue;
                }
            }
            articles.push(found(url, Kind::Article));
        }
        for new in self.add_all(&articles)? {
            if new {
                known_run = 0;
            } else {
                known_run += 1;
            }
        }
        if !paginate {
            return Ok(());
        }
        let chain = !self.pass.full && (self.pass.number > 1 || self.pass.since.is_some());
        if !chain {
            // Every page of a VSB list names all its sibling pages: handle each URL once
            // per run, or a list of N pages would cost N² state lookups.
            let pages: Vec<NewUrl> = links
                .pages
                .iter()
                .filter(|url| self.lists_seen.insert(url.to_string()))
                .map(|url| found(url, Kind::List))
                .collect();
            for (page, new) in pages.iter().zip(self.add_all(&pages)?) {
                if !new {
                    self.requeue_stale(&page.url)?;
                }
            }
            return Ok(());
        }
        let all_older = dated > 0 && older == dated;
        let known_enough = self.pass.number > 1 && known_run >= self.pass.stop_after_known;
        let Some(next) = &links.next_page else {
            return Ok(());
        };
        if all_older || known_enough {
            tracing::debug!(
                "{}: stop walking this list ({known_run} known articles in a row, {older} of {dated} dated entries too old)",
                claimed.url
            );
        } else if self.add(&found(next, Kind::List))? || self.requeue_stale(next)? {
            self.known_runs.insert(next.to_string(), known_run);
        }
        Ok(())
    }

    /// Queue URLs found on a list page, each within its host's budget for this run; for
    /// each, whether it was new. In one call to the state when no host can reach its
    /// budget with them, else one by one (so the budget counts exactly).
    fn add_all(&mut self, news: &[NewUrl]) -> Result<Vec<bool>, CrawlError> {
        let near_budget = self.guards.max_urls_per_host.is_some_and(|budget| {
            news.iter().any(|n| {
                let host = n.url.host_str().unwrap_or_default();
                self.queued_per_host.get(host).copied().unwrap_or(0) + news.len() as u64 >= budget
            })
        });
        if near_budget {
            return news.iter().map(|n| self.add(n)).collect();
        }
        let added = self.state.add_each(news)?;
        for (new, a) in news.iter().zip(&added) {
            if *a {
                let host = new.url.host_str().unwrap_or_default().to_string();
                *self.queued_per_host.entry(host).or_default() += 1;
                self.touch(&new.url);
            }
        }
        Ok(added)
    }

    /// Queue a URL found on a list page, within the host's budget for this run. True when
    /// it was new (false when known, or over the budget).
    fn add(&mut self, new: &NewUrl) -> Result<bool, CrawlError> {
        let host = new.url.host_str().unwrap_or_default();
        let queued = self.queued_per_host.get(host).copied().unwrap_or(0);
        if let Some(budget) = self.guards.max_urls_per_host
            && queued >= budget
        {
            if self.state.get(&new.url)?.is_some() {
                return Ok(false); // known: costs nothing
            }
            let hits = self
                .run
                .guards
                .host_budget
                .entry(host.to_string())
                .or_default();
            if *hits == 0 {
                tracing::warn!(
                    "{host}: {budget} new URLs queued in this pass (--max-urls-per-host): no more for this host"
                );
            }
            *hits += 1;
            return Ok(false);
        }
        let added = self.state.add(new)?;
        if added {
            *self.queued_per_host.entry(host.to_string()).or_default() += 1;
            self.touch(&new.url);
        }
        Ok(added)
    }

    /// A page that could not be stored fails its URL (cause `store`); the crawl goes on.
    fn store_failed(&mut self, claimed: &Claimed, e: StoreError) -> Result<(), CrawlError> {
        let failure = PageFailure::Store {
            url: claimed.url.clone(),
            source: e,
        };
        tracing::warn!("{failure}");
        self.state
            .mark_failed(&claimed.url, &failure.last_error(), None)?;
        self.run.failed += 1;
        Ok(())
    }

    /// Save the raw page and its meta; the state update is the caller's.
    fn save_page(
        &mut self,
        claimed: &Claimed,
        page: &Page,
        version: u32,
    ) -> Result<Done, StoreError> {
        let r = &page.response;
        let meta = page_meta(r, &claimed.url);
        let rel = self.pages.save(&r.final_url, version, &page.body, &meta)?;
        self.run.pages += 1;
        self.run.bytes += page.body.len() as u64;
        let mut done = done_of(
            r,
            Some(content_hash(&page.body)),
            Some(rel.to_string_lossy().into_owned()),
        );
        done.version = Some(version);
        Ok(done)
    }
}

fn done_of(r: &Response, hash: Option<String>, page_path: Option<String>) -> Done {
    Done {
        http_status: Some(r.status),
        final_url: Some(r.final_url.clone()),
        etag: r.etag.clone(),
        last_modified: r.last_modified.clone(),
        content_hash: hash,
        page_path,
        version: None,
    }
}

/// The `.meta.json` of a fetched page: final URL, the URL asked for when a redirect led
/// elsewhere, fetch time, content type, status, headers (lower-case names, repeated
/// headers joined with `, `). The crawl and `fixture add` write the same.
pub fn page_meta(r: &Response, requested: &Url) -> PageMeta {
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &r.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers
            .entry(name.as_str().to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    PageMeta {
        url: r.final_url.to_string(),
        requested_url: (r.final_url != *requested).then(|| requested.to_string()),
        fetched_at: Some(jiff::Timestamp::now().to_string()),
        content_type: r.content_type.clone(),
        status: Some(r.status),
        headers,
    }
}
