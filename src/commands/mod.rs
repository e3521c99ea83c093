//! One module per subcommand, and the options the commands that query the index share.

use std::path::PathBuf;

use clap::Args;

pub mod eval;
pub mod generate;
pub mod index;
pub mod parse;
pub mod paths;
pub mod related;
pub mod resources;
pub mod search;
pub mod serve;
pub mod stats;
pub mod trends;

/// Where a query command reads the index and the model, and how it prints.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The index folder to read
    #[arg(
        long,
        value_name = "DIR",
        env = "BACKISSUE_INDEX",
        default_value = "index"
    )]
    pub index: PathBuf,
    /// Print the answer as JSON on standard output
    #[arg(long)]
    pub json: bool,
    /// The embedding model folder, for queries by meaning [default: $BACKISSUE_MODEL_DIR,
    /// else models/ here or above]
    #[arg(long, value_name = "DIR")]
    pub model_dir: Option<PathBuf>,
}
