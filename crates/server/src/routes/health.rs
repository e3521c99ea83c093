//! `GET /healthz`, `GET /readyz`, `GET /metrics` and `GET /api/stats`: is the
//! process up, is an index loaded, what it serves.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use backissue_engine::Stats;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::replica::ReplicaHealth;
use crate::state::AppState;

/// The answer of the health routes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Health {
    /// `ok`; `degraded` when a generation is served but `CURRENT` names a newer one
    /// that failed to load (see `failed`); `not_ready` before any is loaded.
    pub status: String,
    /// The generation served, if any.
    pub generation: Option<String>,
    /// Documents in it.
    pub documents: Option<usize>,
    /// The generation `CURRENT` names that failed to load, while it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<FailedLoad>,
    /// The store a replica follows, and how its last pull went (only with
    /// `--replica-of`); a failed pull makes `status` `degraded` while the installed
    /// generation goes on being served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica: Option<ReplicaHealth>,
}

/// A generation that failed to load, and when it is tried again.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FailedLoad {
    /// Its name.
    pub generation: String,
    /// Why it failed (the index folder written as `<index>`).
    pub error: String,
    /// Attempts so far.
    pub attempts: u32,
    /// Seconds until the next attempt.
    pub retry_in_seconds: f64,
}

fn health(state: &AppState) -> Health {
    let loaded = state.current();
    let failed = state.load_failure().map(|failure| {
        let dir = state.config().index_dir.display().to_string();
        FailedLoad {
            generation: failure.generation,
            error: if dir.is_empty() {
                failure.error
            } else {
                failure.error.replace(&dir, "<index>")
            },
            attempts: failure.attempts,
            retry_in_seconds: failure
                .retry_at
                .saturating_duration_since(std::time::Instant::now())
                .as_secs_f64(),
        }
    });
    let replica = state
        .config()
        .replica
        .as_ref()
        .map(|replica| state.follower().health(replica.store.spec()));
    let pull_failed = replica.as_ref().is_some_and(|r| r.error.is_some());
    let status = match (&loaded, failed.is_some() || pull_failed) {
        (None, _) => "not_ready",
        (Some(_), true) => "degraded",
        (Some(_), false) => "ok",
    };
    Health {
        status: status.to_string(),
        generation: loaded.as_ref().map(|l| l.generation().to_string()),
        documents: loaded.as_ref().map(|l| l.index().documents().len()),
        failed,
        replica,
    }
}

/// Liveness: 200 whenever the process answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses((status = 200, description = "The process is up", body = Health))
)]
pub async fn healthz(State(state): State<AppState>) -> Json<Health> {
    Json(health(&state))
}

/// Readiness: 200 once an index generation is loaded, else 503. A server whose
/// newer generation failed to load still serves the older one: 200, with `status`
/// `degraded` and the failure in `failed`.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "A generation is loaded and served (`degraded`: a newer one failed to load)", body = Health),
        (status = 503, description = "No generation loaded yet (`not_ready`)", body = ErrorBody),
    )
)]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.engine()?;
    Ok(Json(health(&state)))
}

/// Prometheus metrics: requests and latency by route, the generation served, its
/// caches and queues, the process.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain; version=0.0.4", body = String))
)]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)],
        state.metrics().render(state.work()),
    )
}

/// What the served generation holds: counts by section, dates, model.
#[utoipa::path(
    get,
    path = "/api/stats",
    tag = "operations",
    responses(
        (status = 200, description = "The generation's statistics (as `backissue stats --json`)", body = Object),
        (status = 503, description = "No index loaded yet", body = ErrorBody),
    )
)]
pub async fn stats(State(state): State<AppState>) -> Result<Json<Stats>, ApiError> {
    let mut stats = state.engine()?.index().stats();
    // The server's folders are nobody else's business.
    stats.dir = std::path::PathBuf::new();
    Ok(Json(stats))
}
