//! `backissue serve`: the HTTP API, the web pages and the widget, over the index,
//! reloaded without downtime whenever `backissue index` writes a new generation.

use std::process::ExitCode;

use anyhow::{Context, Result};
use backissue_engine::generation::Layout;
use backissue_server::{AppState, ServerConfig};
use clap::Args;

use super::index::IndexArgs;

/// Arguments of `backissue serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub corpus: super::CorpusArg,
    #[command(flatten)]
    pub index: super::IndexArg,
    /// The address to listen on (port 0: any free port, printed at start)
    #[arg(
        long,
        value_name = "ADDR",
        env = "BACKISSUE_BIND",
        default_value = "127.0.0.1:8080"
    )]
    pub bind: String,
    /// Serve the index as it is: do not build or update it first (with no index, serve
    /// 503 `not_ready` until `backissue index` writes one)
    #[arg(long)]
    pub no_index: bool,
    #[command(flatten)]
    pub model: super::ModelArg,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// The limits a publisher may want to change (each also an environment variable).
#[derive(Debug, Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Seconds a connection may take to send a request's headers; also closes a
    /// keep-alive connection idle this long, and a client that sends half a request
    #[arg(
        long,
        value_name = "SECS",
        env = "BACKISSUE_HEADER_TIMEOUT",
        default_value_t = 10.0
    )]
    pub header_timeout: f64,
    /// Seconds a request may take before it is answered 503
    #[arg(
        long,
        value_name = "SECS",
        env = "BACKISSUE_REQUEST_TIMEOUT",
        default_value_t = 10.0
    )]
    pub request_timeout: f64,
    /// Connections open at once (more are closed as soon as accepted)
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_MAX_CONNECTIONS",
        default_value_t = 1024
    )]
    pub max_connections: usize,
    /// Connections open at once from one client address (behind a reverse proxy,
    /// every client has the proxy's address: raise this there)
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_MAX_CONNECTIONS_PER_CLIENT",
        default_value_t = 64
    )]
    pub max_connections_per_client: usize,
    /// Requests served at once (more are answered 503 with Retry-After)
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_MAX_CONCURRENCY",
        default_value_t = 64
    )]
    pub max_concurrency: usize,
    /// Requests served at once for one client address
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_MAX_CONCURRENCY_PER_CLIENT",
        default_value_t = 16
    )]
    pub max_concurrency_per_client: usize,
    /// Threads the model uses to embed one query. A query is one short text: one
    /// thread leaves the other cores to everyone else under a burst of new queries
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_EMBED_THREADS",
        default_value_t = 1
    )]
    pub embed_threads: usize,
}

impl LimitArgs {
    fn apply(&self, limits: &mut backissue_server::Limits) -> Result<()> {
        let seconds = |name: &str, value: f64| -> Result<std::time::Duration> {
            anyhow::ensure!(
                value.is_finite() && value > 0.0 && value <= 3600.0,
                "--{name}: give seconds between 0 and 3600, not {value}"
            );
            Ok(std::time::Duration::from_secs_f64(value))
        };
        limits.header_read_timeout = seconds("header-timeout", self.header_timeout)?;
        limits.request_timeout = seconds("request-timeout", self.request_timeout)?;
        for (name, value) in [
            ("max-connections", self.max_connections),
            (
                "max-connections-per-client",
                self.max_connections_per_client,
            ),
            ("max-concurrency", self.max_concurrency),
            (
                "max-concurrency-per-client",
                self.max_concurrency_per_client,
            ),
            ("embed-threads", self.embed_threads),
        ] {
            anyhow::ensure!(value > 0, "--{name}: give at least 1");
        }
        limits.max_connections = self.max_connections;
        limits.max_connections_per_client = self.max_connections_per_client;
        limits.max_concurrency = self.max_concurrency;
        limits.max_concurrency_per_client = self.max_concurrency_per_client;
        Ok(())
    }
}

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    backissue_server::init_tracing();
    let has_index = Layout::new(&args.index.dir).current()?.is_some();
    // Bring the index up to date first: built once on a fresh clone (minutes), then
    // only new and changed issues (an unchanged corpus costs one hash per file). An
    // index written by an older version is rebuilt here, not refused at load.
    if !args.no_index && (args.corpus.dir.is_dir() || !has_index) {
        if has_index {
            eprintln!(
                "updating {} from {}",
                args.index.dir.display(),
                args.corpus.dir.display()
            );
        } else {
            eprintln!(
                "no index in {}; indexing {} first (this takes a few minutes once)",
                args.index.dir.display(),
                args.corpus.dir.display()
            );
        }
        super::index::run(&IndexArgs {
            corpus: args.corpus.clone(),
            index: args.index.clone(),
            json: false,
            model: args.model.clone(),
        })?;
    }
    let mut config = ServerConfig::new(&args.index.dir, &args.corpus.dir).from_env();
    args.limits.apply(&mut config.limits)?;
    // The admin route re-indexes in a child process of this binary: a re-index that
    // fails or is killed cannot take the server down with it.
    if let Ok(program) = std::env::current_exe() {
        let mut reindex_args = Vec::new();
        if let Some(dir) = &args.model.dir {
            reindex_args.push("--model-dir".to_string());
            reindex_args.push(dir.display().to_string());
        }
        config.reindex_command = Some(backissue_server::config::ReindexCommand {
            program,
            args: reindex_args,
        });
    }
    let embedder = super::embedder::query_embedder(
        args.model.dir.as_deref(),
        Some(args.limits.embed_threads),
    )?;
    let state = AppState::new(config, embedder);
    backissue_server::run(&args.bind, state).context("cannot serve")?;
    Ok(ExitCode::SUCCESS)
}
