//! HNSW against exact nearest-neighbour search on the vectors of a real index: query time
//! of each (criterion) and recall@10 of HNSW (printed once).
//!
//! ```text
//! cargo run --release -- index --corpus corpus --index target/bench-index   # once
//! BACKISSUE_BENCH_INDEX=target/bench-index cargo bench --bench vectors
//! ```

use backissue_engine::vectors::sample_rows;
use backissue_engine::{recall_at_10, Index};
use criterion::{criterion_group, criterion_main, Criterion};

fn bench_index() -> Option<Index> {
    let dir =
        std::env::var("BACKISSUE_BENCH_INDEX").unwrap_or_else(|_| "target/bench-index".into());
    match Index::open(&dir) {
        Ok(index) => Some(index),
        Err(error) => {
            eprintln!("skipped: no index to measure ({error}); build one with `backissue index --index {dir}`");
            None
        }
    }
}

fn nearest_neighbours(c: &mut Criterion) {
    let Some(index) = bench_index() else { return };
    let vectors = index.vectors();
    let graph = index.graph().expect("the index has an HNSW graph");
    let queries = sample_rows(vectors.len(), 200);
    let ef = graph.params().ef_search;
    println!(
        "{} vectors; HNSW {:?}; recall@10 against exact search: {:.4}",
        vectors.len(),
        graph.params(),
        recall_at_10(vectors, graph, &queries, ef)
    );
    let mut group = c.benchmark_group("nearest_10");
    let mut next = 0;
    group.bench_function("hnsw", |b| {
        b.iter(|| {
            next = (next + 1) % queries.len();
            graph.search(vectors.get(queries[next]), 10, ef)
        })
    });
    group.bench_function("exact", |b| {
        b.iter(|| {
            next = (next + 1) % queries.len();
            vectors.exact_search(vectors.get(queries[next]), 10, &|_| false)
        })
    });
    group.finish();
}

criterion_group!(benches, nearest_neighbours);
criterion_main!(benches);
