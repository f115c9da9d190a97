//! Read-side queries over everything a crawl stored, for tools that work on a finished
//! crawl folder (fixtures from a crawl, `uninews serve`): one pass over the table, no
//! per-URL round trips.

use super::{CrawlState, StateError};
use crate::frontier::Kind;

/// A URL whose response is stored on disk (state `done` with a `page_path`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUrl {
    /// The URL (normalised, as the crawl keyed it).
    pub url: String,
    /// Its kind.
    pub kind: Kind,
    /// The URL that answered, when a redirect led elsewhere (`None` when it is `url`).
    pub final_url: Option<String>,
    /// Where the response is stored (relative to `DIR/pages/` for pages): the latest
    /// version when the page was stored several times.
    pub page_path: String,
    /// The number of stored versions (0 for rows written before versions were counted).
    pub version: u32,
    /// Where it was found (a list page for articles).
    pub parent: Option<String>,
}

impl CrawlState {
    /// Every URL whose response is stored, in discovery order.
    pub fn stored_urls(&self) -> Result<Vec<StoredUrl>, StateError> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached(
                "SELECT url, kind, final_url, page_path, version, parent FROM urls
                 WHERE state = 'done' AND page_path IS NOT NULL ORDER BY id",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (url, kind, final_url, page_path, version, parent) = row.map_err(self.err())?;
            let kind = Kind::parse(&kind).ok_or_else(|| StateError::Corrupt {
                path: self.path().to_path_buf(),
                message: format!("{url}: unknown kind {kind:?}"),
            })?;
            let final_url = final_url.filter(|f| *f != url);
            out.push(StoredUrl {
                url,
                kind,
                final_url,
                page_path,
                version,
                parent,
            });
        }
        Ok(out)
    }

    /// The URLs skipped for `reason` (`robots`, `off-scope`, `not-html`), in discovery
    /// order.
    pub fn skipped_urls(&self, reason: &str) -> Result<Vec<String>, StateError> {
        let conn = self.lock();
        let mut st = conn
            .prepare_cached(
                "SELECT url FROM urls WHERE state = 'skipped' AND skip_reason = ?1 ORDER BY id",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map([reason], |r| r.get::<_, String>(0))
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }
}
