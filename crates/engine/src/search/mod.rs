//! Search: keyword, semantic and hybrid, with filters, facets, snippets and
//! collapsed copies, behind one entry point, [`Searcher::search`].
//!
//! ```
//! use std::sync::Arc;
//! use backissue_embed::HashEmbedder;
//! use backissue_engine::search::{Mode, SearchRequest, Searcher};
//! use backissue_engine::{Index, Indexer, NoProgress};
//!
//! # let corpus = tempfile::tempdir().unwrap();
//! # let index_dir = tempfile::tempdir().unwrap();
//! # std::fs::write(corpus.path().join("2026-03-27.txt"),
//! #     "← All posts\n\nHeadline\n\nSummary.\n\nSubscribe free All posts\n#1\nSoftBank Takes a $40B Loan\nBanks lend SoftBank $40B for compute.\nFinance & BankingUS\n90\n").unwrap();
//! let embedder = Arc::new(HashEmbedder::new(384));
//! Indexer::new(corpus.path(), index_dir.path()).run(embedder.as_ref(), &mut NoProgress)?;
//! let searcher = Searcher::new(Arc::new(Index::open(index_dir.path())?), embedder)?;
//!
//! let response = searcher.search(&SearchRequest::new("$40B loan").with_mode(Mode::Keyword))?;
//! assert_eq!(response.total, 1);
//! assert_eq!(response.hits[0].id, "2026-03-27/top/1");
//! let snippet = &response.hits[0].snippet; // text and the ranges the query matched
//! assert!(snippet.pieces().any(|(piece, marked)| marked && piece == "$40B"));
//! # Ok::<(), backissue_engine::Error>(())
//! ```
//!
//! # How a search runs
//!
//! 1. The request is checked: a query over [`MAX_QUERY_CHARS`], a semantic ratio
//!    outside 0..=1, or a filter value the archive does not know is an
//!    [`Error::InvalidRequest`] naming the parameter ([`Error::is_user_error`]).
//! 2. The query is read: relative dates (`last year`, `since March`) become a
//!    date filter and question filler (`what happened to`) is dropped
//!    (`phrasing.rs`); then words, quoted phrases, stop words, the word being
//!    typed (`query.rs`). A query of stop words only answers nothing, with a
//!    note; an empty query lists everything that passes the filters, newest first.
//! 3. Keyword (`keyword.rs`): BM25 over the whole text (title and body as one
//!    field), the title again, and whole names; one clause per word. A query of
//!    one or two words, or one that names something, needs every word (and falls
//!    back to any word, with a note, when no document has them all); a longer one
//!    ranks every document with any word, plus a bonus for each word matched,
//!    weighted by its rarity. Abbreviations match their phrases (`CEO`, `chief
//!    executive officer`, from WordNet: `abbreviations.rs`); typo correction and
//!    completion of the last word come from the archive's own words
//!    (`vocabulary.rs`), and a number-bearing name nobody wrote gets a "did you
//!    mean"; words that name a sector, region, level or kind also match the
//!    documents tagged with it (`facet_words.rs`). Every match that passes the
//!    filters is kept, so totals and facets are exact.
//! 4. Semantic (`semantic.rs`): the query's embedding (cached with its neighbours)
//!    against the documents' through the HNSW graph, or exactly when filters leave
//!    few rows; only neighbours at or above [`SemanticParams::min_similarity`] count.
//! 5. Hybrid (`fusion.rs`): a weighted sum of the BM25 score (scaled by the best)
//!    and the similarity (above [`SIMILARITY_FLOOR`]). When specific names make
//!    up at least half of the query's words, the semantic weight drops to at most
//!    [`NAME_SEMANTIC_WEIGHT`], so word matches outrank what is found by meaning
//!    alone; a document whose title is the query comes first.
//! 6. Copies of one event collapse into one hit (`collapse.rs`); the hits are put
//!    in date order if asked; facets are counted over this final set
//!    (`facets.rs`); the page is cut and its snippets made (`snippet.rs`).
//!
//! Everything that depends only on the index (the row of each tantivy document,
//! each row's facets, the vocabulary, normalised titles) is computed once, in
//! [`Searcher::new`]; a query allocates in proportion to its matches, never to the
//! index (except an empty query, which lists the index).

mod abbreviations;
mod collapse;
mod facet_words;
mod facets;
mod fusion;
mod keyword;
mod phrasing;
mod query;
mod request;
mod response;
mod semantic;
mod snippet;
mod vocabulary;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use tantivy::query::{EnableScoring, Query};
use tantivy::schema::Value;
use tantivy::{DocAddress, TantivyDocument, Term};

pub use facet_words::FACET_SCORE;
pub use facets::{FacetCount, FacetCounts};
pub use fusion::{NAME_SEMANTIC_WEIGHT, SIMILARITY_FLOOR};
pub use keyword::{ALL_WORDS_UP_TO, NAMES_BOOST, TITLE_BOOST};
pub use query::MAX_WORDS;
pub use request::{
    Filters, Mode, SearchRequest, Sort, DEFAULT_LIMIT, DEFAULT_SEMANTIC_RATIO, MAX_EMBED_CHARS,
    MAX_LIMIT, MAX_QUERY_CHARS,
};
pub use response::{Correction, DateRange, Hit, Marked, ScoreBreakdown, SearchResponse, Weights};
pub use semantic::{CacheLookups, SemanticParams};
pub use snippet::SNIPPET_CHARS;

use self::collapse::Collapsed;
use self::facet_words::FacetWords;
use self::facets::{FacetIndex, RowFilter};
use self::fusion::{normalize_title, Ranked};
use self::keyword::{KeywordPlan, PlanContext};
use self::query::ParsedQuery;
use self::semantic::{QueryVector, VectorCache};
use self::snippet::{Analyzers, Marks};
use self::vocabulary::Vocabulary;
use crate::error::{Error, Result};
use crate::source::EmbedderSource;
use crate::Index;

/// Where the searcher gets query embeddings: an embedder, or a source that loads
/// the model on first use (so keyword searches never load it).
pub type QueryEmbedder = Arc<dyn EmbedderSource + Send + Sync>;

/// Marks no row.
const NO_ROW: u32 = u32::MAX;

/// Answers search requests over one open generation of an index.
pub struct Searcher {
    index: Arc<Index>,
    tantivy: tantivy::Searcher,
    /// Row of each tantivy document, by segment and document id ([`NO_ROW`] if deleted).
    doc_rows: Vec<Vec<u32>>,
    facets: FacetIndex,
    vocabulary: Vocabulary,
    facet_words: FacetWords,
    /// Rows by normalised title, for exact-title promotion.
    titles: HashMap<String, Vec<u32>>,
    analyzers: Analyzers,
    embedder: QueryEmbedder,
    model_checked: OnceLock<()>,
    vectors: VectorCache,
    params: SemanticParams,
    /// Queries embedding or waiting for the model now.
    embedding: std::sync::atomic::AtomicUsize,
    /// Queries refused a place in that queue so far.
    embedding_refused: std::sync::atomic::AtomicU64,
}

/// A place in the queue for the model, given back when dropped.
struct EmbeddingTurn<'a>(&'a std::sync::atomic::AtomicUsize);

impl<'a> EmbeddingTurn<'a> {
    /// A place, or `Error::Cancelled` when `max` queries already hold one.
    fn take(queue: &'a std::sync::atomic::AtomicUsize, max: usize) -> Result<EmbeddingTurn<'a>> {
        use std::sync::atomic::Ordering;
        let taken = queue.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
            (n < max.max(1)).then_some(n + 1)
        });
        match taken {
            Ok(_) => Ok(EmbeddingTurn(queue)),
            Err(_) => Err(Error::Cancelled {
                stage: "embedding the query",
                why: "too many queries are waiting for the model; try again shortly",
            }),
        }
    }
}

impl Drop for EmbeddingTurn<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher")
            .field("index", &self.index)
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Searcher {
    /// A searcher over `index` that embeds queries with `embedder` (loaded on the
    /// first semantic or hybrid query, and checked against the index's model then).
    pub fn new(index: Arc<Index>, embedder: QueryEmbedder) -> Result<Searcher> {
        Searcher::with_params(index, embedder, SemanticParams::default())
    }

    /// [`Searcher::new`] with other semantic parameters.
    pub fn with_params(
        index: Arc<Index>,
        embedder: QueryEmbedder,
        params: SemanticParams,
    ) -> Result<Searcher> {
        let tantivy = index.reader().searcher();
        let tantivy_error = {
            let path = index.generation_dir().to_path_buf();
            move |cause: tantivy::TantivyError| Error::Tantivy {
                path: path.clone(),
                cause,
            }
        };
        let fields = *index.fields();
        let mut doc_rows = Vec::with_capacity(tantivy.segment_readers().len());
        let mut terms: HashMap<String, u32> = HashMap::new();
        for (ord, segment) in tantivy.segment_readers().iter().enumerate() {
            let mut rows = vec![NO_ROW; segment.max_doc() as usize];
            for doc in segment.doc_ids_alive() {
                let stored: TantivyDocument = tantivy
                    .doc(DocAddress::new(ord as u32, doc))
                    .map_err(&tantivy_error)?;
                let row = stored
                    .get_first(fields.id)
                    .and_then(|v| v.as_str())
                    .and_then(|id| index.row(id));
                if let Some(row) = row {
                    rows[doc as usize] = row as u32;
                }
            }
            doc_rows.push(rows);
            let names = segment
                .inverted_index(fields.names)
                .map_err(&tantivy_error)?;
            let mut stream = names
                .terms()
                .stream()
                .map_err(|e| tantivy_error(tantivy::TantivyError::from(e)))?;
            while stream.advance() {
                if let Ok(word) = std::str::from_utf8(stream.key()) {
                    *terms.entry(word.to_string()).or_default() += stream.value().doc_freq;
                }
            }
        }
        let docs = index.documents();
        let mut titles: HashMap<String, Vec<u32>> = HashMap::new();
        for (row, doc) in docs.iter().enumerate() {
            titles
                .entry(normalize_title(&doc.title))
                .or_default()
                .push(row as u32);
        }
        let facets = FacetIndex::build(docs);
        let mut analyzers = Analyzers::new();
        let facet_words = FacetWords::build(&facets, &fields, &mut analyzers.english);
        Ok(Searcher {
            facets,
            facet_words,
            vocabulary: Vocabulary::build(terms, docs),
            titles,
            tantivy,
            doc_rows,
            analyzers,
            embedder,
            model_checked: OnceLock::new(),
            embedding: std::sync::atomic::AtomicUsize::new(0),
            embedding_refused: std::sync::atomic::AtomicU64::new(0),
            vectors: VectorCache::new(params.cache_size),
            params,
            index,
        })
    }

    /// The index searched.
    pub fn index(&self) -> &Arc<Index> {
        &self.index
    }

    /// How many query vectors are cached.
    pub fn cached_vectors(&self) -> usize {
        self.vectors.len()
    }

    /// Lookups of the query-vector cache so far (for metrics).
    pub fn vector_cache_lookups(&self) -> CacheLookups {
        self.vectors.lookups()
    }

    /// Queries embedding or waiting for the model now (for metrics).
    pub fn embedding_queue(&self) -> usize {
        self.embedding.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Queries refused a place in the model's queue so far, as it was full (for
    /// metrics).
    pub fn embedding_refusals(&self) -> u64 {
        self.embedding_refused
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Runs `request`; relative dates in its words (`last year`) count from today.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        self.search_on(request, today())
    }

    /// Runs `request` as if on `today`.
    pub fn search_on(
        &self,
        request: &SearchRequest,
        today: backissue_issue::Date,
    ) -> Result<SearchResponse> {
        let mut notes = Vec::new();
        if let (Some(from), Some(to)) = (request.filters.date_from, request.filters.date_to) {
            if from > to {
                notes.push(format!(
                    "from {from} is after to {to}: no issue is in that range, so nothing matches"
                ));
            }
        }
        let chars = request.query.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(Error::invalid(
                "query",
                format!("{chars} characters, more than the {MAX_QUERY_CHARS} accepted; search for its key words instead"),
            ));
        }
        if let Mode::Hybrid { semantic_ratio } = request.mode {
            if !(0.0..=1.0).contains(&semantic_ratio) {
                return Err(Error::invalid(
                    "semantic_ratio",
                    format!("{semantic_ratio} is outside 0..=1 (0: words only, 1: meaning only)"),
                ));
            }
        }
        let limit = if request.limit > MAX_LIMIT {
            notes.push(format!(
                "limit lowered from {} to {MAX_LIMIT}, the most one page holds",
                request.limit
            ));
            MAX_LIMIT
        } else {
            request.limit
        };
        let mut filter = self.facets.resolve(&request.filters)?;
        let phrasing = phrasing::read(&request.query, today);
        let mut dates = None;
        let span = self.facets.span();
        let in_archive = |range: &DateRange| {
            let (Some((first, last)), from, to) = (span, range.from, range.to) else {
                return false;
            };
            from.is_none_or(|from| from <= last) && to.is_none_or(|to| to >= first)
        };
        if let Some(range) = phrasing.dates.as_ref().filter(|r| !in_archive(r)) {
            notes.push(format!(
                "{:?} names no date of the archive; it was searched as words",
                range.text
            ));
        }
        let phrasing = if phrasing.dates.as_ref().is_some_and(|r| !in_archive(r)) {
            phrasing::Phrasing {
                query: request.query.clone(),
                dates: None,
                question: phrasing.question,
            }
        } else {
            phrasing
        };
        if let Some(range) = phrasing.dates {
            let mut filters = request.filters.clone();
            filters.date_from = max_date(filters.date_from, range.from);
            filters.date_to = min_date(filters.date_to, range.to);
            match self.facets.resolve(&filters) {
                Ok(narrowed) => {
                    notes.push(format!(
                        "{:?} was read as a date range: {} to {}",
                        range.text,
                        range
                            .from
                            .map_or("the first issue".to_string(), |d| d.to_string()),
                        range
                            .to
                            .map_or("the latest issue".to_string(), |d| d.to_string()),
                    ));
                    filter = narrowed;
                    dates = Some(range);
                }
                Err(_) => notes.push(format!(
                    "{:?} names dates outside the requested date range; it was left out",
                    range.text
                )),
            }
        }
        let parsed = query::parse(&phrasing.query, phrasing.question);
        if parsed.truncated {
            notes.push(format!("only the first {MAX_WORDS} words were searched"));
        }
        let mut response = SearchResponse {
            query: request.query.clone(),
            mode: request.mode,
            weights: fusion::weights(request.mode, false),
            total: 0,
            offset: request.offset,
            limit,
            hits: Vec::new(),
            facets: FacetCounts::default(),
            corrections: Vec::new(),
            suggestions: Vec::new(),
            dates,
            notes,
        };
        if parsed.only_stop_words {
            response.notes.push(
                "the query has only common words (such as \"the\", \"what\"), which match everything; \
                 add a word that says what to look for"
                    .to_string(),
            );
            return Ok(response);
        }

        crate::budget::check("ranking")?;
        let mut analyzers = self.analyzers.clone();
        let (ranked, plan) = if parsed.is_empty() {
            (self.browse(&filter), None)
        } else {
            let (ranked, plan) = self.rank(
                request,
                &phrasing.query,
                &parsed,
                &filter,
                limit,
                &mut analyzers,
                &mut response,
            )?;
            (ranked, Some(plan))
        };

        let mut hits = if request.collapse {
            collapse::collapse(ranked, |row| self.index.documents()[row].event_id.as_str())
        } else {
            collapse::keep_all(ranked)
        };
        let by_date = match (request.sort, plan.is_none()) {
            (Sort::Newest, _) | (Sort::Relevance, true) => Some(true),
            (Sort::Oldest, _) => Some(false),
            (Sort::Relevance, false) => None,
        };
        if let Some(newest_first) = by_date {
            // Stable: the relevance (or issue) order stays within a date.
            hits.sort_by(|a, b| {
                let (da, db) = (self.facets.day(a.lead.row), self.facets.day(b.lead.row));
                if newest_first {
                    db.cmp(&da)
                } else {
                    da.cmp(&db)
                }
            });
        }
        crate::budget::check("facets and snippets")?;
        response.total = hits.len();
        response.facets = self.facets.count(hits.iter().map(|h| h.lead.row));
        let page = hits.iter().skip(request.offset).take(limit);
        response.hits = page
            .map(|hit| self.hit(hit, plan.as_ref(), &mut analyzers))
            .collect();
        Ok(response)
    }

    /// Ranks the matches of a non-empty query in the request's mode.
    #[allow(clippy::too_many_arguments)]
    fn rank(
        &self,
        request: &SearchRequest,
        phrasing_query: &str,
        parsed: &ParsedQuery,
        filter: &RowFilter,
        limit: usize,
        analyzers: &mut Analyzers,
        response: &mut SearchResponse,
    ) -> Result<(Vec<Ranked>, KeywordPlan)> {
        let doc_freq = |term: &Term| self.tantivy.doc_freq(term).unwrap_or(0);
        let plan = keyword::plan(
            parsed,
            &mut PlanContext {
                fields: self.index.fields(),
                vocabulary: &self.vocabulary,
                facet_words: &self.facet_words,
                analyzer: &mut analyzers.english,
                doc_freq: &doc_freq,
                num_docs: self.tantivy.num_docs(),
            },
        );
        for corrected in &plan.corrected {
            if corrected.to.is_empty() {
                response.notes.push(format!(
                    "no document contains {:?}; it was left out",
                    corrected.from
                ));
            }
        }
        response.suggestions = plan
            .suggested
            .iter()
            .map(|c| Correction {
                from: c.from.clone(),
                to: c.to.clone(),
            })
            .collect();
        response.corrections = plan
            .corrected
            .iter()
            .filter(|c| !c.to.is_empty())
            .map(|c| Correction {
                from: c.from.clone(),
                to: c.to.clone(),
            })
            .collect();

        // A list with no weight would add hits that rank nowhere: it is not built.
        let weights = fusion::weights(request.mode, plan.names_something());
        response.weights = weights;
        if let Mode::Hybrid { semantic_ratio } = request.mode {
            if (weights.semantic - f64::from(semantic_ratio)).abs() > 1e-6 {
                response.notes.push(format!(
                    "semantic_ratio {semantic_ratio} was lowered to {:.1} because the query \
                     names something: a name is matched as written, not by what it \
                     resembles (words weigh {:.1}, meaning {:.1})",
                    weights.semantic, weights.keyword, weights.semantic
                ));
            }
        }
        let keyword = if weights.keyword > 0.0 {
            let mut list = self.keyword_list(plan.query.as_deref(), filter)?;
            if list.is_empty() {
                if let Some(fallback) = plan.fallback.as_deref() {
                    list = self.keyword_list(Some(fallback), filter)?;
                    if !list.is_empty() {
                        response.notes.push(
                            "no document has every word of the query; these have some of them"
                                .to_string(),
                        );
                    }
                }
            }
            list
        } else {
            Vec::new()
        };
        let semantic = if weights.semantic > 0.0 {
            let text = embedding_text(phrasing_query);
            let depth = self.params.depth.max(request.offset.saturating_add(limit));
            let query = self.cached_query(&text)?;
            crate::budget::check("nearest neighbours")?;
            semantic::nearest(
                &self.index,
                &self.facets,
                filter,
                &query,
                depth,
                &self.params,
            )
        } else {
            Vec::new()
        };
        let exact: HashSet<u32> = match request.mode {
            Mode::Semantic => HashSet::new(),
            _ => self
                .titles
                .get(&normalize_title(&request.query))
                .map(|rows| rows.iter().copied().collect())
                .unwrap_or_default(),
        };
        let ranked = fusion::fuse(&keyword, &semantic, weights, &|row| {
            exact.contains(&(row as u32))
        });
        Ok((ranked, plan))
    }

    /// Every row that passes `filter`, unscored (an empty query).
    fn browse(&self, filter: &RowFilter) -> Vec<Ranked> {
        (0..self.index.documents().len())
            .filter(|&row| self.facets.allows(filter, row))
            .map(|row| Ranked {
                row,
                keyword: None,
                vector: None,
                fused: 0.0,
                exact_title: false,
            })
            .collect()
    }

    /// Every document matching `plan` that passes `filter`, by BM25 score (newer
    /// first on a tie).
    fn keyword_list(
        &self,
        query: Option<&dyn Query>,
        filter: &RowFilter,
    ) -> Result<Vec<(usize, f32)>> {
        let Some(query) = query else {
            return Ok(Vec::new());
        };
        let tantivy_error = |cause| Error::Tantivy {
            path: self.index.generation_dir().to_path_buf(),
            cause,
        };
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(&self.tantivy))
            .map_err(tantivy_error)?;
        let mut out = Vec::new();
        for (ord, segment) in self.tantivy.segment_readers().iter().enumerate() {
            let rows = &self.doc_rows[ord];
            let alive = segment.alive_bitset();
            weight
                .for_each(segment, &mut |doc, score| {
                    if alive.is_some_and(|a| !a.is_alive(doc)) {
                        return;
                    }
                    let row = rows.get(doc as usize).copied().unwrap_or(NO_ROW);
                    if row != NO_ROW && self.facets.allows(filter, row as usize) {
                        out.push((row as usize, score));
                    }
                })
                .map_err(tantivy_error)?;
        }
        out.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(self.facets.day(b.0).cmp(&self.facets.day(a.0)))
                .then(a.0.cmp(&b.0))
        });
        Ok(out)
    }

    /// The unit-length embedding of `text`, from the cache or the embedder. The
    /// first time the embedder is used, its model is checked against the index's.
    /// A text over [`MAX_EMBED_CHARS`] is a user error.
    pub fn query_vector(&self, text: &str) -> Result<Arc<[f32]>> {
        Ok(self.cached_query(text)?.vector.clone())
    }

    /// The cached query for `text`: its embedding and, once searched, its neighbours.
    fn cached_query(&self, text: &str) -> Result<Arc<QueryVector>> {
        // The cache keys on the text: a bound on its length bounds its memory (and
        // the model reads only the first few hundred words anyway).
        let chars = text.chars().count();
        if chars > MAX_EMBED_CHARS {
            return Err(Error::InvalidRequest {
                parameter: "text".to_string(),
                message: format!(
                    "{chars} characters, more than the {MAX_EMBED_CHARS} embedded; give a shorter text"
                ),
            });
        }
        if let Some(query) = self.vectors.get(text) {
            return Ok(query);
        }
        crate::budget::check("embedding the query")?;
        let _turn = EmbeddingTurn::take(&self.embedding, self.params.max_embedding_queue)
            .inspect_err(|_| {
                self.embedding_refused
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            })?;
        let embedder = self.embedder.embedder()?;
        if self.model_checked.get().is_none() {
            self.index.check_model(&embedder.fingerprint())?;
            let _ = self.model_checked.set(());
        }
        let vector = embedder
            .embed(&[text])
            .map_err(|cause| Error::Embed { cause })?
            .pop()
            .unwrap_or_default();
        Ok(self.vectors.insert(text, vector))
    }

    /// The hit for `collapsed`, with its snippet.
    fn hit(
        &self,
        collapsed: &Collapsed,
        plan: Option<&KeywordPlan>,
        analyzers: &mut Analyzers,
    ) -> Hit {
        let docs = self.index.documents();
        let lead = collapsed.lead;
        let doc = &docs[lead.row];
        let (title_marked, snippet) = match plan {
            Some(plan) => {
                let marks = Marks {
                    stems: &plan.stems,
                    names: &plan.names,
                };
                let marked = lead.keyword.is_some();
                let body = marks.ranges(&doc.body, analyzers);
                let title_marked = if marked {
                    Marked {
                        text: doc.title.clone(),
                        marks: marks.ranges(&doc.title, analyzers),
                    }
                } else {
                    Marked::plain(&doc.title)
                };
                (title_marked, snippet::snippet(&doc.body, &body, marked))
            }
            None => (
                Marked::plain(&doc.title),
                snippet::snippet(&doc.body, &[], false),
            ),
        };
        Hit {
            id: doc.id.clone(),
            issue_id: doc.issue_id.clone(),
            date: doc.date,
            section: doc.section,
            title: doc.title.clone(),
            title_marked,
            url: doc.url.clone(),
            snippet,
            event_id: doc.event_id.clone(),
            copies: collapsed
                .copies
                .iter()
                .map(|&row| docs[row].id.clone())
                .collect(),
            score: ScoreBreakdown {
                keyword_rank: lead.keyword.map(|k| k.0),
                vector_rank: lead.vector.map(|v| v.0),
                keyword_score: lead.keyword.map(|k| k.1),
                vector_similarity: lead.vector.map(|v| v.1),
                fused: lead.fused,
                exact_title: lead.exact_title,
            },
        }
    }
}

/// Today's date (UTC), from the system clock.
fn today() -> backissue_issue::Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    backissue_issue::Date::from_days_since_epoch(days as i64)
        .unwrap_or_else(|| backissue_issue::Date::new(1970, 1, 1).expect("a valid date"))
}

fn max_date(
    a: Option<backissue_issue::Date>,
    b: Option<backissue_issue::Date>,
) -> Option<backissue_issue::Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn min_date(
    a: Option<backissue_issue::Date>,
    b: Option<backissue_issue::Date>,
) -> Option<backissue_issue::Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The text embedded for `query`: quotes dropped (they steer keyword matching, not
/// meaning), white space collapsed.
fn embedding_text(query: &str) -> String {
    query
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '“' | '”' | '„'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
