//! The indexer: corpus folder in, a new generation out, doing only what changed.
//!
//! A run hashes the corpus and compares it with the current generation's manifest:
//! if no file and not the model changed, it writes nothing ("up to date"). Otherwise
//! it parses every file (milliseconds each), takes each document's vector from the
//! previous generation or the embedding cache when its text is unchanged, embeds only
//! the rest, rewrites the keyword index only for the issues whose documents changed
//! (the previous generation's segments are hard-linked), rebuilds the HNSW graph from
//! the raw vectors, and switches `CURRENT` to the new generation. A clean build and
//! any sequence of incremental runs over the same files give the same documents.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use backissue_embed::{Embedder, ModelFingerprint};
use backissue_issue::Issue;
use serde::{Deserialize, Serialize};

use crate::cache::{cache_path, text_key, EmbeddingCache, TextKey};
use crate::corpus::{self, CorpusEntry};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::event::split_issue;
use crate::generation::{self, Layout, DOCUMENTS_FILE, ISSUES_FILE, TANTIVY_DIR, VECTORS_FILE};
use crate::keyword;
use crate::manifest::{
    rfc3339, CorpusFile, Counts, FailedFile, Manifest, MANIFEST_FILE, SCHEMA_VERSION,
};
use crate::progress::{Progress, Stage};
use crate::source::EmbedderSource;
use crate::store;
use crate::vectors::{HnswParams, VectorIndex, Vectors};
use backissue_index::faults::crash_point;

/// Texts handed to the embedder per call; the cache is synced after each.
const EMBED_BATCH: usize = 64;

/// A message about one corpus file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMessage {
    /// The file.
    pub path: PathBuf,
    /// The message, starting with the path (`corpus/x.txt:13: top stories: …`).
    pub message: String,
}

/// What an indexing run did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexReport {
    /// Issues in the index now.
    pub issues: usize,
    /// Documents in the index now.
    pub documents: usize,
    /// Distinct events among them.
    pub events: usize,
    /// The parser's warnings, per file.
    pub warnings: Vec<FileMessage>,
    /// Files that could not be indexed (and whose earlier documents were dropped).
    pub errors: Vec<FileMessage>,
    /// Texts this run sent to the embedder.
    pub embedded_texts: usize,
    /// Issues new in this generation.
    pub issues_added: Vec<String>,
    /// Issues whose documents changed.
    pub issues_changed: Vec<String>,
    /// Issues no longer in the index.
    pub issues_removed: Vec<String>,
    /// Whether the keyword index was written from scratch rather than updated.
    pub full_rebuild: bool,
    /// Seconds spent per stage.
    pub stage_seconds: BTreeMap<Stage, f64>,
    /// Seconds the whole run took.
    pub seconds: f64,
    /// Whether nothing had changed, so nothing was written.
    pub up_to_date: bool,
    /// The generation current after the run.
    pub generation: String,
}

/// Builds and updates the index of one corpus folder in one index folder.
#[derive(Debug, Clone)]
pub struct Indexer {
    corpus: PathBuf,
    layout: Layout,
    hnsw: HnswParams,
}

/// One parsed corpus file.
struct Parsed {
    entry: CorpusEntry,
    issue: Issue,
    issue_id: String,
    docs: Vec<Document>,
    warnings: Vec<String>,
}

/// The vectors of a run's documents.
struct Embedded {
    vectors: Vectors,
    model: ModelFingerprint,
    embedded_texts: usize,
}

/// The generation a run starts from, when it is readable by this code.
struct Previous {
    manifest: Manifest,
    dir: PathBuf,
}

impl Indexer {
    /// An indexer of the issue files in `corpus` into the index folder `index_dir`.
    pub fn new(corpus: impl Into<PathBuf>, index_dir: impl Into<PathBuf>) -> Self {
        Indexer {
            corpus: corpus.into(),
            layout: Layout::new(index_dir),
            hnsw: HnswParams::default(),
        }
    }

    /// Builds the HNSW graph with `params` instead of the defaults.
    pub fn with_hnsw(mut self, params: HnswParams) -> Self {
        self.hnsw = params;
        self
    }

    /// The index folder.
    pub fn index_dir(&self) -> &Path {
        self.layout.dir()
    }

    /// Brings the index up to date with the corpus.
    ///
    /// Bad issue files do not fail the run: they are listed in
    /// [`IndexReport::errors`] and left out. The run fails only when the corpus or
    /// index folder cannot be used, or embedding fails; the current generation is
    /// then left as it was.
    pub fn run(
        &self,
        source: &dyn EmbedderSource,
        progress: &mut dyn Progress,
    ) -> Result<IndexReport> {
        let started = Instant::now();
        let mut clock = StageClock::new();
        let _lock = self.layout.lock()?;
        crash_point("locked");
        let current = self.layout.current()?;
        self.layout.collect_garbage(current.as_deref())?;

        progress.start(Stage::Scanning, 0);
        let files = corpus::scan(&self.corpus)?;
        progress.finish(Stage::Scanning);
        clock.lap(Stage::Scanning);
        crash_point("scanned");

        let checksum = source.model_checksum()?;
        let model_id = source.model_name()?;
        let previous = current.as_deref().and_then(|name| self.previous(name));
        let same_model = |p: &&Previous| {
            p.manifest.model.checksum == checksum && p.manifest.model.model_id == model_id
        };
        if let Some(previous) = previous.as_ref().filter(same_model) {
            if same_files(&previous.manifest, &files)
                && previous.manifest.parser_version == backissue_issue::PARSER_VERSION
            {
                return Ok(self.up_to_date(&previous.manifest, started));
            }
        }

        let (parsed, errors) = self.parse(&files, previous.as_ref(), progress);
        clock.lap(Stage::Parsing);
        crash_point("parsed");
        let docs: Vec<Document> = parsed.iter().flat_map(|p| p.docs.iter().cloned()).collect();
        let old_docs = previous
            .as_ref()
            .map(|p| self.previous_documents(p))
            .unwrap_or_default();

        let reusable = previous.as_ref().filter(same_model);
        let embedded = self.vectors(source, &checksum, reusable, &old_docs, &docs, progress)?;
        clock.lap(Stage::Embedding);
        crash_point("embedded");

        let name = self.layout.next_name()?;
        let gen_dir = self.layout.generation_dir(&name);
        let (diff, full_rebuild) =
            self.write_keyword_index(&gen_dir, previous.as_ref(), &old_docs, &docs, progress)?;
        clock.lap(Stage::KeywordIndex);
        crash_point("keyword-written");

        progress.start(Stage::VectorIndex, embedded.vectors.len() as u64);
        if !embedded.vectors.is_empty() {
            VectorIndex::build(&embedded.vectors, self.hnsw).save(&gen_dir)?;
            progress.advance(embedded.vectors.len() as u64);
        }
        progress.finish(Stage::VectorIndex);
        clock.lap(Stage::VectorIndex);
        crash_point("graph-written");

        progress.start(Stage::Writing, 0);
        store::write_documents(&gen_dir.join(DOCUMENTS_FILE), &docs)?;
        crash_point("documents-written");
        store::write_issues(&gen_dir.join(ISSUES_FILE), parsed.iter().map(|p| &p.issue))?;
        crash_point("issues-written");
        embedded.vectors.write(&gen_dir.join(VECTORS_FILE))?;
        crash_point("vectors-written");
        crate::related::precompute(
            &gen_dir,
            previous.as_ref().map(|p| p.dir.as_path()),
            &docs,
            &embedded.vectors,
        )?;
        crash_point("related-written");
        crate::trends::precompute(&gen_dir, &docs)?;
        crash_point("topics-written");
        let seconds = started.elapsed().as_secs_f64();
        let manifest = self.manifest(&name, embedded.model, &parsed, &errors, &docs, seconds);
        self.publish(&name, &manifest)?;
        crash_point("published");
        progress.finish(Stage::Writing);
        clock.lap(Stage::Writing);

        Ok(IndexReport {
            issues: manifest.counts.issues,
            documents: manifest.counts.documents,
            events: manifest.counts.events,
            warnings: self.warnings(&manifest),
            errors: self.errors(&manifest),
            embedded_texts: embedded.embedded_texts,
            issues_added: diff.added,
            issues_changed: diff.changed,
            issues_removed: diff.removed,
            full_rebuild,
            stage_seconds: clock.seconds,
            seconds: started.elapsed().as_secs_f64(),
            up_to_date: false,
            generation: name,
        })
    }

    /// One vector per document, in document order: the previous generation's when
    /// the model and the text are the same, else the cache's, else newly embedded
    /// (and cached as it comes, so a killed run keeps what it embedded).
    fn vectors(
        &self,
        source: &dyn EmbedderSource,
        checksum: &str,
        reusable: Option<&Previous>,
        old_docs: &[Document],
        docs: &[Document],
        progress: &mut dyn Progress,
    ) -> Result<Embedded> {
        let old_vectors = reusable.and_then(|p| {
            Vectors::read(&p.dir.join(VECTORS_FILE), p.manifest.model.dimension)
                .ok()
                .filter(|v| v.len() == old_docs.len())
        });
        let mut known: HashMap<TextKey, &[f32]> = HashMap::new();
        if let Some(old_vectors) = &old_vectors {
            for (row, doc) in old_docs.iter().enumerate() {
                known.insert(text_key(&doc.embedding_text()), old_vectors.get(row));
            }
        }
        let cache_file = cache_path(&self.layout.cache_dir(), checksum);
        let known_model = reusable.map(|p| p.manifest.model.clone());
        let mut cache =
            EmbeddingCache::open(&cache_file, known_model.as_ref().map(|m| m.dimension))?;

        let keys: Vec<TextKey> = docs.iter().map(|d| text_key(&d.embedding_text())).collect();
        let mut missing: Vec<(TextKey, String)> = Vec::new();
        let mut queued = HashSet::new();
        for (doc, key) in docs.iter().zip(&keys) {
            if !known.contains_key(key) && cache.get(key).is_none() && queued.insert(*key) {
                missing.push((*key, doc.embedding_text()));
            }
        }
        let model = match known_model {
            Some(model) if missing.is_empty() => model,
            _ => {
                // The model is loaded only here: when there is something to embed, or
                // when nothing tells its id and dimension.
                let embedder = source.embedder()?;
                if cache.dimension().is_some_and(|d| d != embedder.dimension()) {
                    cache = EmbeddingCache::open(&cache_file, Some(embedder.dimension()))?;
                }
                embed_missing(embedder, &missing, &mut cache, progress)?;
                embedder.fingerprint()
            }
        };

        let mut vectors = Vectors::new(model.dimension);
        for key in &keys {
            let vector = known
                .get(key)
                .copied()
                .or_else(|| cache.get(key))
                .filter(|v| v.len() == model.dimension)
                .ok_or_else(|| Error::Vectors {
                    path: cache.path().to_path_buf(),
                    message: "a vector is missing after embedding; run the command again"
                        .to_string(),
                })?;
            vectors.push(vector);
        }
        Ok(Embedded {
            vectors,
            model,
            embedded_texts: missing.len(),
        })
    }

    /// Writes the new generation's keyword index: the previous one's segments with the
    /// changed issues replaced, or (with no usable previous one) everything. Returns
    /// the issue diff and whether it was a full rebuild.
    fn write_keyword_index(
        &self,
        gen_dir: &Path,
        previous: Option<&Previous>,
        old_docs: &[Document],
        docs: &[Document],
        progress: &mut dyn Progress,
    ) -> Result<(IssueDiff, bool)> {
        let tantivy_dir = gen_dir.join(TANTIVY_DIR);
        std::fs::create_dir_all(&tantivy_dir).map_err(Error::io(&tantivy_dir, "cannot create"))?;
        crash_point("generation-created");
        let base = previous.and_then(|p| {
            let dir = p.dir.join(TANTIVY_DIR);
            let docs_known = old_docs.len() == p.manifest.counts.documents;
            (dir.join("meta.json").is_file() && docs_known).then_some(dir)
        });
        let diff = IssueDiff::new(old_docs, docs, base.is_some());
        let added: Vec<&Document> = docs
            .iter()
            .filter(|d| diff.rewritten.contains(d.issue_id.as_str()))
            .collect();
        progress.start(Stage::KeywordIndex, added.len() as u64);
        let stale: Vec<&str> = diff.stale.iter().map(String::as_str).collect();
        keyword::write(&tantivy_dir, base.as_deref(), &stale, &added, &mut |n| {
            progress.advance(n as u64)
        })?;
        progress.finish(Stage::KeywordIndex);
        Ok((diff, base.is_none()))
    }

    /// Makes generation `name` durable and current: sync every file, write the
    /// manifest last, sync, switch `CURRENT`, then drop generations no longer needed.
    fn publish(&self, name: &str, manifest: &Manifest) -> Result<()> {
        let gen_dir = self.layout.generation_dir(name);
        generation::sync_tree(&gen_dir)?;
        crash_point("tree-synced");
        store::write_manifest(&gen_dir.join(MANIFEST_FILE), manifest)?;
        crash_point("manifest-written");
        generation::sync_dir(&gen_dir)?;
        generation::sync_dir(&self.layout.generations_dir())?;
        self.layout.switch_to(name)?;
        self.layout.collect_garbage(Some(name))?;
        Ok(())
    }

    /// The current generation, if this code can build on it: its manifest is
    /// readable, of this schema, and names it (a manifest naming another generation
    /// would make the run "up to date" with an index no reader accepts).
    fn previous(&self, name: &str) -> Option<Previous> {
        let dir = self.layout.generation_dir(name);
        let path = dir.join(MANIFEST_FILE);
        let manifest = Manifest::read(&path, self.layout.dir()).ok()?;
        manifest
            .check_generation(name, &path, self.layout.dir())
            .ok()?;
        Some(Previous { manifest, dir })
    }

    fn previous_documents(&self, previous: &Previous) -> Vec<Document> {
        store::read_documents(&previous.dir.join(DOCUMENTS_FILE)).unwrap_or_default()
    }

    /// Parses every file in name order; the first file to claim an issue id keeps it.
    fn parse(
        &self,
        files: &[CorpusEntry],
        previous: Option<&Previous>,
        progress: &mut dyn Progress,
    ) -> (Vec<Parsed>, Vec<FailedFile>) {
        progress.start(Stage::Parsing, files.len() as u64);
        let mut parsed: Vec<Parsed> = Vec::new();
        let mut failed = Vec::new();
        let mut owners: HashMap<String, String> = HashMap::new();
        for entry in files {
            let outcome = backissue_issue::parse_file(&entry.path)
                .map_err(|e| e.to_string())
                .and_then(|issue| match owners.get(&issue.id) {
                    Some(owner) => Err(format!(
                        "{}: duplicate issue id {:?}: {} already holds it; rename one file \
                         or give it a sidecar with another \"id\"",
                        entry.path.display(),
                        issue.id,
                        self.corpus.join(owner).display()
                    )),
                    None => Ok(issue),
                });
            match outcome {
                Ok(issue) => {
                    owners.insert(issue.id.clone(), entry.name.clone());
                    parsed.push(Parsed {
                        entry: entry.clone(),
                        issue_id: issue.id.clone(),
                        warnings: issue.warnings.iter().map(ToString::to_string).collect(),
                        docs: split_issue(&issue),
                        issue,
                    });
                }
                Err(mut error) => {
                    let was_indexed = previous
                        .is_some_and(|p| p.manifest.files.iter().any(|f| f.name == entry.name));
                    if was_indexed {
                        error.push_str("; its previously indexed documents were dropped");
                    }
                    failed.push(FailedFile {
                        name: entry.name.clone(),
                        sha256: entry.sha256.clone(),
                        error,
                    });
                }
            }
            progress.advance(1);
            crash_point("parsed-file");
        }
        progress.finish(Stage::Parsing);
        (parsed, failed)
    }

    fn manifest(
        &self,
        name: &str,
        model: ModelFingerprint,
        parsed: &[Parsed],
        failed: &[FailedFile],
        docs: &[Document],
        seconds: f64,
    ) -> Manifest {
        let mut by_section = BTreeMap::new();
        for doc in docs {
            *by_section.entry(doc.section).or_default() += 1;
        }
        let events: HashSet<&str> = docs.iter().map(|d| d.event_id.as_str()).collect();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Manifest {
            schema_version: SCHEMA_VERSION,
            parser_version: backissue_issue::PARSER_VERSION,
            generation: name.to_string(),
            built_at: rfc3339(now),
            build_seconds: seconds,
            model,
            hnsw: self.hnsw,
            files: parsed
                .iter()
                .map(|p| CorpusFile {
                    name: p.entry.name.clone(),
                    sha256: p.entry.sha256.clone(),
                    issue_id: p.issue_id.clone(),
                    documents: p.docs.len(),
                    warnings: p.warnings.clone(),
                })
                .collect(),
            failed: failed.to_vec(),
            counts: Counts {
                issues: parsed.len(),
                documents: docs.len(),
                events: events.len(),
                by_section,
            },
            first_date: docs.iter().map(|d| d.date).min(),
            last_date: docs.iter().map(|d| d.date).max(),
        }
    }

    /// The report of a run that found nothing to do.
    fn up_to_date(&self, manifest: &Manifest, started: Instant) -> IndexReport {
        IndexReport {
            issues: manifest.counts.issues,
            documents: manifest.counts.documents,
            events: manifest.counts.events,
            warnings: self.warnings(manifest),
            errors: self.errors(manifest),
            embedded_texts: 0,
            issues_added: Vec::new(),
            issues_changed: Vec::new(),
            issues_removed: Vec::new(),
            full_rebuild: false,
            stage_seconds: BTreeMap::new(),
            seconds: started.elapsed().as_secs_f64(),
            up_to_date: true,
            generation: manifest.generation.clone(),
        }
    }

    fn warnings(&self, manifest: &Manifest) -> Vec<FileMessage> {
        manifest
            .files
            .iter()
            .flat_map(|file| {
                let path = self.corpus.join(&file.name);
                file.warnings.iter().map(move |w| FileMessage {
                    message: format!("{}:{w}", path.display()),
                    path: path.clone(),
                })
            })
            .collect()
    }

    fn errors(&self, manifest: &Manifest) -> Vec<FileMessage> {
        manifest
            .failed
            .iter()
            .map(|file| FileMessage {
                path: self.corpus.join(&file.name),
                message: file.error.clone(),
            })
            .collect()
    }
}

/// Whether the corpus holds exactly the files (names and contents) the manifest saw.
fn same_files(manifest: &Manifest, files: &[CorpusEntry]) -> bool {
    let mut seen: Vec<(&str, &str)> = manifest
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.sha256.as_str()))
        .chain(
            manifest
                .failed
                .iter()
                .map(|f| (f.name.as_str(), f.sha256.as_str())),
        )
        .collect();
    seen.sort_unstable();
    let now: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.name.as_str(), f.sha256.as_str()))
        .collect();
    seen == now
}

/// Embeds `missing` in batches, appending each batch to the cache as it comes.
fn embed_missing(
    embedder: &dyn Embedder,
    missing: &[(TextKey, String)],
    cache: &mut EmbeddingCache,
    progress: &mut dyn Progress,
) -> Result<()> {
    progress.start(Stage::Embedding, missing.len() as u64);
    for batch in missing.chunks(EMBED_BATCH) {
        let texts: Vec<&str> = batch.iter().map(|(_, text)| text.as_str()).collect();
        let vectors = embedder
            .embed(&texts)
            .map_err(|cause| Error::Embed { cause })?;
        let entries: Vec<(TextKey, Vec<f32>)> =
            batch.iter().map(|(key, _)| *key).zip(vectors).collect();
        cache.append(&entries)?;
        progress.advance(batch.len() as u64);
    }
    progress.finish(Stage::Embedding);
    Ok(())
}

/// Which issues a new generation adds, changes and removes, compared document by document.
struct IssueDiff {
    added: Vec<String>,
    changed: Vec<String>,
    removed: Vec<String>,
    /// Issues whose documents must be deleted from the base keyword index.
    stale: Vec<String>,
    /// Issues whose documents must be written to the keyword index.
    rewritten: HashSet<String>,
}

impl IssueDiff {
    fn new(old: &[Document], new: &[Document], incremental: bool) -> Self {
        let group = |docs: &[Document]| {
            let mut by_issue: BTreeMap<String, Vec<Document>> = BTreeMap::new();
            for doc in docs {
                by_issue
                    .entry(doc.issue_id.clone())
                    .or_default()
                    .push(doc.clone());
            }
            by_issue
        };
        let (old, new) = (group(old), group(new));
        let added: Vec<String> = new
            .keys()
            .filter(|k| !old.contains_key(*k))
            .cloned()
            .collect();
        let removed: Vec<String> = old
            .keys()
            .filter(|k| !new.contains_key(*k))
            .cloned()
            .collect();
        let changed: Vec<String> = new
            .iter()
            .filter(|(k, docs)| old.get(*k).is_some_and(|o| o != *docs))
            .map(|(k, _)| k.clone())
            .collect();
        let (stale, rewritten) = if incremental {
            let stale: Vec<String> = changed.iter().chain(&removed).cloned().collect();
            let rewritten = added.iter().chain(&changed).cloned().collect();
            (stale, rewritten)
        } else {
            (Vec::new(), new.keys().cloned().collect())
        };
        IssueDiff {
            added,
            changed,
            removed,
            stale,
            rewritten,
        }
    }
}

/// Seconds per stage, measured between laps.
struct StageClock {
    last: Instant,
    seconds: BTreeMap<Stage, f64>,
}

impl StageClock {
    fn new() -> Self {
        StageClock {
            last: Instant::now(),
            seconds: BTreeMap::new(),
        }
    }

    fn lap(&mut self, stage: Stage) {
        let now = Instant::now();
        *self.seconds.entry(stage).or_default() += (now - self.last).as_secs_f64();
        self.last = now;
    }
}

pub use backissue_index::faults;

#[cfg(test)]
mod open_tests;
#[cfg(test)]
pub(crate) mod tests;
