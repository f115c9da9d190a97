//! `uninews export` and `uninews status`: read a shared PostgreSQL frontier.

use super::{CliError, Exit, WithExit};
use clap::Args;
use std::io::Write;
use uninews::frontier::pg::{Export, ExportError, FrontierStatus, PgFrontier};

/// Arguments of `uninews export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The shared frontier (postgres://user:password@host:port/database).
    #[arg(long, value_name = "URL")]
    pub frontier: String,
    /// Only records stored at or after this time (RFC 3339, or YYYY-MM-DD: midnight UTC).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only records published on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub published_since: Option<jiff::civil::Date>,
}

/// Arguments of `uninews status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The shared frontier (postgres://user:password@host:port/database).
    #[arg(long, value_name = "URL")]
    pub frontier: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Run `uninews export`: the newest version of every record, as JSON Lines on stdout.
pub fn export(args: ExportArgs) -> Result<Exit, CliError> {
    let since = match &args.since {
        None => None,
        Some(s) => Some(parse_since(s).exit_with(Exit::Usage)?),
    };
    let reader = PgFrontier::open_reader(&args.frontier).exit_with(Exit::Config)?;
    let filter = Export {
        stored_since: since,
        published_since: args.published_since.map(|d| d.to_string()),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let n = reader
        .export(&filter, |record| {
            serde_json::to_writer(&mut out, record)?;
            out.write_all(b"\n")
        })
        .map_err(|e| match e {
            ExportError::Write(_) => CliError::new(Exit::Internal, e),
            ExportError::Record { .. } => CliError::new(Exit::Input, e),
            _ => CliError::new(Exit::Config, e),
        })?;
    out.flush().exit_with(Exit::Internal)?;
    tracing::info!("exported {n} records");
    Ok(Exit::Ok)
}

/// `--since`: an RFC 3339 time, or a date (its midnight UTC), as RFC 3339.
fn parse_since(s: &str) -> anyhow::Result<String> {
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t.to_string());
    }
    let d: jiff::civil::Date = s
        .parse()
        .map_err(|e| anyhow::anyhow!("--since {s:?}: not an RFC 3339 time or a date: {e}"))?;
    Ok(format!("{d}T00:00:00Z"))
}

/// Run `uninews status`: hosts, queues, workers and leases.
pub fn status(args: StatusArgs) -> Result<Exit, CliError> {
    let reader = PgFrontier::open_reader(&args.frontier).exit_with(Exit::Config)?;
    let st = reader.status().exit_with(Exit::Config)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &st).exit_with(Exit::Internal)?;
        writeln!(out).exit_with(Exit::Internal)?;
    } else {
        write!(out, "{}", text(&st)).exit_with(Exit::Internal)?;
    }
    Ok(Exit::Ok)
}

/// The status as text.
fn text(st: &FrontierStatus) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "frontier  {}  (pass {})", st.frontier, st.pass);
    let _ = writeln!(
        s,
        "hosts     {} known, {} with work; records {} ({} articles)",
        st.hosts, st.hosts_with_work, st.records, st.articles
    );
    for (state, kinds) in &st.urls {
        let total: i64 = kinds.values().sum();
        let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
        let _ = writeln!(s, "urls      {state:<9} {total:>9}  ({})", parts.join(", "));
    }
    let _ = writeln!(s, "workers   {}", st.workers.len());
    for w in &st.workers {
        let state = if w.stopped {
            "stopped".to_string()
        } else {
            format!("heartbeat {:.0} s ago", w.heartbeat_age_secs)
        };
        let _ = writeln!(
            s,
            "  {:<16} {:>5} hosts  {state:<22} {} pid {}  {}",
            w.name, w.hosts, w.machine, w.pid, w.out
        );
    }
    let _ = writeln!(s, "leases    {}", st.leases.len());
    for l in st.leases.iter().take(50) {
        let _ = writeln!(
            s,
            "  {:<32} {:<16} expires in {:>5.1} s  pending {:>6}  in flight {}",
            l.host, l.worker, l.expires_in_secs, l.pending, l.in_flight
        );
    }
    if st.leases.len() > 50 {
        let _ = writeln!(s, "  ... {} more (--json lists all)", st.leases.len() - 50);
    }
    s
}
