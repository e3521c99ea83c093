//! Index replication through object storage: one machine indexes and publishes,
//! any number of replicas pull and serve.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> backissue_replica::Result<()> {
//! use backissue_replica::{publish, pull, PullOutcome, Store, DEFAULT_KEEP};
//! # let tmp = tempfile::tempdir().unwrap();
//! # let (indexed, served) = (tmp.path().join("index"), tmp.path().join("replica"));
//! # let generation = indexed.join("generations/000001");
//! # std::fs::create_dir_all(&generation).unwrap();
//! # std::fs::write(generation.join("documents.jsonl"), "{}\n").unwrap();
//! # std::fs::write(generation.join("manifest.json"), "{}").unwrap();
//! # std::fs::write(indexed.join("CURRENT"), "000001\n").unwrap();
//! # let store_dir = tmp.path().join("store");
//! # let store_spec = store_dir.to_str().unwrap();
//! // A folder, file:///path, or s3://bucket/prefix.
//! let store = Store::open(store_spec)?;
//!
//! // On the indexing machine, after `backissue index`:
//! let report = publish(&store, &indexed, DEFAULT_KEEP).await?;
//! assert_eq!(report.generation, "000001");
//!
//! // On a replica, in a loop:
//! match pull(&store, &served).await? {
//!     PullOutcome::Installed { generation, .. } => assert_eq!(generation, "000001"),
//!     other => panic!("{other:?}"),
//! }
//! assert!(matches!(pull(&store, &served).await?, PullOutcome::UpToDate { .. }));
//! # Ok(())
//! # }
//! ```
//!
//! # Why this way
//!
//! An index folder changes by whole generations behind a `CURRENT` pointer
//! (`backissue_index::generation`), and a generation folder never changes once
//! written. Publishing copies that idea into a store, where the only atomic operation
//! is writing one object:
//!
//! ```text
//! <prefix>/
//!   CURRENT                   the published generation's name ("000008\n"), written last
//!   generations/000008.json   its listing: every file's path, size and SHA-256
//!   blobs/<sha256>            each file's bytes, named by their SHA-256
//! ```
//!
//! Blobs are content-addressed, so a file two generations share (most of them, from
//! one week's issue to the next) is uploaded once and, on a replica, copied from the
//! generation it already has instead of downloaded.
//!
//! # Invariants
//!
//! - **The pointer is written last.** A publish uploads the blobs, then the listing,
//!   then `CURRENT`; stopped at any point, the store's `CURRENT` still names a
//!   generation whose listing and blobs are all there.
//! - **A generation is installed only after every file is verified.** A pull builds it
//!   in `replica/incoming/` inside the index folder, checks each file's size and
//!   SHA-256 against the listing (a mismatch is [`Error::Corrupt`]), syncs the tree,
//!   and only then renames it into `generations/` and switches `CURRENT`.
//! - **A replica never serves a half-copied generation.** Its `CURRENT` moves only to
//!   a complete folder; a failed or killed pull leaves it where it was, and the next
//!   pull removes what the failed one left.
//! - **Retention never deletes what a kept listing needs.** After `CURRENT` is
//!   written, a publish keeps the current listing and the newest others up to `keep`,
//!   deletes the older listings first and then only the blobs no kept listing names.
//! - **Nothing in a listing is trusted.** Names must be generation names, paths must
//!   stay inside the generation folder (no `..`, no absolute path), blob names must be
//!   SHA-256s ([`Error::BadListing`]).
//! - One publisher per store; one writer per index folder (a pull holds the folder's
//!   indexer lock).
//!
//! # S3
//!
//! `s3://bucket/prefix` is configured from the environment by
//! `AmazonS3Builder::from_env`; these are the variables that matter:
//!
//! | variable | meaning |
//! | --- | --- |
//! | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` | the credentials (else the instance's or container's) |
//! | `AWS_SESSION_TOKEN` | a temporary credential's token |
//! | `AWS_REGION` (or `AWS_DEFAULT_REGION`) | the region; default `us-east-1` |
//! | `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT`; `AWS_ENDPOINT_URL_S3` wins over both) | an S3-compatible server (MinIO, moto, R2…) |
//! | `AWS_ALLOW_HTTP=true` | allow an `http://` endpoint |
//! | `AWS_VIRTUAL_HOSTED_STYLE_REQUEST=true` | `bucket.host` addressing instead of `host/bucket` |
//!
//! Uploads carry their SHA-256 (`x-amz-checksum-sha256`), so S3 refuses one damaged
//! on the way. A request is retried three times within 30 seconds ([`default_retry`])
//! before the store is reported [`Error::Unreachable`]. [`Store::s3`] takes an
//! explicitly configured builder instead.
#![warn(missing_docs)]

mod error;
mod listing;
mod publish;
mod pull;
mod store;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::{Error, Result};
pub use listing::{ListedFile, Listing};
pub use publish::{publish, PublishReport, DEFAULT_KEEP};
pub use pull::{pull, PullOutcome, REPLICA_DIR};
pub use store::{default_retry, Store, BLOBS_DIR, CURRENT_KEY, LISTINGS_DIR};

/// The S3 client's configuration types, for [`Store::s3`].
pub mod s3 {
    pub use object_store::aws::AmazonS3Builder;
    pub use object_store::{BackoffConfig, ClientOptions, RetryConfig};
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The integrator runs both on spawned tasks (`tokio::spawn` needs `Send`).
    #[test]
    fn publish_and_pull_can_run_on_a_spawned_task() {
        fn send<T: Send>(_: T) {}
        let tmp = tempfile::tempdir().unwrap();
        let store = crate::Store::local(tmp.path()).unwrap();
        send(crate::pull(&store, Path::new("index")));
        send(crate::publish(
            &store,
            Path::new("index"),
            crate::DEFAULT_KEEP,
        ));
    }
}
