//! Document vectors: the raw table, exact search, and the HNSW graph over it.
//!
//! The raw vectors (`vectors.f32`, row `i` = document `i`, little-endian f32) are the
//! truth: exact search and every HNSW rebuild read them, and they let an incremental
//! run rebuild the graph without embedding anything. The graph (hnsw_rs, dot-product
//! distance on unit vectors, SIMD through `simdeez_f`) answers nearest-neighbour
//! queries in about a millisecond and is saved beside the raw table, so opening an
//! index never rebuilds it. [`recall_at_10`] measures how often the graph finds what
//! exact search finds; [`HnswParams::default`] was chosen with it on real embeddings.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use hnsw_rs::prelude::{AnnT, DistDot, Hnsw, HnswIo};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The base name of the graph files in a generation (`hnsw.hnsw.graph`, `hnsw.hnsw.data`).
pub const HNSW_BASENAME: &str = "hnsw";

/// How the HNSW graph is built and searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HnswParams {
    /// Links per node and layer (`M`).
    pub max_connections: usize,
    /// Candidates examined while inserting (`ef_construction`).
    pub ef_construction: usize,
    /// Candidates examined while searching (`ef`); at least the number of results asked for.
    pub ef_search: usize,
    /// Most layers the graph may have.
    pub max_layers: usize,
}

impl Default for HnswParams {
    /// M = 16, ef_construction = 100, ef_search = 64.
    ///
    /// On the shipped 104-week corpus embedded by the real model (4,754 vectors),
    /// `examples/recall.rs` measured recall@10 = 1.000 (ties counted) from ef_search
    /// 16 up, at M 16 and 24 and ef_construction 100 and 200; ef_construction 100
    /// builds in about 1 s on two cores, 200 in about 1.7 s. ef_search 64 (0.25 ms a
    /// query) leaves room for archives ten times larger.
    fn default() -> Self {
        HnswParams {
            max_connections: 16,
            ef_construction: 100,
            ef_search: 64,
            max_layers: 16,
        }
    }
}

/// Unit-length vectors of one dimension, stored row after row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vectors {
    dimension: usize,
    data: Vec<f32>,
}

impl Vectors {
    /// An empty table of `dimension`-component vectors.
    pub fn new(dimension: usize) -> Self {
        Vectors {
            dimension,
            data: Vec::new(),
        }
    }

    /// Components per vector.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Number of vectors.
    pub fn len(&self) -> usize {
        self.data.len().checked_div(self.dimension).unwrap_or(0)
    }

    /// Whether there are no vectors.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Vector `row`.
    pub fn get(&self, row: usize) -> &[f32] {
        &self.data[row * self.dimension..(row + 1) * self.dimension]
    }

    /// Appends `vector` (of [`Vectors::dimension`] components), scaled to unit length.
    pub fn push(&mut self, vector: &[f32]) {
        assert_eq!(
            vector.len(),
            self.dimension,
            "vector of the wrong dimension"
        );
        let start = self.data.len();
        self.data.extend_from_slice(vector);
        normalize(&mut self.data[start..]);
    }

    /// Every vector, row by row.
    pub fn rows(&self) -> impl Iterator<Item = &[f32]> {
        self.data.chunks_exact(self.dimension.max(1))
    }

    /// Writes the table to `path` as raw little-endian f32.
    pub fn write(&self, path: &Path) -> Result<()> {
        let file = File::create(path).map_err(Error::io(path, "cannot create"))?;
        let mut out = BufWriter::new(file);
        for value in &self.data {
            out.write_all(&value.to_le_bytes())
                .map_err(Error::io(path, "cannot write"))?;
        }
        let file = out
            .into_inner()
            .map_err(|e| Error::io(path, "cannot write")(e.into_error()))?;
        file.sync_all().map_err(Error::io(path, "cannot sync"))
    }

    /// Reads a table of `dimension`-component vectors written by [`Vectors::write`].
    pub fn read(path: &Path, dimension: usize) -> Result<Self> {
        let mut bytes = Vec::new();
        File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(Error::io(path, "cannot read"))?;
        if dimension == 0 || bytes.len() % (4 * dimension) != 0 {
            return Err(Error::Vectors {
                path: path.to_path_buf(),
                message: format!(
                    "{} bytes is not a whole number of {dimension}-component f32 vectors",
                    bytes.len()
                ),
            });
        }
        let data = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Ok(Vectors { dimension, data })
    }

    /// The `k` rows most similar to `query` by dot product, best first, found by
    /// comparing with every row. `skip` rows are left out.
    pub fn exact_search(
        &self,
        query: &[f32],
        k: usize,
        skip: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        let mut scored: Vec<(usize, f32)> = self
            .rows()
            .enumerate()
            .filter(|(row, _)| !skip(*row))
            .map(|(row, v)| (row, dot(v, query)))
            .collect();
        // Nearest first, then lower row first: a total order, so selecting the k
        // best before sorting them gives the same answer as sorting everything.
        let order = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if k > 0 && scored.len() > k {
            scored.select_nth_unstable_by(k - 1, order);
        }
        scored.truncate(k);
        scored.sort_unstable_by(order);
        scored
    }
}

/// The HNSW graph over a [`Vectors`] table; ids are rows.
pub struct VectorIndex {
    hnsw: Hnsw<'static, f32, DistDot>,
    params: HnswParams,
}

impl std::fmt::Debug for VectorIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VectorIndex")
            .field("points", &self.hnsw.get_nb_point())
            .field("params", &self.params)
            .finish()
    }
}

impl VectorIndex {
    /// Builds the graph over every row of `vectors`, inserting in parallel.
    pub fn build(vectors: &Vectors, params: HnswParams) -> Self {
        let hnsw = Hnsw::new(
            params.max_connections,
            vectors.len().max(1),
            params.max_layers,
            params.ef_construction,
            DistDot,
        );
        let points: Vec<(&[f32], usize)> =
            vectors.rows().enumerate().map(|(i, v)| (v, i)).collect();
        hnsw.parallel_insert_slice(&points);
        VectorIndex { hnsw, params }
    }

    /// Writes the graph into `dir` as `hnsw.hnsw.graph` and `hnsw.hnsw.data`.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let name = self
            .hnsw
            .file_dump(dir, HNSW_BASENAME)
            .map_err(|e| Error::Vectors {
                path: dir.to_path_buf(),
                message: format!("cannot write the graph: {e}"),
            })?;
        if name != HNSW_BASENAME {
            return Err(Error::Vectors {
                path: dir.join(format!("{HNSW_BASENAME}.hnsw.graph")),
                message: "graph files already exist in a new generation".to_string(),
            });
        }
        Ok(())
    }

    /// Loads the graph saved in `dir` by [`VectorIndex::save`].
    ///
    /// hnsw_rs's loaded graph borrows its loader for as long as it lives; the loader
    /// (a few hundred bytes: paths and options, no vectors) is leaked once per load
    /// so the graph can be owned. Open an index once per generation, not per query.
    pub fn load(dir: &Path, params: HnswParams) -> Result<Self> {
        let graph = dir.join(format!("{HNSW_BASENAME}.hnsw.graph"));
        if !graph.is_file() || !dir.join(format!("{HNSW_BASENAME}.hnsw.data")).is_file() {
            return Err(Error::Vectors {
                path: graph,
                message: "graph files missing".to_string(),
            });
        }
        // hnsw_rs asserts on malformed files; a damaged file must be an error, not a crash.
        let loaded = std::panic::catch_unwind(|| {
            let loader: &'static mut HnswIo = Box::leak(Box::new(HnswIo::new(dir, HNSW_BASENAME)));
            loader.load_hnsw::<f32, DistDot>()
        });
        match loaded {
            Ok(Ok(hnsw)) => Ok(VectorIndex { hnsw, params }),
            Ok(Err(e)) => Err(Error::Vectors {
                path: graph,
                message: format!("cannot load the graph: {e}"),
            }),
            Err(_) => Err(Error::Vectors {
                path: graph,
                message: "cannot load the graph: malformed file".to_string(),
            }),
        }
    }

    /// The parameters the graph was built and is searched with.
    pub fn params(&self) -> HnswParams {
        self.params
    }

    /// Number of points in the graph.
    pub fn len(&self) -> usize {
        self.hnsw.get_nb_point()
    }

    /// Whether the graph is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `k` rows nearest to `query` with dot-product similarity, best first,
    /// searching `ef` candidates (at least `k`). `query` is scaled to unit length.
    pub fn search(&self, query: &[f32], k: usize, ef: usize) -> Vec<(usize, f32)> {
        if k == 0 || self.is_empty() {
            return Vec::new();
        }
        let mut query = query.to_vec();
        normalize(&mut query);
        self.hnsw
            .search(&query, k, ef.max(k))
            .into_iter()
            .map(|n| (n.d_id, 1.0 - n.distance))
            .collect()
    }
}

/// Recall@10 of `index` against exact search over `vectors`, using the rows listed
/// in `queries` as queries (each query's own row is left out of both answers), at
/// search width `ef`. 1.0 means the graph found every true top-10 neighbour.
///
/// Ties count as found: a graph result as similar as exact search's 10th is as good
/// as it (archives repeat texts, and which of two identical vectors comes first is
/// arbitrary).
pub fn recall_at_10(vectors: &Vectors, index: &VectorIndex, queries: &[usize], ef: usize) -> f64 {
    const K: usize = 10;
    const TIE: f32 = 1e-6;
    let mut found = 0usize;
    let mut wanted = 0usize;
    for &row in queries {
        let query = vectors.get(row);
        let exact = vectors.exact_search(query, K, &|r| r == row);
        let Some(&(_, kth)) = exact.last() else {
            continue;
        };
        let approx = index
            .search(query, K + 1, ef)
            .into_iter()
            .filter(|&(r, _)| r != row)
            .take(K);
        wanted += exact.len();
        found += approx
            .filter(|&(r, _)| dot(vectors.get(r), query) >= kth - TIE)
            .count()
            .min(exact.len());
    }
    if wanted == 0 {
        1.0
    } else {
        found as f64 / wanted as f64
    }
}

/// Every `step`-th row, for recall measurements on a sample of queries.
pub fn sample_rows(len: usize, max: usize) -> Vec<usize> {
    let step = len.div_ceil(max.max(1)).max(1);
    (0..len).step_by(step).collect()
}

/// The dot product (the cosine of two unit vectors), summed in eight lanes so the
/// compiler vectorizes it (a single running sum is a chain of dependent additions it
/// may not reorder). Every comparison of embeddings in the engine goes through it.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks
        .remainder()
        .iter()
        .zip(b_chunks.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        for i in 0..8 {
            lanes[i] += x[i] * y[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// Scales `v` to unit length (in f64, so a unit vector's self-product never rounds
/// far above 1, which the SIMD dot distance refuses).
pub fn normalize(v: &mut [f32]) {
    let norm = v
        .iter()
        .map(|&x| f64::from(x) * f64::from(x))
        .sum::<f64>()
        .sqrt();
    if norm > 0.0 {
        for x in v.iter_mut() {
            *x = (f64::from(*x) / norm) as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use backissue_embed::{Embedder, HashEmbedder};

    use super::*;

    fn clustered(n: usize) -> Vectors {
        // Hash embeddings of texts drawn from a few topics: clustered, like real ones.
        let embedder = HashEmbedder::new(64);
        let topics = [
            "robot factory arm",
            "bank loan ipo",
            "voice agent test",
            "memory chip supply",
        ];
        let texts: Vec<String> = (0..n)
            .map(|i| format!("{} item {} variant {}", topics[i % topics.len()], i % 17, i))
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut vectors = Vectors::new(64);
        for v in embedder.embed(&refs).unwrap() {
            vectors.push(&v);
        }
        vectors
    }

    #[test]
    fn raw_vectors_round_trip_and_refuse_torn_files() {
        let dir = tempfile::tempdir().unwrap();
        let vectors = clustered(10);
        let path = dir.path().join("vectors.f32");
        vectors.write(&path).unwrap();
        assert_eq!(Vectors::read(&path, 64).unwrap(), vectors);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(Vectors::read(&path, 64)
            .unwrap_err()
            .to_string()
            .contains("not a whole number"));
    }

    #[test]
    fn graph_saves_loads_and_finds_what_exact_search_finds() {
        let vectors = clustered(500);
        let index = VectorIndex::build(&vectors, HnswParams::default());
        let dir = tempfile::tempdir().unwrap();
        index.save(dir.path()).unwrap();
        let loaded = VectorIndex::load(dir.path(), HnswParams::default()).unwrap();
        assert_eq!(loaded.len(), 500);
        let query = vectors.get(7);
        assert_eq!(loaded.search(query, 1, 64)[0].0, 7);
        assert_eq!(index.search(query, 5, 64), loaded.search(query, 5, 64));
        let recall = recall_at_10(&vectors, &loaded, &sample_rows(500, 100), 64);
        assert!(recall >= 0.95, "recall@10 {recall}");
    }

    #[test]
    fn missing_or_damaged_graph_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(VectorIndex::load(dir.path(), HnswParams::default()).is_err());
        std::fs::write(dir.path().join("hnsw.hnsw.graph"), b"junk").unwrap();
        std::fs::write(dir.path().join("hnsw.hnsw.data"), b"junk").unwrap();
        let err = VectorIndex::load(dir.path(), HnswParams::default()).unwrap_err();
        assert!(err.to_string().contains("hnsw.hnsw.graph"), "{err}");
    }

    #[test]
    fn duplicate_vectors_do_not_panic() {
        let mut vectors = Vectors::new(3);
        for _ in 0..50 {
            vectors.push(&[0.6, 0.8, 1e-7]);
        }
        let index = VectorIndex::build(&vectors, HnswParams::default());
        assert_eq!(index.search(&[0.6, 0.8, 0.0], 3, 16).len(), 3);
    }
}
