//! One module per subcommand, and the options several commands share, each defined once.

use std::path::PathBuf;

use clap::Args;

pub mod config_file;
pub mod embedder;
pub mod eval;
pub mod export;
pub mod generate;
pub mod index;
pub mod parse;
pub mod paths;
pub mod publish;
pub mod related;
pub mod resources;
pub mod search;
pub mod serve;
pub mod stats;
pub mod trends;

/// The index folder: every command that reads, writes or serves an index takes it.
#[derive(Debug, Clone, Args)]
pub struct IndexArg {
    /// The index folder
    // Global, so that `trends rising --index DIR` works; a command without
    // subcommands parses and shows it the same either way.
    #[arg(
        id = "index",
        long = "index",
        value_name = "DIR",
        env = "BACKISSUE_INDEX",
        default_value = "index",
        global = true
    )]
    pub dir: PathBuf,
}

/// The folder of the embedding model.
#[derive(Debug, Clone, Args)]
pub struct ModelArg {
    /// The embedding model folder [default: models/ here or above]
    #[arg(
        id = "model_dir",
        long = "model-dir",
        value_name = "DIR",
        env = "BACKISSUE_MODEL_DIR"
    )]
    pub dir: Option<PathBuf>,
}

/// The folder of issue files.
#[derive(Debug, Clone, Args)]
pub struct CorpusArg {
    /// The folder of issue files (*.txt, with optional .meta.json/.meta.toml sidecars)
    #[arg(
        id = "corpus",
        long = "corpus",
        value_name = "DIR",
        env = "BACKISSUE_CORPUS",
        default_value = "corpus"
    )]
    pub dir: PathBuf,
}

/// Where a query command reads the index and the model, and how it prints.
#[derive(Debug, Args)]
pub struct ReadArgs {
    #[command(flatten)]
    pub index: IndexArg,
    /// Print the answer as JSON on standard output
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub model: ModelArg,
}
