//! Link discovery speed on a generated list page of 10k, 100k and 300k links (one
//! `<ul>` of VSB-shaped article links without dates, the shape that was quadratic):
//! `discover` end to end, HTML parsing included. Throughput is reported in links/s.
//!
//! Run: `cargo bench --bench discover`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use uninews::frontier::{Scope, discover};
use url::Url;

/// A list page of `n` distinct article links in one list.
fn page(n: usize) -> String {
    let mut s = String::with_capacity(n * 80);
    s.push_str("<html><head><title>通知公告</title></head><body><ul class=\"list\">");
    for i in 0..n {
        s.push_str(&format!(
            "<li><a href=\"/info/1078/{i}.htm\" title=\"通知 {i}\">关于做好第{i}项工作的通知</a></li>"
        ));
    }
    s.push_str("</ul></body></html>");
    s
}

fn bench(c: &mut Criterion) {
    let Ok(page_url) = Url::parse("http://news.example.edu.cn/tzgg.htm") else {
        return;
    };
    let scope = Scope::of_urls([&page_url]);
    let mut group = c.benchmark_group("discover");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(5));
    for n in [10_000usize, 100_000, 300_000] {
        let html = page(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("links", n), &html, |b, html| {
            b.iter(|| black_box(discover(html, &page_url, None, &scope)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
