//! What a reader asks for: the query, how to match it, filters, order and page.
//!
//! Every type here is plain serde data, so the CLI, the HTTP API and tests build the
//! same request. Missing fields take their defaults (`hybrid` at ratio 0.6, relevance
//! order, the first 10 hits, copies collapsed), so `{"query": "robots"}` is a whole
//! request. Nothing is checked here: [`crate::search::Searcher::search`] checks the
//! request against the index and answers a mistake with
//! [`crate::Error::InvalidRequest`] naming the parameter.

use backissue_issue::Date;
use serde::{Deserialize, Serialize};

/// Longest query accepted, in characters. A reader's query is a few words; a longer
/// text is almost always a pasted document, which `related` answers better, and a
/// bound keeps the cost of one query bounded (one clause per word).
pub const MAX_QUERY_CHARS: usize = 1_000;

/// Longest text embedded for a query vector, in characters (a pasted story for
/// related stories; the model reads its first 256 tokens, about 1,000 words).
pub const MAX_EMBED_CHARS: usize = 8_000;

/// Most hits one page may hold; a larger `limit` is lowered to it (with a note).
pub const MAX_LIMIT: usize = 100;

/// Hits per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;

/// The default weight of meaning against words in hybrid search: measured best
/// (0.5 to 0.8 tried) on SciFact's train claims and this archive's judgments.
pub const DEFAULT_SEMANTIC_RATIO: f32 = 0.6;

/// One search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchRequest {
    /// What to look for. Words match in any form (`robots` finds `robot`); `"quoted
    /// words"` must appear together; the last word also matches as a prefix unless
    /// the query ends with a space. An empty query lists every document that passes
    /// the filters, newest first.
    pub query: String,
    /// How to match: words, meaning, or both.
    pub mode: Mode,
    /// Which documents may be returned.
    pub filters: Filters,
    /// The order of the hits.
    pub sort: Sort,
    /// How many hits to skip (for the next pages).
    pub offset: usize,
    /// How many hits to return, at most [`MAX_LIMIT`].
    pub limit: usize,
    /// Whether copies of one piece of news (one event) are returned as one hit, the
    /// best ranked, with the others' ids under it.
    pub collapse: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            mode: Mode::default(),
            filters: Filters::default(),
            sort: Sort::default(),
            offset: 0,
            limit: DEFAULT_LIMIT,
            collapse: true,
        }
    }
}

impl SearchRequest {
    /// A request for `query` with every other field at its default.
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            ..SearchRequest::default()
        }
    }

    /// The same request in another mode.
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// The same request with another page size.
    pub fn with_limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }
}

/// How a query is matched.
///
/// Serialised as `{"type": "hybrid", "semantic_ratio": 0.5}`, `{"type": "keyword"}`,
/// `{"type": "semantic"}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Mode {
    /// Words only: BM25 over titles (counted double), bodies and whole names.
    Keyword,
    /// Meaning only: the documents whose embeddings are nearest the query's.
    Semantic,
    /// Both lists fused by a weighted sum of their normalised scores.
    Hybrid {
        /// Weight of the meaning list, 0 to 1; the word list gets the rest.
        #[serde(default = "default_ratio")]
        semantic_ratio: f32,
    },
}

fn default_ratio() -> f32 {
    DEFAULT_SEMANTIC_RATIO
}

impl Default for Mode {
    fn default() -> Self {
        Mode::Hybrid {
            semantic_ratio: DEFAULT_SEMANTIC_RATIO,
        }
    }
}

impl Mode {
    /// `keyword`, `semantic` or `hybrid`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Keyword => "keyword",
            Mode::Semantic => "semantic",
            Mode::Hybrid { .. } => "hybrid",
        }
    }
}

/// Which documents may be returned. Within one facet the values are alternatives
/// (`sectors: [Energy, Healthcare]` is either); across facets all must hold.
///
/// Values may be written as the newsletter writes them (`Finance & Banking`,
/// `South Korea`, `Top story`) or as slugs (`finance-banking`, `south-korea`,
/// `top_story`), in any case. A value that is neither known to the newsletter's
/// vocabulary nor present in the index is an error naming the parameter and the
/// values it accepts; a known value that no document has simply matches nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Filters {
    /// Sectors (a top story's tags, a brief's sector).
    pub sectors: Vec<String>,
    /// Regions (a top story's tags, a regional watch's region).
    pub regions: Vec<String>,
    /// Sections: `top_story`, `sector_story`, `regional_story`, `insight`,
    /// `hidden_signal`, `resource`, `learning_path`.
    pub sections: Vec<String>,
    /// Skill levels of resources and learning paths. A level also matches material
    /// marked `All`, which suits every level; `all` matches only that.
    pub levels: Vec<String>,
    /// Resource kinds (`Tool`, `Paper`, …).
    pub kinds: Vec<String>,
    /// Sources of sector and regional stories (`TechCrunch`, …).
    pub sources: Vec<String>,
    /// Only issues on or after this date.
    pub date_from: Option<Date>,
    /// Only issues on or before this date.
    pub date_to: Option<Date>,
}

impl Filters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self == &Filters::default()
    }
}

/// The order of the hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (for an empty query: newest first).
    #[default]
    Relevance,
    /// Newest issue first, best match first within an issue.
    Newest,
    /// Oldest issue first, best match first within an issue.
    Oldest,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_query_is_a_whole_request() {
        let request: SearchRequest = serde_json::from_str(r#"{"query": "robots"}"#).unwrap();
        assert_eq!(request, SearchRequest::new("robots"));
        assert_eq!(
            request.mode,
            Mode::Hybrid {
                semantic_ratio: DEFAULT_SEMANTIC_RATIO
            }
        );
        assert!(request.collapse);
        assert_eq!(request.limit, DEFAULT_LIMIT);
    }

    #[test]
    fn modes_and_filters_read_from_json() {
        let request: SearchRequest = serde_json::from_str(
            r#"{"query": "x", "mode": {"type": "hybrid"}, "sort": "newest",
                "filters": {"sectors": ["Energy"], "date_from": "2025-01-03"}}"#,
        )
        .unwrap();
        assert_eq!(
            request.mode,
            Mode::Hybrid {
                semantic_ratio: DEFAULT_SEMANTIC_RATIO
            }
        );
        assert_eq!(request.sort, Sort::Newest);
        assert_eq!(request.filters.sectors, ["Energy"]);
        assert_eq!(
            request.filters.date_from,
            Some("2025-01-03".parse().unwrap())
        );
        let keyword: Mode = serde_json::from_str(r#"{"type": "keyword"}"#).unwrap();
        assert_eq!(keyword, Mode::Keyword);
        assert!(serde_json::from_str::<SearchRequest>(r#"{"qeury": "x"}"#).is_err());
    }
}
