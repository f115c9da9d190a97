//! `uninews serve-sample` and `uninews demo`: the bundled sample news site, served on
//! loopback, and an offline end-to-end crawl of it.

use super::crawl::{crawl_async, exit_for, report};
use super::{CliError, Exit, WithExit};
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;
use uninews::crawl::{CrawlConfig, RECORDS_FILE};
use uninews::extract::{Extractor, ProfileChoice};
use uninews::fetch::FetchConfig;
use uninews::fixtures::check::compare;
use uninews::frontier::state::STATE_FILE;
use uninews::selectors::ProfileSet;
use uninews::store::read_records;
use uninews_sample::{Faults, SampleServer, ServerConfig, SiteConfig};

/// Arguments of `uninews serve-sample`.
#[derive(Debug, Args)]
pub struct ServeSampleArgs {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Articles per section.
    #[arg(long, default_value_t = 150)]
    pub articles: u64,
    /// Articles per list page.
    #[arg(long, default_value_t = 20)]
    pub per_page: u32,
    /// Faults to inject.
    #[arg(long, value_enum, default_value_t = FaultSet::None)]
    pub faults: FaultSet,
    /// Serve the site on this many hosts: 127.0.0.2, 127.0.0.3, ... (one server each, all
    /// on the same port) instead of 127.0.0.1. Every start URL of every host is printed.
    #[arg(long, value_name = "N")]
    pub hosts: Option<usize>,
    /// On Ctrl-C, write every request to FILE, one per line, in arrival order:
    /// `SECONDS HOST METHOD PATH STATUS` (seconds since the first server started).
    #[arg(long, value_name = "FILE")]
    pub access_log: Option<PathBuf>,
}

/// Fault presets for `serve-sample`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FaultSet {
    /// A well-behaved server.
    None,
    /// The demo's recoverable faults (500s, a 429 with Retry-After, a slow page, a reset).
    Demo,
}

/// Run `uninews serve-sample`.
pub fn serve(args: ServeSampleArgs) -> Result<Exit, CliError> {
    let site = SiteConfig::default()
        .with_articles(args.articles)
        .with_per_page(args.per_page);
    site.validate().exit_with(Exit::Usage)?;
    let ips = match args.hosts {
        None => vec![std::net::Ipv4Addr::LOCALHOST],
        Some(0) => {
            return Err(CliError::new(
                Exit::Usage,
                anyhow::anyhow!("--hosts must be at least 1"),
            ));
        }
        Some(n) => uninews_sample::loopback_ips(n),
    };
    let rt = super::runtime()?;
    rt.block_on(async {
        let mut config = ServerConfig::new(site).port(args.port);
        if args.faults == FaultSet::Demo {
            let s = uninews_sample::SampleSite::new(config.site.clone()).exit_with(Exit::Usage)?;
            config = config.faults(Faults::demo(&s));
        }
        let mut servers = Vec::with_capacity(ips.len());
        for ip in &ips {
            let server = SampleServer::start(config.clone().ip(*ip))
                .await
                .exit_with(Exit::Config)?;
            // Every host on the port the first one got.
            config.port = server.addr().port();
            servers.push(server);
        }
        let mut out = std::io::BufWriter::new(std::io::stdout());
        writeln!(out, "{}", servers[0].base_url()).exit_with(Exit::Internal)?;
        for server in &servers {
            for p in server.site().start_paths() {
                writeln!(out, "{}", server.url(&p)).exit_with(Exit::Internal)?;
            }
        }
        out.flush().exit_with(Exit::Internal)?;
        tracing::info!(
            "serving the sample site on {} host(s) from {}; Ctrl-C to stop",
            servers.len(),
            servers[0].base_url()
        );
        tokio::signal::ctrl_c().await.exit_with(Exit::Internal)?;
        if let Some(path) = &args.access_log {
            write_access_log(path, &servers)?;
        }
        for server in servers {
            server.shutdown().await;
        }
        Ok(Exit::Ok)
    })
}

/// Write every server's requests to `path` (atomically), in arrival order.
fn write_access_log(path: &Path, servers: &[SampleServer]) -> Result<(), CliError> {
    let Some(t0) = servers.iter().map(SampleServer::started_at).min() else {
        return Ok(());
    };
    let mut lines: Vec<(Duration, String)> = Vec::new();
    for server in servers {
        let offset = server.started_at() - t0;
        let ip = server.addr().ip();
        for r in server.requests() {
            let at = offset + r.at;
            let status = r.status.map_or("-".to_string(), |s| s.to_string());
            let line = format!(
                "{:.6} {ip} {} {} {status}\n",
                at.as_secs_f64(),
                r.method,
                r.path
            );
            lines.push((at, line));
        }
    }
    lines.sort();
    let text: String = lines.into_iter().map(|(_, l)| l).collect();
    uninews::store::write_atomic(path, text.as_bytes()).exit_with(Exit::Input)
}

/// Arguments of `uninews demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Output folder (replaced if it holds an earlier demo crawl).
    #[arg(long, default_value = "output/demo")]
    pub out: PathBuf,
    /// Requests per second to the sample server.
    #[arg(long, default_value_t = DEMO_RATE)]
    pub rate: f64,
}

/// The demo's request rate: polite-looking, and fast enough to finish in seconds.
const DEMO_RATE: f64 = 20.0;

/// Run `uninews demo`.
pub fn demo(args: DemoArgs) -> Result<Exit, CliError> {
    clear_old_demo(&args.out)?;
    let rt = super::runtime()?;
    rt.block_on(async {
        let server = SampleServer::start(ServerConfig::demo())
            .await
            .exit_with(Exit::Internal)?;
        let site = server.site();
        let starts = site.start_paths().iter().map(|p| server.url(p)).collect();
        tracing::info!("sample site serving on {}", server.base_url());
        let extractor = Extractor::new(ProfileSet::builtin().exit_with(Exit::Internal)?, ProfileChoice::ByHost);
        let mut config = CrawlConfig::new(&args.out, starts, extractor);
        config.warc = Some(uninews::store::warc::WarcConfig::default());
        config.assets.images = true;
        config.assets.attachments = true;
        config.fetch = FetchConfig {
            rate: Some(args.rate),
            backoff_base: Duration::from_millis(250),
            ..FetchConfig::default()
        };
        let summary = crawl_async(config).await?;
        report(&summary);
        // Compare every stored record with the sample site's ground truth.
        let path = args.out.join(RECORDS_FILE);
        let (mut matched, mut total) = (0usize, 0usize);
        for record in read_records(&path).exit_with(Exit::Input)? {
            let record = record.exit_with(Exit::Input)?.without_crawl_fields();
            total += 1;
            let url = url::Url::parse(&record.url).exit_with(Exit::Internal)?;
            let Some(expected) = server.expected_record(url.path()) else {
                tracing::warn!("{}: not an article of the sample site", record.url);
                continue;
            };
            let (e, a) = (
                serde_json::to_value(&expected).exit_with(Exit::Internal)?,
                serde_json::to_value(&record).exit_with(Exit::Internal)?,
            );
            let diffs = compare(&e, &a);
            if diffs.is_empty() {
                matched += 1;
            } else {
                tracing::warn!("{}: differs from the ground truth:\n{}", record.url, uninews::fixtures::check::render(&diffs, "  "));
            }
        }
        let articles = site.article_count() as usize;
        server.shutdown().await;
        eprintln!(
            "demo: {total} of {articles} sample articles stored; {matched} match the site's ground truth exactly\noutput: {} (articles.jsonl, pages/, images/, attachments/, warc/, summary.json, crawl.sqlite)",
            args.out.display()
        );
        let exit = exit_for(&summary);
        Ok(if exit == Exit::Ok && (matched != total || total != articles) {
            Exit::Partial
        } else {
            exit
        })
    })
}

/// Remove an earlier demo crawl at `out`; refuse to touch a folder that is something else.
fn clear_old_demo(out: &Path) -> Result<(), CliError> {
    let Ok(mut entries) = std::fs::read_dir(out) else {
        return Ok(());
    };
    if entries.next().is_none() {
        return Ok(());
    }
    if !out.join(STATE_FILE).exists() {
        return Err(CliError::new(
            Exit::Config,
            anyhow::anyhow!(
                "{} exists and is not an earlier demo crawl; choose another --out",
                out.display()
            ),
        ));
    }
    tracing::info!("replacing the earlier demo crawl in {}", out.display());
    std::fs::remove_dir_all(out).exit_with(Exit::Input)
}
