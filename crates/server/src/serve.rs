//! Running the server: bind, load the index, watch it for new generations, serve
//! until SIGTERM or Ctrl-C, then finish the requests in flight.

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::layers::ClientCounts;
use crate::state::AppState;

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {cause}")]
    Bind {
        /// The address.
        addr: String,
        /// What the operating system said.
        cause: std::io::Error,
    },
    /// The log filter does not parse.
    #[error("--log-filter {filter:?}: {reason}")]
    LogFilter {
        /// The filter given.
        filter: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The async runtime could not start, or serving failed.
    #[error("server: {0}")]
    Io(std::io::Error),
}

// Not `#[from]`: that would also make the error its source, and `{:#}` would print
// it twice.
impl From<std::io::Error> for ServeError {
    fn from(error: std::io::Error) -> Self {
        ServeError::Io(error)
    }
}

/// The log filter when none is given: `info`, with the libraries' chatter at `warn`
/// (the access log is the `access` target at INFO).
pub const DEFAULT_LOG_FILTER: &str = "info,tantivy=warn,ort=warn";

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

/// Starts logging to standard error in `format`, keeping what `filter` (`tracing`
/// directives, as in `RUST_LOG`) lets through. Call once, from the binary; a second
/// call changes nothing.
pub fn init_tracing(format: LogFormat, filter: &str) -> Result<(), ServeError> {
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).map_err(|e| ServeError::LogFilter {
            filter: filter.to_string(),
            reason: e.to_string(),
        })?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            // The request's span: its id on every line written while serving it.
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    Ok(())
}

/// Serves `state` on `addr` until SIGTERM or Ctrl-C, on a runtime of its own.
/// Prints `listening on http://ADDR` on standard output once bound (with the port
/// chosen when `addr` asks for port 0), loads the index's current generation, and
/// reloads whenever `CURRENT` changes.
pub fn run(addr: &str, state: AppState) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|cause| ServeError::Bind {
                addr: addr.to_string(),
                cause,
            })?;
        let local = listener.local_addr()?;
        announce(local);
        serve(listener, state, shutdown_signal()).await?;
        Ok(())
    })
}

fn announce(addr: SocketAddr) {
    tracing::info!(%addr, "listening");
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on http://{addr}");
    let _ = out.flush();
}

/// Serves `state` on `listener` until `shutdown` completes, then lets the requests
/// in flight finish (for at most [`crate::Limits::shutdown_grace`]). Loads the index
/// in the background (the server answers `/healthz` at once, and `not_ready` until
/// the index is loaded) and watches it.
///
/// Connections are bounded ([`crate::Limits`]): HTTP/1.1 with a header-read timeout
/// (which also closes idle keep-alive connections and clients that send half a
/// request), at most `max_connections` open, and at most
/// `max_connections_per_client` from one address. A connection over a cap is closed
/// as soon as it is accepted, so it costs a file descriptor for microseconds.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = state.config().limits.clone();
    let metrics = state.metrics().clone();
    let watcher = tokio::spawn(watch(state.clone()));
    let follower = state.config().replica.as_ref().map(|replica| {
        tracing::info!(store = %replica.store, "following the store as a replica");
        tokio::spawn(crate::replica::follow(
            state.clone(),
            replica.store.clone(),
            replica.poll_interval,
        ))
    });
    let app = crate::app(state);
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let clients = ClientCounts::new(limits.max_connections_per_client.max(1));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout.max(Duration::from_millis(1)))
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    // Out of file descriptors, say: wait for connections to close
                    // rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            metrics.connection_refused("max_connections");
            tracing::debug!(%peer, "connection cap reached; connection closed");
            continue;
        };
        let Some(slot) = clients.take(peer.ip()) else {
            metrics.connection_refused("max_connections_per_client");
            tracing::debug!(%peer, "per-client connection cap reached; connection closed");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            },
        );
        let connection = graceful
            .watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection closed with an error");
            }
            drop(slot);
            drop(permit);
        });
    }
    drop(listener);
    watcher.abort();
    if let Some(follower) = follower {
        follower.abort();
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {
            tracing::warn!(grace_s = limits.shutdown_grace.as_secs(), "requests still in flight after the grace period; stopping anyway");
        }
    }
    tracing::info!("server stopped");
    Ok(())
}

/// Checks `CURRENT` every [`crate::ServerConfig::reload_interval`] and loads a new
/// generation when it names one, on a blocking thread; requests go on being served
/// by the old generation until the new one is swapped in.
pub async fn watch(state: AppState) {
    let interval = state
        .config()
        .reload_interval
        .max(Duration::from_millis(10));
    loop {
        let worker = state.clone();
        match tokio::task::spawn_blocking(move || worker.reload()).await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => {
                tracing::error!(%error, "cannot load the index generation; still serving the previous one")
            }
            Err(error) => tracing::error!(%error, "index loader failed"),
        }
        tokio::time::sleep(interval).await;
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for sigterm");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("ctrl-c received; shutting down"),
        () = terminate => tracing::info!("sigterm received; shutting down"),
    }
}
