//! What every handler shares: the generation being served, the configuration, the
//! metrics.
//!
//! The served generation is an `Arc<Loaded>` behind a lock held only long enough to
//! clone the `Arc`. A reload opens the new generation on a blocking thread and then
//! swaps the pointer: requests in flight keep the `Arc` they took, so they finish on
//! the old generation, which is freed when the last of them ends. No request ever
//! waits for a load.
//!
//! ```ignore
//! async fn handler(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
//!     let engine = state.engine()?; // 503 `not_ready` until a generation is loaded
//!     let answer = blocking(move || engine.related().story(id, &params)).await?;
//!     …
//! }
//! ```

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use backissue_engine::generation::Layout;
use backissue_engine::related::{Related, RelatedParams};
use backissue_engine::resources::Catalog;
use backissue_engine::search::{QueryEmbedder, Searcher, SemanticParams};
use backissue_engine::trends::{self, TopicTable, Trends};
use backissue_engine::{Error, Index};
use backissue_issue::Issue;
use parking_lot::{Mutex, RwLock};

use crate::config::{Caches, Limits, ServerConfig};
use crate::error::{ApiError, ErrorCode};
use crate::metrics::Metrics;

/// One generation of the index, loaded with everything the routes need.
pub struct Loaded {
    generation: String,
    tag: String,
    searcher: Searcher,
    topics: TopicTable,
    issues: HashMap<String, Issue>,
    index: Arc<Index>,
    related: Related,
    trends: Trends,
    catalog: Catalog,
    /// Stored related lists as served, JSON bytes by story id and limit: the widget
    /// asks for the same few stories again and again.
    related_json: Mutex<lru::LruCache<(String, usize), axum::body::Bytes>>,
    /// Hits and misses of `related_json`, for metrics.
    pub(crate) related_lookups: crate::metrics::LookupCounter,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("generation", &self.generation)
            .field("documents", &self.index().documents().len())
            .finish_non_exhaustive()
    }
}

impl Loaded {
    /// Opens the current generation of the index in `index_dir` (slow: call it on a
    /// blocking thread), with the issues as they were indexed: a generation alone
    /// serves every page, with no corpus beside it.
    pub fn open(index_dir: &Path, embedder: QueryEmbedder) -> Result<Loaded, Error> {
        Loaded::open_with(index_dir, embedder, &Limits::default(), &Caches::default())
    }

    /// [`Loaded::open`] with the embedding queue of `limits` and the cache sizes of
    /// `caches`.
    pub fn open_with(
        index_dir: &Path,
        embedder: QueryEmbedder,
        limits: &Limits,
        caches: &Caches,
    ) -> Result<Loaded, Error> {
        let index = Index::open(index_dir)?;
        index.check_model_id(&embedder.model_name()?)?;
        let index = Arc::new(index);
        let semantic = SemanticParams {
            cache_size: caches.query_vectors,
            max_embedding_queue: limits.max_embedding_queue,
            ..SemanticParams::default()
        };
        let searcher = Searcher::with_params(index.clone(), embedder, semantic)?;
        let topics = trends::topic_table(&index)?;
        let issues = index
            .read_issues()?
            .into_iter()
            .map(|issue| (issue.id.clone(), issue))
            .collect();
        let manifest = index.manifest();
        let generation = manifest.generation.clone();
        let tag = format!("{}-{}", generation, manifest.built_at);
        let related = Related::open(index.clone())?;
        let trends = Trends::new(index.clone())?;
        let catalog = Catalog::new(index.clone())?;
        Ok(Loaded {
            generation,
            tag,
            searcher,
            topics,
            issues,
            index,
            related,
            trends,
            catalog,
            related_json: Mutex::new(lru::LruCache::new(
                std::num::NonZeroUsize::new(caches.related_answers)
                    .unwrap_or(std::num::NonZeroUsize::MIN),
            )),
            related_lookups: Default::default(),
        })
    }

    /// The generation's name (`000003`).
    pub fn generation(&self) -> &str {
        &self.generation
    }

    /// A string that changes whenever the served data may have changed (the
    /// generation's name and build time): the base of every ETag.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The open index: documents, issues, manifest.
    pub fn index(&self) -> &Arc<Index> {
        &self.index
    }

    /// Keyword, semantic and hybrid search.
    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// The rising, falling and bursting topics' table.
    pub fn topics(&self) -> &TopicTable {
        &self.topics
    }

    /// The parsed issue `id`, as it was indexed.
    pub fn issue(&self, id: &str) -> Option<&Issue> {
        self.issues.get(id)
    }

    /// The JSON of story `id`'s stored related list, `limit` long: serialized once,
    /// then served from memory. `None` when the stored list does not answer `params`
    /// (another window or half-life, or no stored list): compute those on a blocking
    /// thread.
    pub fn stored_related_json(
        &self,
        id: &str,
        params: &RelatedParams,
    ) -> Option<Result<axum::body::Bytes, Error>> {
        if !self.related.is_lookup(id, params) {
            return None;
        }
        let key = (id.to_string(), params.limit);
        if let Some(bytes) = self.related_json.lock().get(&key) {
            self.related_lookups.hit();
            return Some(Ok(bytes.clone()));
        }
        self.related_lookups.miss();
        let answer = match self.related.story(id, params) {
            Ok(answer) => answer,
            Err(error) => return Some(Err(error)),
        };
        let bytes = axum::body::Bytes::from(
            serde_json::to_vec(&answer).expect("a related answer serializes"),
        );
        self.related_json.lock().put(key, bytes.clone());
        Some(Ok(bytes))
    }

    /// The related-stories engine.
    pub fn related(&self) -> &Related {
        &self.related
    }

    /// The trend counter.
    pub fn trends(&self) -> &Trends {
        &self.trends
    }

    /// The catalog of learning resources and paths.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }
}

/// Handlers share the state across threads.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<AppState>();
    shared::<Loaded>();
};

/// A generation that failed to load: retried with a doubling wait (the base is
/// [`ServerConfig::reload_interval`], at most [`MAX_RETRY_WAIT`]), as a transient
/// fault (too many open files, a disk hiccup, a copy still in progress) heals on
/// its own, while a broken generation must not be reopened twice a second.
#[derive(Debug, Clone)]
pub struct LoadFailure {
    /// The generation `CURRENT` names.
    pub generation: String,
    /// Why it did not load.
    pub error: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// When the next attempt is due.
    pub retry_at: std::time::Instant,
}

/// The longest wait between two attempts at a generation that fails to load.
pub const MAX_RETRY_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The state every handler gets: cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    config: ServerConfig,
    embedder: QueryEmbedder,
    metrics: Arc<Metrics>,
    current: RwLock<Option<Arc<Loaded>>>,
    /// Serialises loads, so two reloads never open the same generation twice.
    loading: Mutex<()>,
    /// The generation that last failed to load, and when to try it again.
    failed: Mutex<Option<LoadFailure>>,
    reindexing: AtomicBool,
    work: crate::work::WorkSlots,
    follower: crate::replica::Follower,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.shared.config)
            .field("loaded", &self.current().map(|l| l.generation.clone()))
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// A state with nothing loaded yet: call [`AppState::reload`] (blocking) or let
    /// [`crate::watch`] do it.
    pub fn new(config: ServerConfig, embedder: QueryEmbedder) -> AppState {
        let config_slots = config.limits.max_concurrency;
        let budget = config.limits.request_timeout;
        AppState {
            shared: Arc::new(Shared {
                config,
                embedder,
                metrics: Arc::new(Metrics::default()),
                current: RwLock::new(None),
                loading: Mutex::new(()),
                failed: Mutex::new(None),
                reindexing: AtomicBool::new(false),
                work: crate::work::WorkSlots::new(config_slots, Some(budget)),
                follower: Default::default(),
            }),
        }
    }

    /// The generation being served, or a 503 `not_ready` error before the first
    /// load. Hold the `Arc` for the whole request: it stays valid across reloads.
    pub fn engine(&self) -> Result<Arc<Loaded>, ApiError> {
        self.current().ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotReady,
                "no index generation is loaded yet; try again shortly",
            )
        })
    }

    /// The generation being served, if any.
    pub fn current(&self) -> Option<Arc<Loaded>> {
        self.shared.current.read().clone()
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.shared.config
    }

    /// The slots of blocking work in flight.
    pub fn work(&self) -> &crate::work::WorkSlots {
        &self.shared.work
    }

    /// The metrics.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.shared.metrics
    }

    /// What the replica follower last saw of its store (nothing unless the server
    /// follows one).
    pub fn follower(&self) -> &crate::replica::Follower {
        &self.shared.follower
    }

    /// Where query embeddings come from.
    pub fn embedder(&self) -> &QueryEmbedder {
        &self.shared.embedder
    }

    /// Serves `loaded` from now on (tests, and [`AppState::reload`]).
    pub fn install(&self, loaded: Arc<Loaded>) {
        self.shared.metrics.loaded(&loaded);
        *self.shared.current.write() = Some(loaded);
    }

    /// The generation that `CURRENT` names but that failed to load, if any.
    pub fn load_failure(&self) -> Option<LoadFailure> {
        self.shared.failed.lock().clone()
    }

    /// Loads the generation `CURRENT` names when it is not the one served, and swaps
    /// it in. Blocking and slow (seconds): run it on a blocking thread. Returns the
    /// name of the generation loaded, `None` when nothing changed (or the generation
    /// failed to load and its next attempt is not yet due: see [`LoadFailure`]).
    pub fn reload(&self) -> Result<Option<String>, Error> {
        let _loading = self.shared.loading.lock();
        let config = &self.shared.config;
        let Some(name) = Layout::new(&config.index_dir).current()? else {
            return Ok(None);
        };
        let served = self.current().map(|l| l.generation.clone());
        if served.as_deref() == Some(name.as_str()) {
            // `CURRENT` went back to the served generation: nothing failed any more.
            *self.shared.failed.lock() = None;
            return Ok(None);
        }
        let attempts = match &*self.shared.failed.lock() {
            Some(failure) if failure.generation == name => {
                if std::time::Instant::now() < failure.retry_at {
                    return Ok(None);
                }
                failure.attempts
            }
            _ => 0,
        };
        let started = std::time::Instant::now();
        let opened = Loaded::open_with(
            &config.index_dir,
            self.shared.embedder.clone(),
            &config.limits,
            &config.caches,
        )
        .and_then(|loaded| {
            // A generation folder copied from elsewhere may hold another's manifest:
            // serving it would answer with the wrong name, and reload it forever.
            if loaded.generation() == name {
                Ok(loaded)
            } else {
                let layout = Layout::new(&config.index_dir);
                Err(Error::IndexDamaged {
                    path: layout.generation_dir(&name).join("manifest.json"),
                    dir: config.index_dir.clone(),
                    reason: format!(
                        "the manifest names generation {:?} but its folder is {name:?}",
                        loaded.generation()
                    ),
                })
            }
        });
        let loaded = match opened {
            Ok(loaded) => loaded,
            Err(error) => {
                let attempts = attempts + 1;
                let wait = config
                    .reload_interval
                    .max(std::time::Duration::from_millis(10))
                    .saturating_mul(1u32 << (attempts - 1).min(16))
                    .min(MAX_RETRY_WAIT);
                tracing::warn!(generation = %name, attempts, retry_in_ms = wait.as_millis() as u64, "generation failed to load; will retry");
                *self.shared.failed.lock() = Some(LoadFailure {
                    generation: name,
                    error: error.to_string(),
                    attempts,
                    retry_at: std::time::Instant::now() + wait,
                });
                return Err(error);
            }
        };
        let generation = loaded.generation().to_string();
        tracing::info!(
            generation = %generation,
            previous = served.as_deref().unwrap_or("none"),
            documents = loaded.index().documents().len(),
            seconds = started.elapsed().as_secs_f64(),
            "index generation loaded"
        );
        self.install(Arc::new(loaded));
        *self.shared.failed.lock() = None;
        Ok(Some(generation))
    }

    /// Marks a re-index as running; `false` when one already is. Pair with
    /// [`AppState::end_reindex`].
    pub(crate) fn begin_reindex(&self) -> bool {
        !self.shared.reindexing.swap(true, Ordering::AcqRel)
    }

    /// Marks the re-index as finished.
    pub(crate) fn end_reindex(&self) {
        self.shared.reindexing.store(false, Ordering::Release);
    }
}
