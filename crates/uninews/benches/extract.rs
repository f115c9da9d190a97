//! Extraction speed over every page of the real-page corpus (`../shared/corpus`), one
//! thread: (a) full extraction from decoded text (profile chosen by host, as `uninews
//! extract` does), (b) `scraper::Html::parse_document` alone. Throughput is reported in
//! bytes of decoded text; a summary line gives MB/s, pages/s and the extract/parse ratio
//! (target: at most 1.5). Skipped, with a message, when the corpus is absent.
//!
//! Run: `cargo bench --bench extract` (see docs/benchmarks.md).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};
use uninews::extract::extract;
use uninews::selectors::ProfileSet;
use url::Url;

struct CorpusText {
    text: String,
    url: Url,
}

fn load() -> Option<Vec<CorpusText>> {
    let corpus = uninews_sample::shared::dir("corpus")?;
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv")).ok()?;
    let mut pages = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(file), Some(url)) = (cols.first(), cols.get(1)) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(corpus.join(file)) else {
            continue;
        };
        let Ok(url) = Url::parse(url) else { continue };
        let text = uninews::decode::decode(&bytes, None, uninews::decode::page_tld(&url)).text;
        pages.push(CorpusText { text, url });
    }
    Some(pages)
}

fn bench(c: &mut Criterion) {
    let Some(pages) = load() else {
        eprintln!("SKIPPED: the corpus is absent; nothing to benchmark");
        return;
    };
    let profiles = ProfileSet::builtin().expect("built-in profiles load");
    let bytes: usize = pages.iter().map(|p| p.text.len()).sum();
    let run_extract = || {
        for p in &pages {
            black_box(extract(&p.text, &p.url, profiles.for_url(&p.url)));
        }
    };
    let run_parse = || {
        for p in &pages {
            black_box(scraper::Html::parse_document(&p.text));
        }
    };

    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("extract", |b| b.iter(run_extract));
    g.bench_function("parse_only", |b| b.iter(run_parse));
    g.finish();

    // summary: the same two loops timed directly, interleaved to share machine noise
    let rounds = 20;
    let (mut te, mut tp) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds {
        let t = Instant::now();
        run_extract();
        te += t.elapsed();
        let t = Instant::now();
        run_parse();
        tp += t.elapsed();
    }
    let per = |d: Duration| d.as_secs_f64() / rounds as f64;
    let (e, p) = (per(te), per(tp));
    eprintln!(
        "summary: {} pages, {:.2} MB | extract {:.1} MB/s {:.0} pages/s | parse {:.1} MB/s {:.0} pages/s | extract/parse {:.2}",
        pages.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / e,
        pages.len() as f64 / e,
        bytes as f64 / 1e6 / p,
        pages.len() as f64 / p,
        e / p
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
