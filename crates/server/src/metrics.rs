//! Prometheus metrics: request counts and latency histograms by route, and what the
//! loaded index holds. Kept in-house: a few counters do not need a metrics framework.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use parking_lot::Mutex;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        for (bucket, bound) in self.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

/// The server's metrics.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, &'static str, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    generation: Mutex<String>,
    documents: AtomicU64,
    reloads: AtomicU64,
    refused_total: AtomicU64,
    refused_per_client: AtomicU64,
}

impl Metrics {
    /// Records one request of `route` with `method`, its status and how long it took.
    pub fn observe(&self, route: &str, method: &'static str, status: u16, elapsed: Duration) {
        *self
            .requests
            .lock()
            .entry((route.to_string(), method, status))
            .or_default() += 1;
        self.latency
            .lock()
            .entry(route.to_string())
            .or_default()
            .observe(elapsed.as_secs_f64());
    }

    /// Records that the generation `name` with `documents` documents is now served.
    pub fn loaded(&self, name: &str, documents: usize) {
        *self.generation.lock() = name.to_string();
        self.documents.store(documents as u64, Ordering::Relaxed);
        self.reloads.fetch_add(1, Ordering::Relaxed);
    }

    /// Records a connection closed as soon as accepted, over the cap named by
    /// `cap` (`max_connections` or `max_connections_per_client`).
    pub fn connection_refused(&self, cap: &'static str) {
        let counter = if cap == "max_connections" {
            &self.refused_total
        } else {
            &self.refused_per_client
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(
            "# HELP backissue_http_requests_total HTTP requests by route, method and status.\n",
        );
        out.push_str("# TYPE backissue_http_requests_total counter\n");
        for ((route, method, status), count) in self.requests.lock().iter() {
            let _ = writeln!(
                out,
                "backissue_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        out.push_str(
            "# HELP backissue_http_request_duration_seconds HTTP request latency by route.\n",
        );
        out.push_str("# TYPE backissue_http_request_duration_seconds histogram\n");
        for (route, histogram) in self.latency.lock().iter() {
            let route = escape(route);
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                let _ = writeln!(
                    out,
                    "backissue_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "backissue_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "backissue_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "backissue_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                histogram.count
            );
        }
        out.push_str("# HELP backissue_index_generation_info The index generation being served.\n");
        out.push_str("# TYPE backissue_index_generation_info gauge\n");
        let _ = writeln!(
            out,
            "backissue_index_generation_info{{generation=\"{}\"}} 1",
            escape(&self.generation.lock())
        );
        out.push_str("# HELP backissue_index_documents Documents in the served generation.\n");
        out.push_str("# TYPE backissue_index_documents gauge\n");
        let _ = writeln!(
            out,
            "backissue_index_documents {}",
            self.documents.load(Ordering::Relaxed)
        );
        out.push_str(
            "# HELP backissue_connections_refused_total Connections closed at once, over a cap.\n",
        );
        out.push_str("# TYPE backissue_connections_refused_total counter\n");
        for (cap, counter) in [
            ("max_connections", &self.refused_total),
            ("max_connections_per_client", &self.refused_per_client),
        ] {
            let _ = writeln!(
                out,
                "backissue_connections_refused_total{{cap=\"{cap}\"}} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        out.push_str("# HELP backissue_index_reloads_total Generations loaded since start.\n");
        out.push_str("# TYPE backissue_index_reloads_total counter\n");
        let _ = writeln!(
            out,
            "backissue_index_reloads_total {}",
            self.reloads.load(Ordering::Relaxed)
        );
        out
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: times every request and records it under its route pattern (never the raw
/// path, so ids in URLs do not explode the label set).
pub async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
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

    #[test]
    fn renders_counts_and_cumulative_buckets() {
        let metrics = Metrics::default();
        metrics.observe("/api/search", "GET", 200, Duration::from_micros(300));
        metrics.observe("/api/search", "GET", 200, Duration::from_millis(30));
        metrics.observe("/api/search", "GET", 400, Duration::from_micros(50));
        metrics.loaded("gen-000002", 7000);
        let text = metrics.render();
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
        assert!(text.contains("generation=\"gen-000002\""));
    }
}
