//! What a crawl is asked to do.

use crate::extract::Extractor;
use crate::fetch::FetchConfig;
use crate::frontier::Scope;
use crate::frontier::pg::PgOptions;
use crate::store::warc::WarcConfig;
use std::path::PathBuf;
use url::Url;

/// A crawl's settings. Build one with [`CrawlConfig::new`] and adjust the public fields.
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    /// The output folder (`DIR`): `crawl.sqlite`, `pages/`, `articles.jsonl`, `summary.json`,
    /// and `warc/` with [`CrawlConfig::warc`].
    pub out: PathBuf,
    /// Start URLs (news list pages).
    pub start_urls: Vec<Url>,
    /// Hosts the crawl may visit.
    pub scope: Scope,
    /// The extractor for article pages (the same one `uninews extract` uses). Its profile
    /// choice also drives discovery: the list rules of the profile it picks for a list
    /// page's URL (none with `ProfileChoice::Off`, as `--no-profile` asks).
    pub extractor: Extractor,
    /// Politeness and robustness of the HTTP side.
    pub fetch: FetchConfig,
    /// Stop after this many pages have been fetched in this pass (a resumed pass counts
    /// what it fetched before; images and attachments do not count).
    pub max_pages: Option<u64>,
    /// Do not follow links further than this many hops from a start URL.
    pub max_depth: Option<u32>,
    /// Also archive every HTTP exchange as WARC records in `DIR/warc/` (`--warc`).
    pub warc: Option<WarcConfig>,
    /// How a crawl of a folder that was crawled before walks the site again.
    pub recrawl: Recrawl,
    /// Which files of stored articles are downloaded too (`--images`, `--attachments`).
    pub assets: AssetConfig,
    /// Limits that stop crawler traps (endless pagination, generated URLs).
    pub guards: TrapGuards,
    /// Where the crawl state lives: `DIR/crawl.sqlite` (the default), or a PostgreSQL
    /// frontier shared with other workers (`--frontier postgres://...`).
    pub frontier: FrontierConfig,
}

/// Where the crawl state lives.
#[derive(Debug, Clone, Default)]
pub enum FrontierConfig {
    /// `DIR/crawl.sqlite`: one process.
    #[default]
    Local,
    /// A shared frontier in PostgreSQL; this process is one worker of a fleet. Its
    /// `min_gap` is taken from the crawl's rate when left at zero.
    Postgres(PgOptions),
}

/// Default of [`TrapGuards::max_list_depth`].
pub const DEFAULT_MAX_LIST_DEPTH: u32 = 10_000;
/// Default of [`TrapGuards::max_urls_per_host`].
pub const DEFAULT_MAX_URLS_PER_HOST: u64 = 1_000_000;

/// Trap guards, on by default with limits no real news site reaches: a list page deeper
/// than `max_list_depth` hops queues no further list pages (its articles still count), and
/// a host gets at most `max_urls_per_host` new URLs per pass. Each time one triggers it is
/// counted in the summary (`guards`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrapGuards {
    /// Deepest list page (in hops from a start URL) whose pagination is still followed;
    /// `None` = no limit.
    pub max_list_depth: Option<u32>,
    /// New URLs queued per host in one pass; `None` = no limit.
    pub max_urls_per_host: Option<u64>,
}

impl Default for TrapGuards {
    fn default() -> Self {
        TrapGuards {
            max_list_depth: Some(DEFAULT_MAX_LIST_DEPTH),
            max_urls_per_host: Some(DEFAULT_MAX_URLS_PER_HOST),
        }
    }
}

/// Default of [`AssetConfig::max_image_bytes`]: 20 MiB.
pub const DEFAULT_MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;
/// Default of [`AssetConfig::max_attachment_bytes`]: 50 MiB.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: u64 = 50 * 1024 * 1024;

/// Mirroring of the files that stored articles refer to. Off by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetConfig {
    /// Download every content image of every stored article into `DIR/images/`.
    pub images: bool,
    /// Download every attachment into `DIR/attachments/`.
    pub attachments: bool,
    /// An image whose (decoded) body is larger fails with `body-too-large`.
    pub max_image_bytes: u64,
    /// The same for attachments.
    pub max_attachment_bytes: u64,
}

impl Default for AssetConfig {
    fn default() -> Self {
        AssetConfig {
            images: false,
            attachments: false,
            max_image_bytes: DEFAULT_MAX_IMAGE_BYTES,
            max_attachment_bytes: DEFAULT_MAX_ATTACHMENT_BYTES,
        }
    }
}

/// Re-crawl settings (a second and later pass over the same output folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recrawl {
    /// Stop walking a list's pagination after this many consecutive already-known
    /// articles (later passes only).
    pub stop_after_known: u32,
    /// Walk every list page (as the first pass does) instead of stopping early.
    pub full: bool,
    /// Skip articles whose list entry is dated before this day, and stop walking a list
    /// once a whole page is older.
    pub since: Option<jiff::civil::Date>,
    /// Re-validate every stored article with a conditional request; a changed page is
    /// stored as a new version and its record appended again.
    pub refresh: bool,
}

/// Default of [`Recrawl::stop_after_known`]: one typical list page of known articles.
pub const DEFAULT_STOP_AFTER_KNOWN: u32 = 20;

impl Default for Recrawl {
    fn default() -> Self {
        Recrawl {
            stop_after_known: DEFAULT_STOP_AFTER_KNOWN,
            full: false,
            since: None,
            refresh: false,
        }
    }
}

impl CrawlConfig {
    /// A crawl of `start_urls` into `out`, scoped to the start URLs' hosts, with polite
    /// defaults.
    pub fn new(out: impl Into<PathBuf>, start_urls: Vec<Url>, extractor: Extractor) -> Self {
        CrawlConfig {
            out: out.into(),
            scope: Scope::of_urls(&start_urls),
            start_urls,
            extractor,
            fetch: FetchConfig::default(),
            max_pages: None,
            max_depth: None,
            recrawl: Recrawl::default(),
            assets: AssetConfig::default(),
            guards: TrapGuards::default(),
            warc: None,
            frontier: FrontierConfig::Local,
        }
    }
}
