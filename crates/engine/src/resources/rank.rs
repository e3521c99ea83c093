//! How resources and learning paths are ranked.
//!
//! ```text
//! with a query or a story:  score = 0.75 · relevance + 0.15 · recency + 0.10 · frequency
//! without:                  score = 0.60 · recency + 0.40 · frequency
//!
//! relevance (query) = 0.5 · keyword + 0.5 · meaning      best over the item's featurings
//! relevance (story) = 0.7 · meaning + 0.3 · names
//! recency           = 0.5 ^ (weeks from the last featuring to the archive's last issue / 26)
//! frequency         = ln(1 + times featured) / ln(1 + most times any item was featured)
//! ```
//!
//! *keyword* is the item's BM25 score for the query (any of its words but stop words,
//! in title or description) over the best such score, *meaning* the cosine of the embeddings
//! (floored at 0), *names* the share of the story's names the item mentions. With a
//! query, an item must match a query word or have a meaning of at least
//! [`MIN_MEANING`] to be listed at all. Relevance dominates; among equally relevant
//! items the recently and often featured come first.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::catalog::Featured;
use crate::document::Section;
use crate::error::{Error, Result};
use crate::keyword::facet;
use crate::Index;
use crate::RowMap;
use backissue_text::phrases::is_stop_word;

/// Weight of relevance when there is a query or a story.
pub const RELEVANCE_WEIGHT: f64 = 0.75;
/// Weight of recency when there is a query or a story.
pub const RECENCY_WEIGHT: f64 = 0.15;
/// Weight of how often an item was featured when there is a query or a story.
pub const FREQUENCY_WEIGHT: f64 = 0.10;
/// Weeks over which recency halves.
pub const RECENCY_HALF_LIFE_WEEKS: f64 = 26.0;
/// Least meaning (cosine) for an item that matches no query word.
pub const MIN_MEANING: f32 = 0.3;

/// The parts of an item's score.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signals {
    /// Relevance to the query or story, 0–1 (none without either).
    pub relevance: Option<f64>,
    /// How recently it was featured, 0–1.
    pub recency: f64,
    /// How often it was featured, 0–1.
    pub frequency: f64,
}

impl Signals {
    /// The ranking score (see the module docs).
    pub fn score(&self) -> f64 {
        match self.relevance {
            Some(relevance) => {
                RELEVANCE_WEIGHT * relevance
                    + RECENCY_WEIGHT * self.recency
                    + FREQUENCY_WEIGHT * self.frequency
            }
            None => 0.6 * self.recency + 0.4 * self.frequency,
        }
    }
}

/// Recency and frequency of featured items, against the archive's last issue.
#[derive(Debug, Clone, Copy)]
pub struct History {
    last_day: i64,
    most_featured: u32,
}

impl History {
    /// For items whose histories are `featured`, in an archive whose last issue is `index`'s.
    pub fn new<'f>(index: &Index, featured: impl Iterator<Item = &'f Featured>) -> History {
        History {
            last_day: index
                .documents()
                .iter()
                .map(|d| d.date.days_since_epoch())
                .max()
                .unwrap_or(0),
            most_featured: featured.map(|f| f.times_featured).max().unwrap_or(1),
        }
    }

    /// The recency and frequency of `featured`, with `relevance`.
    pub fn signals(&self, featured: &Featured, relevance: Option<f64>) -> Signals {
        let weeks = (self.last_day - featured.last_date.days_since_epoch()).max(0) as f64 / 7.0;
        let frequency = if self.most_featured <= 1 {
            1.0
        } else {
            (1.0 + f64::from(featured.times_featured)).ln()
                / (1.0 + f64::from(self.most_featured)).ln()
        };
        Signals {
            relevance,
            recency: 0.5f64.powf(weeks / RECENCY_HALF_LIFE_WEEKS),
            frequency,
        }
    }
}

/// BM25 scores of the documents of `section` for `query` (any of its words but stop
/// words, in title or body), over the best score: by row. `searcher` is the index's,
/// and `rows` maps its documents of `section` to rows.
pub fn keyword_scores(
    index: &Index,
    searcher: &tantivy::Searcher,
    rows: &RowMap,
    section: Section,
    query: &str,
) -> Result<HashMap<usize, f32>> {
    let fields = index.fields();
    let path = index.generation_dir().join(crate::generation::TANTIVY_DIR);
    let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for field in [fields.title, fields.body] {
        let mut analyzer = index
            .keyword_index()
            .tokenizer_for_field(field)
            .map_err(Error::tantivy(&path))?;
        let mut stream = analyzer.token_stream(query);
        while let Some(token) = stream.next() {
            if !is_stop_word(&token.text) {
                let term = Term::from_field_text(field, &token.text);
                words.push((
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                ));
            }
        }
    }
    if words.is_empty() {
        return Ok(HashMap::new());
    }
    let parsed: Box<dyn Query> = Box::new(BooleanQuery::new(words));
    let section_term = Term::from_facet(fields.section, &facet(section.as_str()));
    let filter: Box<dyn Query> = Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(section_term, IndexRecordOption::Basic)),
        0.0,
    ));
    let query = BooleanQuery::new(vec![(Occur::Must, parsed), (Occur::Must, filter)]);
    let limit = index.documents().len().max(1);
    let hits = searcher
        .search(&query, &TopDocs::with_limit(limit).order_by_score())
        .map_err(Error::tantivy(&path))?;
    let best = hits.first().map_or(1.0, |h| h.0).max(f32::MIN_POSITIVE);
    Ok(hits
        .into_iter()
        .filter_map(|(score, address)| rows.row(address).map(|row| (row, score / best)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn featured(times: u32, last: &str) -> Featured {
        Featured {
            first_week: String::new(),
            last_week: String::new(),
            first_date: last.parse().unwrap(),
            last_date: last.parse().unwrap(),
            times_featured: times,
            issues: Vec::new(),
            doc_ids: Vec::new(),
        }
    }

    #[test]
    fn relevance_dominates_then_recency_and_frequency() {
        let history = History {
            last_day: "2026-12-25"
                .parse::<backissue_issue::Date>()
                .unwrap()
                .days_since_epoch(),
            most_featured: 4,
        };
        let recent = history.signals(&featured(1, "2026-12-25"), Some(0.5));
        let old_often = history.signals(&featured(4, "2025-12-26"), Some(0.5));
        let relevant = history.signals(&featured(1, "2025-01-03"), Some(0.9));
        assert!(recent.recency == 1.0 && (old_often.recency - 0.25).abs() < 0.01);
        assert_eq!(old_often.frequency, 1.0);
        assert!(relevant.score() > recent.score() && relevant.score() > old_often.score());
        let none = history.signals(&featured(4, "2026-12-25"), None);
        assert!((none.score() - 1.0).abs() < 1e-9);
    }
}
