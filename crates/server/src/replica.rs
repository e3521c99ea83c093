//! Serving as a replica: follow a store that `backissue publish` writes, install
//! each new generation into the index folder, and serve it.
//!
//! The follower pulls ([`backissue_replica::pull`]) every poll interval. A pull
//! installs a generation only once every file is verified, then moves the
//! folder's `CURRENT`; the loader swaps it in as it does for a local indexer, so
//! requests never wait and never see half a generation. A store that cannot be
//! reached, or a download that does not verify, leaves the served generation as
//! it is: the failure is kept here, `/readyz` reports it (`degraded`), and the next
//! poll tries again.

use std::time::{Duration, Instant};

use backissue_replica::{Error, PullOutcome, Store};
use parking_lot::Mutex;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// What the follower last saw of its store.
#[derive(Debug, Default)]
pub struct Follower {
    last: Mutex<Option<Pulled>>,
}

#[derive(Debug, Clone)]
struct Pulled {
    failure: Option<(&'static str, String)>,
    store_generation: Option<String>,
    last_success: Option<Instant>,
}

/// The replica's part of `/readyz`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReplicaHealth {
    /// The store followed.
    pub store: String,
    /// `following` (the last pull succeeded), `unreachable` (the store did not
    /// answer), `corrupt` (a download did not match its checksum), `failing`
    /// (anything else), or `starting` before the first pull.
    pub status: String,
    /// The generation the store published, as last read.
    pub store_generation: Option<String>,
    /// Why the last pull failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Seconds since the last successful pull.
    pub seconds_since_success: Option<f64>,
}

impl Follower {
    fn record(&self, outcome: &Result<PullOutcome, Error>) {
        let mut last = self.last.lock();
        let previous = last.take();
        let now = Instant::now();
        let mut pulled = Pulled {
            failure: None,
            store_generation: previous.as_ref().and_then(|p| p.store_generation.clone()),
            last_success: previous.as_ref().and_then(|p| p.last_success),
        };
        match outcome {
            Ok(outcome) => {
                pulled.last_success = Some(now);
                pulled.store_generation = match outcome {
                    PullOutcome::Empty => None,
                    PullOutcome::UpToDate { generation }
                    | PullOutcome::Installed { generation, .. } => Some(generation.clone()),
                };
            }
            Err(error) => {
                let kind = match error {
                    Error::Unreachable { .. } => "unreachable",
                    Error::Corrupt { .. } | Error::Missing { .. } => "corrupt",
                    _ => "failing",
                };
                pulled.failure = Some((kind, error.to_string()));
            }
        }
        *last = Some(pulled);
    }

    /// The replica's health, for `/readyz` (which says `degraded` while it has an
    /// `error`).
    pub fn health(&self, store: &str) -> ReplicaHealth {
        let last = self.last.lock().clone();
        let status = match &last {
            None => "starting",
            Some(Pulled {
                failure: Some((kind, _)),
                ..
            }) => kind,
            Some(_) => "following",
        };
        ReplicaHealth {
            store: store.to_string(),
            status: status.to_string(),
            store_generation: last.as_ref().and_then(|p| p.store_generation.clone()),
            error: last
                .as_ref()
                .and_then(|p| p.failure.as_ref().map(|(_, e)| e.clone())),
            seconds_since_success: last
                .as_ref()
                .and_then(|p| p.last_success)
                .map(|at| at.elapsed().as_secs_f64()),
        }
    }
}

/// Pulls from `store` every `interval` until the process ends, loading each
/// generation installed at once (not at the loader's next look at `CURRENT`).
pub async fn follow(state: AppState, store: Store, interval: Duration) {
    let dir = state.config().index_dir.clone();
    loop {
        let outcome = backissue_replica::pull(&store, &dir).await;
        match &outcome {
            Ok(PullOutcome::Installed {
                generation,
                downloaded_bytes,
                downloaded_files,
                reused_files,
                seconds,
                ..
            }) => {
                tracing::info!(
                    %generation,
                    downloaded_files,
                    downloaded_bytes,
                    reused_files,
                    seconds,
                    store = %store,
                    "installed a published generation"
                );
                state.metrics().replica_downloaded(*downloaded_bytes);
                let worker = state.clone();
                match tokio::task::spawn_blocking(move || worker.reload()).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => {
                        tracing::error!(%error, "cannot load the installed generation; still serving the previous one")
                    }
                    Err(error) => tracing::error!(%error, "index loader failed"),
                }
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, store = %store, "cannot pull from the store; still serving the generation installed before")
            }
        }
        state.metrics().replica_pulled(outcome.is_ok());
        state.follower().record(&outcome);
        tokio::time::sleep(interval).await;
    }
}
