//! Publishing: the local current generation into the store, blobs first, `CURRENT`
//! last, then the store's retention.

use std::collections::BTreeSet;
use std::path::Path;

use backissue_index::generation::Layout;
use backissue_index::manifest::MANIFEST_FILE;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::{Error, Result};
use crate::listing::{by_age, is_generation_name, is_sha256, local_path, Listing};
use crate::store::{blob_key, current_key, listing_key, Store, BLOBS_DIR, LISTINGS_DIR};

/// How many listings a publish keeps by default: the current one and the two before,
/// so a replica still fetching an older generation has time to finish.
pub const DEFAULT_KEEP: usize = 3;

/// What a publish did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishReport {
    /// The generation published (now the store's `CURRENT`).
    pub generation: String,
    /// Its files.
    pub files: usize,
    /// Its bytes.
    pub bytes: u64,
    /// Blobs uploaded (the others were in the store already).
    pub uploaded_files: usize,
    /// Bytes uploaded.
    pub uploaded_bytes: u64,
    /// Blobs already in the store, not uploaded again.
    pub skipped_files: usize,
    /// Listings removed by retention, oldest first.
    pub removed_generations: Vec<String>,
    /// Blobs removed by retention: those no kept listing names.
    pub removed_blobs: usize,
}

/// Publishes the current generation of the index folder `index_dir` to `store`, then
/// keeps the newest `keep` listings (at least 1: the one just published is always
/// kept) and removes the others and every blob no kept listing needs.
///
/// Blobs are uploaded first (only those the store lacks), then the listing, then
/// `CURRENT`: a publish stopped at any point leaves the store's `CURRENT` naming a
/// complete generation. Publishing the generation the store already has uploads
/// nothing and leaves `CURRENT` alone.
///
/// One publisher per store: two at once could each remove what the other needs.
/// The generation is read, not locked: an indexer removing it meanwhile makes the
/// publish fail with [`Error::Io`], before `CURRENT` moves.
pub async fn publish(store: &Store, index_dir: &Path, keep: usize) -> Result<PublishReport> {
    let listing = list_current(index_dir).await?;
    let name = listing.generation.clone();
    let folder = Layout::new(index_dir).generation_dir(&name);

    let mut report = PublishReport {
        generation: name.clone(),
        files: listing.files.len(),
        bytes: listing.bytes,
        uploaded_files: 0,
        uploaded_bytes: 0,
        skipped_files: 0,
        removed_generations: Vec::new(),
        removed_blobs: 0,
    };
    let mut seen = BTreeSet::new();
    for file in &listing.files {
        if !seen.insert(file.sha256.as_str()) {
            continue; // the same bytes under two paths: one blob
        }
        let key = blob_key(&file.sha256);
        if store.size(&key).await? == Some(file.size) {
            report.skipped_files += 1;
            continue;
        }
        let path = local_path(&folder, &file.path);
        store.upload(&key, &path, file.size).await?;
        tracing::debug!(store = %store, key = %key, bytes = file.size, "uploaded");
        report.uploaded_files += 1;
        report.uploaded_bytes += file.size;
    }

    let key = listing_key(&name);
    let published = match store.read(&key).await? {
        Some(bytes) => Listing::parse(&bytes, &name, store.spec(), key.as_ref()).ok(),
        None => None,
    };
    if published.is_none_or(|published| published.files != listing.files) {
        store.write(&key, listing.to_json().into()).await?;
    }
    let pointer = format!("{name}\n");
    if store.read(&current_key()).await?.as_deref() != Some(pointer.as_bytes()) {
        store.write(&current_key(), pointer.into()).await?;
    }

    let (removed_generations, removed_blobs) = retain(store, &listing, keep.max(1)).await?;
    report.removed_generations = removed_generations;
    report.removed_blobs = removed_blobs;
    tracing::info!(store = %store, generation = %name, uploaded_files = report.uploaded_files,
        uploaded_bytes = report.uploaded_bytes, "published");
    Ok(report)
}

/// The listing of the local current generation, every file hashed.
async fn list_current(index_dir: &Path) -> Result<Listing> {
    let layout = Layout::new(index_dir);
    let nothing = |reason: String| Error::NoGeneration {
        dir: index_dir.to_path_buf(),
        reason,
    };
    let name = layout
        .current()?
        .ok_or_else(|| nothing("no CURRENT naming a generation".into()))?;
    let folder = layout.generation_dir(&name);
    if !folder.join(MANIFEST_FILE).is_file() {
        return Err(nothing(format!("generation {name} has no {MANIFEST_FILE}")));
    }
    let published_at = OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .expect("the current time formats as RFC 3339");
    tokio::task::spawn_blocking(move || Listing::of_folder(&folder, &name, published_at))
        .await
        .expect("hashing a generation does not panic")
}

/// Keeps `current` and the newest `keep - 1` other listings; removes the other
/// listings, then every blob no kept listing names. Returns the listings and the
/// number of blobs removed.
///
/// Listings go first: a retention stopped halfway leaves unreferenced blobs, which
/// the next one removes, never a kept listing without its blobs. A kept listing
/// that cannot be read stops it before any blob is removed.
async fn retain(store: &Store, current: &Listing, keep: usize) -> Result<(Vec<String>, usize)> {
    let mut names: Vec<String> = store
        .names_in(LISTINGS_DIR)
        .await?
        .into_iter()
        .filter_map(|file| file.strip_suffix(".json").map(str::to_string))
        .filter(|name| is_generation_name(name) && *name != current.generation)
        .collect();
    names.sort_by(|a, b| by_age(b, a));
    let removed: Vec<String> = names.split_off(names.len().min(keep - 1));
    let kept = names;

    for name in &removed {
        store.delete(&listing_key(name)).await?;
    }

    let mut needed: BTreeSet<String> = current.files.iter().map(|f| f.sha256.clone()).collect();
    for name in &kept {
        let key = listing_key(name);
        let Some(bytes) = store.read(&key).await? else {
            continue; // removed meanwhile: it needs nothing
        };
        let listing = Listing::parse(&bytes, name, store.spec(), key.as_ref())?;
        needed.extend(listing.files.into_iter().map(|file| file.sha256));
    }
    let mut removed_blobs = 0;
    for blob in store.names_in(BLOBS_DIR).await? {
        if is_sha256(&blob) && !needed.contains(&blob) {
            store.delete(&blob_key(&blob)).await?;
            removed_blobs += 1;
        }
    }
    let mut removed = removed;
    removed.reverse();
    Ok((removed, removed_blobs))
}
