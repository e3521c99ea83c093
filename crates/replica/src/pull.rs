//! Pulling: one sync step of a replica, from the store's `CURRENT` to the index
//! folder's.
//!
//! ```text
//! index/
//!   CURRENT, generations/…     as the indexer writes them (backissue_index::generation)
//!   replica/
//!     listings/000008.json     the listing of each generation this replica installed
//!     incoming/000008/         the generation being built; renamed into generations/
//!     replaced/000008/         an older folder of the same name, set aside for a moment
//! ```
//!
//! A generation is built in `incoming/`, where no reader looks, from local copies of
//! files whose SHA-256 another installed generation already has (hard links, or
//! copies where links are refused) and from downloaded blobs. Every file is checked
//! against its listed size and SHA-256 as it is written, the tree is synced, and only
//! then is the folder renamed into `generations/` and `CURRENT` switched to it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use backissue_index::generation::{sync_dir, sync_tree, write_synced, Layout};
use futures_util::TryStreamExt;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::error::{Error, Result};
use crate::listing::{is_generation_name, local_path, ListedFile, Listing};
use crate::store::{blob_key, current_key, listing_key, Store};

/// The folder of a replica's own bookkeeping inside the index folder.
pub const REPLICA_DIR: &str = "replica";

/// What one pull did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PullOutcome {
    /// The store has no published generation yet.
    Empty,
    /// The replica already serves the store's current generation.
    UpToDate {
        /// Its name.
        generation: String,
    },
    /// The store's current generation was installed and `CURRENT` now names it.
    Installed {
        /// Its name.
        generation: String,
        /// Its files.
        files: usize,
        /// Files downloaded from the store.
        downloaded_files: usize,
        /// Bytes downloaded.
        downloaded_bytes: u64,
        /// Files taken from a generation already here (same SHA-256).
        reused_files: usize,
        /// How long the pull took.
        seconds: f64,
    },
}

/// Brings the index folder `index_dir` to the store's current generation, if it is
/// not there already. Holds the folder's indexer lock while it reads and writes the
/// folder, so that no indexer or other replica writes it meanwhile.
///
/// On any error (the store unreachable, a blob corrupt or missing, a full disk) the
/// folder is left as it was: `CURRENT` names the generation it named, and the
/// partial generation is removed (or, if the process is killed, removed by the next
/// pull).
pub async fn pull(store: &Store, index_dir: &Path) -> Result<PullOutcome> {
    let started = Instant::now();
    let Some(name) = published_name(store).await? else {
        return Ok(PullOutcome::Empty);
    };
    let key = listing_key(&name);
    let bytes = store.read(&key).await?.ok_or_else(|| Error::Missing {
        store: store.spec().to_string(),
        key: key.to_string(),
        hint: "CURRENT names a generation the store has no listing of; publish again",
    })?;
    let listing = Listing::parse(&bytes, &name, store.spec(), key.as_ref())?;

    let replica = Replica::new(index_dir);
    let _lock = replica.layout.lock()?;
    if replica.layout.current()?.as_deref() == Some(name.as_str()) && replica.holds(&listing) {
        return Ok(PullOutcome::UpToDate { generation: name });
    }
    let copied = replica.build(store, &listing).await?;
    let listing = tokio::task::spawn_blocking(move || replica.install(&listing).map(|()| listing))
        .await
        .expect("installing a generation does not panic")?;
    let outcome = PullOutcome::Installed {
        generation: name,
        files: listing.files.len(),
        downloaded_files: copied.downloaded_files,
        downloaded_bytes: copied.downloaded_bytes,
        reused_files: copied.reused_files,
        seconds: started.elapsed().as_secs_f64(),
    };
    tracing::info!(store = %store, ?outcome, "pulled");
    Ok(outcome)
}

/// The name in the store's `CURRENT`, if it has one.
async fn published_name(store: &Store) -> Result<Option<String>> {
    let Some(bytes) = store.read(&current_key()).await? else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(&bytes);
    let name = text.trim();
    if !is_generation_name(name) {
        return Err(Error::BadListing {
            store: store.spec().to_string(),
            key: current_key().to_string(),
            reason: format!("{name:?} is not a generation name"),
        });
    }
    Ok(Some(name.to_string()))
}

/// How a generation's files were obtained.
#[derive(Debug, Default)]
struct Copied {
    downloaded_files: usize,
    downloaded_bytes: u64,
    reused_files: usize,
}

/// The index folder of a replica, with its bookkeeping folder.
struct Replica {
    layout: Layout,
    dir: PathBuf,
}

impl Replica {
    fn new(index_dir: &Path) -> Replica {
        Replica {
            layout: Layout::new(index_dir),
            dir: index_dir.join(REPLICA_DIR),
        }
    }

    fn listings_dir(&self) -> PathBuf {
        self.dir.join("listings")
    }

    fn listing_path(&self, name: &str) -> PathBuf {
        self.listings_dir().join(format!("{name}.json"))
    }

    fn incoming_dir(&self) -> PathBuf {
        self.dir.join("incoming")
    }

    fn replaced_dir(&self) -> PathBuf {
        self.dir.join("replaced")
    }

    /// The listing this replica installed generation `name` from, if it did and the
    /// generation is still here.
    fn installed(&self, name: &str) -> Option<Listing> {
        if !self.layout.generation_dir(name).is_dir() {
            return None;
        }
        let bytes = std::fs::read(self.listing_path(name)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Whether the generation folder of `listing` holds its files, as installed.
    fn holds(&self, listing: &Listing) -> bool {
        let Some(installed) = self.installed(&listing.generation) else {
            return false;
        };
        let dir = self.layout.generation_dir(&listing.generation);
        installed.files == listing.files
            && listing.files.iter().all(|file| {
                std::fs::metadata(local_path(&dir, &file.path))
                    .is_ok_and(|meta| meta.is_file() && meta.len() == file.size)
            })
    }

    /// Where a file of each SHA-256 is in the generations installed here.
    fn local_copies(&self) -> Result<HashMap<String, PathBuf>> {
        let mut copies = HashMap::new();
        for name in self.layout.generations()? {
            let Some(listing) = self.installed(&name) else {
                continue;
            };
            let dir = self.layout.generation_dir(&name);
            for file in listing.files {
                let path = local_path(&dir, &file.path);
                copies.entry(file.sha256).or_insert(path);
            }
        }
        Ok(copies)
    }

    /// Builds the generation of `listing` in `incoming/`, every file checked. On error,
    /// what was built is removed.
    async fn build(&self, store: &Store, listing: &Listing) -> Result<Copied> {
        // What a killed pull left behind, of this generation or another.
        for dir in [self.incoming_dir(), self.replaced_dir()] {
            remove_tree(&dir)?;
        }
        let staging = self.incoming_dir().join(&listing.generation);
        std::fs::create_dir_all(&staging).map_err(Error::io(&staging, "cannot create"))?;
        let mut guard = RemoveOnDrop(Some(staging.clone()));

        let mut copies = self.local_copies()?;
        let mut copied = Copied::default();
        for file in &listing.files {
            let dest = local_path(&staging, &file.path);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(Error::io(parent, "cannot create"))?;
            }
            let reused = match copies.get(&file.sha256) {
                Some(source) => reuse(source.clone(), dest.clone(), file.clone()).await?,
                None => false,
            };
            if reused {
                copied.reused_files += 1;
            } else {
                download(store, file, &dest).await?;
                backissue_index::faults::crash_point("pull-downloaded");
                copied.downloaded_files += 1;
                copied.downloaded_bytes += file.size;
                copies.insert(file.sha256.clone(), dest);
            }
        }
        let synced = staging.clone();
        tokio::task::spawn_blocking(move || sync_tree(&synced))
            .await
            .expect("syncing a folder does not panic")?;
        guard.0 = None; // built: install() moves it
        Ok(copied)
    }

    /// Moves the built generation of `listing` into `generations/`, points `CURRENT`
    /// at it and removes the generations no longer kept. Blocks: renames, syncs and
    /// removals of whole folders.
    fn install(&self, listing: &Listing) -> Result<()> {
        let name = &listing.generation;
        let staging = self.incoming_dir().join(name);
        let target = self.layout.generation_dir(name);
        let record = self.listing_path(name);
        remove_file(&record)?;
        std::fs::create_dir_all(self.layout.generations_dir())
            .map_err(Error::io(self.layout.generations_dir(), "cannot create"))?;
        if target.exists() {
            // A folder of this name with other bytes (a killed pull's, or an earlier
            // publisher's): set it aside, so the name is free for only a moment.
            let aside = self.replaced_dir().join(name);
            std::fs::create_dir_all(self.replaced_dir())
                .map_err(Error::io(self.replaced_dir(), "cannot create"))?;
            rename(&target, &aside)?;
            rename(&staging, &target)?;
            sync_dir(&self.layout.generations_dir())?;
            remove_tree(&aside)?;
        } else {
            rename(&staging, &target)?;
            sync_dir(&self.layout.generations_dir())?;
        }
        std::fs::create_dir_all(self.listings_dir())
            .map_err(Error::io(self.listings_dir(), "cannot create"))?;
        write_synced(&record, &listing.to_json())?;
        sync_dir(&self.listings_dir())?;
        self.layout.switch_to(name)?;
        self.layout.collect_garbage(Some(name))?;
        self.forget_removed()
    }

    /// Removes the listings of generations no longer here.
    fn forget_removed(&self) -> Result<()> {
        let dir = self.listings_dir();
        let entries = std::fs::read_dir(&dir).map_err(Error::io(&dir, "cannot read"))?;
        for entry in entries {
            let entry = entry.map_err(Error::io(&dir, "cannot read"))?;
            let file = entry.file_name();
            let name = file.to_string_lossy();
            let generation = name.strip_suffix(".json").unwrap_or(&name);
            if !self.layout.generation_dir(generation).is_dir() {
                remove_file(&entry.path())?;
            }
        }
        Ok(())
    }
}

/// Puts the local file `source` (listed with the same SHA-256) at `dest`: a hard
/// link, or a copy where links are refused. Returns false, leaving nothing at `dest`,
/// when `source` turns out not to hold the listed bytes.
async fn reuse(source: PathBuf, dest: PathBuf, file: ListedFile) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        if std::fs::hard_link(&source, &dest).is_err() && std::fs::copy(&source, &dest).is_err()
        {
            let _ = std::fs::remove_file(&dest);
            return Ok(false);
        }
        let size = std::fs::metadata(&dest).map_err(Error::io(&dest, "cannot read"))?.len();
        let sha256 =
            backissue_embed::sha256_file(&dest).map_err(Error::io(&dest, "cannot read"))?;
        if size == file.size && sha256 == file.sha256 {
            return Ok(true);
        }
        tracing::warn!(file = %source.display(), "local copy differs from its listing; downloading");
        remove_file(&dest)?;
        Ok(false)
    })
    .await
    .expect("copying a file does not panic")
}

/// Downloads the blob of `file` to `dest`, checking its size and SHA-256.
async fn download(store: &Store, file: &ListedFile, dest: &Path) -> Result<()> {
    let key = blob_key(&file.sha256);
    let corrupt = |expected: String, actual: String| Error::Corrupt {
        store: store.spec().to_string(),
        key: key.to_string(),
        expected,
        actual,
    };
    let mut chunks = store.read_stream(&key).await?.ok_or_else(|| Error::Missing {
        store: store.spec().to_string(),
        key: key.to_string(),
        hint: "a newer publish removed it (see retention); the next pull fetches the newer generation",
    })?;
    let mut out = tokio::fs::File::create(dest)
        .await
        .map_err(Error::io(dest, "cannot create"))?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = chunks.try_next().await? {
        size += chunk.len() as u64;
        if size > file.size {
            return Err(corrupt(
                format!("{} bytes", file.size),
                format!("more than {} bytes", file.size),
            ));
        }
        hasher.update(&chunk);
        out.write_all(&chunk)
            .await
            .map_err(Error::io(dest, "cannot write"))?;
    }
    out.flush().await.map_err(Error::io(dest, "cannot write"))?;
    if size != file.size {
        return Err(corrupt(
            format!("{} bytes", file.size),
            format!("{size} bytes"),
        ));
    }
    let sha256 = hex::encode(hasher.finalize());
    if sha256 != file.sha256 {
        return Err(corrupt(
            format!("sha256 {}", file.sha256),
            format!("sha256 {sha256}"),
        ));
    }
    Ok(())
}

/// Removes a folder being built unless the build finished (then it is forgotten).
struct RemoveOnDrop(Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(dir) = self.0.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(Error::io(to, "cannot rename into place"))
}

/// Removes `dir` and everything in it; a folder already gone is not an error.
fn remove_tree(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::io(dir, "cannot remove")(e))
        }
        _ => Ok(()),
    }
}

/// Removes `file`; one already gone is not an error.
fn remove_file(file: &Path) -> Result<()> {
    match std::fs::remove_file(file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::io(file, "cannot remove")(e))
        }
        _ => Ok(()),
    }
}
