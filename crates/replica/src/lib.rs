//! Index replication through object storage: the store, and the listing of a
//! published generation. Publishing and pulling come next.
#![warn(missing_docs)]

mod error;
mod listing;
mod store;

pub use error::{Error, Result};
pub use listing::{ListedFile, Listing};
pub use store::{default_retry, Store, BLOBS_DIR, CURRENT_KEY, LISTINGS_DIR};

/// The S3 client's configuration types, for [`Store::s3`].
pub mod s3 {
    pub use object_store::aws::AmazonS3Builder;
    pub use object_store::{BackoffConfig, ClientOptions, RetryConfig};
}
