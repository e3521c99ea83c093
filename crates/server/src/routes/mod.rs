//! The JSON API under `/api/`, one module per resource. Every handler is thin: it
//! reads the request ([`crate::params`]), calls the engine on a blocking thread
//! ([`blocking`]) and shapes the answer.

pub mod admin;
pub mod health;
pub mod issues;
pub mod library;
pub mod search;
pub mod stories;
pub mod trends;

use std::hash::{Hash, Hasher};

use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Json;

use crate::error::{ApiError, ErrorCode};
use crate::params::QueryPairs;
use crate::state::{AppState, Loaded};

/// Every route of the JSON API (its path as axum writes it, and its handler),
/// except the admin routes, which exist only with a token.
pub fn api_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/api/search", get(search::search)),
        ("/api/stories/{*id}", get(stories::story_or_related)),
        ("/api/related", get(stories::related_to_text)),
        ("/api/resources", get(library::resources)),
        ("/api/paths", get(library::paths)),
        ("/api/trends/series", get(trends::series)),
        ("/api/trends/cooccurrence", get(trends::cooccurrence)),
        ("/api/trends/rising", get(trends::rising)),
        ("/api/trends/falling", get(trends::falling)),
        ("/api/trends/bursts", get(trends::bursts)),
        ("/api/trends/weeks", get(trends::weeks)),
        ("/api/issues", get(issues::list)),
        ("/api/issues/{id}", get(issues::issue)),
        ("/api/stats", get(health::stats)),
        ("/api/openapi.json", get(crate::openapi::document)),
    ]
}

/// Runs `work` on a blocking thread: the engine's calls take milliseconds of CPU
/// (seconds for a re-index), which must not stall the async workers.
pub async fn blocking<T, F>(state: &AppState, work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    match crate::work::run(state.work(), work).await {
        Ok(answer) => answer,
        Err(crate::work::WorkError::Busy) => Err(ApiError::new(
            ErrorCode::Overloaded,
            "the server is busy; try again shortly",
        )),
        Err(crate::work::WorkError::Failed(error)) => Err(ApiError::internal(error)),
    }
}

/// What makes an answer cacheable: its ETag (the generation's tag, the route and
/// the request's parameters) and how long caches may keep it.
#[derive(Debug, Clone)]
pub struct Cacheable {
    etag: HeaderValue,
    cache_control: HeaderValue,
}

impl Cacheable {
    /// The cache headers of an answer of `loaded` to the request named by `parts`.
    pub fn new(state: &AppState, loaded: &Loaded, parts: &[&str]) -> Cacheable {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        loaded.tag().hash(&mut hasher);
        parts.hash(&mut hasher);
        let etag = format!("W/\"{}-{:016x}\"", loaded.generation(), hasher.finish());
        let max_age = state.config().limits.cache_max_age;
        Cacheable {
            etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("W/\"0\"")),
            cache_control: HeaderValue::from_str(&format!("public, max-age={max_age}"))
                .unwrap_or(HeaderValue::from_static("no-cache")),
        }
    }

    /// A 304 when the request's `If-None-Match` names this ETag (or `*`).
    pub fn not_modified(&self, request: &HeaderMap) -> Option<Response> {
        let ours = strip_weak(self.etag.to_str().unwrap_or(""));
        let matched = request
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|tag| strip_weak(tag.trim()))
            .any(|tag| tag == "*" || tag == ours);
        matched.then(|| self.apply(StatusCode::NOT_MODIFIED.into_response()))
    }

    fn apply(&self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::CACHE_CONTROL, self.cache_control.clone());
        response
    }
}

fn strip_weak(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

/// `answer` with `cache`'s headers.
pub fn cacheable(cache: Cacheable, answer: impl IntoResponse) -> Response {
    cache.apply(answer.into_response())
}

/// The `format` parameter: `json` or `csv`.
pub fn format(query: &QueryPairs) -> Result<Option<&'static str>, ApiError> {
    query.choice("format", &["json", "csv"])
}

/// Whether the client asked for CSV: `format=csv` (as read by [`format`]), or
/// `Accept: text/csv` without `format=json`.
pub fn csv_asked(format: Option<&str>, headers: &HeaderMap) -> bool {
    match format {
        Some(format) => format == "csv",
        None => headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.to_ascii_lowercase().contains("text/csv")),
    }
}

/// `value` as JSON, or as CSV made by `csv` when the client asked for it.
pub fn json_or_csv<T: serde::Serialize>(
    csv_wanted: bool,
    value: T,
    csv: impl FnOnce(&T) -> String,
) -> Response {
    if csv_wanted {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            )],
            csv(&value),
        )
            .into_response()
    } else {
        Json(value).into_response()
    }
}

pub use backissue_engine::trends::csv::field as csv_field;
