//! Where the indexer gets its embedder: ready, or loaded only when needed.
//!
//! Loading the real model takes about half a second, longer than everything else an
//! up-to-date run does. The indexer only needs the model's checksum to decide that
//! nothing changed (or that every new text is already in the cache), so a
//! [`LazyEmbedder`] gives the checksum up front and loads the model on first use.

use std::sync::{Mutex, OnceLock, PoisonError};

use backissue_embed::Embedder;

use crate::error::{BoxError, Error, Result};

/// Gives the indexer a model checksum cheaply and the embedder when it has texts to embed.
pub trait EmbedderSource {
    /// Hex sha256 of the model ([`Embedder::checksum`]), ideally without loading it.
    fn model_checksum(&self) -> Result<String>;

    /// The model's name ([`Embedder::model_id`]), ideally without loading it.
    fn model_name(&self) -> Result<String>;

    /// The embedder, loaded on the first call.
    fn embedder(&self) -> Result<&dyn Embedder>;
}

impl<E: Embedder> EmbedderSource for E {
    fn model_checksum(&self) -> Result<String> {
        Ok(self.checksum().to_string())
    }

    fn model_name(&self) -> Result<String> {
        Ok(self.model_id().to_string())
    }

    fn embedder(&self) -> Result<&dyn Embedder> {
        Ok(self)
    }
}

/// The loader a [`LazyEmbedder`] calls once.
pub type Loader = Box<dyn FnOnce() -> Result<Box<dyn Embedder>, BoxError> + Send>;

/// An embedder loaded on first use, whose checksum is known before.
pub struct LazyEmbedder {
    model_id: String,
    checksum: String,
    loader: Mutex<Option<Loader>>,
    loaded: OnceLock<Box<dyn Embedder>>,
}

impl std::fmt::Debug for LazyEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyEmbedder")
            .field("model_id", &self.model_id)
            .field("checksum", &self.checksum)
            .field("loaded", &self.loaded.get().is_some())
            .finish()
    }
}

impl LazyEmbedder {
    /// An embedder that `load` makes on first use; `model_id` and `checksum` must be
    /// what the loaded embedder's [`Embedder::model_id`] and [`Embedder::checksum`]
    /// will say (checked when it is loaded).
    pub fn new(
        model_id: impl Into<String>,
        checksum: impl Into<String>,
        load: impl FnOnce() -> Result<Box<dyn Embedder>, BoxError> + Send + 'static,
    ) -> Self {
        LazyEmbedder {
            model_id: model_id.into(),
            checksum: checksum.into(),
            loader: Mutex::new(Some(Box::new(load))),
            loaded: OnceLock::new(),
        }
    }

    /// Whether the embedder has been loaded.
    pub fn is_loaded(&self) -> bool {
        self.loaded.get().is_some()
    }
}

impl EmbedderSource for LazyEmbedder {
    fn model_checksum(&self) -> Result<String> {
        Ok(self.checksum.clone())
    }

    fn model_name(&self) -> Result<String> {
        Ok(self.model_id.clone())
    }

    fn embedder(&self) -> Result<&dyn Embedder> {
        if let Some(embedder) = self.loaded.get() {
            return Ok(embedder.as_ref());
        }
        let mut loader = self.loader.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(embedder) = self.loaded.get() {
            return Ok(embedder.as_ref());
        }
        let load = loader.take().ok_or_else(|| Error::EmbedderLoad {
            cause: "an earlier attempt to load it failed".into(),
        })?;
        let embedder = load().map_err(|cause| Error::EmbedderLoad { cause })?;
        if embedder.checksum() != self.checksum || embedder.model_id() != self.model_id {
            return Err(Error::ModelChanged {
                announced: format!("{} (sha256 {})", self.model_id, self.checksum),
                actual: format!("{} (sha256 {})", embedder.model_id(), embedder.checksum()),
            });
        }
        Ok(self.loaded.get_or_init(|| embedder).as_ref())
    }
}

#[cfg(test)]
mod tests {
    use backissue_embed::HashEmbedder;

    use super::*;

    #[test]
    fn loads_once_and_only_when_asked() {
        let checksum = HashEmbedder::new(8).checksum().to_string();
        let lazy = LazyEmbedder::new(HashEmbedder::new(8).model_id(), checksum.clone(), || {
            Ok(Box::new(HashEmbedder::new(8)) as Box<dyn Embedder>)
        });
        assert_eq!(lazy.model_checksum().unwrap(), checksum);
        assert!(!lazy.is_loaded());
        assert_eq!(lazy.embedder().unwrap().dimension(), 8);
        assert!(lazy.is_loaded());
        assert_eq!(lazy.embedder().unwrap().dimension(), 8);
    }

    #[test]
    fn a_wrong_announced_checksum_is_caught() {
        let lazy = LazyEmbedder::new(HashEmbedder::new(8).model_id(), "0000", || {
            Ok(Box::new(HashEmbedder::new(8)) as Box<dyn Embedder>)
        });
        assert!(matches!(lazy.embedder(), Err(Error::ModelChanged { .. })));
    }

    #[test]
    fn a_ready_embedder_is_its_own_source() {
        let embedder = HashEmbedder::new(4);
        let source: &dyn EmbedderSource = &embedder;
        assert_eq!(source.model_checksum().unwrap(), embedder.checksum());
        assert_eq!(source.embedder().unwrap().dimension(), 4);
    }
}
