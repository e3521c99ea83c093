//! Semantic matching: the query's embedding against the documents', through a cache.
//!
//! Embedding a query with the real model takes several milliseconds, far more than
//! the rest of a search, and readers repeat queries (pagination, facet clicks,
//! search-as-you-type over the same words), so query vectors are kept in an LRU
//! cache keyed by the text embedded, with the query's unfiltered nearest
//! neighbours once they have been searched for.
//!
//! Filters must not cost recall. The cached unfiltered neighbours answer a
//! filtered query when enough of them pass the filters, or when they are every row
//! above the minimum similarity. Otherwise, when the rows that pass are few, they
//! are searched exactly (their raw vectors are in the index); otherwise the HNSW
//! graph is asked for proportionally more neighbours than needed, and if the
//! filtered answer still comes up short while its farthest neighbour is still
//! similar enough, the exact search is done after all.
//!
//! Only neighbours at or above a minimum cosine similarity are kept, so that the
//! semantic result set means "about this", not "the least unrelated documents".

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use lru::LruCache;
use parking_lot::Mutex;

use super::facets::{FacetIndex, RowFilter};
use crate::vectors::normalize;
use crate::Index;

/// How the semantic side searches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SemanticParams {
    /// Cosine similarity below which a neighbour is not a match. Measured with
    /// all-MiniLM-L6-v2 on the 92 judged queries of `eval/`: among each query's
    /// 100 nearest documents, the relevant ones score a median 0.47 (5% below
    /// 0.30), the others 0.37; 0.3 keeps 94% of the relevant ones and drops a
    /// fifth of the rest.
    pub min_similarity: f32,
    /// Neighbours asked for per query (more when a page reaches deeper).
    pub depth: usize,
    /// Filtered searches over at most this many allowed rows are exact.
    pub exact_below: usize,
    /// Query vectors kept in the cache.
    pub cache_size: usize,
    /// Most queries embedding or waiting for the model at once; one more is refused
    /// at once (`Error::Cancelled`, a 503 with `Retry-After` over HTTP) rather than
    /// queued behind work its reader would give up on. The model embeds one query at
    /// a time in a few milliseconds, so 4 is a wait of a few tens of milliseconds.
    pub max_embedding_queue: usize,
}

impl Default for SemanticParams {
    fn default() -> Self {
        SemanticParams {
            min_similarity: 0.3,
            depth: 100,
            exact_below: 2_000,
            cache_size: 1_024,
            max_embedding_queue: 4,
        }
    }
}

/// A query's embedding and, once searched, its unfiltered nearest neighbours.
#[derive(Debug)]
pub(crate) struct QueryVector {
    /// The unit-length embedding.
    pub vector: Arc<[f32]>,
    /// The nearest [`SemanticParams::depth`] rows at or above the minimum
    /// similarity, without filters: a query's next page, facet click or filter
    /// reuses them instead of searching the graph again.
    neighbours: OnceLock<Vec<(usize, f32)>>,
}

/// Query vectors by query text, least recently used dropped first.
pub(crate) struct VectorCache {
    cache: Mutex<LruCache<String, Arc<QueryVector>>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// Lookups of a cache since it was made: those it answered, and those it did not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheLookups {
    /// Lookups the cache answered.
    pub hits: u64,
    /// Lookups it did not.
    pub misses: u64,
}

impl VectorCache {
    pub(crate) fn new(size: usize) -> Self {
        let size = NonZeroUsize::new(size).unwrap_or(NonZeroUsize::MIN);
        VectorCache {
            cache: Mutex::new(LruCache::new(size)),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The cached query for `text`, if any.
    pub(crate) fn get(&self, text: &str) -> Option<Arc<QueryVector>> {
        let found = self.cache.lock().get(text).cloned();
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// The lookups so far.
    pub(crate) fn lookups(&self) -> CacheLookups {
        CacheLookups {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    /// Remembers the embedding of `text` (scaled to unit length) and returns it.
    pub(crate) fn insert(&self, text: &str, mut vector: Vec<f32>) -> Arc<QueryVector> {
        normalize(&mut vector);
        let query = Arc::new(QueryVector {
            vector: vector.into(),
            neighbours: OnceLock::new(),
        });
        self.cache.lock().put(text.to_string(), query.clone());
        query
    }

    /// How many queries are cached.
    pub(crate) fn len(&self) -> usize {
        self.cache.lock().len()
    }
}

/// The rows nearest `query` that pass `filter`, with their cosine similarity, best
/// first: at most `depth`, none below `params.min_similarity`.
pub(crate) fn nearest(
    index: &Index,
    facets: &FacetIndex,
    filter: &RowFilter,
    query: &QueryVector,
    depth: usize,
    params: &SemanticParams,
) -> Vec<(usize, f32)> {
    let rows = index.documents().len();
    let depth = depth.min(rows);
    if depth == 0 || query.vector.len() != index.vectors().dimension() {
        return Vec::new();
    }
    if depth <= params.depth {
        let unfiltered = query.neighbours.get_or_init(|| {
            graph_search(index, &query.vector, params.depth, params.min_similarity)
        });
        // Fewer than asked for: they are every row above the minimum similarity.
        let complete = unfiltered.len() < params.depth.min(rows);
        let kept: Vec<(usize, f32)> = unfiltered
            .iter()
            .copied()
            .filter(|&(row, _)| facets.allows(filter, row))
            .take(depth)
            .collect();
        if kept.len() == depth || complete {
            return kept;
        }
    }
    if filter.is_empty() {
        return graph_search(index, &query.vector, depth, params.min_similarity);
    }
    filtered(index, facets, filter, &query.vector, depth, params)
}

/// The `depth` rows nearest `query` through the HNSW graph, at or above `min_similarity`.
fn graph_search(
    index: &Index,
    query: &[f32],
    depth: usize,
    min_similarity: f32,
) -> Vec<(usize, f32)> {
    let Some(graph) = index.graph() else {
        return Vec::new();
    };
    let ef = index.manifest().hnsw.ef_search.max(depth);
    let mut found = graph.search(query, depth, ef);
    found.retain(|&(_, sim)| sim >= min_similarity);
    found
}

/// A filtered search: exact over few allowed rows, else the graph asked for
/// proportionally more neighbours, then exact if that still comes up short.
fn filtered(
    index: &Index,
    facets: &FacetIndex,
    filter: &RowFilter,
    query: &[f32],
    depth: usize,
    params: &SemanticParams,
) -> Vec<(usize, f32)> {
    let rows = index.documents().len();
    let allowed = (0..rows).filter(|&row| facets.allows(filter, row)).count();
    if allowed == 0 {
        return Vec::new();
    }
    if allowed <= params.exact_below {
        return exact(index, facets, filter, query, depth, params.min_similarity);
    }
    // Ask for enough neighbours that `depth` of them pass, on average, twice over.
    let fetch = (depth * rows / allowed * 2).clamp(depth, rows);
    let found = graph_search(index, query, fetch, f32::NEG_INFINITY);
    let farthest = found.last().map_or(0.0, |&(_, sim)| sim);
    let short = found.len() == fetch && farthest >= params.min_similarity;
    let kept: Vec<(usize, f32)> = found
        .into_iter()
        .filter(|&(row, sim)| sim >= params.min_similarity && facets.allows(filter, row))
        .take(depth)
        .collect();
    if kept.len() < depth && short {
        return exact(index, facets, filter, query, depth, params.min_similarity);
    }
    kept
}

/// Exact search over the rows that pass `filter`.
fn exact(
    index: &Index,
    facets: &FacetIndex,
    filter: &RowFilter,
    query: &[f32],
    depth: usize,
    min_similarity: f32,
) -> Vec<(usize, f32)> {
    let vectors = index.vectors();
    let mut found: Vec<(usize, f32)> = (0..vectors.len())
        .filter(|&row| facets.allows(filter, row))
        .filter_map(|row| {
            let sim: f32 = vectors.get(row).iter().zip(query).map(|(a, b)| a * b).sum();
            (sim >= min_similarity).then_some((row, sim))
        })
        .collect();
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    found.truncate(depth);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_unit_vectors_and_drops_the_least_recent() {
        let cache = VectorCache::new(2);
        let v = cache.insert("a", vec![3.0, 4.0]).vector.clone();
        assert!((v[0] - 0.6).abs() < 1e-6 && (v[1] - 0.8).abs() < 1e-6);
        cache.insert("b", vec![1.0, 0.0]);
        assert!(cache.get("a").is_some(), "a is now the most recent");
        cache.insert("c", vec![0.0, 1.0]);
        assert!(cache.get("b").is_none());
        assert_eq!(cache.len(), 2);
    }
}
