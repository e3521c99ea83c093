//! Progress of an indexing run, for a progress bar or a log.
//!
//! The indexer only says what stage it is in and how far along; how that is shown
//! (an indicatif bar on a terminal, plain lines in a log, nothing in a test) is the
//! caller's business.

use serde::{Deserialize, Serialize};

/// A stage of an indexing run, in the order they happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Hashing the corpus files.
    Scanning,
    /// Parsing the new and changed issue files.
    Parsing,
    /// Embedding the texts that are in neither the cache nor the previous generation.
    Embedding,
    /// Writing the keyword index.
    KeywordIndex,
    /// Building the HNSW graph.
    VectorIndex,
    /// Writing and syncing the generation, then switching to it.
    Writing,
}

impl Stage {
    /// A short lowercase label: `embedding`, `keyword index`.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Scanning => "scanning",
            Stage::Parsing => "parsing",
            Stage::Embedding => "embedding",
            Stage::KeywordIndex => "keyword index",
            Stage::VectorIndex => "vector index",
            Stage::Writing => "writing",
        }
    }
}

/// Receives an indexing run's progress. Every method has an empty default.
pub trait Progress {
    /// A stage begins, with `total` units of work (files, texts, documents; 0 if unknown).
    fn start(&mut self, stage: Stage, total: u64) {
        let _ = (stage, total);
    }

    /// `done` more units of the current stage are finished.
    fn advance(&mut self, done: u64) {
        let _ = done;
    }

    /// The current stage is over.
    fn finish(&mut self, stage: Stage) {
        let _ = stage;
    }
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}
