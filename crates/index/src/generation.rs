//! Generations: how an index folder changes without ever being half-written.
//!
//! ```text
//! index/
//!   CURRENT                      the name of the generation readers open ("000007\n")
//!   indexer.lock                 held (flock) by the one indexer writing here
//!   cache/embeddings-<sha>.bin   the embedding cache (see backissue_engine::cache)
//!   generations/
//!     000006/                    the previous generation, kept for readers still on it
//!     000007/
//!       tantivy/                 the keyword index
//!       documents.jsonl          one Document per line; line i = vector row i
//!       issues.jsonl             one parsed Issue per line (the pages' text)
//!       vectors.f32              raw vectors
//!       hnsw.hnsw.graph, hnsw.hnsw.data
//!       manifest.json            written last
//! ```
//!
//! A run writes a new generation folder in full, syncs every file in it, writes the
//! manifest, syncs again, and only then points `CURRENT` at it (write a temporary
//! file, sync, rename over `CURRENT`, sync the folder). A run killed at any moment
//! therefore leaves `CURRENT` naming a complete generation; the next run removes
//! what the killed one left behind.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use tantivy::directory::{DirectoryLock, Lock, MmapDirectory};
use tantivy::Directory;

use crate::error::{Error, Result};
use crate::faults::{crash_point, Budgeted};
use crate::manifest::MANIFEST_FILE;

/// The pointer file naming the current generation.
pub const CURRENT_FILE: &str = "CURRENT";
/// The folder holding the generations.
pub const GENERATIONS_DIR: &str = "generations";
/// The folder holding the embedding cache.
pub const CACHE_DIR: &str = "cache";
/// The keyword index folder inside a generation.
pub const TANTIVY_DIR: &str = "tantivy";
/// The documents table inside a generation.
pub const DOCUMENTS_FILE: &str = "documents.jsonl";
/// The parsed issues inside a generation (what the pages show of each issue).
pub const ISSUES_FILE: &str = "issues.jsonl";
/// The raw vectors inside a generation.
pub const VECTORS_FILE: &str = "vectors.f32";
/// The lock file an indexer holds while it writes.
pub const LOCK_FILE: &str = "indexer.lock";

/// The paths of an index folder.
#[derive(Debug, Clone)]
pub struct Layout {
    dir: PathBuf,
}

impl Layout {
    /// The layout of the index folder `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Layout { dir: dir.into() }
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `CURRENT`.
    pub fn current_file(&self) -> PathBuf {
        self.dir.join(CURRENT_FILE)
    }

    /// `generations/`.
    pub fn generations_dir(&self) -> PathBuf {
        self.dir.join(GENERATIONS_DIR)
    }

    /// `generations/<name>/`.
    pub fn generation_dir(&self, name: &str) -> PathBuf {
        self.generations_dir().join(name)
    }

    /// `cache/`.
    pub fn cache_dir(&self) -> PathBuf {
        self.dir.join(CACHE_DIR)
    }

    /// The name in `CURRENT`, if there is a well-formed one.
    pub fn current(&self) -> Result<Option<String>> {
        Ok(match self.pointer()? {
            Pointer::Names(name) => Some(name),
            Pointer::Missing | Pointer::Malformed(_) => None,
        })
    }

    /// What `CURRENT` holds: a generation name, nothing (no file), or something else
    /// (a pointer cut short or overwritten, which the protocol never writes).
    pub fn pointer(&self) -> Result<Pointer> {
        let path = self.current_file();
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let name = text.trim();
                Ok(if is_generation_name(name) {
                    Pointer::Names(name.to_string())
                } else {
                    Pointer::Malformed(text.into_owned())
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Pointer::Missing),
            Err(e) => Err(Error::io(&path, "cannot read")(e)),
        }
    }

    /// Every generation folder's name, oldest first.
    pub fn generations(&self) -> Result<Vec<String>> {
        let dir = self.generations_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&dir, "cannot read")(e)),
        };
        let mut names: Vec<String> = entries
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| is_generation_name(name))
            .collect();
        names.sort();
        Ok(names)
    }

    /// A name for a new generation: one past the highest in use.
    pub fn next_name(&self) -> Result<String> {
        let highest = self
            .generations()?
            .into_iter()
            .chain(self.current()?)
            .filter_map(|name| name.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        Ok(format!("{:06}", highest + 1))
    }

    /// Points `CURRENT` at generation `name`, atomically and durably.
    pub fn switch_to(&self, name: &str) -> Result<()> {
        let tmp = self.dir.join(format!("{CURRENT_FILE}.tmp"));
        let file = File::create(&tmp).map_err(Error::io(&tmp, "cannot create"))?;
        let mut out = Budgeted::new(file, &tmp);
        out.write_all(format!("{name}\n").as_bytes())
            .map_err(Error::io(&tmp, "cannot write"))?;
        let file = out.into_inner();
        file.sync_all().map_err(Error::io(&tmp, "cannot sync"))?;
        drop(file);
        crash_point("current-tmp-written");
        let current = self.current_file();
        std::fs::rename(&tmp, &current).map_err(Error::io(&current, "cannot replace"))?;
        crash_point("current-renamed");
        sync_dir(&self.dir)
    }

    /// Removes every generation but `keep` (the current one) and the newest complete
    /// one before it; partial generations (no manifest) and anything newer than
    /// `keep` are what killed runs left behind. Returns the names removed.
    ///
    /// With no `keep` (no valid `CURRENT`), the newest complete generation is kept:
    /// a first build killed after its manifest, or a damaged `CURRENT`, must not cost
    /// the only complete generation before a new one is written.
    pub fn collect_garbage(&self, keep: Option<&str>) -> Result<Vec<String>> {
        let names = self.generations()?;
        let previous = names
            .iter()
            .filter(|name| keep.is_none_or(|keep| name.as_str() < keep))
            .rev()
            .find(|name| self.generation_dir(name).join(MANIFEST_FILE).is_file())
            .cloned();
        let mut removed = Vec::new();
        for name in names {
            if Some(name.as_str()) == keep || Some(&name) == previous.as_ref() {
                continue;
            }
            let dir = self.generation_dir(&name);
            std::fs::remove_dir_all(&dir).map_err(Error::io(&dir, "cannot remove"))?;
            crash_point("gc-removed");
            removed.push(name);
        }
        if !removed.is_empty() {
            sync_dir(&self.generations_dir())?;
        }
        Ok(removed)
    }

    /// Takes the indexer lock of this folder (creating the folder), or fails with
    /// [`Error::Locked`] when another process holds it. The operating system releases
    /// it when the process ends, however it ends.
    pub fn lock(&self) -> Result<IndexerLock> {
        std::fs::create_dir_all(&self.dir).map_err(Error::io(&self.dir, "cannot create"))?;
        let directory = MmapDirectory::open(&self.dir).map_err(|e| Error::Io {
            path: self.dir.clone(),
            action: "cannot open",
            cause: std::io::Error::other(e.to_string()),
        })?;
        directory
            .acquire_lock(&Lock {
                filepath: PathBuf::from(LOCK_FILE),
                is_blocking: false,
            })
            .map(|lock| IndexerLock { _lock: lock })
            .map_err(|_| Error::Locked {
                dir: self.dir.clone(),
            })
    }
}

/// What the `CURRENT` file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pointer {
    /// There is no `CURRENT` file.
    Missing,
    /// The name of a generation (which may or may not exist).
    Names(String),
    /// Something that is not a generation name: empty, cut short, or overwritten.
    Malformed(String),
}

/// The indexer lock of an index folder, released when dropped.
pub struct IndexerLock {
    _lock: DirectoryLock,
}

impl std::fmt::Debug for IndexerLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexerLock")
    }
}

/// Generation names are six or more digits.
fn is_generation_name(name: &str) -> bool {
    name.len() >= 6 && name.bytes().all(|b| b.is_ascii_digit())
}

/// Writes `bytes` to `path` and syncs it.
pub fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = std::fs::File::create(path).map_err(Error::io(path, "cannot create"))?;
    file.write_all(bytes)
        .map_err(Error::io(path, "cannot write"))?;
    file.sync_all().map_err(Error::io(path, "cannot sync"))
}

/// Syncs a folder, so the names created, renamed or removed in it are durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    // Opening a folder read-only and syncing it is how Unix makes its entries durable;
    // other systems may refuse, and have no such step to take.
    match File::open(dir) {
        Ok(file) => {
            let _ = file.sync_all();
            Ok(())
        }
        Err(e) => Err(Error::io(dir, "cannot open")(e)),
    }
}

/// Syncs every file and folder under `dir`, then `dir` itself.
pub fn sync_tree(dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(Error::io(dir, "cannot read"))?;
    for entry in entries {
        let entry = entry.map_err(Error::io(dir, "cannot read"))?;
        let path = entry.path();
        if path.is_dir() {
            sync_tree(&path)?;
        } else if let Ok(file) = File::open(&path) {
            file.sync_all().map_err(Error::io(&path, "cannot sync"))?;
        }
    }
    sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete(layout: &Layout, name: &str) {
        let dir = layout.generation_dir(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(MANIFEST_FILE), "{}").unwrap();
    }

    #[test]
    fn current_switches_atomically_and_names_increase() {
        let tmp = tempfile::tempdir().unwrap();
        let layout = Layout::new(tmp.path());
        assert_eq!(layout.current().unwrap(), None);
        assert_eq!(layout.next_name().unwrap(), "000001");
        complete(&layout, "000001");
        layout.switch_to("000001").unwrap();
        assert_eq!(layout.current().unwrap().as_deref(), Some("000001"));
        assert_eq!(layout.next_name().unwrap(), "000002");
        assert!(!tmp.path().join("CURRENT.tmp").exists());
        std::fs::write(layout.current_file(), "garbage/../x").unwrap();
        assert_eq!(layout.current().unwrap(), None);
        assert_eq!(
            layout.pointer().unwrap(),
            Pointer::Malformed("garbage/../x".into())
        );
        std::fs::write(layout.current_file(), "000").unwrap();
        assert_eq!(layout.pointer().unwrap(), Pointer::Malformed("000".into()));
        std::fs::remove_file(layout.current_file()).unwrap();
        assert_eq!(layout.pointer().unwrap(), Pointer::Missing);
    }

    #[test]
    fn without_current_the_newest_complete_generation_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let layout = Layout::new(tmp.path());
        for name in ["000001", "000002"] {
            complete(&layout, name);
        }
        std::fs::create_dir_all(layout.generation_dir("000003")).unwrap(); // partial
        assert_eq!(layout.collect_garbage(None).unwrap(), ["000001", "000003"]);
        assert_eq!(layout.generations().unwrap(), ["000002"]);
    }

    #[test]
    fn garbage_collection_keeps_current_and_previous_complete_generation() {
        let tmp = tempfile::tempdir().unwrap();
        let layout = Layout::new(tmp.path());
        for name in ["000001", "000002", "000004"] {
            complete(&layout, name);
        }
        std::fs::create_dir_all(layout.generation_dir("000003")).unwrap(); // partial
        std::fs::create_dir_all(layout.generation_dir("000005")).unwrap(); // killed run
        let removed = layout.collect_garbage(Some("000004")).unwrap();
        assert_eq!(removed, ["000001", "000003", "000005"]);
        assert_eq!(layout.generations().unwrap(), ["000002", "000004"]);
    }

    #[test]
    fn a_second_indexer_is_locked_out_until_the_first_lets_go() {
        let tmp = tempfile::tempdir().unwrap();
        let layout = Layout::new(tmp.path().join("index"));
        let lock = layout.lock().unwrap();
        let err = layout.lock().unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        drop(lock);
        layout.lock().unwrap();
    }
}
