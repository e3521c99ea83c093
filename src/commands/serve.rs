//! `backissue serve`: the HTTP API, the web pages and the widget, over the index,
//! reloaded without downtime whenever `backissue index` writes a new generation.

use std::process::ExitCode;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use backissue_engine::generation::Layout;
use backissue_server::config::{parse_origins, Caches, ReplicaConfig};
use backissue_server::{AppState, Limits, ServerConfig};
use clap::{Args, ValueEnum};

use super::index::IndexArgs;

/// Arguments of `backissue serve`. Every setting is a flag, an environment
/// variable and a key of the `--config` file, in that order of precedence.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// A TOML file of settings: each key is one of the long flags below, without its
    /// dashes in front (`max-connections = 2048`); flags and environment variables
    /// win over it
    #[arg(long, value_name = "FILE", env = "BACKISSUE_CONFIG")]
    pub config: Option<PathBuf>,
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
    #[arg(long, env = "BACKISSUE_NO_INDEX")]
    pub no_index: bool,
    #[command(flatten)]
    pub model: super::ModelArg,
    #[command(flatten)]
    pub access: AccessArgs,
    #[command(flatten)]
    pub replica: ReplicaArgs,
    #[command(flatten)]
    pub logs: LogArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub caches: CacheArgs,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines
    Text,
    /// One JSON object per line
    Json,
}

impl From<LogFormat> for backissue_server::serve::LogFormat {
    fn from(format: LogFormat) -> Self {
        match format {
            LogFormat::Text => backissue_server::serve::LogFormat::Text,
            LogFormat::Json => backissue_server::serve::LogFormat::Json,
        }
    }
}

/// Who may call what.
#[derive(Debug, Args)]
#[command(next_help_heading = "Access")]
pub struct AccessArgs {
    /// Origins (comma-separated, exact) whose pages may call the widget's routes from
    /// a browser (CORS); none by default
    #[arg(long, value_name = "ORIGINS", env = "BACKISSUE_CORS_ORIGINS")]
    pub cors_origins: Option<String>,
    /// The bearer token of POST /api/admin/reindex; without one (or a token file),
    /// the admin route does not exist
    #[arg(
        long,
        value_name = "TOKEN",
        env = "BACKISSUE_ADMIN_TOKEN",
        hide_env_values = true,
        conflicts_with = "admin_token_file"
    )]
    pub admin_token: Option<String>,
    /// A file holding the admin token (kept out of the process list and the
    /// environment)
    #[arg(long, value_name = "FILE", env = "BACKISSUE_ADMIN_TOKEN_FILE")]
    pub admin_token_file: Option<PathBuf>,
}

impl AccessArgs {
    /// The admin token, from the flag or its file; trimmed like the token a client
    /// sends, so a file's final newline does not lock the admin out.
    fn admin_token(&self) -> Result<Option<String>> {
        let token = match (&self.admin_token, &self.admin_token_file) {
            (Some(token), _) => token.clone(),
            (None, Some(file)) => std::fs::read_to_string(file)
                .with_context(|| format!("--admin-token-file {}: cannot read", file.display()))?,
            (None, None) => return Ok(None),
        };
        let token = token.trim().to_string();
        Ok((!token.is_empty()).then_some(token))
    }
}

/// Following a published index instead of indexing a corpus.
#[derive(Debug, Args)]
#[command(next_help_heading = "Replica")]
pub struct ReplicaArgs {
    /// Serve as a replica of STORE (a folder, or s3://bucket/prefix with the AWS_*
    /// variables): download each generation `backissue publish` writes there into
    /// --index, verify it, and serve it; no corpus or indexing
    #[arg(long, value_name = "STORE", env = "BACKISSUE_REPLICA_OF")]
    pub replica_of: Option<String>,
    /// Seconds between two looks at the store's pointer
    #[arg(
        long,
        value_name = "SECS",
        env = "BACKISSUE_POLL_INTERVAL",
        default_value_t = 2.0
    )]
    pub poll_interval: f64,
}

/// Where the logs go and what they hold.
#[derive(Debug, Args)]
#[command(next_help_heading = "Logs")]
pub struct LogArgs {
    /// Log lines as text, or as one JSON object per line (for a log collector)
    #[arg(
        long,
        value_name = "FORMAT",
        env = "BACKISSUE_LOG_FORMAT",
        default_value = "text"
    )]
    pub log_format: LogFormat,
    /// Which logs to keep, as `tracing` directives (`debug`, `info,access=off`); the
    /// access log (method, route, status, latency, request id) is the `access`
    /// target at INFO
    #[arg(
        long,
        value_name = "FILTER",
        env = "RUST_LOG",
        default_value = backissue_server::serve::DEFAULT_LOG_FILTER
    )]
    pub log_filter: String,
}

/// How much each cache keeps.
#[derive(Debug, Args)]
#[command(next_help_heading = "Caches")]
pub struct CacheArgs {
    /// Query embeddings kept in memory (a repeated query, its next page or another
    /// facet skips the model)
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_QUERY_CACHE",
        default_value_t = backissue_engine::search::SemanticParams::default().cache_size
    )]
    pub query_cache: usize,
    /// Related-stories answers kept serialized, per generation (a few KiB each)
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_RELATED_CACHE",
        default_value_t = Caches::default().related_answers
    )]
    pub related_cache: usize,
    /// `Cache-Control: max-age` of the widget's cacheable answers, in seconds
    #[arg(
        long,
        value_name = "SECS",
        env = "BACKISSUE_CACHE_MAX_AGE",
        default_value_t = Limits::default().cache_max_age
    )]
    pub cache_max_age: u32,
}

/// The limits a publisher may want to change.
#[derive(Debug, Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Seconds a connection may take to send a request's headers; also closes a
    /// keep-alive connection idle this long, and a client that sends half a request
    #[arg(
        long,
        value_name = "SECS",
        env = "BACKISSUE_HEADER_TIMEOUT",
        default_value_t = Limits::default().header_read_timeout.as_secs_f64()
    )]
    pub header_timeout: f64,
    /// Seconds a request may take before it is answered 503
    #[arg(
        long,
        value_name = "SECS",
        env = "BACKISSUE_REQUEST_TIMEOUT",
        default_value_t = Limits::default().request_timeout.as_secs_f64()
    )]
    pub request_timeout: f64,
    /// Seconds the requests in flight may take to finish after SIGTERM
    #[arg(
        long,
        value_name = "SECS",
        env = "BACKISSUE_SHUTDOWN_GRACE",
        default_value_t = Limits::default().shutdown_grace.as_secs_f64()
    )]
    pub shutdown_grace: f64,
    /// Connections open at once (more are closed as soon as accepted)
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_MAX_CONNECTIONS",
        default_value_t = Limits::default().max_connections
    )]
    pub max_connections: usize,
    /// Connections open at once from one client address (behind a reverse proxy,
    /// every client has the proxy's address: raise this there)
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_MAX_CONNECTIONS_PER_CLIENT",
        default_value_t = Limits::default().max_connections_per_client
    )]
    pub max_connections_per_client: usize,
    /// Requests served at once (more are answered 503 with Retry-After)
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_MAX_CONCURRENCY",
        default_value_t = Limits::default().max_concurrency
    )]
    pub max_concurrency: usize,
    /// Requests served at once for one client address
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_MAX_CONCURRENCY_PER_CLIENT",
        default_value_t = Limits::default().max_concurrency_per_client
    )]
    pub max_concurrency_per_client: usize,
    /// Largest request body, in bytes (413 above)
    #[arg(
        long,
        value_name = "BYTES",
        env = "BACKISSUE_MAX_BODY_BYTES",
        default_value_t = Limits::default().max_body_bytes
    )]
    pub max_body_bytes: usize,
    /// Longest query, in characters (at most the engine's own bound)
    #[arg(
        long,
        value_name = "CHARS",
        env = "BACKISSUE_MAX_QUERY_CHARS",
        default_value_t = Limits::default().max_query_chars
    )]
    pub max_query_chars: usize,
    /// Longest pasted story of GET /api/related?text=, in characters
    #[arg(
        long,
        value_name = "CHARS",
        env = "BACKISSUE_MAX_TEXT_CHARS",
        default_value_t = Limits::default().max_text_chars
    )]
    pub max_text_chars: usize,
    /// Largest page of search hits (at most the engine's own bound)
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_MAX_SEARCH_LIMIT",
        default_value_t = Limits::default().max_search_limit
    )]
    pub max_search_limit: usize,
    /// Queries embedding or waiting for the model at once; one more is answered 503
    /// at once rather than queued
    #[arg(
        long,
        value_name = "N",
        env = "BACKISSUE_MAX_EMBEDDING_QUEUE",
        default_value_t = backissue_engine::search::SemanticParams::default().max_embedding_queue
    )]
    pub max_embedding_queue: usize,
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
    fn apply(&self, limits: &mut Limits) -> Result<()> {
        limits.header_read_timeout = seconds("header-timeout", self.header_timeout)?;
        limits.request_timeout = seconds("request-timeout", self.request_timeout)?;
        limits.shutdown_grace = seconds("shutdown-grace", self.shutdown_grace)?;
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
            ("max-body-bytes", self.max_body_bytes),
            ("max-query-chars", self.max_query_chars),
            ("max-text-chars", self.max_text_chars),
            ("max-search-limit", self.max_search_limit),
            ("max-embedding-queue", self.max_embedding_queue),
            ("embed-threads", self.embed_threads),
        ] {
            anyhow::ensure!(value > 0, "--{name}: give at least 1");
        }
        // The engine bounds queries and pages on its own; a larger setting would be
        // a promise the engine does not keep.
        let engine = Limits::default();
        anyhow::ensure!(
            self.max_query_chars <= engine.max_query_chars,
            "--max-query-chars: give at most {}",
            engine.max_query_chars
        );
        anyhow::ensure!(
            self.max_search_limit <= engine.max_search_limit,
            "--max-search-limit: give at most {}",
            engine.max_search_limit
        );
        limits.max_connections = self.max_connections;
        limits.max_connections_per_client = self.max_connections_per_client;
        limits.max_concurrency = self.max_concurrency;
        limits.max_concurrency_per_client = self.max_concurrency_per_client;
        limits.max_body_bytes = self.max_body_bytes;
        limits.max_query_chars = self.max_query_chars;
        limits.max_text_chars = self.max_text_chars;
        limits.max_search_limit = self.max_search_limit;
        limits.max_embedding_queue = self.max_embedding_queue;
        Ok(())
    }
}

/// `value` seconds as a duration, refused outside (0, 3600].
fn seconds(name: &str, value: f64) -> Result<Duration> {
    anyhow::ensure!(
        value.is_finite() && value > 0.0 && value <= 3600.0,
        "--{name}: give seconds between 0 and 3600, not {value}"
    );
    Ok(Duration::from_secs_f64(value))
}

/// The server's configuration from the arguments.
fn config(args: &ServeArgs) -> Result<ServerConfig> {
    let mut config = ServerConfig::new(&args.index.dir, &args.corpus.dir);
    args.limits.apply(&mut config.limits)?;
    config.limits.cache_max_age = args.caches.cache_max_age;
    config.caches = Caches {
        query_vectors: args.caches.query_cache,
        related_answers: args.caches.related_cache,
    };
    config.cors_origins = args
        .access
        .cors_origins
        .as_deref()
        .map(parse_origins)
        .unwrap_or_default();
    config.admin_token = args.access.admin_token()?;
    if let Some(store) = &args.replica.replica_of {
        // Opened here, so a bad store is refused before any work.
        let store = backissue_replica::Store::open(store)?;
        anyhow::ensure!(
            config.admin_token.is_none(),
            "--replica-of: a replica only downloads what the store publishes and never \
             re-indexes; give the admin token to the indexing machine, not to a replica"
        );
        config.replica = Some(ReplicaConfig {
            store,
            poll_interval: seconds("poll-interval", args.replica.poll_interval)?,
        });
    }
    Ok(config)
}

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    let mut config = config(args)?;
    backissue_server::init_tracing(args.logs.log_format.into(), &args.logs.log_filter)?;
    let has_index = Layout::new(&args.index.dir).current()?.is_some();
    // Bring the index up to date first: built once on a fresh clone (minutes), then
    // only new and changed issues (an unchanged corpus costs one hash per file). An
    // index written by an older version is rebuilt here, not refused at load. A
    // replica has no corpus: it downloads what the store publishes.
    let index_first =
        config.replica.is_none() && !args.no_index && (args.corpus.dir.is_dir() || !has_index);
    if index_first {
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
