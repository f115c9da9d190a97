//! Images and attachments of stored articles (`--images`, `--attachments`).
//!
//! **When.** An article's task, after extraction and before the record goes to the sink,
//! downloads the files the record refers to through the crawl's shared [`Fetcher`] (so
//! the per-host rate limit, the concurrency caps, robots.txt and retries apply to them
//! exactly as to pages), stores each one content-addressed ([`AssetStore`]:
//! `DIR/images/<h2>/<sha256>.<ext>`, `DIR/attachments/…`) and fills in the record's
//! `local` paths. The sink then writes the record once, complete, as before: a record is
//! never rewritten, so `articles.jsonl` stays append-only.
//!
//! **Once per URL.** Every asset gets a row in the crawl state (kind `asset`, keyed by
//! its normalised URL), settled right after its file is written. A later article that
//! refers to the same URL, in this run, a resumed run or a later pass, takes the path
//! from the row and downloads nothing (unless the file has gone missing). Downloads in
//! progress are shared through a map of in-flight URLs whose entries are removed once
//! their row is settled, so memory does not grow with the crawl: an image shared by
//! articles being processed at the same moment is downloaded once too. The same bytes
//! under two URLs are one file (the store's name is the hash).
//!
//! **Kill safety.** File (atomic write), then its row; then, as before, the record line,
//! then the article's done mark. A kill leaves at worst a stored file without a row (its
//! download is repeated on resume and lands on the same name), never a row without its
//! file, and never a record whose `local` files are missing.
//!
//! **Hosts.** Assets may live on any host (an image server or CDN of the university):
//! asset requests are not confined to the crawl's scope, and neither are their
//! redirects; each host gets its own rate limiter and its robots.txt is obeyed, as for
//! pages. Only http(s) URLs are downloaded (`data:` images get no `local`).
//!
//! **Failures are never fatal.** A download that fails after its retries, a body over the
//! cap (`body-too-large`), an HTML page served instead of the file (`not-a-file`) or a
//! write error (`store`) settles the row as `failed` with `cause: message`; robots.txt
//! makes it `skipped`. The record's entry then has no `local`, and the crawl goes on. A
//! failed asset is not tried again in the same pass (other articles that refer to it get
//! no `local` either); a later pass over the folder tries again when an article refers
//! to it. Failed assets are listed with the run's failed URLs (kind `asset`), so they
//! count toward the exit code 5 ("partly done").
//!
//! **Memory.** A body is held in memory while it downloads (at most the cap, per request
//! in flight; the fetcher's global concurrency bounds how many).

use super::config::AssetConfig;
use super::process::Processed;
use super::summary::AssetCounts;
use crate::fetch::{Fetcher, Outcome, Page, Request};
use crate::frontier::Frontier;
use crate::frontier::state::{AssetOutcome, Claimed, NewUrl, UrlState};
use crate::frontier::{Kind, normalize};
use crate::record::Record;
use crate::store::AssetStore;
use crate::store::assets::{extension, is_html_instead};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;
use url::Url;

/// The images' folder inside the crawl folder.
pub const IMAGES_DIR: &str = "images";
/// The attachments' folder inside the crawl folder.
pub const ATTACHMENTS_DIR: &str = "attachments";

/// Where a stored asset is, relative to the crawl folder; `None`: not stored.
type Local = Option<String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Image,
    Attachment,
}

/// Downloads the assets of articles; shared by all article tasks of a crawl.
#[derive(Debug)]
pub(crate) struct Mirror {
    fetcher: Fetcher,
    state: Arc<dyn Frontier>,
    config: AssetConfig,
    out: PathBuf,
    images: AssetStore,
    attachments: AssetStore,
    /// Downloads in progress, by URL.
    inflight: Mutex<HashMap<String, Arc<OnceCell<Local>>>>,
    counts: Counters,
}

#[derive(Debug, Default)]
struct Counters {
    downloaded: AtomicU64,
    new_files: AtomicU64,
    reused: AtomicU64,
    failed: AtomicU64,
    skipped: AtomicU64,
    bytes: AtomicU64,
}

fn bump(c: &AtomicU64, n: u64) {
    c.fetch_add(n, Ordering::Relaxed);
}

/// The state key of an asset reference: its normalised http(s) URL.
fn key(src: &str) -> Option<Url> {
    Url::parse(src).ok().and_then(|u| normalize(&u, &[]))
}

impl Mirror {
    /// A mirror for a crawl into `out`, or `None` when neither images nor attachments are
    /// asked for.
    pub fn new(
        out: &Path,
        config: &AssetConfig,
        fetcher: &Fetcher,
        state: &Arc<dyn Frontier>,
    ) -> Option<Arc<Mirror>> {
        (config.images || config.attachments).then(|| {
            Arc::new(Mirror {
                fetcher: fetcher.clone(),
                state: state.clone(),
                config: config.clone(),
                out: out.to_path_buf(),
                images: AssetStore::new(out, IMAGES_DIR),
                attachments: AssetStore::new(out, ATTACHMENTS_DIR),
                inflight: Mutex::new(HashMap::new()),
                counts: Counters::default(),
            })
        })
    }

    /// This run's counters so far.
    pub fn counts(&self) -> AssetCounts {
        let c = &self.counts;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        AssetCounts {
            downloaded: get(&c.downloaded),
            new_files: get(&c.new_files),
            reused: get(&c.reused),
            failed: get(&c.failed),
            skipped: get(&c.skipped),
            bytes: get(&c.bytes),
        }
    }

    /// For an article: download its assets and fill in the record's `local` paths.
    /// Anything else passes through unchanged.
    pub async fn complete(&self, mut processed: Processed) -> Processed {
        if let Processed::Article {
            claimed, record, ..
        } = &mut processed
        {
            self.fill(claimed, record).await;
        }
        processed
    }

    async fn fill(&self, article: &Claimed, record: &mut Record) {
        let mut jobs: Vec<(Url, Class, Option<&str>)> = Vec::new();
        let mut add = |src: &str, class, name| {
            if let Some(u) = key(src)
                && !jobs.iter().any(|j| j.0 == u)
            {
                jobs.push((u, class, name));
            }
        };
        if self.config.images {
            for im in &record.images {
                add(&im.src, Class::Image, None);
            }
        }
        if self.config.attachments {
            for a in &record.attachments {
                add(&a.url, Class::Attachment, Some(&a.name));
            }
        }
        if jobs.is_empty() {
            return;
        }
        let results = futures_util::future::join_all(
            jobs.iter()
                .map(|(url, class, name)| self.one(article, url, *class, *name)),
        )
        .await;
        let found: HashMap<String, String> = jobs
            .iter()
            .zip(results)
            .filter_map(|((url, ..), local)| Some((url.to_string(), local?)))
            .collect();
        let local_of = |src: &str| key(src).and_then(|u| found.get(u.as_str()).cloned());
        if self.config.images {
            for im in &mut record.images {
                im.local = local_of(&im.src);
            }
        }
        if self.config.attachments {
            for a in &mut record.attachments {
                a.local = local_of(&a.url);
            }
        }
    }

    /// The local path of one asset: from the state, from a download in progress, or
    /// downloaded now.
    async fn one(&self, article: &Claimed, url: &Url, class: Class, name: Option<&str>) -> Local {
        let cell = {
            let mut inflight = self.inflight.lock().unwrap_or_else(|p| p.into_inner());
            match inflight.get(url.as_str()) {
                Some(cell) => cell.clone(),
                // Looked up under the lock: a row is settled before its entry is removed,
                // so a URL is either in the map or (once settled) in the state.
                None => match self.known(url) {
                    Some(local) => {
                        if local.is_some() {
                            bump(&self.counts.reused, 1);
                        }
                        return local;
                    }
                    None => {
                        let cell = Arc::new(OnceCell::new());
                        inflight.insert(url.to_string(), cell.clone());
                        cell
                    }
                },
            }
        };
        let mine = AtomicBool::new(false);
        let local = cell
            .get_or_init(|| async {
                mine.store(true, Ordering::Relaxed);
                let local = self.download(article, url, class, name).await;
                self.inflight
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(url.as_str());
                local
            })
            .await
            .clone();
        if local.is_some() && !mine.load(Ordering::Relaxed) {
            bump(&self.counts.reused, 1);
        }
        local
    }

    /// What the state knows: `Some(local)` when the asset is settled for this pass (stored,
    /// or failed/skipped in this pass), `None` when it must be downloaded.
    fn known(&self, url: &Url) -> Option<Local> {
        let row = match self.state.get(url) {
            Ok(row) => row?,
            Err(e) => {
                tracing::warn!("{url}: cannot read the crawl state ({e}); downloading");
                return None;
            }
        };
        if row.kind != Kind::Asset {
            tracing::debug!(
                "{url}: known to the crawl as a {} page; no local copy",
                row.kind
            );
            return Some(None);
        }
        match row.state {
            UrlState::Done => match row.page_path {
                Some(p) if self.out.join(&p).is_file() => Some(Some(p)),
                Some(p) => {
                    tracing::warn!("{url}: stored file {p} is missing; downloading again");
                    None
                }
                None => None,
            },
            UrlState::Failed | UrlState::Skipped if row.fetched_run >= self.state.run() => {
                Some(None)
            }
            _ => None,
        }
    }

    async fn download(
        &self,
        article: &Claimed,
        url: &Url,
        class: Class,
        name: Option<&str>,
    ) -> Local {
        let (cap, store) = match class {
            Class::Image => (self.config.max_image_bytes, &self.images),
            Class::Attachment => (self.config.max_attachment_bytes, &self.attachments),
        };
        let outcome = self
            .fetcher
            .fetch(&Request::new(url.clone()).max_body(cap))
            .await;
        let settled = match outcome {
            Outcome::Page(page) => self.store(store, page, name).await,
            Outcome::Skipped(s) => AssetOutcome::Skipped {
                reason: s.reason.as_str().to_string(),
            },
            Outcome::NotModified(r) => AssetOutcome::Failed {
                error: format!(
                    "unexpected-304: {}: 304 to an unconditional request",
                    r.final_url
                ),
                http_status: Some(304),
            },
            Outcome::Failed(f) => AssetOutcome::Failed {
                error: format!("{}: {}", f.error.cause(), f.error),
                http_status: f.status,
            },
        };
        let c = &self.counts;
        match &settled {
            AssetOutcome::Stored { .. } => bump(&c.downloaded, 1),
            AssetOutcome::Failed { error, .. } => {
                tracing::warn!("{url} (in {}): not stored: {error}", article.url);
                bump(&c.failed, 1);
            }
            AssetOutcome::Skipped { reason } => {
                tracing::info!("{url} (in {}): skipped, {reason}", article.url);
                bump(&c.skipped, 1);
            }
        }
        let new = NewUrl::found(url.clone(), Kind::Asset, &article.url, article.depth);
        match self.state.settle_asset(&new, &settled) {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                "{url}: known to the crawl as a page; its download as an asset is not recorded"
            ),
            Err(e) => tracing::warn!("{url}: cannot record the asset in the crawl state: {e}"),
        }
        match settled {
            AssetOutcome::Stored { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Check and store a downloaded body (hashing and writing off the async threads).
    async fn store(&self, store: &AssetStore, page: Page, name: Option<&str>) -> AssetOutcome {
        let r = page.response;
        if is_html_instead(&page.body, r.content_type.as_deref()) {
            return AssetOutcome::Failed {
                error: format!(
                    "not-a-file: {}: an HTML page ({}) instead of the file",
                    r.final_url,
                    r.content_type.as_deref().unwrap_or_default()
                ),
                http_status: Some(r.status),
            };
        }
        let ext = extension(&page.body, r.content_type.as_deref(), &r.final_url, name);
        let (store, body) = (store.clone(), page.body);
        let len = body.len() as u64;
        let failed = |error: String| AssetOutcome::Failed {
            error,
            http_status: Some(r.status),
        };
        match tokio::task::spawn_blocking(move || store.save(&body, &ext)).await {
            Ok(Ok(file)) => {
                bump(&self.counts.bytes, len);
                if file.new {
                    bump(&self.counts.new_files, 1);
                }
                AssetOutcome::Stored {
                    path: file.rel,
                    content_hash: file.hash,
                    http_status: r.status,
                    final_url: r.final_url.clone(),
                }
            }
            Ok(Err(e)) => failed(format!("store: {e}")),
            Err(e) => failed(format!("internal: storing panicked: {e}")),
        }
    }
}
