//! The object store a publisher writes and replicas read: a folder or an S3 bucket.
//!
//! [`Store`] knows the three kinds of key (`CURRENT`, `generations/<name>.json`,
//! `blobs/<sha256>`) and turns every object store error into this crate's: "not
//! found" is an answer (`None`), anything else is [`Error::Unreachable`] naming the
//! store and the key.

use std::path::Path as FsPath;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3Builder, Checksum};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{BackoffConfig, ObjectStore, ObjectStoreExt, RetryConfig, WriteMultipart};
use tokio::io::AsyncReadExt;

use crate::error::{Error, Result};

/// The pointer naming the published generation.
pub const CURRENT_KEY: &str = "CURRENT";
/// The folder of the listings, one `<name>.json` per published generation.
pub const LISTINGS_DIR: &str = "generations";
/// The folder of the blobs, one per distinct file content, named by its SHA-256.
pub const BLOBS_DIR: &str = "blobs";

/// Files up to this size are uploaded in one request, larger ones in parts of it.
const PART_BYTES: usize = 8 * 1024 * 1024;
/// Parts of one multipart upload in flight at once.
const PARTS_IN_FLIGHT: usize = 4;

/// The retries [`Store::open`] gives an S3 store: a few quick ones, so that a store
/// that is down is reported within seconds, not after object_store's default three
/// minutes (a replica tries again at its next poll anyway).
pub fn default_retry() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig::default(),
        max_retries: 3,
        retry_timeout: Duration::from_secs(30),
    }
}

/// Where generations are published: a local folder or an S3 bucket and prefix.
#[derive(Debug, Clone)]
pub struct Store {
    objects: Arc<dyn ObjectStore>,
    spec: String,
}

impl std::fmt::Display for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.spec)
    }
}

impl Store {
    /// Opens the store `spec` names:
    ///
    /// - a folder path, or `file:///absolute/path`: that folder (created if missing);
    /// - `s3://bucket/prefix`: that bucket, under that prefix (which may be empty),
    ///   configured from the environment (see the crate documentation for the
    ///   variables), with [`default_retry`].
    ///
    /// Nothing is read or written yet: an unreachable S3 store is reported by the
    /// first publish or pull, as [`Error::Unreachable`].
    pub fn open(spec: &str) -> Result<Store> {
        if spec.starts_with("s3://") {
            return Store::s3(
                spec,
                AmazonS3Builder::from_env().with_retry(default_retry()),
            );
        }
        if let Some(path) = spec.strip_prefix("file://") {
            if !path.starts_with('/') {
                return Err(Error::BadSpec {
                    spec: spec.to_string(),
                    reason: "a file URL needs an absolute path: file:///path/to/store".into(),
                });
            }
            return Store::local(path).map(|store| store.named(spec));
        }
        if let Some((scheme, _)) = spec.split_once("://") {
            return Err(Error::BadSpec {
                spec: spec.to_string(),
                reason: format!(
                    "unknown scheme {scheme:?}; give a folder, file:///path or s3://bucket/prefix"
                ),
            });
        }
        Store::local(spec)
    }

    /// The folder `dir` as a store, creating it if it is missing.
    pub fn local(dir: impl AsRef<FsPath>) -> Result<Store> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(Error::io(dir, "cannot create"))?;
        let objects = LocalFileSystem::new_with_prefix(dir)
            .map_err(|cause| Error::BadSpec {
                spec: dir.display().to_string(),
                reason: cause.to_string(),
            })?
            .with_automatic_cleanup(true);
        Ok(Store {
            objects: Arc::new(objects),
            spec: dir.display().to_string(),
        })
    }

    /// The S3 store `url` (`s3://bucket/prefix`) through `builder`, which brings the
    /// endpoint, credentials, region and client options (for example
    /// `AmazonS3Builder::from_env()`, or one set up explicitly by a test). The bucket
    /// comes from `url`, and uploads carry their SHA-256 so that S3 checks each one.
    pub fn s3(url: &str, builder: AmazonS3Builder) -> Result<Store> {
        let bad = |reason: &str| Error::BadSpec {
            spec: url.to_string(),
            reason: reason.to_string(),
        };
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| bad("an S3 store is s3://bucket/prefix"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(bad("no bucket: an S3 store is s3://bucket/prefix"));
        }
        let s3 = builder
            .with_bucket_name(bucket)
            .with_checksum_algorithm(Checksum::SHA256)
            .build()
            .map_err(|cause| bad(&cause.to_string()))?;
        let prefix = prefix.trim_matches('/');
        let objects: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            let prefix = Path::parse(prefix).map_err(|cause| bad(&cause.to_string()))?;
            Arc::new(PrefixStore::new(s3, prefix))
        };
        Ok(Store {
            objects,
            spec: url.to_string(),
        })
    }

    /// The spec the store was opened with.
    pub fn spec(&self) -> &str {
        &self.spec
    }

    fn named(mut self, spec: &str) -> Store {
        self.spec = spec.to_string();
        self
    }

    /// An [`Error::Unreachable`] for `key`.
    fn unreachable(
        &self,
        action: &'static str,
        key: &Path,
    ) -> impl FnOnce(object_store::Error) -> Error {
        let store = self.spec.clone();
        let key = key.to_string();
        move |cause| Error::Unreachable {
            store,
            action,
            key,
            cause: Box::new(cause),
        }
    }

    /// An object's bytes, or `None` when there is no such object.
    pub(crate) async fn read(&self, key: &Path) -> Result<Option<Bytes>> {
        let Some(stream) = self.read_stream(key).await? else {
            return Ok(None);
        };
        let chunks: Vec<Bytes> = stream.try_collect().await?;
        Ok(Some(chunks.concat().into()))
    }

    /// An object's bytes as they arrive, or `None` when there is no such object.
    pub(crate) async fn read_stream(
        &self,
        key: &Path,
    ) -> Result<Option<BoxStream<'static, Result<Bytes>>>> {
        match self.objects.get(key).await {
            Ok(found) => {
                let (store, key) = (self.spec.clone(), key.to_string());
                let stream = found
                    .into_stream()
                    .map_err(move |cause| Error::Unreachable {
                        store: store.clone(),
                        action: "read",
                        key: key.clone(),
                        cause: Box::new(cause),
                    });
                Ok(Some(stream.boxed()))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(cause) => Err(self.unreachable("read", key)(cause)),
        }
    }

    /// An object's size, or `None` when there is no such object.
    pub(crate) async fn size(&self, key: &Path) -> Result<Option<u64>> {
        match self.objects.head(key).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(cause) => Err(self.unreachable("read", key)(cause)),
        }
    }

    /// Writes `bytes` as the object `key`, replacing any (atomically: readers see the
    /// old object or the new one).
    pub(crate) async fn write(&self, key: &Path, bytes: Bytes) -> Result<()> {
        self.objects
            .put(key, bytes.into())
            .await
            .map(drop)
            .map_err(self.unreachable("write", key))
    }

    /// Uploads the local file `path` as the object `key`: in one request when it is
    /// small, in parts otherwise. The object appears only when the upload completes.
    pub(crate) async fn upload(&self, key: &Path, path: &FsPath, size: u64) -> Result<()> {
        let mut file = tokio::fs::File::open(path)
            .await
            .map_err(Error::io(path, "cannot open"))?;
        if size <= PART_BYTES as u64 {
            let mut bytes = Vec::with_capacity(size as usize);
            file.read_to_end(&mut bytes)
                .await
                .map_err(Error::io(path, "cannot read"))?;
            return self.write(key, bytes.into()).await;
        }
        let upload = self
            .objects
            .put_multipart(key)
            .await
            .map_err(self.unreachable("write", key))?;
        let mut parts = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut buffer = vec![0u8; 1024 * 1024];
        loop {
            let read = match file.read(&mut buffer).await {
                Ok(0) => break,
                Ok(read) => read,
                Err(cause) => {
                    let _ = parts.abort().await;
                    return Err(Error::io(path, "cannot read")(cause));
                }
            };
            if let Err(cause) = parts.wait_for_capacity(PARTS_IN_FLIGHT).await {
                let _ = parts.abort().await;
                return Err(self.unreachable("write", key)(cause));
            }
            parts.write(&buffer[..read]);
        }
        parts
            .finish()
            .await
            .map(drop)
            .map_err(self.unreachable("write", key))
    }

    /// Deletes the object `key`; one already gone is not an error.
    pub(crate) async fn delete(&self, key: &Path) -> Result<()> {
        match self.objects.delete(key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(cause) => Err(self.unreachable("delete", key)(cause)),
        }
    }

    /// The names of the objects directly in the folder `dir` (`generations`, `blobs`).
    pub(crate) async fn names_in(&self, dir: &str) -> Result<Vec<String>> {
        let dir = Path::from(dir);
        let found: Vec<_> = self
            .objects
            .list(Some(&dir))
            .try_collect()
            .await
            .map_err(self.unreachable("list", &dir))?;
        Ok(found
            .into_iter()
            .filter_map(|meta| {
                let mut parts = meta.location.prefix_match(&dir)?;
                let name = parts.next()?;
                parts.next().is_none().then(|| name.as_ref().to_string())
            })
            .collect())
    }
}

/// `CURRENT`.
pub(crate) fn current_key() -> Path {
    Path::from(CURRENT_KEY)
}

/// `generations/<name>.json`.
pub(crate) fn listing_key(name: &str) -> Path {
    Path::from_iter([LISTINGS_DIR, &format!("{name}.json")])
}

/// `blobs/<sha256>`.
pub(crate) fn blob_key(sha256: &str) -> Path {
    Path::from_iter([BLOBS_DIR, sha256])
}
