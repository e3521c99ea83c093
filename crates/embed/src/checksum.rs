//! File checksums: [`sha256_file`], the workspace's one file hasher, and the model
//! checksum, the cache key for every stored embedding.
//!
//! Hashing the 22 MB model takes about 50 ms in a release build but about a second
//! in a debug build, which every test binary that loads the model would pay. So the
//! hex digest is remembered in a sidecar file, `model_int8.onnx.sha256`, together
//! with the model's size and modification time; while both are unchanged the
//! sidecar is trusted. Writing the sidecar is best effort: a read-only model folder
//! only means hashing every time.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

/// Hex sha256 of the file at `path`, read in a stream (a file may be far larger than
/// memory allows to hold at once).
pub fn sha256_file(path: &Path) -> io::Result<String> {
    let mut hasher = Sha256::new();
    io::copy(&mut fs::File::open(path)?, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

/// Hex sha256 of the model file at `path`, without loading the model: the sidecar's
/// while the file is unchanged, else [`sha256_file`] (and the sidecar refreshed). The
/// same value as `FastEmbedder::checksum` for that file.
pub fn model_file_checksum(path: &Path) -> io::Result<String> {
    let key = file_key(path);
    if let Some(hex) = key.as_deref().and_then(|key| read_sidecar(path, key)) {
        return Ok(hex);
    }
    let hex = sha256_file(path)?;
    if let Some(key) = key {
        write_sidecar(path, &key, &hex);
    }
    Ok(hex)
}

/// Hex sha256 of `bytes`, the contents of the model file at `path`, using and
/// refreshing the sidecar next to it.
pub(crate) fn model_checksum(path: &Path, bytes: &[u8]) -> String {
    let key = file_key(path);
    if let Some(hex) = key.as_deref().and_then(|key| read_sidecar(path, key)) {
        return hex;
    }
    let hex = hex::encode(Sha256::digest(bytes));
    if let Some(key) = key {
        write_sidecar(path, &key, &hex);
    }
    hex
}

/// The sidecar's path: the model's path with `.sha256` appended.
pub(crate) fn sidecar_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

/// `size mtime`, which changes whenever the file is rewritten.
fn file_key(path: &Path) -> Option<String> {
    let meta = fs::metadata(path).ok()?;
    let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!(
        "{} {}.{:09}",
        meta.len(),
        mtime.as_secs(),
        mtime.subsec_nanos()
    ))
}

/// The digest in the sidecar, when its key matches and it looks like a sha256.
fn read_sidecar(path: &Path, key: &str) -> Option<String> {
    let content = fs::read_to_string(sidecar_path(path)).ok()?;
    let (hex, stored_key) = content.trim_end().split_once(' ')?;
    let well_formed = hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    (well_formed && stored_key == key).then(|| hex.to_ascii_lowercase())
}

/// Writes `hex size mtime` through a temporary file, so a reader never sees half of it.
fn write_sidecar(path: &Path, key: &str, hex: &str) {
    let sidecar = sidecar_path(path);
    let mut partial = sidecar.clone().into_os_string();
    partial.push(format!(".{}.partial", std::process::id()));
    let written =
        fs::write(&partial, format!("{hex} {key}\n")).and_then(|()| fs::rename(&partial, &sidecar));
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ABC_SHA256: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    #[test]
    fn hashes_then_reuses_the_sidecar_while_the_file_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("model_int8.onnx");
        fs::write(&model, b"abc").unwrap();

        assert_eq!(model_checksum(&model, b"abc"), ABC_SHA256);
        let sidecar = fs::read_to_string(sidecar_path(&model)).unwrap();
        assert!(sidecar.starts_with(ABC_SHA256), "{sidecar}");

        // The sidecar is trusted (the bytes given are not even hashed) ...
        assert_eq!(model_checksum(&model, b"ignored"), ABC_SHA256);
    }

    #[test]
    fn a_file_is_hashed_in_a_stream_and_a_missing_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("model_int8.onnx");
        fs::write(&model, b"abc").unwrap();
        assert_eq!(sha256_file(&model).unwrap(), ABC_SHA256);
        assert_eq!(model_file_checksum(&model).unwrap(), ABC_SHA256);
        // The sidecar it wrote is the one the loaded model's checksum reads.
        assert_eq!(model_checksum(&model, b"ignored"), ABC_SHA256);
        assert!(sha256_file(&dir.path().join("none")).is_err());
    }

    #[test]
    fn a_rewritten_file_is_hashed_again() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("model_int8.onnx");
        fs::write(&model, b"abc").unwrap();
        model_checksum(&model, b"abc");

        fs::write(&model, b"abcd").unwrap(); // new size, so a new key
        let fresh = hex::encode(Sha256::digest(b"abcd"));
        assert_eq!(model_checksum(&model, b"abcd"), fresh);
    }

    #[test]
    fn a_garbled_sidecar_is_ignored_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("model_int8.onnx");
        fs::write(&model, b"abc").unwrap();
        fs::write(sidecar_path(&model), "not a checksum\n").unwrap();
        assert_eq!(model_checksum(&model, b"abc"), ABC_SHA256);
        assert!(fs::read_to_string(sidecar_path(&model))
            .unwrap()
            .starts_with(ABC_SHA256));
    }
}
