//! From tantivy hits to rows of the documents table, without reading stored documents.
//!
//! Counting a trend touches every matching document, often thousands; reading each
//! one's stored `id` would cost more than the search. The `id` field is indexed as one
//! raw term per document, so walking its term dictionary once per segment gives every
//! document's row: a few milliseconds for the whole archive, done once per generation
//! when it is opened ([`crate::Index::rows`]), and once at index time for related
//! stories.

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED};

use crate::error::{Error, Result};

/// A document's row in the documents table, by segment and document id.
#[derive(Debug, Clone, Default)]
pub struct RowMap {
    segments: Vec<Vec<u32>>,
}

/// Marks a tantivy document with no row (deleted, or not in the table).
const NO_ROW: u32 = u32::MAX;

impl RowMap {
    /// The rows of every document `searcher` sees; `row_of` gives a document id's row.
    pub fn build(
        searcher: &Searcher,
        id_field: Field,
        row_of: impl Fn(&str) -> Option<usize>,
    ) -> Result<RowMap> {
        let path = std::path::PathBuf::from("tantivy");
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for reader in searcher.segment_readers() {
            let mut map = vec![NO_ROW; reader.max_doc() as usize];
            let inverted = reader
                .inverted_index(id_field)
                .map_err(Error::tantivy(&path))?;
            let mut terms = inverted
                .terms()
                .stream()
                .map_err(|e| Error::tantivy(&path)(e.into()))?;
            while terms.advance() {
                let Some(row) = std::str::from_utf8(terms.key()).ok().and_then(&row_of) else {
                    continue;
                };
                let mut postings = inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(|e| Error::tantivy(&path)(e.into()))?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if !reader.is_deleted(doc) {
                        map[doc as usize] = row as u32;
                    }
                    doc = postings.advance();
                }
            }
            segments.push(map);
        }
        Ok(RowMap { segments })
    }

    /// The row of the document at `address`, if it has one.
    pub fn row(&self, address: DocAddress) -> Option<usize> {
        let row = *self
            .segments
            .get(address.segment_ord as usize)?
            .get(address.doc_id as usize)?;
        (row != NO_ROW).then_some(row as usize)
    }
}
