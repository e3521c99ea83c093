//! An embedder wrapper that counts its work, for tests of caching.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::Result;
use crate::Embedder;

/// Wraps an [`Embedder`] and counts the texts it embeds and the calls made.
///
/// Tests use it to prove that incremental indexing and the embedding cache never
/// embed the same text twice: index, re-index, and check [`CountingEmbedder::texts`]
/// did not move. Only successful calls are counted.
#[derive(Debug, Default)]
pub struct CountingEmbedder<E> {
    inner: E,
    texts: AtomicUsize,
    calls: AtomicUsize,
}

impl<E: Embedder> CountingEmbedder<E> {
    /// Wraps `inner`, with both counts at zero.
    pub fn new(inner: E) -> Self {
        Self {
            inner,
            texts: AtomicUsize::new(0),
            calls: AtomicUsize::new(0),
        }
    }

    /// Texts embedded so far.
    pub fn texts(&self) -> usize {
        self.texts.load(Ordering::SeqCst)
    }

    /// Successful [`Embedder::embed`] calls so far, including calls with no texts.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Sets both counts back to zero.
    pub fn reset(&self) {
        self.texts.store(0, Ordering::SeqCst);
        self.calls.store(0, Ordering::SeqCst);
    }

    /// The wrapped embedder.
    pub fn inner(&self) -> &E {
        &self.inner
    }

    /// Unwraps the embedder.
    pub fn into_inner(self) -> E {
        self.inner
    }
}

impl<E: Embedder> Embedder for CountingEmbedder<E> {
    fn model_id(&self) -> &str {
        self.inner.model_id()
    }

    fn checksum(&self) -> &str {
        self.inner.checksum()
    }

    fn dimension(&self) -> usize {
        self.inner.dimension()
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let vectors = self.inner.embed(texts)?;
        self.texts.fetch_add(texts.len(), Ordering::SeqCst);
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(vectors)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::HashEmbedder;

    #[test]
    fn counts_texts_and_calls_and_passes_vectors_through() {
        let counting = CountingEmbedder::new(HashEmbedder::new(16));
        let vectors = counting.embed(&["a", "b", "c"]).unwrap();
        counting.embed(&[]).unwrap();
        counting.embed(&["d"]).unwrap();
        assert_eq!(
            vectors,
            HashEmbedder::new(16).embed(&["a", "b", "c"]).unwrap()
        );
        assert_eq!((counting.texts(), counting.calls()), (4, 3));
        assert_eq!(counting.checksum(), HashEmbedder::new(16).checksum());
        counting.reset();
        assert_eq!((counting.texts(), counting.calls()), (0, 0));
    }

    #[test]
    fn counts_across_threads_through_a_shared_embedder() {
        let counting = Arc::new(CountingEmbedder::new(HashEmbedder::new(8)));
        let as_trait: Arc<dyn Embedder> = counting.clone();
        std::thread::scope(|scope| {
            for _ in 0..4 {
                let embedder = Arc::clone(&as_trait);
                scope.spawn(move || embedder.embed(&["x", "y"]).unwrap());
            }
        });
        assert_eq!(counting.texts(), 8);
    }
}
