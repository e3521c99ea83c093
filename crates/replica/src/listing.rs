//! The listing: what a published generation is made of, file by file.
//!
//! A listing is written by the publisher from its own generation folder, and read by
//! replicas, which trust nothing in it they have not checked: [`Listing::parse`]
//! refuses names and paths that could reach outside the folder being built, and every
//! file is checked against its size and SHA-256 before it is installed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One file of a generation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedFile {
    /// The file's path inside the generation folder, `/`-separated.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// The hex SHA-256 of its bytes: the name of its blob.
    pub sha256: String,
}

/// A published generation: `generations/<name>.json` in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// The generation's name (`000008`), the same as the folder it was read from.
    pub generation: String,
    /// When it was published (RFC 3339, UTC).
    pub published_at: String,
    /// The bytes of all its files.
    pub bytes: u64,
    /// Its files, sorted by path.
    pub files: Vec<ListedFile>,
}

impl Listing {
    /// Lists and hashes every file of the generation folder `dir`, named `name`.
    /// Reads every byte: call it from a blocking task.
    pub(crate) fn of_folder(dir: &Path, name: &str, published_at: String) -> Result<Listing> {
        let mut files = Vec::new();
        list_files(dir, "", &mut files)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Listing {
            generation: name.to_string(),
            published_at,
            bytes: files.iter().map(|file| file.size).sum(),
            files,
        })
    }

    /// Reads the listing of generation `name` from the bytes of `key` in `store`,
    /// refusing anything a publisher does not write.
    pub(crate) fn parse(bytes: &[u8], name: &str, store: &str, key: &str) -> Result<Listing> {
        let bad = |reason: String| Error::BadListing {
            store: store.to_string(),
            key: key.to_string(),
            reason,
        };
        let listing: Listing =
            serde_json::from_slice(bytes).map_err(|cause| bad(cause.to_string()))?;
        if listing.generation != name {
            return Err(bad(format!(
                "it lists generation {:?}, not {name:?}",
                listing.generation
            )));
        }
        let mut paths = BTreeSet::new();
        for file in &listing.files {
            check_path(&file.path).map_err(|why| bad(format!("path {:?}: {why}", file.path)))?;
            if !is_sha256(&file.sha256) {
                return Err(bad(format!(
                    "path {:?}: {:?} is not a hex SHA-256",
                    file.path, file.sha256
                )));
            }
            if !paths.insert(file.path.as_str()) {
                return Err(bad(format!("path {:?} is listed twice", file.path)));
            }
        }
        // A file named like a folder of another ("a" and "a/b") cannot both be written.
        for path in &paths {
            let folder = format!("{path}/");
            if let Some(inside) = paths.range(folder.as_str()..).next() {
                if inside.starts_with(&folder) {
                    return Err(bad(format!("{path:?} is both a file and a folder")));
                }
            }
        }
        if !paths.contains(backissue_index::manifest::MANIFEST_FILE) {
            return Err(bad(format!(
                "no {}: not a complete generation",
                backissue_index::manifest::MANIFEST_FILE
            )));
        }
        let total: u64 = listing.files.iter().map(|file| file.size).sum();
        if total != listing.bytes {
            return Err(bad(format!(
                "its files add up to {total} bytes, not the {} it says",
                listing.bytes
            )));
        }
        Ok(listing)
    }

    /// The listing as the store keeps it.
    pub(crate) fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).expect("a listing serializes");
        json.push(b'\n');
        json
    }
}

/// Where the listed `path` is inside the folder `dir`.
pub(crate) fn local_path(dir: &Path, path: &str) -> PathBuf {
    path.split('/')
        .fold(dir.to_path_buf(), |at, part| at.join(part))
}

/// Whether `name` is a generation name: six or more digits, as the index writes them.
pub(crate) fn is_generation_name(name: &str) -> bool {
    name.len() >= 6 && name.bytes().all(|b| b.is_ascii_digit())
}

/// Generation names in the order they were made (numerically).
pub(crate) fn by_age(a: &str, b: &str) -> std::cmp::Ordering {
    (a.len(), a).cmp(&(b.len(), b))
}

/// Whether `text` is a lowercase hex SHA-256.
pub(crate) fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Why a listed path could leave the generation folder or not be a plain relative
/// path, if it could.
fn check_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("empty");
    }
    if path.starts_with('/') {
        return Err("absolute");
    }
    if path.contains(['\\', '\0']) {
        return Err("holds a backslash or NUL");
    }
    for part in path.split('/') {
        match part {
            "" => return Err("has an empty component"),
            "." | ".." => return Err("has a `.` or `..` component"),
            _ => {}
        }
    }
    Ok(())
}

/// Appends every file under `dir` (whose path inside the generation is `prefix`) to
/// `files`, hashed.
fn list_files(dir: &Path, prefix: &str, files: &mut Vec<ListedFile>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(Error::io(dir, "cannot read"))?;
    for entry in entries {
        let entry = entry.map_err(Error::io(dir, "cannot read"))?;
        let path = entry.path();
        let name = entry.file_name().into_string().map_err(|_| Error::Io {
            path: path.clone(),
            action: "cannot publish",
            cause: std::io::Error::other("the file name is not UTF-8"),
        })?;
        let inside = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry.file_type().map_err(Error::io(&path, "cannot read"))?;
        if kind.is_dir() {
            list_files(&path, &inside, files)?;
        } else if kind.is_file() {
            let size = entry
                .metadata()
                .map_err(Error::io(&path, "cannot read"))?
                .len();
            let sha256 =
                backissue_embed::sha256_file(&path).map_err(Error::io(&path, "cannot read"))?;
            files.push(ListedFile {
                path: inside,
                size,
                sha256,
            });
        } else {
            return Err(Error::Io {
                path,
                action: "cannot publish",
                cause: std::io::Error::other("not a regular file or folder"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(paths: &[&str]) -> Vec<u8> {
        let files: Vec<ListedFile> = paths
            .iter()
            .map(|path| ListedFile {
                path: path.to_string(),
                size: 1,
                sha256: "a".repeat(64),
            })
            .collect();
        Listing {
            generation: "000001".into(),
            published_at: "2026-01-01T00:00:00Z".into(),
            bytes: files.len() as u64,
            files,
        }
        .to_json()
    }

    fn refusal(paths: &[&str]) -> String {
        Listing::parse(
            &listing(paths),
            "000001",
            "store",
            "generations/000001.json",
        )
        .unwrap_err()
        .to_string()
    }

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        for path in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "./a",
            "a\\..\\b",
            "",
        ] {
            let message = refusal(&["manifest.json", path]);
            assert!(message.contains("bad listing"), "{path:?}: {message}");
        }
        assert!(Listing::parse(
            &listing(&["manifest.json", "tantivy/meta.json"]),
            "000001",
            "store",
            "key"
        )
        .is_ok());
    }

    #[test]
    fn a_listing_of_another_generation_or_without_manifest_is_refused() {
        let bytes = listing(&["manifest.json"]);
        let message = Listing::parse(&bytes, "000002", "store", "key")
            .unwrap_err()
            .to_string();
        assert!(message.contains("not \"000002\""), "{message}");
        assert!(refusal(&["documents.jsonl"]).contains("no manifest.json"));
        assert!(refusal(&["manifest.json", "a", "a/b"]).contains("both a file and a folder"));
        assert!(refusal(&["manifest.json", "manifest.json"]).contains("listed twice"));
    }

    #[test]
    fn generation_names_order_numerically() {
        let mut names = vec!["1000000", "000010", "000009"];
        names.sort_by(|a, b| by_age(a, b));
        assert_eq!(names, ["000009", "000010", "1000000"]);
        assert!(is_generation_name("000001") && !is_generation_name("../x"));
    }
}
