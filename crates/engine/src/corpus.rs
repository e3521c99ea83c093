//! The corpus folder: which issue files there are and whether they changed.
//!
//! A file is identified by its name and its sha256 (with its sidecar's bytes, since a
//! sidecar can change the issue's date or id). Comparing these with the manifest is
//! all an unchanged corpus costs, which keeps an up-to-date run far under a second.

use std::path::{Path, PathBuf};

use backissue_issue::Sidecar;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// An issue file of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusEntry {
    /// The file name inside the corpus folder.
    pub name: String,
    /// The file's path.
    pub path: PathBuf,
    /// Hex sha256 of the file, and of its sidecar when it has one.
    pub sha256: String,
}

/// The `*.txt` files of `corpus` (not its subfolders), sorted by name, hashed.
pub fn scan(corpus: &Path) -> Result<Vec<CorpusEntry>> {
    if !corpus.is_dir() {
        return Err(Error::CorpusMissing {
            path: corpus.to_path_buf(),
        });
    }
    let entries = std::fs::read_dir(corpus).map_err(Error::io(corpus, "cannot read"))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(Error::io(corpus, "cannot read"))?;
        let path = entry.path();
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if !name.ends_with(".txt") || name.starts_with('.') || !path.is_file() {
            continue;
        }
        let sha256 = hash_file(&path)?;
        files.push(CorpusEntry { name, path, sha256 });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// An issue file's fingerprint, as the manifest records it: hex sha256 of `path` and
/// of its sidecars, if any, read in a stream (the file may be far larger than an
/// issue; the parser refuses it later, by name).
pub fn hash_file(path: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    let mut file = std::fs::File::open(path).map_err(Error::io(path, "cannot read"))?;
    std::io::copy(&mut file, &mut hasher).map_err(Error::io(path, "cannot read"))?;
    for sidecar in Sidecar::paths_for(path) {
        match std::fs::File::open(&sidecar) {
            Ok(mut file) => {
                hasher.update(b"\0sidecar\0");
                hasher.update(sidecar.extension().unwrap_or_default().as_encoded_bytes());
                std::io::copy(&mut file, &mut hasher)
                    .map_err(Error::io(&sidecar, "cannot read"))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&sidecar, "cannot read")(e)),
        }
    }
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_txt_files_in_name_order_and_hashes_sidecars() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), "b").unwrap();
        std::fs::write(dir.path().join("a.txt"), "a").unwrap();
        std::fs::write(dir.path().join("notes.md"), "x").unwrap();
        std::fs::create_dir(dir.path().join("sub.txt")).unwrap();
        let files = scan(dir.path()).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a.txt", "b.txt"]);
        let before = files[0].sha256.clone();
        std::fs::write(dir.path().join("a.meta.json"), r#"{"date":"2026-01-02"}"#).unwrap();
        assert_ne!(scan(dir.path()).unwrap()[0].sha256, before);
    }

    #[test]
    fn a_missing_corpus_is_an_error_naming_it() {
        let err = scan(Path::new("/no/such/corpus")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/no/such/corpus: no such corpus folder"),
            "{err}"
        );
    }
}
