//! The one error type of this crate.

use std::path::PathBuf;

/// The command that puts the model and ONNX Runtime in place; every error about
/// missing or broken files points to it.
pub const SETUP_COMMAND: &str = "bash .ci/setup-model.sh";

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed error from a lower layer (fastembed, ONNX Runtime, the tokenizer).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why an embedder could not be found, loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No candidate folder holds the model files.
    #[error(
        "embedding model not found; looked in:\n{}\nrun `{SETUP_COMMAND}` to fetch it, \
         or point BACKISSUE_MODEL_DIR at a folder that holds it",
        searched.iter().map(|s| format!("  {s}")).collect::<Vec<_>>().join("\n")
    )]
    ModelDirNotFound {
        /// Every folder looked at, each with what was wrong with it.
        searched: Vec<String>,
    },

    /// A folder named explicitly (argument or environment) lacks model files.
    #[error(
        "{}: not a complete model folder (missing {}); run `{SETUP_COMMAND} {}` to fill it",
        dir.display(), missing.join(", "), dir.display()
    )]
    ModelFilesMissing {
        /// The folder.
        dir: PathBuf,
        /// The file names it lacks.
        missing: Vec<String>,
    },

    /// The ONNX Runtime shared library is not where it was looked for.
    #[error(
        "{}: ONNX Runtime library not found; run `{SETUP_COMMAND}`, \
         or set ORT_DYLIB_PATH to a libonnxruntime.so of version 1.24 or newer",
        path.display()
    )]
    RuntimeMissing {
        /// The path looked at.
        path: PathBuf,
    },

    /// The ONNX Runtime library exists but cannot be loaded (not a library, or too old).
    #[error(
        "{}: cannot load ONNX Runtime: {reason}; run `{SETUP_COMMAND}` to install version 1.32.0",
        path.display()
    )]
    RuntimeLoad {
        /// The library file.
        path: PathBuf,
        /// What the loader said.
        reason: String,
    },

    /// A model file could not be read.
    #[error("{}: cannot read: {cause}; run `{SETUP_COMMAND}` to restore it", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        cause: std::io::Error,
    },

    /// The model or tokenizer files were read but ONNX Runtime or the tokenizer rejected them.
    #[error(
        "{}: cannot load the embedding model: {cause}; run `{SETUP_COMMAND}` to restore it",
        dir.display()
    )]
    ModelLoad {
        /// The model folder.
        dir: PathBuf,
        /// What fastembed, ONNX Runtime or the tokenizer said.
        cause: BoxError,
    },

    /// Tokenising or running the model failed on a batch of texts.
    #[error("embedding {texts} text(s) failed: {cause}")]
    Inference {
        /// How many texts were in the failed call.
        texts: usize,
        /// What fastembed or ONNX Runtime said.
        cause: BoxError,
    },

    /// The model returned vectors of an unexpected shape.
    #[error("the model returned {got} vector(s) of dimension {dimension} for {expected} text(s)")]
    BadOutput {
        /// How many texts were given.
        expected: usize,
        /// How many vectors came back.
        got: usize,
        /// The dimension of the first vector that came back (0 when none did).
        dimension: usize,
    },

    /// A setting (argument or environment variable) has an unusable value.
    #[error("{name}={value:?}: {reason}")]
    InvalidSetting {
        /// The argument or environment variable.
        name: &'static str,
        /// The value given.
        value: String,
        /// What a valid value looks like.
        reason: &'static str,
    },
}
