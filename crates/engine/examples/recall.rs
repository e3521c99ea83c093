//! Measures HNSW recall@10 (against exact search) and build and query times on the
//! vectors of a real index, for a grid of parameters.
//!
//! ```text
//! cargo run --release -p backissue-engine --example recall -- index/
//! ```

use std::time::Instant;

use backissue_engine::vectors::sample_rows;
use backissue_engine::{recall_at_10, HnswParams, Index, VectorIndex};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "index".to_string());
    let index = Index::open(&dir)?;
    let vectors = index.vectors();
    let queries = sample_rows(vectors.len(), 500);
    println!(
        "{} vectors of {} dimensions from {dir}, {} queries",
        vectors.len(),
        vectors.dimension(),
        queries.len()
    );
    if let Some(graph) = index.graph() {
        let params = graph.params();
        let recall = recall_at_10(vectors, graph, &queries, params.ef_search);
        println!("saved graph {params:?}: recall@10 {recall:.4}");
    }
    println!("M\tef_c\tbuild_s\tef_s\trecall@10\tquery_ms");
    for (m, ef_construction) in [(8, 100), (16, 100), (16, 200), (24, 200)] {
        let params = HnswParams {
            max_connections: m,
            ef_construction,
            ..HnswParams::default()
        };
        let started = Instant::now();
        let graph = VectorIndex::build(vectors, params);
        let build = started.elapsed().as_secs_f64();
        for ef in [16, 32, 64, 128] {
            let recall = recall_at_10(vectors, &graph, &queries, ef);
            let started = Instant::now();
            for &row in &queries {
                std::hint::black_box(graph.search(vectors.get(row), 10, ef));
            }
            let query_ms = started.elapsed().as_secs_f64() * 1000.0 / queries.len() as f64;
            println!("{m}\t{ef_construction}\t{build:.2}\t{ef}\t{recall:.4}\t{query_ms:.3}");
        }
    }
    Ok(())
}
