//! The storage step of a crawl: the single writer of pages, records and crawl state.
//!
//! Order per article: raw page (atomic files), then the record line, then one SQLite
//! transaction that marks the URL done and records the new length of `articles.jsonl`.
//! A kill at any point leaves either a committed page+record, or an uncommitted tail that
//! the next run cuts off and fetches again.

use super::CrawlError;
use super::process::Processed;
use super::summary::RunCounts;
use crate::fetch::{Page, Response};
use crate::frontier::state::{Claimed, CrawlState, Done, NewUrl, UrlState};
use crate::frontier::{Kind, normalize};
use crate::store::{PageMeta, PageStore, RecordLog, content_hash};
use std::collections::BTreeMap;
use url::Url;

/// Metadata key: length of `articles.jsonl` covered by committed state.
pub(crate) const RECORDS_LEN: &str = "records_len";

/// The single writer.
pub(crate) struct Sink<'a> {
    pub state: &'a CrawlState,
    pub pages: PageStore,
    pub log: RecordLog,
    pub max_depth: Option<u32>,
    pub run: RunCounts,
}

impl Sink<'_> {
    /// Store what one claimed URL came to.
    pub fn store(&mut self, processed: Processed) -> Result<(), CrawlError> {
        match processed {
            Processed::List {
                claimed,
                page,
                links,
            } => {
                let done = self.save_page(&claimed, &page)?;
                let mut new: Vec<NewUrl> = Vec::new();
                let depth_ok = self.max_depth.is_none_or(|m| claimed.depth < m);
                if depth_ok {
                    for url in &links.articles {
                        new.push(NewUrl::found(
                            url.clone(),
                            Kind::Article,
                            &claimed.url,
                            claimed.depth,
                        ));
                    }
                    for url in &links.pages {
                        new.push(NewUrl::found(
                            url.clone(),
                            Kind::List,
                            &claimed.url,
                            claimed.depth,
                        ));
                    }
                }
                let added = self.state.add_many(&new)?;
                tracing::debug!(
                    "{}: {} articles, {} list pages linked ({added} new)",
                    claimed.url,
                    links.articles.len(),
                    links.pages.len()
                );
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
                if let Some(a) = alias {
                    self.state.add(&NewUrl::found(
                        a.clone(),
                        Kind::Article,
                        &claimed.url,
                        claimed.depth,
                    ))?;
                }
                let done = self.save_page(&claimed, &page)?;
                record.fetched_at = Some(jiff::Timestamp::now().to_string());
                record.warc_record_id = page.response.record_id.clone();
                let len = self.log.append(&record)?;
                let urls: Vec<&Url> = std::iter::once(&claimed.url).chain(alias).collect();
                self.state.mark_all_done_and_set(
                    &urls,
                    &done,
                    Some((RECORDS_LEN, &len.to_string())),
                )?;
                self.run.articles += 1;
            }
            Processed::Other { claimed, page } => {
                let done = self.save_page(&claimed, &page)?;
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
            }
            Processed::Failed {
                claimed,
                cause,
                message,
                status,
            } => {
                tracing::warn!(
                    "{}: failed after {} attempt(s): {message}",
                    claimed.url,
                    claimed.attempts
                );
                self.state
                    .mark_failed(&claimed.url, &format!("{cause}: {message}"), status)?;
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

    /// Save the raw page and its meta; the state update is the caller's.
    fn save_page(&mut self, claimed: &Claimed, page: &Page) -> Result<Done, CrawlError> {
        let r = &page.response;
        let meta = PageMeta {
            url: r.final_url.to_string(),
            requested_url: (r.final_url != claimed.url).then(|| claimed.url.to_string()),
            fetched_at: Some(jiff::Timestamp::now().to_string()),
            content_type: r.content_type.clone(),
            status: Some(r.status),
            headers: headers_of(r),
        };
        let rel = self.pages.save(&r.final_url, 1, &page.body, &meta)?;
        self.run.pages += 1;
        self.run.bytes += page.body.len() as u64;
        Ok(done_of(
            r,
            Some(content_hash(&page.body)),
            Some(rel.to_string_lossy().into_owned()),
        ))
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
    }
}

/// Response headers with lower-case names; repeated headers joined with `, `.
fn headers_of(r: &Response) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &r.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        out.entry(name.as_str().to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    out
}
