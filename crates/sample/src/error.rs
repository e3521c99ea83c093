//! The one error type of this crate: generation cannot fail, only writing can.

use std::path::PathBuf;

/// Why an archive could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read, created or written.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file or folder at fault.
        path: PathBuf,
        /// What the operating system said.
        cause: std::io::Error,
    },
    /// The output folder holds issue files this archive would not write byte for byte;
    /// writing would overwrite or strand someone's files, so nothing was written.
    #[error(
        "{}: holds {count} .txt file(s) that this archive would not reproduce (first: {first}); \
         nothing was written: remove them or choose an empty folder",
        dir.display()
    )]
    ForeignFiles {
        /// The output folder.
        dir: PathBuf,
        /// How many such files there are.
        count: usize,
        /// The first of them, by name.
        first: String,
    },
    /// The ground truth could not be serialised.
    #[error("cannot serialise the ground truth: {0}")]
    Json(#[from] serde_json::Error),
}

/// This crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
