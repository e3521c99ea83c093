//! Prometheus metrics, encoded by `prometheus-client` (the Prometheus project's own
//! Rust client) in the text format 0.0.4.
//!
//! Two kinds, kept apart:
//!
//! - **Counted as it happens**, on the request path: requests and their latency by
//!   route (label families: a read lock on the family and an atomic, or the lock of
//!   one route's histogram, never one lock for every request), connections refused,
//!   reloads.
//! - **Read at each scrape**, from where the numbers already are: the served
//!   generation (name, documents, its caches' hits and misses, its queue for the
//!   embedding model), the blocking-work slots, and the process (`/proc/self` on
//!   Linux, see [`process`]). Nothing is counted twice, and nothing is added to the
//!   request path for the sake of a scrape that comes every few seconds at most.
//!
//! A generation counts its own cache lookups and refusals from the moment it is
//! opened; when a reload replaces it, its counts are added to those of the
//! generations before it, so every `_total` only ever grows while the process runs.

pub mod process;

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use backissue_engine::search::CacheLookups;
use parking_lot::Mutex;
use prometheus_client::encoding::{prometheus_text, EncodeLabelSet};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::Registry;

use crate::work::WorkSlots;

/// The `Content-Type` of [`Metrics::render`]'s text.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// One series of `backissue_http_requests_total`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: &'static str,
    status: u16,
}

/// One series of `backissue_http_request_duration_seconds`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

/// One series of `backissue_connections_refused_total`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct CapLabels {
    cap: &'static str,
}

/// One series of the cache counters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct CacheLabels {
    cache: &'static str,
}

/// One series of `backissue_replica_pulls_total`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct PullLabels {
    outcome: &'static str,
}

/// Hits and misses of a cache the server keeps, counted where it is looked up.
#[derive(Debug, Default)]
pub struct LookupCounter {
    hits: Counter,
    misses: Counter,
}

impl LookupCounter {
    /// A lookup the cache answered.
    pub fn hit(&self) {
        self.hits.inc();
    }

    /// A lookup it did not.
    pub fn miss(&self) {
        self.misses.inc();
    }

    /// The lookups so far.
    pub fn lookups(&self) -> CacheLookups {
        CacheLookups {
            hits: self.hits.get(),
            misses: self.misses.get(),
        }
    }
}

/// What a served generation tells the metrics at a scrape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenerationSample {
    /// Documents it holds.
    pub documents: usize,
    /// Lookups of its query-vector cache since it was opened.
    pub query_vectors: CacheLookups,
    /// Lookups of its cache of related answers as served (JSON) since it was opened.
    pub related_json: CacheLookups,
    /// Queries embedding or waiting for the model now.
    pub embedding_queue: usize,
    /// Queries refused a place in that queue since it was opened.
    pub embedding_refused: u64,
}

impl GenerationSample {
    /// The counters of `self` and `other` added up (the gauges are `self`'s).
    fn plus(self, other: GenerationSample) -> GenerationSample {
        let add = |a: CacheLookups, b: CacheLookups| CacheLookups {
            hits: a.hits + b.hits,
            misses: a.misses + b.misses,
        };
        GenerationSample {
            query_vectors: add(self.query_vectors, other.query_vectors),
            related_json: add(self.related_json, other.related_json),
            embedding_refused: self.embedding_refused + other.embedding_refused,
            ..self
        }
    }
}

/// A generation as the metrics see it (implemented by [`crate::Loaded`]; tests
/// fake it).
pub trait ServedGeneration: Send + Sync {
    /// Its name (`000003`).
    fn name(&self) -> &str;
    /// Its numbers now.
    fn sample(&self) -> GenerationSample;
}

impl ServedGeneration for crate::Loaded {
    fn name(&self) -> &str {
        self.generation()
    }

    fn sample(&self) -> GenerationSample {
        let searcher = self.searcher();
        GenerationSample {
            documents: self.index().documents().len(),
            query_vectors: searcher.vector_cache_lookups(),
            related_json: self.related_lookups.lookups(),
            embedding_queue: searcher.embedding_queue(),
            embedding_refused: searcher.embedding_refusals(),
        }
    }
}

/// The generation served, and what the ones before it counted.
#[derive(Default)]
struct Served {
    /// Weak: the metrics never keep a generation alive.
    current: Option<Weak<dyn ServedGeneration>>,
    /// The counters of the generations replaced so far.
    retired: GenerationSample,
}

/// The server's metrics.
pub struct Metrics {
    /// What is counted as it happens.
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    refused: Family<CapLabels, Counter>,
    reloads: Counter,
    pulls: Family<PullLabels, Counter>,
    downloaded: Counter,
    /// Locked by a reload and by a scrape, never by a request.
    served: Mutex<Served>,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
            (|| Histogram::new(BUCKETS)) as fn() -> Histogram,
        );
        let refused = Family::<CapLabels, Counter>::default();
        // Both caps from the start, at 0: a series that appears only on the first
        // refusal hides it from `rate()`.
        for cap in ["max_connections", "max_connections_per_client"] {
            refused.get_or_create(&CapLabels { cap }).inc_by(0);
        }
        let reloads = Counter::default();
        let pulls = Family::<PullLabels, Counter>::default();
        for outcome in ["ok", "failed"] {
            pulls.get_or_create(&PullLabels { outcome }).inc_by(0);
        }
        let downloaded = Counter::default();
        let mut registry = Registry::default();
        registry.register(
            "backissue_http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        registry.register(
            "backissue_http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        registry.register(
            "backissue_connections_refused",
            "Connections closed at once, over a cap",
            refused.clone(),
        );
        registry.register(
            "backissue_index_reloads",
            "Generations loaded since start",
            reloads.clone(),
        );
        registry.register(
            "backissue_replica_pulls",
            "A replica's pulls from its store, by outcome (none unless --replica-of)",
            pulls.clone(),
        );
        registry.register(
            "backissue_replica_downloaded_bytes",
            "Bytes a replica downloaded from its store",
            downloaded.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            refused,
            reloads,
            pulls,
            downloaded,
            served: Mutex::new(Served::default()),
        }
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// Records one request of `route` with `method`, its status and how long it took.
    pub fn observe(&self, route: &str, method: &'static str, status: u16, elapsed: Duration) {
        let route = route.to_string();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.clone(),
            })
            .observe(elapsed.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                route,
                method,
                status,
            })
            .inc();
    }

    /// Records that `generation` is served from now on; the counts of the one it
    /// replaces are kept.
    pub fn loaded<G: ServedGeneration + 'static>(&self, generation: &Arc<G>) {
        let generation: Arc<dyn ServedGeneration> = generation.clone();
        let mut served = self.served.lock();
        let previous = served.current.as_ref().and_then(Weak::upgrade);
        // Installed again, the same generation must not count twice.
        if let Some(previous) = previous.filter(|p| !Arc::ptr_eq(p, &generation)) {
            served.retired = served.retired.plus(previous.sample());
        }
        served.current = Some(Arc::downgrade(&generation));
        self.reloads.inc();
    }

    /// Records a replica's pull from its store.
    pub fn replica_pulled(&self, ok: bool) {
        let outcome = if ok { "ok" } else { "failed" };
        self.pulls.get_or_create(&PullLabels { outcome }).inc();
    }

    /// Records the bytes a replica's pull downloaded.
    pub fn replica_downloaded(&self, bytes: u64) {
        self.downloaded.inc_by(bytes);
    }

    /// Records a connection closed as soon as accepted, over the cap named by
    /// `cap` (`max_connections` or `max_connections_per_client`).
    pub fn connection_refused(&self, cap: &'static str) {
        self.refused.get_or_create(&CapLabels { cap }).inc();
    }

    /// The Prometheus text exposition of every metric ([`CONTENT_TYPE`]), with the
    /// blocking-work slots of `work`.
    pub fn render(&self, work: &WorkSlots) -> String {
        let mut scrape = Registry::default();
        self.sample_served(&mut scrape);
        scrape.register(
            "backissue_work_slots_available",
            "Blocking-work slots free now (work abandoned by its request still holds one)",
            ConstGauge::new(work.available() as i64),
        );
        scrape.register(
            "backissue_work_refused",
            "Requests refused because every blocking-work slot was taken",
            ConstCounter::new(work.refused()),
        );
        process::sample(&mut scrape);
        let mut out = String::new();
        prometheus_text::encode(&mut out, &self.registry)
            .and_then(|()| prometheus_text::encode(&mut out, &scrape))
            .expect("writing to a String does not fail");
        out
    }

    /// Registers in `scrape` what the served generation holds and has counted.
    fn sample_served(&self, scrape: &mut Registry) {
        let served = self.served.lock();
        let current = served.current.as_ref().and_then(Weak::upgrade);
        let now = current.as_ref().map(|g| g.sample()).unwrap_or_default();
        let totals = now.plus(served.retired);
        if let Some(generation) = &current {
            scrape.register(
                "backissue_index_generation",
                "The index generation being served",
                Info::new([("generation", generation.name().to_string())]),
            );
        }
        scrape.register(
            "backissue_index_documents",
            "Documents in the served generation",
            ConstGauge::new(now.documents as i64),
        );
        let hits = Family::<CacheLabels, Counter>::default();
        let misses = Family::<CacheLabels, Counter>::default();
        for (cache, lookups) in [
            ("query_vectors", totals.query_vectors),
            ("related_json", totals.related_json),
        ] {
            hits.get_or_create(&CacheLabels { cache })
                .inc_by(lookups.hits);
            misses
                .get_or_create(&CacheLabels { cache })
                .inc_by(lookups.misses);
        }
        scrape.register(
            "backissue_cache_hits",
            "Cache lookups answered from the cache, by cache",
            hits,
        );
        scrape.register(
            "backissue_cache_misses",
            "Cache lookups the cache could not answer, by cache",
            misses,
        );
        scrape.register(
            "backissue_embedding_queue",
            "Queries embedding or waiting for the model now",
            ConstGauge::new(now.embedding_queue as i64),
        );
        scrape.register(
            "backissue_embedding_refused",
            "Queries refused because too many were waiting for the model",
            ConstCounter::new(totals.embedding_refused),
        );
    }
}

/// Middleware: times every request and records it under its route pattern (never the raw
/// path, so ids in URLs do not explode the label set).
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = match *request.method() {
        axum::http::Method::GET => "GET",
        axum::http::Method::POST => "POST",
        axum::http::Method::HEAD => "HEAD",
        axum::http::Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    };
    let response = next.run(request).await;
    metrics.observe(
        &route,
        method,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A generation whose numbers the test sets.
    struct Fake {
        name: &'static str,
        vector_hits: AtomicU64,
        refused: AtomicU64,
    }

    impl Fake {
        fn new(name: &'static str) -> Arc<Fake> {
            Arc::new(Fake {
                name,
                vector_hits: AtomicU64::new(0),
                refused: AtomicU64::new(0),
            })
        }
    }

    impl ServedGeneration for Fake {
        fn name(&self) -> &str {
            self.name
        }

        fn sample(&self) -> GenerationSample {
            GenerationSample {
                documents: 7000,
                query_vectors: CacheLookups {
                    hits: self.vector_hits.load(Ordering::Relaxed),
                    misses: 1,
                },
                related_json: CacheLookups { hits: 0, misses: 2 },
                embedding_queue: 3,
                embedding_refused: self.refused.load(Ordering::Relaxed),
            }
        }
    }

    #[test]
    fn renders_counts_and_cumulative_buckets() {
        let metrics = Metrics::default();
        metrics.observe("/api/search", "GET", 200, Duration::from_micros(300));
        metrics.observe("/api/search", "GET", 200, Duration::from_millis(30));
        metrics.observe("/api/search", "GET", 400, Duration::from_micros(50));
        let generation = Fake::new("gen-000002");
        metrics.loaded(&generation);
        let text = metrics.render(&WorkSlots::new(2, None));
        assert!(text.contains(
            "backissue_http_requests_total{route=\"/api/search\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(text.contains(
            "backissue_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.0005\"} 2"
        ));
        assert!(text.contains(
            "backissue_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 3"
        ));
        assert!(text.contains("backissue_index_documents 7000"));
        assert!(text.contains("backissue_index_generation_info{generation=\"gen-000002\"} 1"));
        assert!(text.contains("backissue_index_reloads_total 1"));
        metrics.loaded(&generation);
        let again = metrics.render(&WorkSlots::new(2, None));
        assert!(
            again.contains("backissue_cache_misses_total{cache=\"query_vectors\"} 1"),
            "a generation installed twice counts once: {again}"
        );
    }

    #[test]
    fn renders_caches_queues_and_refusals() {
        let metrics = Metrics::default();
        metrics.connection_refused("max_connections_per_client");
        let generation = Fake::new("000001");
        generation.vector_hits.store(5, Ordering::Relaxed);
        generation.refused.store(4, Ordering::Relaxed);
        metrics.loaded(&generation);
        let text = metrics.render(&WorkSlots::new(2, None));
        for line in [
            "# TYPE backissue_cache_hits_total counter",
            "backissue_cache_hits_total{cache=\"query_vectors\"} 5",
            "backissue_cache_misses_total{cache=\"query_vectors\"} 1",
            "backissue_cache_hits_total{cache=\"related_json\"} 0",
            "backissue_cache_misses_total{cache=\"related_json\"} 2",
            "backissue_embedding_queue 3",
            "backissue_embedding_refused_total 4",
            "backissue_work_slots_available 2",
            "backissue_work_refused_total 0",
            "backissue_connections_refused_total{cap=\"max_connections_per_client\"} 1",
            "backissue_connections_refused_total{cap=\"max_connections\"} 0",
        ] {
            assert!(text.contains(line), "{line:?} missing from\n{text}");
        }
    }

    #[test]
    fn a_reload_replaces_the_generation_and_keeps_its_counts() {
        let metrics = Metrics::default();
        let first = Fake::new("000001");
        first.vector_hits.store(5, Ordering::Relaxed);
        first.refused.store(1, Ordering::Relaxed);
        metrics.loaded(&first);
        let second = Fake::new("000002");
        second.vector_hits.store(2, Ordering::Relaxed);
        metrics.loaded(&second);
        drop(first);
        let text = metrics.render(&WorkSlots::new(1, None));
        assert!(text.contains("backissue_index_generation_info{generation=\"000002\"} 1"));
        assert!(!text.contains("generation=\"000001\""), "{text}");
        assert!(text.contains("backissue_cache_hits_total{cache=\"query_vectors\"} 7"));
        assert!(text.contains("backissue_cache_misses_total{cache=\"query_vectors\"} 2"));
        assert!(text.contains("backissue_embedding_refused_total 1"));
        assert!(text.contains("backissue_index_reloads_total 2"));
        // The queue is a gauge: the served generation's only.
        assert!(text.contains("backissue_embedding_queue 3"));
    }

    #[test]
    fn nothing_served_yet_reports_no_generation_and_no_documents() {
        let text = Metrics::default().render(&WorkSlots::new(1, None));
        assert!(!text.contains("backissue_index_generation_info"));
        assert!(text.contains("backissue_index_documents 0"));
        assert!(text.contains("backissue_cache_hits_total{cache=\"query_vectors\"} 0"));
    }

    #[test]
    fn label_values_are_escaped() {
        let metrics = Metrics::default();
        metrics.observe("/a\"b\\c", "GET", 200, Duration::from_millis(1));
        let text = metrics.render(&WorkSlots::new(1, None));
        assert!(
            text.contains("route=\"/a\\\"b\\\\c\""),
            "quotes and backslashes escaped: {text}"
        );
    }
}
