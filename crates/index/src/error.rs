//! The one error type of this crate.
//!
//! Every message names the file or folder at fault and, where a command fixes it,
//! that command. Problems with single issue files are not errors of the run: they
//! are reported in `backissue_engine::IndexReport::errors` and the run goes on.

use std::path::{Path, PathBuf};

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed error from a lower layer (an embedder loader, the HNSW library).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The command that (re)builds the index in `dir`, as printed in error messages.
pub fn rebuild_command(dir: &Path) -> String {
    format!("backissue index --index {}", dir.display())
}

/// Why the index could not be built, opened or read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {action}: {cause}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What was being done (`cannot read`, `cannot create`, …).
        action: &'static str,
        /// What the operating system said.
        cause: std::io::Error,
    },

    /// The corpus folder does not exist or is not a folder.
    #[error("{}: no such corpus folder; give the folder that holds the issue files (*.txt)", path.display())]
    CorpusMissing {
        /// The folder looked for.
        path: PathBuf,
    },

    /// There is no index in the folder (no `CURRENT` pointer, or the folder is missing).
    #[error("{}: no index here; run `{}` to build one", dir.display(), rebuild_command(dir))]
    IndexMissing {
        /// The index folder.
        dir: PathBuf,
    },

    /// The index exists but a file of its current generation is missing or unreadable.
    #[error("{}: damaged index: {reason}; run `{}` to rebuild it", path.display(), rebuild_command(dir))]
    IndexDamaged {
        /// The file at fault.
        path: PathBuf,
        /// The index folder.
        dir: PathBuf,
        /// What is wrong with the file.
        reason: String,
    },

    /// The index was written by another version of backissue.
    #[error(
        "{}: index schema version {found}, but this backissue reads version {expected}; run `{}` to rebuild it",
        path.display(), rebuild_command(dir)
    )]
    SchemaMismatch {
        /// The manifest.
        path: PathBuf,
        /// The index folder.
        dir: PathBuf,
        /// The version in the manifest.
        found: u32,
        /// The version this code writes and reads.
        expected: u32,
    },

    /// The index was built with another embedding model than the one in use.
    #[error(
        "{}: index built with model {found:?}, but the model in use is {expected:?}; run `{}` to rebuild it",
        path.display(), rebuild_command(dir)
    )]
    ModelMismatch {
        /// The manifest.
        path: PathBuf,
        /// The index folder.
        dir: PathBuf,
        /// The model (id, checksum prefix, dimension) the index was built with.
        found: String,
        /// The model in use.
        expected: String,
    },

    /// Another process is writing to the same index folder.
    #[error("{}: another `backissue index` is writing to this index; wait for it to finish", dir.display())]
    Locked {
        /// The index folder.
        dir: PathBuf,
    },

    /// tantivy refused an operation on the keyword index.
    #[error("{}: keyword index: {cause}", path.display())]
    Tantivy {
        /// The tantivy folder.
        path: PathBuf,
        /// What tantivy said.
        cause: tantivy::TantivyError,
    },

    /// The HNSW vector index could not be built, written or loaded.
    #[error("{}: vector index: {message}", path.display())]
    Vectors {
        /// The file or folder at fault.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },

    /// A JSON file of the index could not be written or read.
    #[error("{}: {cause}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// What serde_json said.
        cause: serde_json::Error,
    },

    /// The embedder could not be loaded.
    #[error("cannot load the embedding model: {cause}")]
    EmbedderLoad {
        /// What the loader said.
        cause: BoxError,
    },

    /// The embedder failed on a batch of texts, or returned vectors of the wrong size.
    #[error("embedding failed: {cause}")]
    Embed {
        /// What the embedder said.
        cause: backissue_embed::Error,
    },

    /// The embedder's model changed while the indexer was running.
    #[error(
        "the embedding model's checksum is {actual}, not the {announced} announced before loading it; \
         run the command again"
    )]
    ModelChanged {
        /// The checksum given before loading.
        announced: String,
        /// The checksum of the loaded model.
        actual: String,
    },

    /// A request parameter is out of range or names a value that does not exist
    /// (an unknown sector, a query over the length limit): the caller's mistake.
    #[error("invalid `{parameter}`: {message}")]
    InvalidRequest {
        /// The parameter as the request spells it (`sectors`, `query`, `semantic_ratio`).
        parameter: String,
        /// What is wrong and what would be accepted.
        message: String,
    },

    /// The work was stopped between two stages by its [`crate::budget::Budget`]: its
    /// caller gave up, or its deadline passed.
    #[error("stopped before {stage}: {why}")]
    Cancelled {
        /// The stage not started.
        stage: &'static str,
        /// Why the budget was spent.
        why: &'static str,
    },

    /// No document has the story id the caller gave, or it is not a story (top,
    /// sector or regional): the caller's mistake.
    #[error("unknown story {id:?}: {reason}")]
    UnknownStory {
        /// The id as given.
        id: String,
        /// Why it names no story, and what a story id looks like.
        reason: String,
    },
}

impl Error {
    /// Whether the caller can fix the error by changing the request (a bad filter
    /// value, a query over the limit), as opposed to a problem of the index or machine.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::InvalidRequest { .. } | Error::UnknownStory { .. }
        )
    }

    /// An [`Error::InvalidRequest`] for `parameter`.
    pub fn invalid(parameter: impl Into<String>, message: impl Into<String>) -> Error {
        Error::InvalidRequest {
            parameter: parameter.into(),
            message: message.into(),
        }
    }

    /// An [`Error::Io`] for `path`.
    pub fn io(
        path: impl Into<PathBuf>,
        action: &'static str,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |cause| Error::Io {
            path,
            action,
            cause,
        }
    }

    /// An [`Error::Tantivy`] for `path`.
    pub fn tantivy(path: impl Into<PathBuf>) -> impl FnOnce(tantivy::TantivyError) -> Error {
        let path = path.into();
        move |cause| Error::Tantivy { path, cause }
    }

    /// An [`Error::Json`] for `path`.
    pub fn json(path: impl Into<PathBuf>) -> impl FnOnce(serde_json::Error) -> Error {
        let path = path.into();
        move |cause| Error::Json { path, cause }
    }
}
