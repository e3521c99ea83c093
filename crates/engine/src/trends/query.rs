//! What a trend counts, as a tantivy query: a term, a name, any keyword query, and
//! facet filters, all of which an event's document must match.
//!
//! - `term` (`memory shortage`): the words in this order in a title or body, through the
//!   English analyzer (so `memory shortages` matches too).
//! - `name` (`Lysandra Capital`): the whole name in the `names` field, so `Lysandra
//!   Capital's` matches but `capital` alone does not.
//! - `query`: each `"quoted part"` is a phrase; the unquoted rest is one phrase when it
//!   has several words, a term when it has one. All parts must match.
//! - `sector`, `region`, `source`: facet terms.

use backissue_issue::{Region, Sector, Source};
use serde::{Deserialize, Serialize};
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::error::{Error, Result};
use crate::keyword::{facet, KeywordFields};

/// What a trend counts: the events with a document matching every part given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrendQuery {
    /// A word or phrase, in titles and bodies.
    pub term: Option<String>,
    /// A name, whole.
    pub name: Option<String>,
    /// A keyword query: quoted phrases, and the rest as one phrase.
    pub query: Option<String>,
    /// Only documents tagged with this sector.
    pub sector: Option<Sector>,
    /// Only documents tagged with this region.
    pub region: Option<Region>,
    /// Only documents from this source.
    pub source: Option<Source>,
}

impl TrendQuery {
    /// Whether nothing is asked for.
    pub fn is_empty(&self) -> bool {
        *self == TrendQuery::default()
    }

    /// How the query reads: `term "memory shortage" · sector Tech`.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if let Some(term) = &self.term {
            parts.push(format!("term {term:?}"));
        }
        if let Some(name) = &self.name {
            parts.push(format!("name {name:?}"));
        }
        if let Some(query) = &self.query {
            parts.push(format!("query {query:?}"));
        }
        if let Some(sector) = &self.sector {
            parts.push(format!("sector {sector}"));
        }
        if let Some(region) = &self.region {
            parts.push(format!("region {region}"));
        }
        if let Some(source) = &self.source {
            parts.push(format!("source {source}"));
        }
        if parts.is_empty() {
            return "every event".to_string();
        }
        parts.join(" · ")
    }

    /// The tantivy query over `index` (its analyzers registered).
    pub fn to_query(
        &self,
        index: &tantivy::Index,
        fields: &KeywordFields,
    ) -> Result<Box<dyn Query>> {
        if self.is_empty() {
            // No filter: every event (the archive's own weekly totals).
            return Ok(Box::new(tantivy::query::AllQuery));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(term) = &self.term {
            clauses.push((Occur::Must, text_query(index, fields, term)?));
        }
        if let Some(name) = &self.name {
            // A text with no word the index keeps (`!!!`, one 60-letter token)
            // is in no event: it counts nothing, like any other absent text.
            let terms = tokens(index, fields.names, name)?;
            let query = phrase_or_term(terms)
                .unwrap_or_else(|| Box::new(tantivy::query::EmptyQuery) as Box<dyn Query>);
            clauses.push((Occur::Must, query));
        }
        if let Some(query) = &self.query {
            let parts = query_parts(query);
            if parts.is_empty() {
                clauses.push((Occur::Must, Box::new(tantivy::query::EmptyQuery)));
            }
            for part in parts {
                clauses.push((Occur::Must, text_query(index, fields, &part)?));
            }
        }
        let facets = [
            (fields.sector, self.sector.as_ref().map(Sector::slug)),
            (fields.region, self.region.as_ref().map(Region::slug)),
            (fields.source, self.source.as_ref().map(Source::slug)),
        ];
        for (field, slug) in facets {
            if let Some(slug) = slug {
                let term = Term::from_facet(field, &facet(&slug));
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                ));
            }
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }
}

/// A phrase (or a term) in the title or the body; nothing when `text` has no word
/// the index keeps.
fn text_query(
    index: &tantivy::Index,
    fields: &KeywordFields,
    text: &str,
) -> Result<Box<dyn Query>> {
    let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for field in [fields.title, fields.body] {
        if let Some(query) = phrase_or_term(tokens(index, field, text)?) {
            either.push((Occur::Should, query));
        }
    }
    if either.is_empty() {
        return Ok(Box::new(tantivy::query::EmptyQuery));
    }
    Ok(Box::new(BooleanQuery::new(either)))
}

/// `text` as `field`'s analyzer indexes it.
fn tokens(index: &tantivy::Index, field: Field, text: &str) -> Result<Vec<Term>> {
    let mut analyzer = index
        .tokenizer_for_field(field)
        .map_err(|e| Error::invalid("query", format!("no analyzer: {e}")))?;
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push(Term::from_field_text(field, &token.text));
    }
    Ok(terms)
}

fn phrase_or_term(mut terms: Vec<Term>) -> Option<Box<dyn Query>> {
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms.remove(0),
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

/// The quoted phrases of `query`, then its unquoted rest as one phrase.
pub fn query_parts(query: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = String::new();
    for (i, piece) in query.split('"').enumerate() {
        if i % 2 == 1 {
            if !piece.trim().is_empty() {
                parts.push(piece.trim().to_string());
            }
        } else {
            rest.push(' ');
            rest.push_str(piece);
        }
    }
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    if !rest.is_empty() {
        parts.push(rest);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_parts_are_phrases_and_the_rest_is_one_phrase() {
        assert_eq!(query_parts("memory shortage"), ["memory shortage"]);
        assert_eq!(
            query_parts("\"memory shortage\" chips  Korea"),
            ["memory shortage", "chips Korea"]
        );
        assert_eq!(query_parts("  "), Vec::<String>::new());
        assert_eq!(query_parts("\"unclosed"), ["unclosed"]);
    }

    #[test]
    fn labels_read_like_the_command() {
        let query = TrendQuery {
            query: Some("memory shortage".into()),
            sector: Some(Sector::Tech),
            ..TrendQuery::default()
        };
        assert_eq!(query.label(), "query \"memory shortage\" · sector Tech");
        assert!(TrendQuery::default().is_empty());
    }
}
