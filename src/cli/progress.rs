//! The crawl's progress display (indicatif, on stderr, hidden when stderr is not a
//! terminal) and a log writer that keeps log lines from tearing through the bar.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;
use uninews::crawl::{Observer, Progress};

/// The bar currently drawn, if any: log lines are printed "around" it.
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// A spinner with the crawl's counters, registered as the active bar until dropped.
pub struct CrawlProgress {
    bar: ProgressBar,
}

impl CrawlProgress {
    /// Start drawing (no-op when stderr is not a terminal).
    pub fn start() -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut a) = ACTIVE.lock() {
            *a = Some(bar.clone());
        }
        CrawlProgress { bar }
    }
}

impl Drop for CrawlProgress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
        if let Ok(mut a) = ACTIVE.lock() {
            *a = None;
        }
    }
}

impl Observer for CrawlProgress {
    fn progress(&self, p: &Progress) {
        let a = &p.run.assets;
        let files = if a.downloaded + a.reused + a.failed > 0 {
            format!("files {} ({} failed) | ", a.downloaded, a.failed)
        } else {
            String::new()
        };
        self.bar.set_message(format!(
            "pages {} | articles {} | {files}queued {} | in flight {} | failed {} | {}",
            p.run.pages,
            p.run.articles,
            p.queued,
            p.in_flight,
            p.run.failed,
            host_line(p)
        ));
    }

    fn wants_progress(&self) -> bool {
        !self.bar.is_hidden()
    }
}

/// Per-host rates for a few hosts; for many, how many hosts are in each state and the
/// total rate.
fn host_line(p: &Progress) -> String {
    if p.hosts.len() <= MAX_HOSTS_LISTED {
        let rates: Vec<String> = p
            .hosts
            .iter()
            .map(|h| format!("{} {:.1}/s", h.host, h.rate))
            .collect();
        return rates.join(", ");
    }
    let total: f64 = p.hosts.iter().map(|h| h.rate).sum();
    format!(
        "hosts {} active, {} waiting, {} paused | {total:.1} req/s",
        p.hosts_active, p.hosts_waiting, p.hosts_paused
    )
}

/// Up to this many hosts, the progress line names each with its rate.
const MAX_HOSTS_LISTED: usize = 3;

/// A `tracing` writer to stderr that suspends the active progress bar while writing.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let bar = ACTIVE.lock().ok().and_then(|a| a.clone());
        match bar {
            Some(bar) => bar.suspend(|| std::io::stderr().write_all(buf))?,
            None => std::io::stderr().write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LogWriter;

    fn make_writer(&'a self) -> Self::Writer {
        LogWriter
    }
}
