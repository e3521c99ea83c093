//! Opening the current generation of an index for reading.
//!
//! [`Index::open`] reads `CURRENT`, checks the generation's manifest, and loads its
//! documents table, raw vectors, keyword index and HNSW graph. Every way an index
//! folder can be unusable (missing, half-built, written by another version, built
//! with another model) is an [`Error`] naming the path and the command that fixes it.
//! A generation never changes once written, so an open `Index` stays consistent
//! while indexers write newer generations beside it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use backissue_embed::{Embedder, ModelFingerprint};
use backissue_issue::{Date, Issue};
use serde::{Deserialize, Serialize};
use tantivy::{IndexReader, ReloadPolicy};

use crate::document::{Document, Section};
use crate::error::{Error, Result};
use crate::generation::{Layout, Pointer, DOCUMENTS_FILE, ISSUES_FILE, TANTIVY_DIR, VECTORS_FILE};
use crate::keyword::{self, KeywordFields};
use crate::manifest::{describe, Manifest, MANIFEST_FILE};
use crate::store;
use crate::vectors::{HnswParams, VectorIndex, Vectors};

mod rows;
pub use rows::RowMap;

/// One generation of an index, loaded for reading.
pub struct Index {
    dir: PathBuf,
    generation_dir: PathBuf,
    manifest: Manifest,
    documents: Vec<Document>,
    by_id: HashMap<String, usize>,
    by_issue: BTreeMap<String, Vec<usize>>,
    keyword: tantivy::Index,
    reader: IndexReader,
    fields: KeywordFields,
    rows: RowMap,
    vectors: Vectors,
    graph: Option<VectorIndex>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("generation_dir", &self.generation_dir)
            .field("documents", &self.documents.len())
            .finish_non_exhaustive()
    }
}

/// What the current generation of an index holds (`backissue stats`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// The index folder.
    pub dir: PathBuf,
    /// The generation's name.
    pub generation: String,
    /// When it was written (UTC, RFC 3339).
    pub built_at: String,
    /// Seconds the run that wrote it took.
    pub build_seconds: f64,
    /// The layout version.
    pub schema_version: u32,
    /// The embedding model of its vectors.
    pub model: ModelFingerprint,
    /// The HNSW parameters.
    pub hnsw: HnswParams,
    /// Issues indexed.
    pub issues: usize,
    /// Documents indexed.
    pub documents: usize,
    /// Distinct events.
    pub events: usize,
    /// Documents per section.
    pub by_section: BTreeMap<Section, usize>,
    /// The first issue's date.
    pub first_date: Option<Date>,
    /// The last issue's date.
    pub last_date: Option<Date>,
    /// Corpus files that could not be indexed.
    pub failed_files: usize,
}

impl Index {
    /// Opens the current generation of the index in `dir`.
    pub fn open(dir: impl AsRef<Path>) -> Result<Index> {
        let dir = dir.as_ref();
        let layout = Layout::new(dir);
        let name = match layout.pointer()? {
            Pointer::Names(name) => name,
            Pointer::Malformed(text) => {
                return Err(Error::IndexDamaged {
                    path: layout.current_file(),
                    dir: dir.to_path_buf(),
                    reason: malformed_pointer(&text),
                })
            }
            Pointer::Missing if layout.generations_dir().is_dir() => {
                return Err(Error::IndexDamaged {
                    path: layout.current_file(),
                    dir: dir.to_path_buf(),
                    reason: "no valid CURRENT pointer (the first build did not finish)".to_string(),
                })
            }
            Pointer::Missing => {
                return Err(Error::IndexMissing {
                    dir: dir.to_path_buf(),
                })
            }
        };
        let generation_dir = layout.generation_dir(&name);
        let damaged = |path: PathBuf, reason: String| Error::IndexDamaged {
            path,
            dir: dir.to_path_buf(),
            reason,
        };
        if !generation_dir.is_dir() {
            return Err(damaged(
                generation_dir,
                format!("CURRENT names generation {name}, but its folder is missing"),
            ));
        }
        let manifest_path = generation_dir.join(MANIFEST_FILE);
        let manifest = Manifest::read(&manifest_path, dir)?;
        manifest.check_generation(&name, &manifest_path, dir)?;

        let docs_path = generation_dir.join(DOCUMENTS_FILE);
        let documents = store::read_documents(&docs_path)
            .map_err(|e| damaged(docs_path.clone(), e.to_string()))?;
        if documents.len() != manifest.counts.documents {
            return Err(damaged(
                docs_path,
                format!(
                    "{} documents, the manifest says {}",
                    documents.len(),
                    manifest.counts.documents
                ),
            ));
        }
        let vectors_path = generation_dir.join(VECTORS_FILE);
        let vectors = Vectors::read(&vectors_path, manifest.model.dimension)
            .map_err(|e| damaged(vectors_path.clone(), e.to_string()))?;
        if vectors.len() != documents.len() {
            return Err(damaged(
                vectors_path,
                format!(
                    "{} vectors for {} documents",
                    vectors.len(),
                    documents.len()
                ),
            ));
        }

        let tantivy_dir = generation_dir.join(TANTIVY_DIR);
        let keyword =
            keyword::open(&tantivy_dir).map_err(|e| damaged(tantivy_dir.clone(), e.to_string()))?;
        let fields = KeywordFields::schema().1;
        let reader: IndexReader = keyword
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| damaged(tantivy_dir.clone(), e.to_string()))?;
        let indexed = reader.searcher().num_docs() as usize;
        if indexed != documents.len() {
            return Err(damaged(
                tantivy_dir,
                format!(
                    "{indexed} documents indexed, the table holds {}",
                    documents.len()
                ),
            ));
        }
        let graph = if documents.is_empty() {
            None
        } else {
            let graph = VectorIndex::load(&generation_dir, manifest.hnsw)
                .map_err(|e| damaged(generation_dir.clone(), e.to_string()))?;
            Some(graph)
        };

        let by_id: HashMap<String, usize> = documents
            .iter()
            .enumerate()
            .map(|(row, doc)| (doc.id.clone(), row))
            .collect();
        let rows = RowMap::build(&reader.searcher(), fields.id, |id| by_id.get(id).copied())
            .map_err(|e| damaged(tantivy_dir.clone(), e.to_string()))?;
        let mut by_issue: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (row, doc) in documents.iter().enumerate() {
            by_issue.entry(doc.issue_id.clone()).or_default().push(row);
        }
        Ok(Index {
            dir: dir.to_path_buf(),
            generation_dir,
            manifest,
            documents,
            by_id,
            by_issue,
            keyword,
            reader,
            fields,
            rows,
            vectors,
            graph,
        })
    }

    /// Opens the index in `dir` and checks it was built with `embedder`'s model, so
    /// query vectors and document vectors are comparable.
    pub fn open_for(dir: impl AsRef<Path>, embedder: &dyn Embedder) -> Result<Index> {
        let index = Index::open(dir)?;
        index.check_model(&embedder.fingerprint())?;
        Ok(index)
    }

    /// Checks the index was built with `model` (id, checksum and dimension).
    pub fn check_model(&self, model: &ModelFingerprint) -> Result<()> {
        self.manifest
            .check_model(model, &self.manifest_path(), &self.dir)
    }

    /// Checks the index was built with the model called `model_id`, without
    /// loading the model (for commands that only read the index).
    pub fn check_model_id(&self, model_id: &str) -> Result<()> {
        if self.manifest.model.model_id == model_id {
            return Ok(());
        }
        Err(Error::ModelMismatch {
            path: self.manifest_path(),
            dir: self.dir.clone(),
            found: describe(&self.manifest.model),
            expected: model_id.to_string(),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder of the generation that is open.
    pub fn generation_dir(&self) -> &Path {
        &self.generation_dir
    }

    /// The path of the open generation's manifest.
    pub fn manifest_path(&self) -> PathBuf {
        self.generation_dir.join(MANIFEST_FILE)
    }

    /// The issues of the open generation as they were parsed (headline, summary,
    /// closing and every section: what a page shows), read from its `issues.jsonl`.
    pub fn read_issues(&self) -> Result<Vec<Issue>> {
        store::read_issues(&self.generation_dir.join(ISSUES_FILE))
    }

    /// The open generation's manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Every document, in row order (row = vector row).
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }

    /// The document with id `id`.
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.row(id).map(|row| &self.documents[row])
    }

    /// The row (position in [`Index::documents`] and in the vectors) of document `id`.
    pub fn row(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The documents of issue `issue_id`, in issue order.
    pub fn issue_documents(&self, issue_id: &str) -> impl Iterator<Item = &Document> {
        self.by_issue
            .get(issue_id)
            .into_iter()
            .flatten()
            .map(|&row| &self.documents[row])
    }

    /// Every issue id, in order.
    pub fn issues(&self) -> impl Iterator<Item = &str> {
        self.by_issue.keys().map(String::as_str)
    }

    /// The tantivy index (analyzers registered).
    pub fn keyword_index(&self) -> &tantivy::Index {
        &self.keyword
    }

    /// A reader of the tantivy index.
    pub fn reader(&self) -> &IndexReader {
        &self.reader
    }

    /// The tantivy fields.
    pub fn fields(&self) -> &KeywordFields {
        &self.fields
    }

    /// The row of every tantivy document of [`Index::reader`]'s searcher: built once
    /// when the generation is opened, shared by every view.
    pub fn rows(&self) -> &RowMap {
        &self.rows
    }

    /// The raw vectors, row by row.
    pub fn vectors(&self) -> &Vectors {
        &self.vectors
    }

    /// The HNSW graph (`None` for an empty index).
    pub fn graph(&self) -> Option<&VectorIndex> {
        self.graph.as_ref()
    }

    /// The `k` rows nearest to `query` through the HNSW graph, with dot-product
    /// similarity, best first, at the manifest's search width.
    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<(usize, f32)> {
        self.graph.as_ref().map_or_else(Vec::new, |graph| {
            graph.search(query, k, self.manifest.hnsw.ef_search)
        })
    }

    /// What the open generation holds.
    pub fn stats(&self) -> Stats {
        let m = &self.manifest;
        Stats {
            dir: self.dir.clone(),
            generation: m.generation.clone(),
            built_at: m.built_at.clone(),
            build_seconds: m.build_seconds,
            schema_version: m.schema_version,
            model: m.model.clone(),
            hnsw: m.hnsw,
            issues: m.counts.issues,
            documents: m.counts.documents,
            events: m.counts.events,
            by_section: m.counts.by_section.clone(),
            first_date: m.first_date,
            last_date: m.last_date,
            failed_files: m.failed.len(),
        }
    }
}

/// Why `CURRENT`'s text is no generation name, quoting at most 40 characters of it.
fn malformed_pointer(text: &str) -> String {
    if text.trim().is_empty() {
        return "CURRENT is empty (it was cut short); it should name a generation folder"
            .to_string();
    }
    let mut quoted: String = text.chars().take(40).collect();
    if quoted.len() < text.len() {
        quoted.push('…');
    }
    format!(
        "CURRENT holds {quoted:?}, not a generation name (six or more digits, a folder \
         under generations/); it was cut short or overwritten"
    )
}
