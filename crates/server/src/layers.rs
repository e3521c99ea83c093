//! The middleware around the routes: limits (time, concurrency, body size), CORS for
//! the widget's routes, and the rule that every error under `/api/` is our JSON.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, HttpBody};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::{ApiError, ErrorCode};

/// Answers 503 `overloaded` when the request takes longer than the limit. The
/// engine's blocking work finishes on its own; only the answer is given up.
pub async fn timeout(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis() as u64, "request timed out");
            busy(&format!(
                "the request took longer than {} ms; try again",
                limit.as_millis()
            ))
        }
    }
}

/// How many of something (connections, requests in flight) each client address
/// holds, with a cap per address.
#[derive(Debug, Clone)]
pub struct ClientCounts {
    counts: Arc<parking_lot::Mutex<HashMap<IpAddr, usize>>>,
    max: usize,
}

/// One unit held by a client, given back when dropped.
#[derive(Debug)]
pub struct ClientSlot {
    counts: Arc<parking_lot::Mutex<HashMap<IpAddr, usize>>>,
    client: IpAddr,
}

impl ClientCounts {
    /// Counts with at most `max` units per address.
    pub fn new(max: usize) -> ClientCounts {
        ClientCounts {
            counts: Arc::default(),
            max,
        }
    }

    /// A unit for `client`, or `None` when it holds its share already.
    pub fn take(&self, client: IpAddr) -> Option<ClientSlot> {
        let mut counts = self.counts.lock();
        let count = counts.entry(client).or_insert(0);
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(ClientSlot {
            counts: self.counts.clone(),
            client,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock();
        if let Some(count) = counts.get_mut(&self.client) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.client);
            }
        }
    }
}

/// The request permits: a global pool, and a share per client address.
#[derive(Debug, Clone)]
pub struct Permits {
    /// All requests in flight.
    pub global: Arc<Semaphore>,
    /// Requests in flight per client address (requests without one, as in tests
    /// that call the router directly, count only globally).
    pub per_client: ClientCounts,
}

/// Serves at most the global permits at once, and at most a client's share for one
/// address; a request beyond is refused at once with 503 `overloaded` and
/// `Retry-After` rather than queued without bound.
pub async fn concurrency(State(permits): State<Permits>, request: Request, next: Next) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let slot = match client {
        Some(client) => match permits.per_client.take(client) {
            Some(slot) => Some(slot),
            None => {
                tracing::warn!(%client, "per-client request limit reached; request refused");
                return busy("this client has too many requests in flight; try again shortly");
            }
        },
        None => None,
    };
    match permits.global.try_acquire_owned() {
        Ok(_permit) => {
            let response = next.run(request).await;
            drop(slot);
            response
        }
        Err(_) => {
            tracing::warn!("concurrency limit reached; request refused");
            busy("the server is busy; try again shortly")
        }
    }
}

/// 503 `overloaded` with `Retry-After: 1`.
pub fn busy(message: &str) -> Response {
    let mut response = ApiError::new(ErrorCode::Overloaded, message).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Refuses a body whose `Content-Length` (or known size) is over the limit before
/// reading it. (A streamed body of unknown size is cut while read by
/// `RequestBodyLimitLayer`, whose bare 413 [`json_errors`] turns into ours.)
pub async fn content_length(State(max): State<usize>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let known = HttpBody::size_hint(request.body()).lower();
    if declared.unwrap_or(0).max(known) > max as u64 {
        return payload_too_large(max).into_response();
    }
    next.run(request).await
}

fn payload_too_large(max: usize) -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!("body: larger than the {max} bytes accepted"),
    )
}

/// Under `/api/`, any error answer that is not already our JSON (axum's rejections,
/// 405, a layer's bare 413) becomes `{"error": {"code", "message"}}`.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    if !path.starts_with("/api/") || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (code, message) = match status {
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, format!("no route {method} {path}")),
        StatusCode::METHOD_NOT_ALLOWED => (
            ErrorCode::MethodNotAllowed,
            format!("{path} does not answer {method}"),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => {
            (ErrorCode::PayloadTooLarge, "body: too large".to_string())
        }
        StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => (
            ErrorCode::Overloaded,
            "the server is busy; try again shortly".to_string(),
        ),
        status if status.is_client_error() => (
            ErrorCode::BadParameter,
            format!(
                "bad request ({})",
                status.canonical_reason().unwrap_or("client error")
            ),
        ),
        _ => (ErrorCode::Internal, "internal error".to_string()),
    };
    let mut error = ApiError::new(code, message).into_response();
    // Keep the status the layer chose (e.g. 408) when our table would change its class.
    *error.status_mut() = status;
    error
}

/// The fallback: a JSON 404 under `/api/`, a plain one elsewhere.
pub async fn not_found(method: Method, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") || uri.path() == "/api" {
        return ApiError::new(
            ErrorCode::NotFound,
            format!("no route {method} {}", uri.path()),
        )
        .into_response();
    }
    (
        StatusCode::NOT_FOUND,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        Body::from("not found\n"),
    )
        .into_response()
}

/// Turns a panic in a handler into our JSON 500 and an error log line (the request's
/// task would otherwise end with the connection dropped and nothing said).
pub fn catch_panic(
) -> tower_http::catch_panic::CatchPanicLayer<fn(Box<dyn std::any::Any + Send>) -> Response> {
    tower_http::catch_panic::CatchPanicLayer::custom(panic_response as fn(_) -> _)
}

fn panic_response(panic: Box<dyn std::any::Any + Send>) -> Response {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string());
    tracing::error!(panic = %what, "a request handler panicked");
    ApiError::new(ErrorCode::Internal, "internal error").into_response()
}

/// The policy of every HTML page: our own scripts, styles and fetches only, no
/// inline script or style, no plugins, and no framing by other sites. The widget
/// is a script that other sites load (and its fetches are CORS, not ours), so the
/// policy of our pages does not reach it.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The header carrying a request's id, in the request and in its answer.
pub const REQUEST_ID: header::HeaderName = header::HeaderName::from_static("x-request-id");

/// The access log: one line at INFO per request (target `access`) with the method,
/// the route matched (the pattern, not the raw path: bounded and free of query
/// strings), the status, the latency and the request id. The id is the client's
/// (or its proxy's) `X-Request-Id` when that is a short token, else a new one; it
/// is returned in the answer's `X-Request-Id`, and the log lines written in the
/// request's span (its handler on the async runtime, and this line) carry it.
pub async fn access_log(mut request: Request, next: Next) -> Response {
    use tracing::Instrument;
    let started = std::time::Instant::now();
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .filter(|value| is_request_id(value.as_bytes()))
        .cloned()
        .unwrap_or_else(new_request_id);
    request.headers_mut().insert(REQUEST_ID, id.clone());
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let id_text = id.to_str().unwrap_or_default().to_string();
    let span = tracing::info_span!("request", id = %id_text);
    let mut response = next.run(request).instrument(span.clone()).await;
    response.headers_mut().insert(REQUEST_ID, id);
    span.in_scope(|| {
        tracing::info!(
            target: "access",
            method = %method,
            route = %route,
            status = response.status().as_u16(),
            latency_ms = started.elapsed().as_secs_f64() * 1000.0,
            request_id = %id_text,
        )
    });
    response
}

/// A client's request id is kept when it is 1 to 64 letters, digits, `-`, `_`, `.`
/// or `:` (enough for UUIDs and proxies' ids; nothing a log reader could mistake).
fn is_request_id(value: &[u8]) -> bool {
    (1..=64).contains(&value.len())
        && value
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// A new request id: this process's random prefix and a counter, unique across
/// replicas and restarts without a random draw per request.
fn new_request_id() -> HeaderValue {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static PREFIX: OnceLock<String> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let prefix = PREFIX.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        // The standard library's hasher keys are random per process.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        format!("{:016x}", hasher.finish())
    });
    let id = format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    HeaderValue::from_str(&id).expect("hex digits and a dash")
}

/// Security headers: `X-Content-Type-Options: nosniff` on every answer, and on HTML
/// pages the [`CONTENT_SECURITY_POLICY`], `X-Frame-Options: DENY` (for browsers
/// without `frame-ancestors`) and a referrer policy that sends no path off-site.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
    }
    response
}

/// Whether `path` is one of the widget's routes, which other sites call from a
/// browser: `/widget.js`, `/api/related`, `/api/stories/{id}/related`.
pub fn is_widget_path(path: &str) -> bool {
    path == "/widget.js"
        || path == "/api/related"
        || (path.starts_with("/api/stories/") && path.ends_with("/related"))
}

/// CORS for the widget's routes, for the configured origins only (exact match; no
/// wildcard). Every other route and origin gets no CORS headers, so browsers refuse.
pub fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, parts| {
            allowed.contains(origin) && is_widget_path(parts.uri.path())
        }))
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([header::IF_NONE_MATCH, header::ACCEPT])
        .expose_headers([header::ETAG])
        .max_age(Duration::from_secs(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_is_a_json_500_and_the_server_goes_on() {
        use tower::ServiceExt;
        let app = axum::Router::new()
            .route(
                "/boom",
                axum::routing::get(|| async {
                    if std::hint::black_box(true) {
                        panic!("a bug");
                    }
                    "unreachable"
                }),
            )
            .route("/fine", axum::routing::get(|| async { "fine" }))
            .layer(catch_panic());
        let request = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request("/boom")).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"]["code"], "internal", "{json}");
        let response = app.oneshot(request("/fine")).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    #[test]
    fn widget_paths() {
        assert!(is_widget_path("/api/stories/2025-02-14/top/1/related"));
        assert!(is_widget_path("/api/related"));
        assert!(is_widget_path("/widget.js"));
        assert!(!is_widget_path("/api/stories/2025-02-14/top/1"));
        assert!(!is_widget_path("/api/search"));
    }
}
