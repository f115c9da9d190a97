//! Asset rows: images and attachments of stored articles (`kind = 'asset'`), keyed by
//! their normalised URL like every other row. They are never queued: the crawl downloads
//! an asset when an article that refers to it is processed, and settles its row at once
//! (after the file is stored), so a later article, or a resumed crawl, finds it here and
//! does not download it again.
//!
//! A settled asset row is `done` (with `content_hash` and `page_path`, the file's path
//! relative to the crawl folder), `failed` (with `last_error`, `cause: message`) or
//! `skipped` (with `skip_reason`, e.g. `robots`). `fetched_run` is the pass that settled
//! it. Assets are left out of [`CrawlState::requeue_failed`]: there is no page to fetch
//! again, only a reference from an article.

use super::{CrawlState, NewUrl, StateError, host_of, now};
use crate::frontier::Kind;
use rusqlite::params;
use url::Url;

/// How an asset download ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetOutcome {
    /// Downloaded and stored.
    Stored {
        /// Where the file is, relative to the crawl folder (`images/ab/ab….jpg`).
        path: String,
        /// Hex SHA-256 of the bytes.
        content_hash: String,
        /// HTTP status.
        http_status: u16,
        /// The URL that answered (after redirects).
        final_url: Url,
    },
    /// Failed for good (after the fetcher's retries), too large, or not a file.
    Failed {
        /// `cause: message` (`http-500: …`, `body-too-large: …`).
        error: String,
        /// The last HTTP status, if one came.
        http_status: Option<u16>,
    },
    /// Not downloaded on purpose (`robots`).
    Skipped {
        /// Why.
        reason: String,
    },
}

/// Insert or update an asset row; rows of other kinds are left alone (the `WHERE`).
const SETTLE: &str = "
INSERT INTO urls (url, host, kind, priority, state, skip_reason, attempts, last_error, depth,
                  parent, http_status, final_url, content_hash, page_path, discovered_at,
                  updated_at, fetched_at, fetched_run, version)
VALUES (?1, ?2, 'asset', ?3, ?4, ?5, 1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15, ?16)
ON CONFLICT (url) DO UPDATE SET
    state = excluded.state, skip_reason = excluded.skip_reason,
    attempts = urls.attempts + 1, last_error = excluded.last_error,
    http_status = COALESCE(excluded.http_status, urls.http_status),
    final_url = excluded.final_url, content_hash = excluded.content_hash,
    page_path = excluded.page_path, updated_at = excluded.updated_at,
    fetched_at = COALESCE(excluded.fetched_at, urls.fetched_at),
    fetched_run = excluded.fetched_run, version = MAX(urls.version, excluded.version)
WHERE urls.kind = 'asset'";

impl CrawlState {
    /// Record how the download of asset `new` ended (one committed statement). Returns
    /// `false`, changing nothing, when the URL is already known as another kind (a page).
    pub fn settle_asset(&self, new: &NewUrl, outcome: &AssetOutcome) -> Result<bool, StateError> {
        let t = now();
        let (state, skip, error, status, final_url, hash, path, fetched_at, version) = match outcome
        {
            AssetOutcome::Stored {
                path,
                content_hash,
                http_status,
                final_url,
            } => (
                "done",
                None,
                None,
                Some(*http_status),
                Some(final_url.as_str()),
                Some(content_hash.as_str()),
                Some(path.as_str()),
                Some(t.as_str()),
                1,
            ),
            AssetOutcome::Failed { error, http_status } => (
                "failed",
                None,
                Some(error.as_str()),
                *http_status,
                None,
                None,
                None,
                None,
                0,
            ),
            AssetOutcome::Skipped { reason } => (
                "skipped",
                Some(reason.as_str()),
                None,
                None,
                None,
                None,
                None,
                None,
                0,
            ),
        };
        let conn = self.lock();
        let n = conn
            .prepare_cached(SETTLE)
            .and_then(|mut st| {
                st.execute(params![
                    new.url.as_str(),
                    host_of(&new.url),
                    Kind::Asset.priority(),
                    state,
                    skip,
                    error,
                    new.depth,
                    new.parent.as_ref().map(Url::as_str),
                    status,
                    final_url,
                    hash,
                    path,
                    t,
                    fetched_at,
                    self.run(),
                    version,
                ])
            })
            .map_err(self.err())?;
        Ok(n == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontier::state::UrlState;

    fn asset(u: &str) -> NewUrl {
        NewUrl::found(
            Url::parse(u).unwrap(),
            Kind::Asset,
            &Url::parse("http://x.edu.cn/info/1/2.htm").unwrap(),
            1,
        )
    }

    #[test]
    fn assets_are_settled_never_queued() {
        let s = CrawlState::open_in_memory().unwrap();
        s.begin_run(true).unwrap();
        let img = asset("http://img.x.edu.cn/a.jpg");
        let failed = AssetOutcome::Failed {
            error: "http-500: HTTP 500".into(),
            http_status: Some(500),
        };
        assert!(s.settle_asset(&img, &failed).unwrap());
        let row = s.get(&img.url).unwrap().unwrap();
        assert_eq!((row.kind, row.state), (Kind::Asset, UrlState::Failed));
        assert_eq!(row.last_error.as_deref(), Some("http-500: HTTP 500"));
        assert_eq!(row.parent.as_deref(), Some("http://x.edu.cn/info/1/2.htm"));
        assert_eq!((row.depth, row.fetched_run), (2, 1));
        assert!(s.claim(10).unwrap().is_empty(), "assets are never claimed");
        assert_eq!(s.requeue_failed().unwrap(), 0, "failed assets stay failed");
        assert_eq!(s.failures(10).unwrap()[0].kind, Kind::Asset);
        // A later download that works replaces the failure.
        let stored = AssetOutcome::Stored {
            path: "images/ab/ab.jpg".into(),
            content_hash: "ab".into(),
            http_status: 200,
            final_url: img.url.clone(),
        };
        assert!(s.settle_asset(&img, &stored).unwrap());
        let row = s.get(&img.url).unwrap().unwrap();
        assert_eq!(row.state, UrlState::Done);
        assert_eq!(row.page_path.as_deref(), Some("images/ab/ab.jpg"));
        assert_eq!((row.attempts, row.version), (2, 1));
        assert!(row.last_error.is_none() && row.fetched_at.is_some());
        let skipped = AssetOutcome::Skipped {
            reason: "robots".into(),
        };
        let other = asset("http://img.x.edu.cn/b.jpg");
        assert!(s.settle_asset(&other, &skipped).unwrap());
        let row = s.get(&other.url).unwrap().unwrap();
        assert_eq!(row.skip_reason.as_deref(), Some("robots"));
    }

    #[test]
    fn a_page_row_is_never_turned_into_an_asset() {
        let s = CrawlState::open_in_memory().unwrap();
        let page = NewUrl::start(Url::parse("http://x.edu.cn/a.pdf").unwrap(), Kind::Other);
        s.add(&page).unwrap();
        let failed = AssetOutcome::Failed {
            error: "x".into(),
            http_status: None,
        };
        assert!(
            !s.settle_asset(&asset("http://x.edu.cn/a.pdf"), &failed)
                .unwrap()
        );
        let row = s.get(&page.url).unwrap().unwrap();
        assert_eq!((row.kind, row.state), (Kind::Other, UrlState::Pending));
    }
}
