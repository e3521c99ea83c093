//! `backissue serve`: the HTTP API, the web pages and the widget, over the index,
//! reloaded without downtime whenever `backissue index` writes a new generation.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use backissue_engine::generation::Layout;
use backissue_server::{AppState, ServerConfig};
use clap::Args;

use super::index::IndexArgs;

/// Arguments of `backissue serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The folder of issue files: indexed (new and changed issues only) before serving,
    /// read for whole issues, and re-indexed by `POST /api/admin/reindex`
    #[arg(
        long,
        value_name = "DIR",
        env = "BACKISSUE_CORPUS",
        default_value = "corpus"
    )]
    pub corpus: PathBuf,
    /// The index folder to serve (its CURRENT generation, watched for new ones)
    #[arg(
        long,
        value_name = "DIR",
        env = "BACKISSUE_INDEX",
        default_value = "index"
    )]
    pub index: PathBuf,
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
    /// The embedding model folder [default: $BACKISSUE_MODEL_DIR, else models/ here or above]
    #[arg(long, value_name = "DIR")]
    pub model_dir: Option<PathBuf>,
}

pub fn run(args: &ServeArgs) -> Result<ExitCode> {
    backissue_server::init_tracing();
    let has_index = Layout::new(&args.index).current()?.is_some();
    // Bring the index up to date first: built once on a fresh clone (minutes), then
    // only new and changed issues (an unchanged corpus costs one hash per file). An
    // index written by an older version is rebuilt here, not refused at load.
    if !args.no_index && (args.corpus.is_dir() || !has_index) {
        if has_index {
            eprintln!(
                "updating {} from {}",
                args.index.display(),
                args.corpus.display()
            );
        } else {
            eprintln!(
                "no index in {}; indexing {} first (this takes a few minutes once)",
                args.index.display(),
                args.corpus.display()
            );
        }
        super::index::run(&IndexArgs {
            corpus: args.corpus.clone(),
            index: args.index.clone(),
            json: false,
            model_dir: args.model_dir.clone(),
        })?;
    }
    let embedder = super::search::query_embedder(args.model_dir.as_deref())?;
    let config = ServerConfig::new(&args.index, &args.corpus).from_env();
    let state = AppState::new(config, embedder);
    backissue_server::run(&args.bind, state).context("cannot serve")?;
    Ok(ExitCode::SUCCESS)
}
