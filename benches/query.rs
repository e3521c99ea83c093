//! Query latency, in process, on real indexes built with the real model: keyword,
//! semantic (query vector cached and not), hybrid (cached vector), related, resources
//! and trends. Prints p50 and p99 over many calls per index, then runs criterion on
//! the same calls.
//!
//! ```text
//! cargo run --release -- index --corpus corpus --index target/bench/index-104
//! BACKISSUE_BENCH_INDEXES=104=target/bench/index-104,1040=target/bench/index-1040 \
//!     cargo bench --bench query
//! ```
//!
//! `bash benches/query.sh` builds both indexes (the 1,040-week archive from the
//! generator) and runs this.

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use backissue_embed::{FastEmbedder, ModelFiles};
use backissue_engine::related::{Related, RelatedParams};
use backissue_engine::resources::{Catalog, Request};
use backissue_engine::search::{Mode, QueryEmbedder, SearchRequest, Searcher, SemanticParams};
use backissue_engine::trends::{self, Movement, TrendQuery, Trends};
use backissue_engine::Index;
use backissue_issue::Level;
use criterion::{criterion_group, criterion_main, Criterion};

/// Readers' queries: names, topics, phrases, a typo, natural-language questions.
const QUERIES: &[&str] = &[
    "outage",
    "data center moratoriums",
    "robots that work without the cloud",
    "$9-13B listing",
    "tutor copilots in schools",
    "quantization-aware training",
    "hospitals synthetic patient records",
    "sovereign compute india",
    "grid operatrs",
    "layoffs at banks",
    "\"memory shortage\"",
    "open weights model release",
];

/// Terms an analyst charts.
const TERMS: &[&str] = &["memory", "chip export", "layoffs", "funding round", "robot"];

struct Setup {
    label: String,
    index: Arc<Index>,
    searcher: Searcher,
    /// A searcher that keeps one query vector: cycling through the queries misses every time.
    uncached: Searcher,
    stories: Vec<String>,
}

fn setups() -> Vec<Setup> {
    let spec = std::env::var("BACKISSUE_BENCH_INDEXES")
        .unwrap_or_else(|_| "104=target/bench/index-104".into());
    let files = match ModelFiles::locate(None) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("skipped: no model ({error}); run `bash .ci/setup-model.sh`");
            return Vec::new();
        }
    };
    let embedder: QueryEmbedder =
        Arc::new(FastEmbedder::from_files(&files, None).expect("the model loads"));
    let mut setups = Vec::new();
    for part in spec.split(',').filter(|p| !p.is_empty()) {
        let (label, dir) = part.split_once('=').unwrap_or((part, part));
        let index = match Index::open(Path::new(dir)) {
            Ok(index) => Arc::new(index),
            Err(error) => {
                eprintln!("skipped {label}: {error}");
                continue;
            }
        };
        let searcher = Searcher::new(index.clone(), embedder.clone()).unwrap();
        let uncached = Searcher::with_params(
            index.clone(),
            embedder.clone(),
            SemanticParams {
                cache_size: 1,
                ..SemanticParams::default()
            },
        )
        .unwrap();
        let stories = index
            .documents()
            .iter()
            .filter(|d| d.section.is_story())
            .map(|d| d.id.clone())
            .collect();
        setups.push(Setup {
            label: format!("{label} weeks"),
            index,
            searcher,
            uncached,
            stories,
        });
    }
    setups
}

fn search(searcher: &Searcher, query: &str, mode: Mode) {
    black_box(
        searcher
            .search(&SearchRequest::new(query).with_mode(mode))
            .unwrap(),
    );
}

/// p50 and p99 of `calls` calls of `f(i)`.
fn percentiles(calls: usize, mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..calls)
        .map(|i| {
            let start = Instant::now();
            f(i);
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[calls / 2], times[calls * 99 / 100])
}

/// A measured operation: its name, how many calls to time, and the call (given its number).
type Operation<'a> = (&'static str, usize, Box<dyn FnMut(usize) + 'a>);

/// Every measured operation.
fn operations(s: &Setup) -> Vec<Operation<'_>> {
    let related = Related::open(s.index.clone()).unwrap();
    let catalog = Catalog::new(s.index.clone()).unwrap();
    let trends = Trends::new(s.index.clone()).unwrap();
    let topics = trends::topic_table(&s.index).unwrap();
    let latest = topics.weeks.resolve(Some("latest")).unwrap();
    let q = |i: usize| QUERIES[i % QUERIES.len()];
    // Warm the cached searcher's vectors.
    for query in QUERIES {
        search(&s.searcher, query, Mode::Semantic);
    }
    vec![
        (
            "keyword",
            2_000,
            Box::new(move |i| search(&s.searcher, q(i), Mode::Keyword)),
        ),
        (
            "semantic, cached vector",
            2_000,
            Box::new(move |i| search(&s.searcher, q(i), Mode::Semantic)),
        ),
        (
            "semantic, uncached vector",
            240,
            Box::new(move |i| search(&s.uncached, q(i), Mode::Semantic)),
        ),
        (
            "hybrid, cached vector",
            2_000,
            Box::new(move |i| search(&s.searcher, q(i), Mode::default())),
        ),
        (
            "related (stored list)",
            20_000,
            Box::new(move |i| {
                let id = &s.stories[(i * 7919) % s.stories.len()];
                black_box(related.story(id, &RelatedParams::default()).unwrap());
            }),
        ),
        (
            "resources (level + query)",
            2_000,
            Box::new(move |i| {
                let query = q(i);
                let vector = s.searcher.query_vector(query).unwrap();
                black_box(
                    catalog
                        .rank_resources(&Request {
                            query: Some(query),
                            query_vector: Some(&vector),
                            level: Some(Level::Beginner),
                            limit: 10,
                            ..Request::default()
                        })
                        .unwrap(),
                );
            }),
        ),
        (
            "trends: a term's weekly series",
            1_000,
            Box::new(move |i| {
                let query = TrendQuery {
                    term: Some(TERMS[i % TERMS.len()].to_string()),
                    ..TrendQuery::default()
                };
                black_box(trends.series(&query).unwrap());
            }),
        ),
        (
            "trends: rising topics, latest week",
            200,
            Box::new(move |_| {
                black_box(
                    trends::rank_topics(
                        &topics,
                        latest,
                        Movement::Rising,
                        10,
                        &trends::DEFAULT_RISING,
                    )
                    .unwrap(),
                );
            }),
        ),
    ]
}

fn latency(c: &mut Criterion) {
    let setups = setups();
    println!("| operation | archive | documents | p50 | p99 |");
    println!("|---|---|---|---|---|");
    for s in &setups {
        for (name, calls, mut f) in operations(s) {
            let (p50, p99) = percentiles(calls, &mut f);
            println!(
                "| {name} | {} | {} | {p50:.1?} | {p99:.1?} |",
                s.label,
                s.index.documents().len()
            );
        }
    }
    for s in &setups {
        let mut group = c.benchmark_group(&s.label);
        group.sample_size(30);
        group.measurement_time(Duration::from_secs(2));
        group.warm_up_time(Duration::from_millis(500));
        for (name, _, mut f) in operations(s) {
            let mut i = 0;
            group.bench_function(name, |b| {
                b.iter(|| {
                    i += 1;
                    f(i)
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, latency);
criterion_main!(benches);
