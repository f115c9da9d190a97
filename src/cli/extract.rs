//! `uninews extract`: saved pages to records.

use super::profiles::ProfileArgs;
use super::{CliError, Exit, WithExit};
use anyhow::{Context, anyhow};
use clap::Args;
use rayon::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use uninews::extract::{Extraction, Extractor};
use uninews::record::Record;
use uninews::store::read_meta;
use url::Url;

/// Arguments of `uninews extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Saved pages (raw bytes), folders of them (searched recursively for .html/.htm), or
    /// `-` for standard input. One page prints one record; several print JSON Lines.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The URL the page was served at (relative links resolve against it). Per page, a
    /// `<name>.meta.json` beside the page takes precedence; without either, the page's own
    /// `file://` URL is used.
    #[arg(long, value_name = "URL")]
    pub url: Option<Url>,
    /// Decode the page as this charset (`gbk`, `utf-8`, `big5`), whatever it declares or
    /// looks like.
    #[arg(long, value_name = "LABEL")]
    pub charset: Option<String>,
    /// Pretty-print (for people; several records are then separated by blank lines).
    #[arg(long)]
    pub pretty: bool,
    /// Pages extracted in parallel (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub profiles: ProfileArgs,
}

/// One input page.
#[derive(Debug)]
enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn label(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".into(),
            Input::File(p) => p.display().to_string(),
        }
    }
}

/// Run `uninews extract`.
pub fn run(args: ExtractArgs) -> Result<Exit, CliError> {
    let extractor = args.profiles.extractor()?;
    let single = args.paths.len() == 1 && !args.paths[0].is_dir();
    let inputs = expand(&args.paths).exit_with(Exit::Input)?;
    if single {
        let input = &inputs[0];
        let record = extract_one(&extractor, input, &args).exit_with(Exit::Input)?;
        let mut out = std::io::stdout().lock();
        write_record(&mut out, &record, args.pretty).exit_with(Exit::Internal)?;
        return Ok(Exit::Ok);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .exit_with(Exit::Internal)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = 0usize;
    // Extract a window of pages in parallel, then print it in input order: memory stays
    // bounded by the window, and output order never depends on scheduling.
    let window = pool.current_num_threads().max(1) * 8;
    for chunk in inputs.chunks(window) {
        let results: Vec<_> = pool.install(|| {
            chunk
                .par_iter()
                .map(|i| extract_one(&extractor, i, &args))
                .collect()
        });
        for (input, result) in chunk.iter().zip(results) {
            match result {
                Ok(record) => {
                    write_record(&mut out, &record, args.pretty).exit_with(Exit::Internal)?
                }
                Err(e) => {
                    failed += 1;
                    tracing::error!("{}: {e:#}", input.label());
                }
            }
        }
        out.flush().exit_with(Exit::Internal)?;
    }
    if failed > 0 {
        tracing::error!("{failed} of {} pages failed", inputs.len());
        return Ok(Exit::Partial);
    }
    Ok(Exit::Ok)
}

fn write_record(out: &mut impl Write, record: &Record, pretty: bool) -> anyhow::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, record)?;
    } else {
        serde_json::to_writer(&mut *out, record)?;
    }
    out.write_all(b"\n")?;
    Ok(())
}

/// Expand folders into the pages they hold (sorted, recursive).
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found).with_context(|| format!("cannot list {}", p.display()))?;
            found.sort();
            if found.is_empty() {
                tracing::warn!("{}: no .html/.htm pages in this folder", p.display());
            }
            inputs.extend(found.into_iter().map(Input::File));
        } else {
            inputs.push(Input::File(p.clone()));
        }
    }
    Ok(inputs)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
        {
            found.push(path);
        }
    }
    Ok(())
}

fn extract_one(extractor: &Extractor, input: &Input, args: &ExtractArgs) -> anyhow::Result<Record> {
    let (bytes, meta) = match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .context("cannot read standard input")?;
            (buf, None)
        }
        Input::File(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            (bytes, read_meta(path)?)
        }
    };
    let url = match (&meta, &args.url, input) {
        (Some(m), _, _) => {
            Url::parse(&m.url).with_context(|| format!("bad url in meta: {:?}", m.url))?
        }
        (None, Some(u), _) => u.clone(),
        (None, None, Input::File(p)) => file_url(p)?,
        (None, None, Input::Stdin) => Url::parse("file:///dev/stdin").map_err(|e| anyhow!(e))?,
    };
    // --charset is the user's word and always wins; a saved page's HTTP charset is a
    // declaration that the bytes can overrule (a GBK page mislabelled UTF-8).
    let Extraction { record, warnings } = match args.charset.as_deref() {
        Some(forced) => extractor.extract_bytes_forced(&bytes, &url, forced),
        None => {
            let declared = meta.as_ref().and_then(|m| m.charset());
            extractor.extract_bytes(&bytes, &url, declared)
        }
    };
    for w in warnings {
        tracing::warn!("{}: {w}", input.label());
    }
    Ok(record)
}

fn file_url(path: &Path) -> anyhow::Result<Url> {
    let abs =
        std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))?;
    Url::from_file_path(&abs)
        .map_err(|()| anyhow!("cannot make a file:// URL of {}", abs.display()))
}
