//! Exporting a generation to OpenSearch (or Elasticsearch): an index template, a
//! `_bulk` body with every document and its vector, and a README that says how to
//! load them and how to query them the way backissue does.
//!
//! ```
//! use backissue_embed::HashEmbedder;
//! use backissue_engine::export::{export, ExportOptions, Format};
//! use backissue_engine::{Index, Indexer, NoProgress};
//!
//! # let corpus = tempfile::tempdir().unwrap();
//! # let index_dir = tempfile::tempdir().unwrap();
//! # let out = tempfile::tempdir().unwrap();
//! # std::fs::write(corpus.path().join("2026-03-27.txt"),
//! #     "← All posts\n\nHeadline\n\nSummary.\n\nSubscribe free All posts\n#1\nA title\nA story.\nTechUS\n90\n").unwrap();
//! Indexer::new(corpus.path(), index_dir.path()).run(&HashEmbedder::new(384), &mut NoProgress)?;
//! let index = Index::open(index_dir.path())?;
//! let exported = export(&index, &ExportOptions::new(Format::OpenSearch), out.path())?;
//! assert_eq!(exported.documents, 1);
//! let bulk = std::fs::read_to_string(out.path().join("bulk.ndjson")).unwrap();
//! assert!(bulk.starts_with(r#"{"index":{"_index":"backissue","_id":"2026-03-27/top/1"}}"#));
//! # Ok::<(), backissue_engine::Error>(())
//! ```
//!
//! # Why it is built this way
//!
//! - **Read from the generation, never retyped.** The vector dimension and model come
//!   from the manifest, the HNSW `m` and `ef_construction` from the parameters the
//!   graph was built with, the fusion weights and bounds from the search code's own
//!   constants ([`crate::search`]), and every field from [`crate::Document`]. An
//!   export can only drift from backissue by a change to this module.
//! - **JSON is built by serde.** Templates, queries and bulk lines are
//!   `serde_json` values or derived `Serialize` structs; only line breaks and the
//!   README's prose are written by hand.
//! - **No file is ever half written.** Each file is written under a temporary name
//!   in the output folder, synced, then renamed over the final name: a failed or
//!   killed export leaves the previous files (or none), never a truncated one.
//! - **`dynamic: strict`.** The mapping declares every field the bulk body holds,
//!   so a cluster refuses a document with a field the mapping does not know rather
//!   than guessing its type.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::generation::sync_dir;
use crate::Index;

mod bulk;
mod query;
mod readme;
mod template;

#[cfg(test)]
mod tests;

pub use bulk::write_bulk;
pub use query::{example_query, pipeline, Blend, Example};
pub use readme::readme;
pub use template::{index_template, ENGLISH_ANALYZER, MULTI_VALUED, NAMES_ANALYZER, VECTOR_FIELD};

/// The index template file.
pub const TEMPLATE_FILE: &str = "index-template.json";
/// The `_bulk` body.
pub const BULK_FILE: &str = "bulk.ndjson";
/// The search pipeline (OpenSearch only).
pub const PIPELINE_FILE: &str = "search-pipeline.json";
/// A runnable hybrid query.
pub const QUERY_FILE: &str = "hybrid-query.json";
/// How to load and query the rest.
pub const README_FILE: &str = "README.md";

/// The index name used when none is given.
pub const DEFAULT_INDEX_NAME: &str = "backissue";

/// Which search engine the files are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// OpenSearch: a `knn_vector` field, a `normalization-processor` search pipeline
    /// and a `hybrid` query.
    OpenSearch,
    /// Elasticsearch: a `dense_vector` field and a `linear` retriever.
    Elasticsearch,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 2] = [Format::OpenSearch, Format::Elasticsearch];

    /// The format as the command line spells it: `opensearch`, `elasticsearch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::OpenSearch => "opensearch",
            Format::Elasticsearch => "elasticsearch",
        }
    }

    /// The product's name, as the README writes it.
    pub fn product(self) -> &'static str {
        match self {
            Format::OpenSearch => "OpenSearch",
            Format::Elasticsearch => "Elasticsearch",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .ok_or_else(|| {
                Error::invalid(
                    "format",
                    format!("{text:?}: expected opensearch or elasticsearch"),
                )
            })
    }
}

/// What to export, and under which name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// The target search engine.
    pub format: Format,
    /// The index the bulk body writes into; the template matches it and `NAME-*`.
    pub index_name: String,
}

impl ExportOptions {
    /// Options for `format` with the default index name.
    pub fn new(format: Format) -> Self {
        ExportOptions {
            format,
            index_name: DEFAULT_INDEX_NAME.to_string(),
        }
    }

    /// Checks the index name against the rules both engines enforce: lower case,
    /// at most 255 bytes, no separators or wildcards, not starting with `-`, `_`,
    /// `+` or `.`.
    pub fn check(&self) -> Result<()> {
        let name = &self.index_name;
        let refuse = |why: &str| Err(Error::invalid("name", format!("{name:?}: {why}")));
        if name.is_empty() || name.len() > 255 {
            return refuse("an index name has 1 to 255 bytes");
        }
        if name.starts_with(['-', '_', '+', '.']) {
            return refuse("an index name cannot start with -, _, + or .");
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c);
        if !name.chars().all(allowed) {
            return refuse("use lower-case letters, digits, -, _ and . only");
        }
        Ok(())
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    /// The target search engine.
    pub format: Format,
    /// The output folder.
    pub dir: PathBuf,
    /// The files written, in the order written (the README last).
    pub files: Vec<PathBuf>,
    /// The index the bulk body writes into.
    pub index_name: String,
    /// Documents in the bulk body.
    pub documents: usize,
    /// Components of each vector.
    pub dimension: usize,
    /// The generation exported.
    pub generation: String,
}

/// Writes the export of `index` for `options.format` into the folder `out`
/// (created if missing): [`TEMPLATE_FILE`], [`BULK_FILE`], [`QUERY_FILE`], for
/// OpenSearch [`PIPELINE_FILE`], and [`README_FILE`].
pub fn export(index: &Index, options: &ExportOptions, out: &Path) -> Result<Exported> {
    options.check()?;
    std::fs::create_dir_all(out).map_err(Error::io(out, "cannot create the output folder"))?;
    let blend = Blend::of(index);
    let mut files = Vec::new();
    let template = index_template(index, options);
    files.push(write_file(out, TEMPLATE_FILE, |w| {
        write_json(w, &template)
    })?);
    files.push(write_file(out, BULK_FILE, |w| {
        write_bulk(index, &options.index_name, w)
    })?);
    if options.format == Format::OpenSearch {
        let body = pipeline(&blend, blend.semantic_weight);
        files.push(write_file(out, PIPELINE_FILE, |w| write_json(w, &body))?);
    }
    let example = Example::of(index);
    let query = example_query(options.format, &blend, &example);
    files.push(write_file(out, QUERY_FILE, |w| write_json(w, &query))?);
    let text = readme(index, options, &blend, &example);
    files.push(write_file(out, README_FILE, |w| {
        w.write_all(text.as_bytes())
    })?);
    sync_dir(out)?;
    Ok(Exported {
        format: options.format,
        dir: out.to_path_buf(),
        files,
        index_name: options.index_name.clone(),
        documents: index.documents().len(),
        dimension: index.vectors().dimension(),
        generation: index.manifest().generation.clone(),
    })
}

/// `value` as pretty JSON and a final line break.
fn write_json(out: &mut dyn Write, value: &serde_json::Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Writes `dir/name` through `fill`: into `dir/.name.partial`, synced, then renamed
/// over `dir/name`, so `name` is the previous file or the whole new one, never a
/// part. On failure the partial file is removed.
fn write_file(
    dir: &Path,
    name: &str,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<PathBuf> {
    let path = dir.join(name);
    let partial = dir.join(format!(".{name}.partial"));
    let written = write_partial(&partial, fill).and_then(|()| {
        std::fs::rename(&partial, &path).map_err(Error::io(&path, "cannot rename into place"))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.map(|()| path)
}

fn write_partial(
    partial: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let file = File::create(partial).map_err(Error::io(partial, "cannot create"))?;
    let mut out = BufWriter::new(file);
    fill(&mut out).map_err(Error::io(partial, "cannot write"))?;
    let file = out
        .into_inner()
        .map_err(|e| Error::io(partial, "cannot write")(e.into_error()))?;
    file.sync_all().map_err(Error::io(partial, "cannot sync"))
}
