//! [`WarcArchiver`]: the fetcher's [`ExchangeRecorder`] that writes WARC records.
//!
//! Per exchange (each attempt that got a response, each redirect hop, robots.txt):
//! - a `request` record (`WARC-Concurrent-To` names the response's record), then
//! - a `response` record with the head and the body as received; a body the fetcher did
//!   not read, or not all of (non-HTML to an HTML-only request, a 429/5xx about to be
//!   retried, over the size cap) is stored as far as it was read, with
//!   `WARC-Truncated: length`; one that broke off gets `WARC-Truncated: disconnect`.
//!   `WARC-Payload-Digest` is given for whole payloads only;
//! - or a `revisit` record instead of the response (the decision is [`decide`]):
//!   - `identical-payload-digest` profile: a whole 2xx payload whose digest equals the
//!     one last archived for the same URL (the [`index`](super::index));
//!   - `server-not-modified` profile: a `304 Not Modified` answer, referring to the last
//!     archived response of the URL when there is one.
//!
//!   A revisit holds the response head only; `WARC-Refers-To`,
//!   `WARC-Refers-To-Target-URI` and `WARC-Refers-To-Date` name the record it stands for.
//!
//! All writes go through one mutex (one writer); after the first failure nothing more is
//! written and [`WarcArchiver::check`] reports it, so the crawl can stop.

use super::http::{request_block, response_head};
use super::index::{Entry, INDEX_FILE, RevisitIndex};
use super::record::{WarcRecord, new_record_id, sha1_digest, warc_date};
use super::writer::WarcWriter;
use super::{WarcConfig, WarcError};
use crate::fetch::{BodyEnd, Exchange, ExchangeRecorder, FetchConfig, RecordError};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// `WARC-Profile` of a revisit whose payload equals an archived one.
pub const PROFILE_IDENTICAL: &str =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
/// `WARC-Profile` of a revisit for a `304 Not Modified`.
pub const PROFILE_NOT_MODIFIED: &str =
    "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

/// What to write for a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// A full `response` record.
    Response,
    /// A `revisit` (identical-payload-digest) referring to this earlier response.
    Identical(Entry),
    /// A `revisit` (server-not-modified), referring to the earlier response if known.
    NotModified(Option<Entry>),
}

/// Decide between `response` and `revisit` for a response of `status` whose whole
/// payload has `digest` (`None`: not whole), given the URL's last archived response.
pub fn decide(status: u16, digest: Option<&str>, previous: Option<&Entry>) -> Decision {
    if status == 304 {
        return Decision::NotModified(previous.cloned());
    }
    match (digest, previous) {
        (Some(d), Some(p)) if (200..300).contains(&status) && p.digest == d => {
            Decision::Identical(p.clone())
        }
        _ => Decision::Response,
    }
}

/// The writer and the index, behind one lock.
#[derive(Debug)]
struct State {
    writer: WarcWriter,
    index: RevisitIndex,
}

/// Writes every exchange of a fetcher as WARC records into one folder.
#[derive(Debug)]
pub struct WarcArchiver {
    dir: PathBuf,
    state: Mutex<State>,
    stopped: Mutex<Option<String>>,
}

impl WarcArchiver {
    /// Open the WARC folder `dir` for a crawl fetching with `fetch` (its User-Agent and
    /// robots policy go into each file's `warcinfo`). Repairs files a crash left open.
    pub fn open(
        dir: &Path,
        config: &WarcConfig,
        fetch: &FetchConfig,
    ) -> Result<WarcArchiver, WarcError> {
        let info = vec![
            (
                "robots".to_string(),
                if fetch.obey_robots {
                    "classic"
                } else {
                    "ignore"
                }
                .to_string(),
            ),
            (
                "http-header-user-agent".to_string(),
                fetch.user_agent.clone(),
            ),
        ];
        WarcArchiver::open_with_info(dir, config, info)
    }

    /// [`WarcArchiver::open`] with the extra `warcinfo` fields given.
    pub fn open_with_info(
        dir: &Path,
        config: &WarcConfig,
        info: Vec<(String, String)>,
    ) -> Result<WarcArchiver, WarcError> {
        let writer = WarcWriter::open(dir, config.max_file_size, info)?;
        let index = RevisitIndex::open(&dir.join(INDEX_FILE))?;
        Ok(WarcArchiver {
            dir: dir.to_path_buf(),
            state: Mutex::new(State { writer, index }),
            stopped: Mutex::new(None),
        })
    }

    /// The WARC folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Every write either completes or is cut back, so a poisoned lock is safe to reuse.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `Err` once a write has failed (nothing is written after that).
    pub fn check(&self) -> Result<(), WarcError> {
        match &*self.stopped.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(m) => Err(WarcError::Stopped(m.clone())),
            None => Ok(()),
        }
    }

    /// Close the file being written (the next record starts a new one), then report any
    /// earlier failure.
    pub fn close(&self) -> Result<(), WarcError> {
        self.state().writer.close()?;
        self.check()
    }

    /// Files closed so far by this recorder.
    pub fn closed_files(&self) -> Vec<PathBuf> {
        self.state().writer.closed().to_vec()
    }

    fn stop(&self, e: &WarcError) {
        let mut s = self.stopped.lock().unwrap_or_else(|p| p.into_inner());
        if s.is_none() {
            *s = Some(e.to_string());
        }
    }

    /// Write one exchange; returns the response (or revisit) record's ID.
    pub fn write(&self, ex: &Exchange<'_>) -> Result<String, WarcError> {
        self.check()?;
        let result = self.write_records(ex);
        if let Err(e) = &result {
            self.stop(e);
        }
        result
    }

    fn write_records(&self, ex: &Exchange<'_>) -> Result<String, WarcError> {
        let io = |e| WarcError::io(&self.dir)(e);
        let date = warc_date(ex.started_at);
        let uri = ex.url.as_str();
        let ip = ex.remote_ip.map(|ip| ip.to_string());
        let (req_id, resp_id) = (new_record_id(), new_record_id());
        let whole = ex.body_end == BodyEnd::Complete;
        let digest = whole.then(|| sha1_digest(ex.body));

        let block = request_block(ex);
        let mut request = WarcRecord::new("request", &req_id, &date)
            .field("WARC-Target-URI", uri)
            .field_opt("WARC-IP-Address", ip.clone())
            .field("WARC-Concurrent-To", resp_id.clone())
            .field("WARC-Block-Digest", sha1_digest(&block))
            .field("Content-Type", "application/http; msgtype=request");
        request.block = block;
        let request = request.to_gzip().map_err(io)?;

        let previous = self.state().index.get(uri)?;
        let decision = decide(ex.status.as_u16(), digest.as_deref(), previous.as_ref());
        let mut head = response_head(ex, ex.body.len());
        let response = match &decision {
            Decision::Response => {
                head.extend_from_slice(ex.body);
                let truncated = match ex.body_end {
                    BodyEnd::Complete => None,
                    BodyEnd::NotRead => Some("length"),
                    BodyEnd::Broken => Some("disconnect"),
                };
                WarcRecord::new("response", &resp_id, &date)
                    .field("WARC-Target-URI", uri)
                    .field_opt("WARC-IP-Address", ip)
                    .field_opt("WARC-Truncated", truncated)
                    .field("WARC-Block-Digest", sha1_digest(&head))
                    .field_opt("WARC-Payload-Digest", digest.clone())
            }
            Decision::Identical(p) | Decision::NotModified(Some(p)) => {
                let profile = match decision {
                    Decision::Identical(_) => PROFILE_IDENTICAL,
                    _ => PROFILE_NOT_MODIFIED,
                };
                WarcRecord::new("revisit", &resp_id, &date)
                    .field("WARC-Target-URI", uri)
                    .field_opt("WARC-IP-Address", ip)
                    .field("WARC-Profile", profile)
                    .field("WARC-Refers-To", p.record_id.clone())
                    .field("WARC-Refers-To-Target-URI", uri)
                    .field("WARC-Refers-To-Date", p.date.clone())
                    .field("WARC-Block-Digest", sha1_digest(&head))
                    .field("WARC-Payload-Digest", p.digest.clone())
            }
            Decision::NotModified(None) => WarcRecord::new("revisit", &resp_id, &date)
                .field("WARC-Target-URI", uri)
                .field_opt("WARC-IP-Address", ip)
                .field("WARC-Profile", PROFILE_NOT_MODIFIED)
                .field("WARC-Block-Digest", sha1_digest(&head)),
        }
        .field("Content-Type", "application/http; msgtype=response");
        let response = WarcRecord {
            block: head,
            ..response
        }
        .to_gzip()
        .map_err(io)?;

        let mut state = self.state();
        state.writer.append(&[&request, &response])?;
        // Only now that the record is in its file may the index name it.
        match (&decision, digest) {
            (Decision::Response, Some(digest)) if ex.status.is_success() => {
                let entry = Entry {
                    record_id: resp_id.clone(),
                    digest,
                    date,
                };
                state.index.put(uri, &entry)?;
            }
            _ => {}
        }
        Ok(resp_id)
    }
}

impl ExchangeRecorder for WarcArchiver {
    fn record(&self, exchange: &Exchange<'_>) -> Result<Option<String>, RecordError> {
        Ok(Some(self.write(exchange)?))
    }
}

#[cfg(test)]
#[path = "archiver_tests.rs"]
mod tests;
