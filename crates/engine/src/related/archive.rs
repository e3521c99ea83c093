//! What the related-stories scorer reads, from either path: an open generation
//! ([`Arc<Index>`], shared with the server's other views) or the tables an index run
//! is writing ([`Written`], before the generation is switched to).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::Searcher;

use crate::document::Document;
use crate::error::{Error, Result};
use crate::generation::TANTIVY_DIR;
use crate::keyword::KeywordFields;
use crate::vectors::Vectors;
use crate::{Index, RowMap};

/// What a [`Scorer`] reads: documents, their vectors row for row, and the keyword
/// index over them with its map to rows. An open generation is one ([`Arc<Index>`],
/// which a server's views share); the tables an index run is writing are another
/// ([`Written`]).
pub trait Archive: Sync {
    /// Every document, in row order.
    fn docs(&self) -> &[Document];
    /// The vectors, row for row.
    fn vectors(&self) -> &Vectors;
    /// The row of document `id`.
    fn row(&self, id: &str) -> Option<usize>;
    /// The keyword index.
    fn keyword(&self) -> &tantivy::Index;
    /// A searcher of the keyword index whose documents [`Archive::rows`] maps.
    fn searcher(&self) -> Searcher;
    /// The keyword index's documents to rows.
    fn rows(&self) -> &RowMap;
    /// The keyword index's folder, for error messages.
    fn tantivy_dir(&self) -> PathBuf;
}

impl Archive for Arc<Index> {
    fn docs(&self) -> &[Document] {
        self.documents()
    }
    fn vectors(&self) -> &Vectors {
        Index::vectors(self)
    }
    fn row(&self, id: &str) -> Option<usize> {
        Index::row(self, id)
    }
    fn keyword(&self) -> &tantivy::Index {
        self.keyword_index()
    }
    fn searcher(&self) -> Searcher {
        self.reader().searcher()
    }
    fn rows(&self) -> &RowMap {
        Index::rows(self)
    }
    fn tantivy_dir(&self) -> PathBuf {
        self.generation_dir().join(TANTIVY_DIR)
    }
}

/// The tables of a generation being written: its documents and vectors, borrowed,
/// and its committed keyword index.
pub struct Written<'a> {
    docs: &'a [Document],
    vectors: &'a Vectors,
    keyword: tantivy::Index,
    searcher: Searcher,
    rows: RowMap,
    by_id: HashMap<&'a str, usize>,
    tantivy_dir: PathBuf,
}

impl<'a> Written<'a> {
    /// `docs` (row = vector row), `vectors`, and the keyword index `keyword` holding
    /// the same documents, whose folder is `tantivy_dir`.
    pub fn new(
        docs: &'a [Document],
        vectors: &'a Vectors,
        keyword: &tantivy::Index,
        tantivy_dir: &Path,
    ) -> Result<Written<'a>> {
        let reader = keyword.reader().map_err(Error::tantivy(tantivy_dir))?;
        let searcher = reader.searcher();
        let by_id: HashMap<&str, usize> = docs
            .iter()
            .enumerate()
            .map(|(r, d)| (d.id.as_str(), r))
            .collect();
        let rows = RowMap::build(&searcher, KeywordFields::schema().1.id, |id| {
            by_id.get(id).copied()
        })?;
        Ok(Written {
            docs,
            vectors,
            keyword: keyword.clone(),
            searcher,
            rows,
            by_id,
            tantivy_dir: tantivy_dir.to_path_buf(),
        })
    }
}

impl Archive for Written<'_> {
    fn docs(&self) -> &[Document] {
        self.docs
    }
    fn vectors(&self) -> &Vectors {
        self.vectors
    }
    fn row(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
    fn keyword(&self) -> &tantivy::Index {
        &self.keyword
    }
    fn searcher(&self) -> Searcher {
        self.searcher.clone()
    }
    fn rows(&self) -> &RowMap {
        &self.rows
    }
    fn tantivy_dir(&self) -> PathBuf {
        self.tantivy_dir.clone()
    }
}
