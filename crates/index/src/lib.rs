//! One generation of a backissue index: what is written, how it is written safely,
//! and how it is opened for reading.
//!
//! The engine's write path (`backissue_engine::Indexer`) fills a generation and its
//! read path (search, related stories, resources, trends) answers from an open one;
//! this crate is what both agree on, and nothing else:
//!
//! - [`document`]: the documents an issue is split into, and [`event`]: which of them
//!   report the same news;
//! - [`keyword`]: the tantivy schema and how documents are written into it;
//! - [`vectors`]: the embeddings table and the HNSW graph over it;
//! - [`store`]: the documents table; [`manifest`]: what a generation holds and was
//!   built with;
//! - [`generation`]: the folder layout, the `CURRENT` pointer, the writer's lock and
//!   the crash-safe switch; [`faults`]: the test hooks that prove it (crash points, a
//!   full disk);
//! - [`Index`]: a generation opened for reading, with its tantivy-to-row map;
//! - [`budget`]: how much work one request may do; [`Error`]: every way it can fail,
//!   naming the path at fault and the command that fixes it.
#![warn(missing_docs)]

pub mod budget;
pub mod document;
pub mod error;
pub mod event;
pub mod faults;
pub mod generation;
pub mod keyword;
pub mod manifest;
mod open;
pub mod store;
pub mod vectors;

pub use document::{Document, Section, StoryRef};
pub use error::{rebuild_command, BoxError, Error, Result};
pub use event::split_issue;
pub use manifest::{Manifest, SCHEMA_VERSION};
pub use open::{Index, RowMap, Stats};
pub use vectors::{recall_at_10, HnswParams, VectorIndex, Vectors};
