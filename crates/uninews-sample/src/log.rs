//! The server's request log: the most recent requests in full, and a count of every
//! request per path (and per path with query) that is never truncated, so a long crawl
//! of a large site can still be checked with "fetched exactly once".

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// Arrival time, since the server started.
    pub at: Duration,
    /// `GET`, `HEAD`, ...
    pub method: String,
    /// Path and query, as requested.
    pub path: String,
    /// The `Host` header.
    pub host: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// The `If-None-Match` header.
    pub if_none_match: Option<String>,
    /// The `If-Modified-Since` header.
    pub if_modified_since: Option<String>,
    /// The response status; `None` when the connection was reset without a response.
    pub status: Option<u16>,
    /// Names of the faults applied to this request (empty: none).
    pub faults: Vec<String>,
}

/// Records (the last `limit`) and complete per-path counts.
#[derive(Debug)]
pub(crate) struct RequestLog {
    records: VecDeque<RequestRecord>,
    limit: usize,
    by_path: HashMap<String, usize>,
    by_path_and_query: HashMap<String, usize>,
}

impl RequestLog {
    pub(crate) fn new(limit: usize) -> Self {
        RequestLog {
            records: VecDeque::new(),
            limit,
            by_path: HashMap::new(),
            by_path_and_query: HashMap::new(),
        }
    }

    pub(crate) fn push(&mut self, rec: RequestRecord) {
        let path = rec.path.split('?').next().unwrap_or(&rec.path);
        *self.by_path.entry(path.to_string()).or_default() += 1;
        if rec.path.contains('?') {
            *self.by_path_and_query.entry(rec.path.clone()).or_default() += 1;
        }
        if self.limit == 0 {
            return;
        }
        if self.records.len() == self.limit {
            self.records.pop_front();
        }
        self.records.push_back(rec);
    }

    pub(crate) fn records(&self) -> Vec<RequestRecord> {
        self.records.iter().cloned().collect()
    }

    /// Requests for `path`: compared with path and query when `path` has a `?`.
    pub(crate) fn count(&self, path: &str) -> usize {
        let map = if path.contains('?') {
            &self.by_path_and_query
        } else {
            &self.by_path
        };
        map.get(path).copied().unwrap_or(0)
    }

    pub(crate) fn clear(&mut self) {
        self.records.clear();
        self.by_path.clear();
        self.by_path_and_query.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(path: &str) -> RequestRecord {
        RequestRecord {
            at: Duration::ZERO,
            method: "GET".into(),
            path: path.into(),
            host: None,
            user_agent: None,
            if_none_match: None,
            if_modified_since: None,
            status: Some(200),
            faults: Vec::new(),
        }
    }

    #[test]
    fn counts_survive_the_record_limit() {
        let mut log = RequestLog::new(2);
        for p in ["/a", "/a", "/d?x=1", "/d?x=2", "/a"] {
            log.push(rec(p));
        }
        assert_eq!(log.records().len(), 2);
        assert_eq!(log.records()[1].path, "/a");
        assert_eq!(
            (
                log.count("/a"),
                log.count("/d"),
                log.count("/d?x=1"),
                log.count("/b")
            ),
            (3, 2, 1, 0)
        );
        log.clear();
        assert_eq!(log.count("/a"), 0);
    }
}
