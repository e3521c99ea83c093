//! The server's configuration: where the index and corpus are, its limits, caches,
//! access rules, and the store it follows as a replica.
//!
//! The binary fills it from command-line flags over environment variables over a
//! config file over the defaults here (`backissue serve --help` lists them all);
//! the server itself reads no environment variable.

use std::path::PathBuf;
use std::time::Duration;

/// How much the server accepts before it refuses.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Longest `q` / `text`, in characters (the engine's own bound).
    pub max_query_chars: usize,
    /// Longest `text` of `GET /api/related`, in characters (a pasted story).
    pub max_text_chars: usize,
    /// Largest page of search hits.
    pub max_search_limit: usize,
    /// Longest a request may take before it is answered 503 `overloaded`.
    pub request_timeout: Duration,
    /// Requests served at once; more are refused with 503 rather than queued.
    pub max_concurrency: usize,
    /// Largest request body, in bytes (413 above).
    pub max_body_bytes: usize,
    /// `max-age` of cacheable answers (related stories), in seconds.
    pub cache_max_age: u32,
    /// Requests served at once for one client address; beyond, 503. Behind a
    /// reverse proxy every request comes from the proxy's address: raise it there.
    pub max_concurrency_per_client: usize,
    /// How long a connection may take to send a request's headers, counted from
    /// when the server starts waiting for them: so it also closes a keep-alive
    /// connection left idle this long, and a client that sends half a request.
    pub header_read_timeout: Duration,
    /// Connections open at once; a connection beyond is closed at once.
    pub max_connections: usize,
    /// Connections open at once from one client address (the same caveat as
    /// [`Limits::max_concurrency_per_client`]).
    pub max_connections_per_client: usize,
    /// How long the requests in flight may take to finish after a shutdown signal.
    pub shutdown_grace: Duration,
    /// Queries embedding or waiting for the model at once; one more is refused with
    /// 503 rather than queued.
    pub max_embedding_queue: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_query_chars: backissue_engine::search::MAX_QUERY_CHARS,
            max_text_chars: 4_000,
            max_search_limit: backissue_engine::search::MAX_LIMIT,
            request_timeout: Duration::from_secs(10),
            max_concurrency: 64,
            max_body_bytes: 64 * 1024,
            cache_max_age: 300,
            max_concurrency_per_client: 16,
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_connections_per_client: 64,
            shutdown_grace: Duration::from_secs(30),
            max_embedding_queue: backissue_engine::search::SemanticParams::default()
                .max_embedding_queue,
        }
    }
}

/// How much each cache of a generation keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Caches {
    /// Query embeddings (and their nearest neighbours) kept, by query text.
    pub query_vectors: usize,
    /// Related-stories answers kept serialized, by story and length.
    pub related_answers: usize,
}

impl Default for Caches {
    fn default() -> Self {
        Caches {
            query_vectors: backissue_engine::search::SemanticParams::default().cache_size,
            related_answers: 4096,
        }
    }
}

/// The store a replica follows (see `backissue_replica`).
#[derive(Debug, Clone)]
pub struct ReplicaConfig {
    /// The store, opened (a folder, or `s3://bucket/prefix`).
    pub store: backissue_replica::Store,
    /// How often the store's pointer is read.
    pub poll_interval: Duration,
}

/// Everything the server needs to know at start.
#[derive(Clone)]
pub struct ServerConfig {
    /// The index folder (its `CURRENT` generation is served and watched).
    pub index_dir: PathBuf,
    /// The corpus folder: read for whole issues, and re-indexed by the admin route.
    pub corpus_dir: PathBuf,
    /// The limits.
    pub limits: Limits,
    /// The caches' sizes.
    pub caches: Caches,
    /// The store this server follows as a replica; `None`: it serves the index
    /// folder as `backissue index` writes it.
    pub replica: Option<ReplicaConfig>,
    /// Origins allowed by CORS on the widget's routes (exact match; empty: none).
    pub cors_origins: Vec<String>,
    /// The admin bearer token; `None`: no admin routes.
    pub admin_token: Option<String>,
    /// How often `CURRENT` is checked for a new generation.
    pub reload_interval: Duration,
    /// How the admin route re-indexes: `Some` runs `PROGRAM index --corpus C --index I
    /// --json ARGS…` as a child process, so a re-index that fails, runs out of memory
    /// or is killed never takes the server with it; `None` runs the indexer in this
    /// process (embedding the library, and tests).
    pub reindex_command: Option<ReindexCommand>,
}

/// The program (and extra arguments) that re-indexes in a child process.
#[derive(Debug, Clone, PartialEq)]
pub struct ReindexCommand {
    /// The `backissue` binary.
    pub program: PathBuf,
    /// Arguments after `index --corpus C --index I --json` (`--model-dir DIR`).
    pub args: Vec<String>,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("index_dir", &self.index_dir)
            .field("corpus_dir", &self.corpus_dir)
            .field("limits", &self.limits)
            .field("caches", &self.caches)
            .field("replica", &self.replica)
            .field("cors_origins", &self.cors_origins)
            .field("admin_token", &self.admin_token.as_ref().map(|_| "<set>"))
            .field("reload_interval", &self.reload_interval)
            .field("reindex_command", &self.reindex_command)
            .finish()
    }
}

impl ServerConfig {
    /// A configuration for `index_dir` and `corpus_dir` with default limits, no CORS
    /// origin and no admin token.
    pub fn new(index_dir: impl Into<PathBuf>, corpus_dir: impl Into<PathBuf>) -> ServerConfig {
        ServerConfig {
            index_dir: index_dir.into(),
            corpus_dir: corpus_dir.into(),
            limits: Limits::default(),
            caches: Caches::default(),
            replica: None,
            cors_origins: Vec::new(),
            admin_token: None,
            reload_interval: Duration::from_millis(500),
            reindex_command: None,
        }
    }
}

/// `https://a.example, https://b.example` as a list, without blanks or trailing `/`.
pub fn parse_origins(text: &str) -> Vec<String> {
    text.split(',')
        .map(|origin| origin.trim().trim_end_matches('/'))
        .filter(|origin| !origin.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_split_on_commas() {
        assert_eq!(
            parse_origins(" https://a.example/, ,http://b.example:8080"),
            ["https://a.example", "http://b.example:8080"]
        );
        assert!(parse_origins("").is_empty());
    }
}
