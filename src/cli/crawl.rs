//! `uninews crawl`: mirror news sites politely into an output folder.

use super::parse;
use super::progress::CrawlProgress;
use super::{CliError, Exit, WithExit};
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use uninews::crawl::{self, CrawlConfig, FrontierConfig, Summary};
use uninews::extract::{Extractor, ProfileChoice};
use uninews::fetch::{DEFAULT_USER_AGENT, FetchConfig};
use uninews::frontier::Scope;
use uninews::frontier::pg::PgOptions;
use uninews::frontier::state::StateError;
use uninews::selectors::ProfileSet;
use url::Url;

/// Arguments of `uninews crawl`.
#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// Start URLs (news list pages). Without --profile the crawl stays on their hosts and
    /// recognises VSB/WebPlus list and article pages by itself.
    #[arg(value_name = "URL")]
    pub urls: Vec<Url>,
    /// Crawl the sites of these profiles (name or path to a .toml; repeatable): their
    /// start URLs, hosts and list rules.
    #[arg(long, value_name = "NAME|PATH")]
    pub profile: Vec<String>,
    /// Read more start URLs from FILE: one per line, `#` starts a comment line
    /// (crawl hundreds of sites at once).
    #[arg(long, value_name = "FILE")]
    pub start_urls: Option<PathBuf>,
    /// The output folder (created; an existing crawl there is resumed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Requests per second per host (`unlimited`: no limit; only for your own servers).
    #[arg(long, default_value = "1", value_name = "R", value_parser = parse::rate)]
    pub rate: f64,
    /// Requests in flight per host.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub concurrency: usize,
    /// Requests on the wire over all hosts (requests waiting for a host's rate limit
    /// take no slot).
    #[arg(long, default_value_t = uninews::fetch::DEFAULT_GLOBAL_CONCURRENCY, value_name = "N")]
    pub global_concurrency: usize,
    /// Stop after this many pages in this pass over the site (a resumed pass counts what
    /// it fetched before the interruption; a re-crawl starts counting again).
    #[arg(long, value_name = "N")]
    pub max_pages: Option<u64>,
    /// Follow links at most this many hops from a start URL.
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,
    /// Trap guard: list pages deeper than this many hops do not have their pagination
    /// followed (`0` = no limit).
    #[arg(long, default_value_t = uninews::crawl::DEFAULT_MAX_LIST_DEPTH, value_name = "N")]
    pub max_list_depth: u32,
    /// Trap guard: at most this many new URLs per host in one pass (`0` = no limit).
    #[arg(long, default_value_t = uninews::crawl::DEFAULT_MAX_URLS_PER_HOST, value_name = "N")]
    pub max_urls_per_host: u64,
    /// The User-Agent header (identify yourself; robots.txt rules match its first word).
    #[arg(long, default_value = DEFAULT_USER_AGENT, value_name = "UA")]
    pub user_agent: String,
    /// Ignore robots.txt. Only for sites you own or have permission to crawl.
    #[arg(long)]
    pub no_robots: bool,
    /// Follow links and redirects to the crawl's hosts on any port. By default the scope
    /// is each start URL's origin: its host on its port (80/443 when it names none).
    #[arg(long)]
    pub any_port: bool,
    /// Attempts per URL (first try included) before it is recorded as failed.
    #[arg(long, default_value_t = uninews::fetch::config::DEFAULT_MAX_ATTEMPTS, value_name = "N")]
    pub max_attempts: u32,
    /// On a folder crawled before: stop walking a list's pages after N consecutive
    /// articles that are already stored.
    #[arg(long, default_value_t = uninews::crawl::DEFAULT_STOP_AFTER_KNOWN, value_name = "N")]
    pub stop_after_known: u32,
    /// On a folder crawled before: walk every list page again (new articles are still
    /// the only ones fetched).
    #[arg(long)]
    pub full: bool,
    /// Skip articles whose list entry is dated before DATE (YYYY-MM-DD), and stop walking
    /// a list at its first page that is older.
    #[arg(long, value_name = "DATE")]
    pub since: Option<jiff::civil::Date>,
    /// Re-validate every stored article (If-None-Match / If-Modified-Since): a 304 keeps
    /// the stored page; a changed page is stored as a new version and its record appended
    /// again with the next `version`.
    #[arg(long)]
    pub refresh: bool,
    /// Use no site profile (built-in CMS rules and generic extraction only).
    #[arg(long, conflicts_with = "profile")]
    pub no_profile: bool,
    /// Also load every profile in DIR.
    #[arg(long, value_name = "DIR")]
    pub selectors: Option<PathBuf>,
    /// Download every content image of the stored articles into DIR/images/ (once per
    /// URL, one file per content, named by its SHA-256); records give each image's
    /// `local` path. Images may come from other hosts, each with its own rate limit.
    #[arg(long)]
    pub images: bool,
    /// Download every attachment of the stored articles into DIR/attachments/, the same way.
    #[arg(long)]
    pub attachments: bool,
    /// Largest image downloaded (bytes; see --warc-max-size for units); a larger one is
    /// recorded as failed.
    #[arg(long, default_value = "20MiB", value_name = "SIZE", value_parser = parse::size)]
    pub max_image_bytes: u64,
    /// Largest attachment downloaded (as --max-image-bytes).
    #[arg(long, default_value = "50MiB", value_name = "SIZE", value_parser = parse::size)]
    pub max_attachment_bytes: u64,
    /// Also archive every HTTP exchange as WARC/1.1 records in DIR/warc/*.warc.gz.
    #[arg(long)]
    pub warc: bool,
    /// Start a new WARC file once one reaches this size (bytes; K, M, G are powers of
    /// 1000, KiB, MiB, GiB powers of 1024).
    #[arg(long, value_name = "SIZE", requires = "warc", value_parser = parse::size,
          default_value_t = uninews::store::warc::DEFAULT_MAX_FILE_SIZE)]
    pub warc_max_size: u64,
    /// After the crawl, save K stored articles per site (spread over its templates and
    /// columns) as fixtures with their proposed records, for review.
    #[arg(long, value_name = "K")]
    pub fixtures: Option<usize>,
    /// Where --fixtures saves them (DIR/<site>/).
    #[arg(long, default_value = "fixtures", value_name = "DIR")]
    pub fixtures_dir: PathBuf,
    /// Keep the crawl state in a PostgreSQL frontier shared with other workers
    /// (postgres://user:password@host:port/database) instead of DIR/crawl.sqlite. Raw
    /// pages and articles.jsonl still go to --out; records also go to the database.
    #[arg(long, value_name = "URL", requires = "worker")]
    pub frontier: Option<String>,
    /// This worker's name in the fleet (unique; reuse it to resume after a crash).
    #[arg(long, value_name = "NAME", requires = "frontier")]
    pub worker: Option<String>,
    /// Seconds a host lease lasts without renewal (a killed worker's hosts move to
    /// others after this long). Renewed every third of it, at least every 5 s.
    #[arg(
        long,
        default_value_t = 30.0,
        value_name = "SECS",
        requires = "frontier"
    )]
    pub lease: f64,
}

/// Run `uninews crawl`.
pub fn run(args: CrawlArgs) -> Result<Exit, CliError> {
    let config = build_config(&args)?;
    let hosts: std::collections::HashSet<_> = config
        .start_urls
        .iter()
        .filter_map(|u| u.host_str())
        .collect();
    super::limits::raise_open_files(
        hosts.len(),
        config.fetch.per_host_concurrency,
        config.fetch.global_concurrency,
    );
    if args.rate.is_infinite() {
        tracing::warn!("--rate unlimited: no rate limit. Only do this against servers you run.");
    }
    if args.no_robots {
        tracing::warn!(
            "--no-robots: robots.txt is IGNORED. Only do this on sites you own or may crawl."
        );
    }
    let summary = run_crawl(config)?;
    report(&summary);
    match args.fixtures {
        Some(_) if summary.interrupted => {
            tracing::warn!("crawl interrupted: no fixtures saved (run the same command again)")
        }
        Some(k) => super::fixture::capture_after_crawl(&args.out, &args.fixtures_dir, k)?,
        None => {}
    }
    Ok(exit_for(&summary))
}

/// Turn the arguments into a crawl configuration.
fn build_config(args: &CrawlArgs) -> Result<CrawlConfig, CliError> {
    let mut set = ProfileSet::builtin().exit_with(Exit::Internal)?;
    if let Some(dir) = &args.selectors {
        for p in ProfileSet::load_dir(dir).exit_with(Exit::Config)?.iter() {
            set.insert(p.clone());
        }
    }
    let mut start_urls = args.urls.clone();
    if let Some(path) = &args.start_urls {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
            .exit_with(Exit::Usage)?;
        let urls = parse::url_list(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
            .exit_with(Exit::Usage)?;
        start_urls.extend(urls);
    }
    let mut scope = Scope::of_urls(&start_urls);
    for name in &args.profile {
        let profile = set.resolve(name).exit_with(Exit::Config)?;
        if profile.list.start_urls.is_empty() {
            return Err(CliError::new(
                Exit::Config,
                anyhow::anyhow!(
                    "profile {:?} has no [list] start_urls to crawl from",
                    profile.name
                ),
            ));
        }
        start_urls.extend(profile.list.start_urls.iter().cloned());
        for h in &profile.hosts {
            scope.insert(h);
        }
        for u in &profile.list.start_urls {
            if let Some(h) = u.host_str() {
                scope.insert(h);
            }
        }
        set.insert(profile);
    }
    if start_urls.is_empty() {
        return Err(CliError::new(
            Exit::Usage,
            anyhow::anyhow!(
                "give start URLs, or --profile NAME (known: {})",
                set.names().join(", ")
            ),
        ));
    }
    let choice = if args.no_profile {
        ProfileChoice::Off
    } else {
        ProfileChoice::ByHost
    };
    let extractor = Extractor::new(set, choice);
    let mut config = CrawlConfig::new(&args.out, start_urls, extractor);
    config.scope = if args.any_port {
        scope.any_port()
    } else {
        scope
    };
    config.max_pages = args.max_pages;
    config.max_depth = args.max_depth;
    config.guards = uninews::crawl::TrapGuards {
        max_list_depth: (args.max_list_depth > 0).then_some(args.max_list_depth),
        max_urls_per_host: (args.max_urls_per_host > 0).then_some(args.max_urls_per_host),
    };
    config.recrawl = uninews::crawl::Recrawl {
        stop_after_known: args.stop_after_known,
        full: args.full,
        since: args.since,
        refresh: args.refresh,
    };
    config.assets = uninews::crawl::AssetConfig {
        images: args.images,
        attachments: args.attachments,
        max_image_bytes: args.max_image_bytes,
        max_attachment_bytes: args.max_attachment_bytes,
    };
    config.warc = args.warc.then_some(uninews::store::warc::WarcConfig {
        max_file_size: args.warc_max_size,
    });
    config.fetch = FetchConfig {
        user_agent: args.user_agent.clone(),
        rate: Some(args.rate),
        per_host_concurrency: args.concurrency,
        global_concurrency: args.global_concurrency,
        obey_robots: !args.no_robots,
        max_attempts: args.max_attempts,
        ..FetchConfig::default()
    }
    .validated()
    .exit_with(Exit::Config)?;
    if let (Some(url), Some(worker)) = (&args.frontier, &args.worker) {
        let lease = Duration::try_from_secs_f64(args.lease)
            .map_err(|e| anyhow::anyhow!("--lease {}: {e}", args.lease))
            .exit_with(Exit::Usage)?;
        config.frontier = FrontierConfig::Postgres(PgOptions {
            url: url.clone(),
            worker: worker.clone(),
            lease,
            min_gap: Duration::ZERO,
            out: std::path::absolute(&args.out)
                .unwrap_or_else(|_| args.out.clone())
                .display()
                .to_string(),
        });
    }
    Ok(config)
}

/// Run a crawl on a fresh runtime with Ctrl-C handling and the progress display.
pub(super) fn run_crawl(config: CrawlConfig) -> Result<Summary, CliError> {
    let rt = super::runtime()?;
    rt.block_on(crawl_async(config))
}

/// The async body of [`run_crawl`], for callers that already run a runtime.
pub(super) async fn crawl_async(config: CrawlConfig) -> Result<Summary, CliError> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::warn!("Ctrl-C: stopping after saving state (press again to quit at once)");
            let _ = stop_tx.send(true);
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(Exit::Interrupted as i32);
            }
        }
    });
    let progress = Arc::new(CrawlProgress::start());
    let result = crawl::run(config, progress.clone(), stop_rx).await;
    drop(progress);
    result.map_err(|e| {
        let exit = match e {
            crawl::CrawlError::NoStartUrl
            | crawl::CrawlError::ZeroAssetCap
            | crawl::CrawlError::UnknownRecords { .. }
            | crawl::CrawlError::Fetch(_)
            | crawl::CrawlError::State(StateError::Postgres { .. } | StateError::Shared { .. }) => {
                Exit::Config
            }
            crawl::CrawlError::Store(_)
            | crawl::CrawlError::State(_)
            | crawl::CrawlError::Warc(_) => Exit::Input,
            _ => Exit::Internal, // Task (a bug), and variants added later
        };
        CliError::new(exit, e)
    })
}

/// The exit code a summary maps to.
pub(super) fn exit_for(s: &Summary) -> Exit {
    if s.interrupted {
        Exit::Interrupted
    } else if s.failed_total() > 0 {
        Exit::Partial
    } else {
        Exit::Ok
    }
}

/// Print the human summary on stderr (the JSON one is in DIR/summary.json).
pub(super) fn report(s: &Summary) {
    let r = &s.run;
    eprintln!(
        "{} (pass {}) in {:.1}s: {} pages ({} lists, {} article records stored, {} of them changed versions, {} unchanged, {} not modified, {} duplicates), {} skipped, {} failed, {:.1} MB",
        if s.complete {
            "crawl complete"
        } else if s.interrupted {
            "crawl interrupted (run the same command to resume)"
        } else if s.page_limit_reached {
            "page limit reached (raise --max-pages and run again to continue)"
        } else {
            "crawl stopped"
        },
        s.pass,
        s.elapsed_secs,
        r.pages,
        r.lists,
        r.articles,
        r.changed,
        r.unchanged,
        r.not_modified,
        r.duplicates,
        r.skipped,
        r.failed,
        r.bytes as f64 / 1e6
    );
    let a = &r.assets;
    if a.downloaded + a.reused + a.failed + a.skipped > 0 {
        eprintln!(
            "images and attachments: {} downloaded ({} new files, {:.1} MB), {} references to stored files, {} failed, {} skipped",
            a.downloaded,
            a.new_files,
            a.bytes as f64 / 1e6,
            a.reused,
            a.failed,
            a.skipped
        );
    }
    if !s.failures_by_cause.is_empty() {
        let causes: Vec<String> = s
            .failures_by_cause
            .iter()
            .map(|(c, n)| format!("{c}: {n}"))
            .collect();
        eprintln!("failed for good, by cause: {}", causes.join(", "));
    }
    let g = &s.run.guards;
    if g.list_depth > 0 {
        eprintln!(
            "trap guard: {} list page(s) past --max-list-depth; their pagination was not followed",
            g.list_depth
        );
    }
    for (host, n) in &g.host_budget {
        eprintln!("trap guard: {host} reached --max-urls-per-host; {n} URL(s) not queued");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Wrap {
        #[command(flatten)]
        args: CrawlArgs,
    }

    #[test]
    fn asset_flags_reach_the_crawl_config() {
        let parse = |extra: &[&str]| {
            let mut argv = vec!["crawl", "--out", "x", "http://news.example.edu.cn/xwzx.htm"];
            argv.extend_from_slice(extra);
            build_config(&Wrap::try_parse_from(argv).expect("arguments parse").args)
                .expect("config")
                .assets
        };
        let off = parse(&[]);
        assert_eq!(off, uninews::crawl::AssetConfig::default());
        assert!(!off.images && !off.attachments);
        assert_eq!(off.max_image_bytes, 20 << 20);
        assert_eq!(off.max_attachment_bytes, 50 << 20);
        let on = parse(&[
            "--images",
            "--attachments",
            "--max-image-bytes",
            "1KiB",
            "--max-attachment-bytes",
            "3MB",
        ]);
        assert!(on.images && on.attachments);
        assert_eq!(
            (on.max_image_bytes, on.max_attachment_bytes),
            (1024, 3_000_000)
        );
    }
}
