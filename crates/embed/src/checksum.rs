//! The model checksum: the cache key for every stored embedding.

use std::path::Path;

use sha2::{Digest, Sha256};

/// Hex sha256 of the model bytes read from `_path`.
pub(crate) fn model_checksum(_path: &Path, bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
