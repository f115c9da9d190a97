//! `uninews serve DIR`: replay a crawl folder on 127.0.0.1 until Ctrl-C (see
//! [`uninews::serve`]).

use super::{CliError, Exit, WithExit};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use uninews::serve::{ReplayServer, ServeError};

/// Arguments of `uninews serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The crawl folder (the --out of `uninews crawl`).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
}

/// Run `uninews serve`.
pub fn run(args: ServeArgs) -> Result<Exit, CliError> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let server = ReplayServer::start(&args.dir, args.port)
            .await
            .map_err(|e| {
                let exit = match e {
                    ServeError::Bind { .. } => Exit::Config,
                    _ => Exit::Input, // NoCrawl, State
                };
                CliError::new(exit, e)
            })?;
        writeln!(std::io::stdout(), "{}", server.base_url()).exit_with(Exit::Internal)?;
        for (host, n) in server.archive().authorities() {
            writeln!(std::io::stdout(), "  {host}: {n} URLs").exit_with(Exit::Internal)?;
        }
        tracing::info!(
            "replaying {} URLs of {} on {}; Ctrl-C to stop",
            server.archive().len(),
            args.dir.display(),
            server.base_url()
        );
        tokio::signal::ctrl_c().await.exit_with(Exit::Internal)?;
        server.shutdown().await;
        Ok(Exit::Ok)
    })
}
