//! Words that name a facet value: `healthcare`, `India`, `bank`, `beginner`, `podcast`.
//!
//! A story about a hospital software vendor seldom says "healthcare", and a podcast
//! is described as "a conversation with practitioners": the sector, region, level
//! and kind are tags, not text. So a query word whose stem is the stem of a facet
//! value (a word of it: `bank` for `Finance & Banking`, `edtech` for `Education &
//! EdTech`) also matches the documents tagged with that value, with a constant
//! score of [`FACET_SCORE`]. A value of several words (`South Korea`) is named only
//! when all its words are in the query. Sections and sources are left out: their
//! words (`signal`, `story`, `wired`) are too often meant as ordinary words.

use tantivy::query::{ConstScoreQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use super::facets::FacetIndex;
use crate::keyword::{facet, KeywordFields};

/// The score a facet match adds: about what a moderately common word adds.
pub const FACET_SCORE: f32 = 2.0;

/// One facet value and the stems that name it.
#[derive(Debug, Clone)]
struct Entry {
    stems: Vec<String>,
    term: Term,
}

/// Every nameable facet value of the index.
#[derive(Debug, Clone, Default)]
pub(crate) struct FacetWords {
    entries: Vec<Entry>,
}

impl FacetWords {
    /// Reads the nameable values of `facets`, stemmed with `analyzer`.
    pub(crate) fn build(
        facets: &FacetIndex,
        fields: &KeywordFields,
        analyzer: &mut TextAnalyzer,
    ) -> Self {
        let mut entries = Vec::new();
        for (field_name, label) in facets.nameable_values() {
            let field = match field_name {
                "sector" => fields.sector,
                "region" => fields.region,
                "level" => fields.level,
                _ => fields.kind,
            };
            let term = Term::from_facet(field, &facet(&backissue_issue::id::slug(label)));
            // `Finance & Banking` is named by either side.
            for part in label.split('&') {
                let mut stems = Vec::new();
                let mut stream = analyzer.token_stream(part);
                while let Some(token) = stream.next() {
                    stems.push(token.text.clone());
                }
                if !stems.is_empty() && stems != ["all"] {
                    entries.push(Entry {
                        stems,
                        term: term.clone(),
                    });
                }
            }
        }
        FacetWords { entries }
    }

    /// For each query word (given by its stems), the facet values it names.
    pub(crate) fn named(&self, words: &[Vec<String>]) -> Vec<Vec<Term>> {
        let mut out = vec![Vec::new(); words.len()];
        for entry in &self.entries {
            let all_there = entry
                .stems
                .iter()
                .all(|stem| words.iter().any(|w| w.contains(stem)));
            if !all_there {
                continue;
            }
            for (i, word) in words.iter().enumerate() {
                if entry.stems.iter().any(|stem| word.contains(stem))
                    && !out[i].contains(&entry.term)
                {
                    out[i].push(entry.term.clone());
                }
            }
        }
        out
    }
}

/// The query clause for a facet value named by a word.
pub(crate) fn facet_clause(term: &Term) -> Box<dyn Query> {
    let query = TermQuery::new(term.clone(), IndexRecordOption::Basic);
    Box::new(ConstScoreQuery::new(Box::new(query), FACET_SCORE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, Section};
    use backissue_issue::{Date, Level, Region, Sector};

    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Vec<String>> {
        text.split(' ')
            .map(|w| {
                let mut stems = Vec::new();
                let mut stream = analyzer.token_stream(w);
                while let Some(t) = stream.next() {
                    stems.push(t.text.clone());
                }
                stems
            })
            .collect()
    }

    #[test]
    fn words_name_sectors_regions_levels_and_kinds() {
        let date: Date = "2026-03-27".parse().unwrap();
        let doc = Document {
            id: "x".into(),
            issue_id: "x".into(),
            date,
            week: date.iso_week(),
            section: Section::Resource,
            title: String::new(),
            body: String::new(),
            sectors: vec![Sector::FinanceBanking],
            regions: vec![Region::SouthKorea],
            level: Some(Level::Beginner),
            kind: None,
            source: None,
            url: None,
            score: None,
            steps: Vec::new(),
            event_id: "x".into(),
        };
        let index = FacetIndex::build(&[doc]);
        let (_, fields) = KeywordFields::schema();
        let mut analyzer = crate::keyword::english_analyzer();
        let facet_words = FacetWords::build(&index, &fields, &mut analyzer);
        let named = facet_words.named(&words(
            &mut analyzer,
            "banks in korea for beginners podcasts",
        ));
        let counts: Vec<usize> = named.iter().map(Vec::len).collect();
        assert_eq!(
            counts,
            [1, 0, 0, 0, 1, 1],
            "korea alone does not name South Korea"
        );
        let named = facet_words.named(&words(&mut analyzer, "south korea healthcare"));
        assert_eq!(named.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1, 1]);
        assert!(facet_words
            .named(&words(&mut analyzer, "all"))
            .iter()
            .all(Vec::is_empty));
    }
}
