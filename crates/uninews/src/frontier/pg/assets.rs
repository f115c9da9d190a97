//! Asset rows (images and attachments of stored articles) in the shared frontier: settled
//! on the side connection in one statement, never queued, never overwriting a page row.

use super::PgFrontier;
use super::urls::{INSERT_HOST, NewRow, int};
use crate::frontier::Kind;
use crate::frontier::backend::Frontier;
use crate::frontier::state::{AssetOutcome, NewUrl, StateError, now};

/// Insert or update an asset row; rows of other kinds are left alone (the `WHERE`).
const SETTLE: &str = "
INSERT INTO urls (url, host, kind, priority, state, skip_reason, attempts, last_error, depth,
                  parent, http_status, final_url, content_hash, page_path, discovered_at,
                  updated_at, fetched_at, fetched_run, version)
VALUES ($1, $2, 'asset', $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16)
ON CONFLICT (url) DO UPDATE SET
    state = excluded.state, skip_reason = excluded.skip_reason,
    attempts = urls.attempts + 1, last_error = excluded.last_error,
    http_status = COALESCE(excluded.http_status, urls.http_status),
    final_url = excluded.final_url, content_hash = excluded.content_hash,
    page_path = excluded.page_path, updated_at = excluded.updated_at,
    fetched_at = COALESCE(excluded.fetched_at, urls.fetched_at),
    fetched_run = excluded.fetched_run, version = GREATEST(urls.version, excluded.version)
WHERE urls.kind = 'asset'";

/// The columns an asset's outcome sets.
#[derive(Default)]
struct Settled {
    state: &'static str,
    skip: Option<String>,
    error: Option<String>,
    status: Option<i32>,
    final_url: Option<String>,
    hash: Option<String>,
    path: Option<String>,
    fetched_at: Option<String>,
    version: i32,
}

impl PgFrontier {
    /// Record how the download of asset `new` ended; `false` when the URL is a page.
    pub(super) fn settle(&self, new: &NewUrl, outcome: &AssetOutcome) -> Result<bool, StateError> {
        let r = NewRow::of(new);
        let t = now();
        let mut a = Settled {
            state: "done",
            ..Settled::default()
        };
        match outcome {
            AssetOutcome::Stored {
                path,
                content_hash,
                http_status,
                final_url,
            } => {
                a.status = Some(i32::from(*http_status));
                a.final_url = Some(final_url.to_string());
                a.hash = Some(content_hash.clone());
                a.path = Some(path.clone());
                a.fetched_at = Some(t.clone());
                a.version = 1;
            }
            AssetOutcome::Failed { error, http_status } => {
                a.state = "failed";
                a.error = Some(error.clone());
                a.status = http_status.map(i32::from);
            }
            AssetOutcome::Skipped { reason } => {
                a.state = "skipped";
                a.skip = Some(reason.clone());
            }
        }
        let Settled {
            state,
            skip,
            error,
            status,
            final_url,
            hash,
            path,
            fetched_at,
            version,
        } = a;
        let run = int(self.run());
        let priority = Kind::Asset.priority() as i32;
        let n = self.side.call(move |s| {
            s.tx(|s| {
                let n = s.execute(
                    SETTLE,
                    &[
                        &r.url,
                        &r.host,
                        &priority,
                        &state,
                        &skip,
                        &error,
                        &r.depth,
                        &r.parent,
                        &status,
                        &final_url,
                        &hash,
                        &path,
                        &t,
                        &fetched_at,
                        &run,
                        &version,
                    ],
                )?;
                s.execute(INSERT_HOST, &[&r.host])?;
                Ok(n)
            })
        })?;
        Ok(n == 1)
    }
}
