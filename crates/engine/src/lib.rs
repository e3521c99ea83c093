//! The engine of backissue: documents, events, and the keyword and vector indexes
//! over the archive, kept in crash-safe generations and updated incrementally.
//!
//! ```
//! use backissue_embed::HashEmbedder;
//! use backissue_engine::{Index, Indexer, NoProgress};
//!
//! # let corpus = tempfile::tempdir().unwrap();
//! # let index_dir = tempfile::tempdir().unwrap();
//! # std::fs::write(corpus.path().join("2026-03-27.txt"),
//! #     "← All posts\n\nHeadline\n\nSummary.\n\nSubscribe free All posts\n#1\nA title\nA story.\nTechUS\n90\n").unwrap();
//! // Tests use the hash embedder; the binary uses the real model (backissue_embed::FastEmbedder).
//! let embedder = HashEmbedder::new(384);
//! let report = Indexer::new(corpus.path(), index_dir.path()).run(&embedder, &mut NoProgress)?;
//! assert_eq!((report.issues, report.documents, report.embedded_texts), (1, 1, 1));
//!
//! // Nothing changed: nothing is embedded and no generation is written.
//! let again = Indexer::new(corpus.path(), index_dir.path()).run(&embedder, &mut NoProgress)?;
//! assert!(again.up_to_date && again.embedded_texts == 0);
//!
//! let index = Index::open(index_dir.path())?;
//! assert_eq!(index.document("2026-03-27/top/1").unwrap().title, "A title");
//! # Ok::<(), backissue_engine::Error>(())
//! ```
//!
//! # Why it is built this way
//!
//! - **Documents, not issues.** Readers look for a story, the widget recommends a
//!   story, trends count stories: an issue is split into top stories, sector and
//!   regional stories, insights, hidden signals, resources and learning paths
//!   ([`document`]), each with a stable id that is readable in a URL and survives
//!   re-indexing (`2026-03-27/top/2`).
//! - **Events.** One piece of news is often told three times in one issue. Stories
//!   that report the same news share an `event_id` ([`event`]), so nothing downstream
//!   recommends or counts the same news twice.
//! - **Two indexes, one table.** tantivy answers keyword queries, filters and facets
//!   ([`keyword`]); an HNSW graph over sentence embeddings answers queries by meaning
//!   ([`vectors`]); both are keyed by the row of the documents table.
//! - **Generations.** A run writes a complete new generation and only then switches
//!   the `CURRENT` pointer ([`generation`]): a run killed at any moment leaves the last
//!   good index readable, and the next run cleans up and finishes the work.
//! - **Nothing twice.** Embedding is the only slow step, so every vector is cached by
//!   the hash of its text ([`cache`]), unchanged issues are carried over, and an
//!   unchanged corpus costs one hash per file ([`indexer`]).
//! - **No HTTP, no CLI.** The engine returns values and errors; the binary and the
//!   server decide how to show them. Error messages name the path at fault and the
//!   command that fixes it.
#![warn(missing_docs)]

pub use backissue_analytics as analytics;
pub use backissue_text as text;

use backissue_index::error;
pub use backissue_index::{budget, document, event, generation, keyword, manifest, store, vectors};

pub mod cache;
pub mod corpus;
pub mod eval_run;
pub mod export;
pub mod indexer;
pub mod progress;
pub mod related;
pub mod resources;
pub mod search;
pub mod source;
pub mod trends;

pub use backissue_index::{
    rebuild_command, split_issue, BoxError, Document, Error, Index, Result, RowMap, Section, Stats,
};
pub use backissue_index::{recall_at_10, HnswParams, VectorIndex, Vectors};
pub use backissue_index::{Manifest, SCHEMA_VERSION};
pub use indexer::{FileMessage, IndexReport, Indexer};
pub use progress::{NoProgress, Progress, Stage};
pub use search::{Mode, SearchRequest, SearchResponse, Searcher};
pub use source::{EmbedderSource, LazyEmbedder};
