//! The one error type of this crate.
//!
//! Every message names the store (its spec) and key, or the local file, at fault.
//! An error that prints its cause in its message does not also expose it as
//! `source()`, so `{:#}` prints each thing once.

use std::path::{Path, PathBuf};

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a publish or a pull did not complete. Neither leaves a half-done state behind:
/// the store's `CURRENT` and the replica's `CURRENT` still name a complete generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store spec is neither a folder, `file:///path` nor `s3://bucket/prefix`, or
    /// the S3 client could not be configured from it.
    #[error("store {spec:?}: {reason}")]
    BadSpec {
        /// The spec as given.
        spec: String,
        /// What is wrong, and what would be accepted.
        reason: String,
    },

    /// The store could not be reached, or refused or failed a request (anything but
    /// "not found").
    #[error("store {store}: cannot {action} {key}: {cause}")]
    Unreachable {
        /// The store's spec.
        store: String,
        /// What was being done (`read`, `write`, `list`, `delete`).
        action: &'static str,
        /// The key inside the store.
        key: String,
        /// What the object store client said (boxed: it is large, and errors are
        /// rare).
        cause: Box<object_store::Error>,
    },

    /// An object that `CURRENT` or a listing names is not in the store: a newer publish
    /// removed it (see the retention rule), or the store was damaged.
    #[error("store {store}: {key} is missing; {hint}")]
    Missing {
        /// The store's spec.
        store: String,
        /// The key looked for.
        key: String,
        /// What may have happened and what to do.
        hint: &'static str,
    },

    /// A blob's bytes are not the bytes its listing promises (size or SHA-256).
    #[error("store {store}: {key} is corrupt: expected {expected}, got {actual}")]
    Corrupt {
        /// The store's spec.
        store: String,
        /// The blob's key.
        key: String,
        /// What the listing says (`sha256 …` or `… bytes`).
        expected: String,
        /// What was downloaded.
        actual: String,
    },

    /// A listing (or `CURRENT`) is not what a publisher writes: unparsable JSON, a name
    /// that is not a generation name, a path that escapes the generation folder.
    #[error("store {store}: {key}: bad listing: {reason}")]
    BadListing {
        /// The store's spec.
        store: String,
        /// The listing's key.
        key: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A local file or folder could not be read or written.
    #[error("{}: {action}: {cause}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What was being done (`cannot read`, `cannot create`, …).
        action: &'static str,
        /// What the operating system said.
        cause: std::io::Error,
    },

    /// The index folder has no complete generation to publish.
    #[error("{}: nothing to publish: {reason}; run `{}` first", dir.display(), backissue_index::rebuild_command(dir))]
    NoGeneration {
        /// The index folder.
        dir: PathBuf,
        /// What is missing (`no CURRENT`, `generation 000007 has no manifest.json`).
        reason: String,
    },

    /// The index folder's layout refused an operation (its lock is held by another
    /// process, `CURRENT` cannot be replaced, …).
    #[error(transparent)]
    Index(#[from] backissue_index::Error),
}

impl Error {
    /// An [`Error::Io`] for `path`.
    pub(crate) fn io(
        path: impl AsRef<Path>,
        action: &'static str,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.as_ref().to_path_buf();
        move |cause| Error::Io {
            path,
            action,
            cause,
        }
    }
}
