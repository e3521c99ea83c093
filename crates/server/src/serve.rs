//! Running the server: bind, load the index, watch it for new generations, serve
//! until SIGTERM or Ctrl-C, then finish the requests in flight.

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::state::AppState;

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The async runtime could not start, or serving failed.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Starts logging to standard error, filtered by `RUST_LOG` (default: `info`, with
/// the libraries' chatter at `warn`). Call once, from the binary.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,tantivy=warn,ort=warn,tower_http=info")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
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
            .map_err(|source| ServeError::Bind {
                addr: addr.to_string(),
                source,
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
/// in flight finish. Loads the index in the background (the server answers
/// `/healthz` at once, and `not_ready` until the index is loaded) and watches it.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let watcher = tokio::spawn(watch(state.clone()));
    let result = axum::serve(listener, crate::app(state))
        .with_graceful_shutdown(shutdown)
        .await;
    watcher.abort();
    tracing::info!("server stopped");
    result
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
