//! `POST /api/admin/reindex`: re-index the corpus and serve the new generation.
//!
//! The route exists only when `BACKISSUE_ADMIN_TOKEN` is set, and answers only a
//! request bearing that token (compared in constant time). One re-index runs at a
//! time; another request meanwhile gets 409.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use backissue_engine::{Error, IndexReport, Indexer, NoProgress};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::state::AppState;

/// What a re-index did, and what is served after it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReindexAnswer {
    /// The indexer's report (as `backissue index --json`).
    #[schema(value_type = Object)]
    pub report: IndexReport,
    /// The generation served now.
    pub serving: Option<String>,
}

/// Re-indexes the configured corpus, then serves the new generation.
#[utoipa::path(
    post,
    path = "/api/admin/reindex",
    tag = "operations",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The indexer's report; the new generation is served", body = ReindexAnswer),
        (status = 401, description = "Missing or wrong bearer token (`unauthorized`)", body = ErrorBody),
        (status = 404, description = "Admin routes are off: `BACKISSUE_ADMIN_TOKEN` is not set", body = ErrorBody),
        (status = 409, description = "A re-index is already running (`conflict`)", body = ErrorBody),
        (status = 500, description = "The re-index failed (`internal`, with what the indexer said); the previous generation is still served", body = ErrorBody),
    )
)]
pub async fn reindex(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<ReindexAnswer>, ApiError> {
    authorize(&state, &headers)?;
    if !state.begin_reindex() {
        return Err(running());
    }
    let _done = ReindexGuard(&state);
    let config = state.config().clone();
    tracing::info!(corpus = %config.corpus_dir.display(), index = %config.index_dir.display(), "re-index requested");
    let report = match &config.reindex_command {
        Some(command) => reindex_in_child(command, &config).await?,
        None => {
            // Not a blocking-work slot: a re-index takes minutes and runs one at a time.
            let worker = state.clone();
            tokio::task::spawn_blocking(move || {
                let config = worker.config();
                Indexer::new(&config.corpus_dir, &config.index_dir)
                    .run(worker.embedder().as_ref(), &mut NoProgress)
                    .map_err(|error| match error {
                        Error::Locked { .. } => running(),
                        other => ApiError::internal(other),
                    })
            })
            .await
            .map_err(ApiError::internal)??
        }
    };
    let worker = state.clone();
    let serving = tokio::task::spawn_blocking(move || {
        worker.reload().map_err(ApiError::internal)?;
        Ok::<_, ApiError>(worker.current().map(|l| l.generation().to_string()))
    })
    .await
    .map_err(ApiError::internal)??;
    let answer = ReindexAnswer { report, serving };
    Ok(Json(answer))
}

/// Runs `backissue index … --json` as a child and reads its report. A child that
/// fails, or dies (killed, out of memory, a crash), is a logged 500 with the last
/// line it printed; the server and its served generation are untouched.
async fn reindex_in_child(
    command: &crate::config::ReindexCommand,
    config: &crate::config::ServerConfig,
) -> Result<IndexReport, ApiError> {
    let output = tokio::process::Command::new(&command.program)
        .arg("index")
        .arg("--corpus")
        .arg(&config.corpus_dir)
        .arg("--index")
        .arg(&config.index_dir)
        .arg("--json")
        .args(&command.args)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|error| {
            ApiError::internal(format!(
                "cannot start {} index: {error}",
                command.program.display()
            ))
        })?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        if stderr.contains("another `backissue index` is writing") {
            return Err(running());
        }
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        // The caller holds the admin token: tell them what failed.
        let message = format!("the re-index process failed ({}): {last}", output.status);
        tracing::error!(%message, "re-index failed; still serving the previous generation");
        return Err(ApiError::new(ErrorCode::Internal, message));
    }
    serde_json::from_slice(&output.stdout).map_err(|error| {
        ApiError::internal(format!("the re-index process printed no report: {error}"))
    })
}

fn running() -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        "a re-index is already running; try again when it finishes",
    )
}

/// Clears the running flag however the re-index ends.
struct ReindexGuard<'a>(&'a AppState);

impl Drop for ReindexGuard<'_> {
    fn drop(&mut self) {
        self.0.end_reindex();
    }
}

/// Checks the `Authorization: Bearer …` header against the configured token.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let unauthorized = || {
        ApiError::new(
            ErrorCode::Unauthorized,
            "Authorization: give `Bearer <token>` with the server's admin token",
        )
    };
    let expected = state
        .config()
        .admin_token
        .as_deref()
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(unauthorized)?;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(unauthorized)?;
    if constant_time_eq(given.trim().as_bytes(), expected.as_bytes()) {
        Ok(())
    } else {
        tracing::warn!("admin request with a wrong token");
        Err(unauthorized())
    }
}

/// Compares without stopping at the first difference, so the time taken does not
/// tell how much of a guess was right (only the length leaks).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn compares_whole_tokens() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
