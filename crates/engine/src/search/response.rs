//! What a search answers: one page of hits, the size of the whole result set, its
//! facet counts, and notes on how the query was read.

use backissue_issue::Date;
use serde::{Deserialize, Serialize};

pub use super::phrasing::DateRange;

use super::facets::FacetCounts;
use super::request::Mode;
use crate::document::Section;

/// The answer to a [`super::SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SearchAnswer))]
pub struct SearchResponse {
    /// The query as given.
    pub query: String,
    /// The mode used.
    pub mode: Mode,
    /// The weights the word and meaning lists were fused with (hybrid mode; the
    /// word weight is raised when the query names something, see the module docs).
    pub weights: Weights,
    /// Hits in the whole result set (after filters and collapsing), not only this page.
    pub total: usize,
    /// Hits skipped before this page.
    pub offset: usize,
    /// The page size used (the request's, at most [`super::MAX_LIMIT`]).
    pub limit: usize,
    /// This page's hits, best first (or in date order, as asked).
    pub hits: Vec<Hit>,
    /// Facet counts over the whole result set.
    pub facets: FacetCounts,
    /// Misspelt words and the archive words searched instead.
    pub corrections: Vec<Correction>,
    /// Names with a digit that no document holds, and the archive's closest names:
    /// offered, never searched in their place (`Vireo-7B`: did you mean `Vireo-70B`?).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Correction>,
    /// The date range read from the query's words (`last year`), applied as a filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<DateRange>,
    /// How the query was read, when that is worth saying: words ignored, a limit
    /// lowered, a query of stop words only.
    pub notes: Vec<String>,
}

/// The weights of the two ranked lists in fusion (a weighted sum of their normalised scores).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = FusionWeights))]
pub struct Weights {
    /// Weight of the keyword list.
    pub keyword: f64,
    /// Weight of the semantic list.
    pub semantic: f64,
}

/// A misspelt word and the words searched in its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Correction {
    /// The word as typed.
    pub from: String,
    /// The archive's closest words, searched instead (empty: none close enough).
    pub to: Vec<String>,
}

/// One hit: a document, or with collapsing the best-ranked copy of one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SearchHit))]
pub struct Hit {
    /// The document id (`2026-03-27/top/2`).
    pub id: String,
    /// The issue id.
    pub issue_id: String,
    /// The issue's date.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
    /// Where in the issue the document is.
    pub section: Section,
    /// The title, as plain text.
    pub title: String,
    /// The title as HTML: escaped, matched words in `<mark>`.
    pub title_html: String,
    /// A resource's link.
    pub url: Option<String>,
    /// The best sentence(s) of the body as HTML: escaped, matched words in `<mark>`
    /// (a hit found by meaning only has no marks).
    pub snippet: String,
    /// The event the document reports.
    pub event_id: String,
    /// The other documents of the same event in the result set, best ranked first
    /// (empty without collapsing).
    pub copies: Vec<String>,
    /// Why it ranks where it does.
    pub score: ScoreBreakdown,
}

/// How a hit was found and ranked.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreBreakdown {
    /// Rank in the keyword list (1-based, after filters), if the words matched.
    pub keyword_rank: Option<usize>,
    /// Rank in the semantic list (1-based, after filters), if close in meaning.
    pub vector_rank: Option<usize>,
    /// The BM25 score, if the words matched.
    pub keyword_score: Option<f32>,
    /// Cosine similarity to the query, if close in meaning.
    pub vector_similarity: Option<f32>,
    /// The fused score the hits are ordered by (the weighted sum of the normalised
    /// keyword and semantic scores).
    pub fused: f64,
    /// Whether the hit was put first because its title is the query.
    pub exact_title: bool,
}
