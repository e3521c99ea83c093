//! What a search answers: one page of hits, the size of the whole result set, its
//! facet counts, and notes on how the query was read.

use std::ops::Range;

use backissue_issue::Date;
use serde::{Deserialize, Serialize};

pub use super::phrasing::DateRange;

use super::facets::FacetCounts;
use super::request::Mode;
use crate::document::Section;

/// The answer to a [`super::SearchRequest`]. Titles and snippets come as [`Marked`]
/// text (`M`); the server and the CLI render them (HTML for the JSON API and the
/// pages, bold for a terminal) with [`SearchResponse::map_marked`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SearchAnswer))]
pub struct SearchResponse<M = Marked> {
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
    pub hits: Vec<Hit<M>>,
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

impl<M> SearchResponse<M> {
    /// The same answer with every marked title and snippet turned into `N` by
    /// `render` (HTML, terminal text).
    pub fn map_marked<N>(self, mut render: impl FnMut(M) -> N) -> SearchResponse<N> {
        SearchResponse {
            query: self.query,
            mode: self.mode,
            weights: self.weights,
            total: self.total,
            offset: self.offset,
            limit: self.limit,
            hits: self
                .hits
                .into_iter()
                .map(|hit| Hit {
                    id: hit.id,
                    issue_id: hit.issue_id,
                    date: hit.date,
                    section: hit.section,
                    title: hit.title,
                    title_marked: render(hit.title_marked),
                    url: hit.url,
                    snippet: render(hit.snippet),
                    event_id: hit.event_id,
                    copies: hit.copies,
                    score: hit.score,
                })
                .collect(),
            facets: self.facets,
            corrections: self.corrections,
            suggestions: self.suggestions,
            dates: self.dates,
            notes: self.notes,
        }
    }
}

/// Text with the byte ranges a query matched in it, for the caller to render: the
/// engine writes no markup.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Marked {
    /// The text.
    pub text: String,
    /// Byte ranges of `text` to mark, in order, not overlapping, on character
    /// boundaries.
    pub marks: Vec<Range<usize>>,
}

impl Marked {
    /// `text` with no marks.
    pub fn plain(text: impl Into<String>) -> Marked {
        Marked {
            text: text.into(),
            marks: Vec::new(),
        }
    }

    /// The text in order, as pieces, each with whether it is marked.
    pub fn pieces(&self) -> impl Iterator<Item = (&str, bool)> + '_ {
        let mut pieces = Vec::with_capacity(2 * self.marks.len() + 1);
        let mut at = 0;
        for range in &self.marks {
            if range.start < at || range.end > self.text.len() {
                continue;
            }
            if at < range.start {
                pieces.push((&self.text[at..range.start], false));
            }
            pieces.push((&self.text[range.clone()], true));
            at = range.end;
        }
        if at < self.text.len() {
            pieces.push((&self.text[at..], false));
        }
        pieces.into_iter()
    }

    /// The text with each mark between `open` and `close`, nothing escaped: for plain
    /// text such as a terminal (`[word]`, bold). HTML goes through the server's
    /// escaper instead.
    pub fn wrapped(&self, open: &str, close: &str) -> String {
        self.pieces()
            .map(|(piece, marked)| {
                if marked {
                    format!("{open}{piece}{close}")
                } else {
                    piece.to_string()
                }
            })
            .collect()
    }
}

#[cfg(test)]
impl Marked {
    /// The text with its marks in `<mark>` tags and nothing escaped: for tests.
    pub(crate) fn tagged(&self) -> String {
        self.wrapped("<mark>", "</mark>")
    }
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
pub struct Hit<M = Marked> {
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
    /// The title with the words the query matched marked (none when the hit was
    /// found by meaning only). Sent as `title_html`: the API renders it as HTML,
    /// escaped, marks in `<mark>`.
    #[serde(rename = "title_html")]
    pub title_marked: M,
    /// A resource's link.
    pub url: Option<String>,
    /// The best sentence(s) of the body, the words the query matched marked (a hit
    /// found by meaning only has no marks). The API renders it as HTML, escaped,
    /// marks in `<mark>`.
    pub snippet: M,
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
