//! backissue's hybrid blend, read from the search code, and the search pipeline and
//! queries that reproduce it in OpenSearch (or approach it in Elasticsearch).
//!
//! backissue scores a document `w_k · bm25 / best_bm25 + w_s · clamp((cos − f) /
//! (1 − f), 0, 1)` ([`crate::search`]'s `fusion.rs`: `w_s` the semantic ratio, `f`
//! [`SIMILARITY_FLOOR`]). Both engines score a cosine-space vector match
//! `(1 + cos) / 2`, so in OpenSearch a `min_max` normalisation with a lower bound of
//! 0 on the BM25 side is `bm25 / best`, and one clipped between `(1 + f) / 2` and
//! 1 on the vector side is `(cos − f) / (1 − f)`, clamped; `arithmetic_mean` with
//! weights that sum to 1 is the weighted sum.

use serde_json::{json, Value};

use super::template::VECTOR_FIELD;
use super::Format;
use crate::search::{
    SemanticParams, ALL_WORDS_UP_TO, DEFAULT_LIMIT, DEFAULT_SEMANTIC_RATIO, NAMES_BOOST,
    NAME_SEMANTIC_WEIGHT, SIMILARITY_FLOOR, TITLE_BOOST,
};
use crate::{Index, Section};

/// The numbers of backissue's hybrid search that an export reproduces.
#[derive(Debug, Clone, PartialEq)]
pub struct Blend {
    /// Weight of the semantic side: the default semantic ratio.
    pub semantic_weight: f64,
    /// Weight of the keyword side: the rest.
    pub keyword_weight: f64,
    /// The semantic weight at most, when specific names make up half the query.
    pub names_semantic_weight: f64,
    /// The cosine that counts 0 on the semantic side.
    pub similarity_floor: f64,
    /// The cosine below which a neighbour is not a match at all.
    pub min_similarity: f64,
    /// Nearest neighbours the semantic side takes.
    pub depth: usize,
    /// Candidates backissue's HNSW search examines.
    pub ef_search: usize,
    /// Weight of a title match on top of the whole text's.
    pub title_boost: f32,
    /// Weight of a match in the `names` field.
    pub names_boost: f32,
    /// A query of at most this many words needs every word; a longer one, any.
    pub all_words_up_to: usize,
    /// Hits per page.
    pub limit: usize,
}

impl Blend {
    /// The blend backissue's search uses by default over `index`.
    pub fn of(index: &Index) -> Blend {
        let semantic = SemanticParams::default();
        let semantic_weight = decimal(f64::from(DEFAULT_SEMANTIC_RATIO));
        Blend {
            semantic_weight,
            keyword_weight: decimal(1.0 - semantic_weight),
            names_semantic_weight: decimal(NAME_SEMANTIC_WEIGHT),
            similarity_floor: SIMILARITY_FLOOR,
            min_similarity: decimal(f64::from(semantic.min_similarity)),
            depth: semantic.depth,
            ef_search: index.manifest().hnsw.ef_search,
            title_boost: TITLE_BOOST,
            names_boost: NAMES_BOOST,
            all_words_up_to: ALL_WORDS_UP_TO,
            limit: DEFAULT_LIMIT,
        }
    }

    /// The score both engines give a vector match of cosine `cos` in cosine space.
    pub fn score_of_cosine(cos: f64) -> f64 {
        decimal((1.0 + cos) / 2.0)
    }

    /// The keyword sub-query: BM25 over the whole text, the title again and the
    /// whole names, summed per field as backissue sums a word's clauses; every word
    /// required up to [`Blend::all_words_up_to`] words, any word beyond.
    pub fn keyword_query(&self, text: &str) -> Value {
        json!({
            "multi_match": {
                "query": text,
                "type": "most_fields",
                "fields": [
                    "text",
                    format!("title^{}", self.title_boost),
                    format!("names^{}", self.names_boost),
                ],
                "minimum_should_match": format!("{}<1", self.all_words_up_to),
            }
        })
    }

    /// The OpenSearch `knn` sub-query: the [`Blend::depth`] nearest neighbours.
    pub fn knn_query(&self, vector: &[f32]) -> Value {
        json!({ "knn": { VECTOR_FIELD: { "vector": vector, "k": self.depth } } })
    }

    /// The OpenSearch `neural` sub-query: the same, embedded by a model deployed
    /// in the cluster.
    pub fn neural_query(&self, text: &str) -> Value {
        json!({
            "neural": {
                VECTOR_FIELD: { "query_text": text, "model_id": "YOUR_MODEL_ID", "k": self.depth }
            }
        })
    }
}

/// `x` to six decimals: `0.6f32` is written 0.6, not 0.6000000238418579.
pub(super) fn decimal(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The OpenSearch search pipeline that fuses a hybrid query's two sub-queries
/// (keyword first, vector second) with `semantic_weight` on the vector side.
pub fn pipeline(blend: &Blend, semantic_weight: f64) -> Value {
    let floor = blend.similarity_floor;
    json!({
        "description": format!(
            "backissue's hybrid blend: {} x BM25 / best BM25 + {} x (cosine - {floor}) / (1 - {floor}), clipped to 0..1",
            decimal(1.0 - semantic_weight),
            semantic_weight,
        ),
        "phase_results_processors": [{
            "normalization-processor": {
                "normalization": {
                    "technique": "min_max",
                    "parameters": {
                        "lower_bounds": [
                            { "mode": "apply", "min_score": 0.0 },
                            { "mode": "clip", "min_score": Blend::score_of_cosine(floor) },
                        ],
                        "upper_bounds": [
                            { "mode": "ignore" },
                            { "mode": "clip", "max_score": Blend::score_of_cosine(1.0) },
                        ],
                    },
                },
                "combination": {
                    "technique": "arithmetic_mean",
                    "parameters": { "weights": [decimal(1.0 - semantic_weight), semantic_weight] },
                },
            },
        }],
    })
}

/// A query to run as is: a document's title as the words and its own stored
/// vector as the query vector (so: stories like this one).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The document whose title and vector are used (`None` for an empty index).
    pub id: Option<String>,
    /// The words.
    pub text: String,
    /// The query vector, unit length.
    pub vector: Vec<f32>,
}

impl Example {
    /// The first top story of the newest issue (else the first document).
    pub fn of(index: &Index) -> Example {
        let newest = index.issues().last().and_then(|issue| {
            index
                .issue_documents(issue)
                .find(|d| d.section == Section::TopStory)
        });
        match newest.or_else(|| index.documents().first()) {
            Some(doc) => Example {
                id: Some(doc.id.clone()),
                text: doc.title.clone(),
                vector: index
                    .row(&doc.id)
                    .map(|row| index.vectors().get(row).to_vec())
                    .unwrap_or_default(),
            },
            None => {
                // Cosine refuses a zero vector: any unit vector will do.
                let mut vector = vec![0.0; index.vectors().dimension()];
                if let Some(first) = vector.first_mut() {
                    *first = 1.0;
                }
                Example {
                    id: None,
                    text: "robots that work without the cloud".to_string(),
                    vector,
                }
            }
        }
    }
}

impl Example {
    /// The same words with an empty vector: the query as the README shows it.
    pub fn without_vector(&self) -> Example {
        Example {
            vector: Vec::new(),
            ..self.clone()
        }
    }
}

/// The search body of `example` for `format`: OpenSearch's `hybrid` query (to run
/// with the pipeline), or Elasticsearch's `linear` retriever.
pub fn example_query(format: Format, blend: &Blend, example: &Example) -> Value {
    match format {
        Format::OpenSearch => json!({
            "size": blend.limit,
            "_source": { "excludes": [VECTOR_FIELD] },
            "query": {
                "hybrid": {
                    "queries": [blend.keyword_query(&example.text), blend.knn_query(&example.vector)],
                    "pagination_depth": blend.depth,
                },
            },
            "collapse": { "field": "event_id" },
        }),
        Format::Elasticsearch => json!({
            "size": blend.limit,
            "_source": { "excludes": [VECTOR_FIELD] },
            "retriever": {
                "linear": {
                    "retrievers": [
                        {
                            "retriever": { "standard": { "query": blend.keyword_query(&example.text) } },
                            "weight": blend.keyword_weight,
                            "normalizer": "minmax",
                        },
                        {
                            "retriever": {
                                "knn": {
                                    "field": VECTOR_FIELD,
                                    "query_vector": example.vector,
                                    "k": blend.depth,
                                    "num_candidates": blend.depth.max(blend.ef_search),
                                },
                            },
                            "weight": blend.semantic_weight,
                            "normalizer": "minmax",
                        },
                    ],
                    "rank_window_size": blend.depth,
                },
            },
        }),
    }
}
