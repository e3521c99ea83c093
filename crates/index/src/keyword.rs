//! The keyword index: the tantivy schema, its analyzers, and writing documents into it.
//!
//! Titles and bodies are analysed for English (lowercase, ASCII folding, stemming) so
//! `robots` finds `robotics`-free `robot` stories and `café` finds `cafe`; the `names`
//! field keeps `Holotron-12B` and `$40B` whole (see [`backissue_text::names`]). Every filter a
//! reader can set is a facet (sector, region, section, level, kind, source) or a fast
//! field (date, ISO week as `year * 100 + week`, score), so filters, facet counts,
//! date ranges and sorting need no stored-document lookups.

use std::path::Path;

use backissue_issue::{Date, IsoWeek};
use tantivy::schema::{
    DateOptions, DateTimePrecision, Facet, FacetOptions, Field, IndexRecordOption, NumericOptions,
    Schema, TextFieldIndexing, TextOptions, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use crate::document::Document;
use crate::error::{Error, Result};
pub use backissue_text::analyzers::english_analyzer;
use backissue_text::names::{NamesTokenizer, NAMES_TOKENIZER};

/// The name the English analyzer is registered under in every index.
pub const ENGLISH_TOKENIZER: &str = "backissue_en";

/// Memory tantivy's writer may use while indexing (split across its threads).
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// The fields of the keyword index.
#[derive(Debug, Clone, Copy)]
pub struct KeywordFields {
    /// Document id (`2026-03-27/top/2`): raw string, stored.
    pub id: Field,
    /// Issue id (`2026-03-27`): raw string, stored; incremental updates delete by it.
    pub issue_id: Field,
    /// Event id: raw string, stored.
    pub event_id: Field,
    /// Title: English analyzer, positions, stored (for snippets).
    pub title: Field,
    /// Body: English analyzer, positions, stored (for snippets).
    pub body: Field,
    /// Title and body again, whole-name tokens (`holotron-12b`, `$40b`).
    pub names: Field,
    /// Title and body as one text, English analyzer, positions, not stored: BM25
    /// over the whole document, so a word in both title and body saturates once
    /// (as in BM25F) instead of scoring twice.
    pub text: Field,
    /// Sector facets: `/finance-banking`.
    pub sector: Field,
    /// Region facets: `/south-korea`.
    pub region: Field,
    /// Section facet: `/top_story`.
    pub section: Field,
    /// Level facet (resources and paths): `/beginner`.
    pub level: Field,
    /// Resource kind facet: `/tool`.
    pub kind: Field,
    /// Source facet (sector and regional stories): `/techcrunch`.
    pub source: Field,
    /// The issue's date at midnight UTC: indexed, fast, stored.
    pub date: Field,
    /// The issue's ISO week as `year * 100 + week` (`202613`): indexed, fast, stored.
    pub week: Field,
    /// A top story's score: indexed, fast, stored (absent for other documents).
    pub score: Field,
}

impl KeywordFields {
    /// The schema of the keyword index and its fields.
    pub fn schema() -> (Schema, KeywordFields) {
        let mut builder = Schema::builder();
        let english = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ENGLISH_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let names = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(NAMES_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let number = NumericOptions::default()
            .set_indexed()
            .set_fast()
            .set_stored();
        let fields = KeywordFields {
            id: builder.add_text_field("id", STRING | STORED),
            issue_id: builder.add_text_field("issue_id", STRING | STORED),
            event_id: builder.add_text_field("event_id", STRING | STORED),
            title: builder.add_text_field("title", english.clone()),
            body: builder.add_text_field("body", english),
            names: builder.add_text_field("names", names),
            text: builder.add_text_field(
                "text",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(ENGLISH_TOKENIZER)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                ),
            ),
            sector: builder.add_facet_field("sector", FacetOptions::default()),
            region: builder.add_facet_field("region", FacetOptions::default()),
            section: builder.add_facet_field("section", FacetOptions::default()),
            level: builder.add_facet_field("level", FacetOptions::default()),
            kind: builder.add_facet_field("kind", FacetOptions::default()),
            source: builder.add_facet_field("source", FacetOptions::default()),
            date: builder.add_date_field(
                "date",
                DateOptions::default()
                    .set_indexed()
                    .set_fast()
                    .set_stored()
                    .set_precision(DateTimePrecision::Seconds),
            ),
            week: builder.add_u64_field("week", number.clone()),
            score: builder.add_u64_field("score", number),
        };
        (builder.build(), fields)
    }

    /// The tantivy document for `doc`.
    pub fn document(&self, doc: &Document) -> TantivyDocument {
        let mut out = TantivyDocument::default();
        out.add_text(self.id, &doc.id);
        out.add_text(self.issue_id, &doc.issue_id);
        out.add_text(self.event_id, &doc.event_id);
        out.add_text(self.title, &doc.title);
        out.add_text(self.body, &doc.body);
        out.add_text(self.names, format!("{}\n{}", doc.title, doc.body));
        out.add_text(self.text, &doc.title);
        out.add_text(self.text, &doc.body);
        for sector in &doc.sectors {
            out.add_facet(self.sector, facet(&sector.slug()));
        }
        for region in &doc.regions {
            out.add_facet(self.region, facet(&region.slug()));
        }
        out.add_facet(self.section, facet(doc.section.as_str()));
        if let Some(level) = doc.level {
            out.add_facet(self.level, facet(level.slug()));
        }
        if let Some(kind) = &doc.kind {
            out.add_facet(self.kind, facet(&kind.slug()));
        }
        if let Some(source) = &doc.source {
            out.add_facet(self.source, facet(&source.slug()));
        }
        out.add_date(self.date, date_time(doc.date));
        out.add_u64(self.week, week_number(doc.week));
        if let Some(score) = doc.score {
            out.add_u64(self.score, u64::from(score));
        }
        out
    }
}

/// A one-level facet, `/value`, for a slug or section name.
pub fn facet(value: &str) -> Facet {
    Facet::from_path([value])
}

/// `date` at midnight UTC, as tantivy stores it.
pub fn date_time(date: Date) -> DateTime {
    DateTime::from_timestamp_secs(date.days_since_epoch() * 86_400)
}

/// An ISO week as one sortable number: `2026-W13` → `202613`.
pub fn week_number(week: IsoWeek) -> u64 {
    u64::try_from(week.year).unwrap_or(0) * 100 + u64::from(week.week)
}

/// Registers this crate's analyzers on `index`; needed after every open, since
/// tantivy stores analyzer names, not analyzers.
pub fn register_tokenizers(index: &tantivy::Index) {
    index
        .tokenizers()
        .register(ENGLISH_TOKENIZER, english_analyzer());
    index.tokenizers().register(
        NAMES_TOKENIZER,
        TextAnalyzer::from(NamesTokenizer::default()),
    );
}

/// Opens the keyword index in `dir`, analyzers registered.
pub fn open(dir: &Path) -> Result<tantivy::Index> {
    let index = tantivy::Index::open_in_dir(dir).map_err(Error::tantivy(dir))?;
    register_tokenizers(&index);
    Ok(index)
}

/// Writes a keyword index into the empty folder `dir`.
///
/// With `base`, the folder of a previous keyword index of the same schema, its
/// segment files are hard-linked (or copied) into `dir` first, the documents of
/// `stale_issues` are deleted and only `added` are indexed: unchanged issues cost
/// nothing. Without it, `added` must be every document.
pub fn write(
    dir: &Path,
    base: Option<&Path>,
    stale_issues: &[&str],
    added: &[&Document],
    progress: &mut dyn FnMut(usize),
) -> Result<()> {
    let (schema, fields) = KeywordFields::schema();
    let index = match base {
        Some(base) => {
            link_files(base, dir)?;
            open(dir)?
        }
        None => {
            let index = tantivy::Index::create_in_dir(dir, schema).map_err(Error::tantivy(dir))?;
            register_tokenizers(&index);
            index
        }
    };
    let mut writer: IndexWriter = index.writer(WRITER_MEMORY).map_err(Error::tantivy(dir))?;
    for issue in stale_issues {
        writer.delete_term(Term::from_field_text(fields.issue_id, issue));
    }
    for (n, doc) in added.iter().enumerate() {
        writer
            .add_document(fields.document(doc))
            .map_err(Error::tantivy(dir))?;
        if n % 64 == 63 {
            progress(64);
        }
    }
    progress(added.len() % 64);
    writer.commit().map_err(Error::tantivy(dir))?;
    writer.wait_merging_threads().map_err(Error::tantivy(dir))?;
    Ok(())
}

/// Hard-links every file of the keyword index `from` into `to` (copying where links
/// are refused, e.g. across file systems). tantivy never changes a segment file in
/// place and replaces its metadata files by renaming, so the old generation stays
/// exactly as it was.
fn link_files(from: &Path, to: &Path) -> Result<()> {
    let entries = std::fs::read_dir(from).map_err(Error::io(from, "cannot read"))?;
    for entry in entries {
        let entry = entry.map_err(Error::io(from, "cannot read"))?;
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(".lock") || !entry.path().is_file() {
            continue;
        }
        let target = to.join(&name);
        if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target).map_err(Error::io(&target, "cannot copy"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, FacetCollector, TopDocs};
    use tantivy::query::{QueryParser, TermQuery};
    use tantivy::schema::Value;

    use super::*;
    use crate::document::fixtures::seed_issue;
    use crate::event::split_issue;

    fn seed_index(dir: &Path) -> (tantivy::Index, Vec<Document>) {
        let docs = split_issue(&seed_issue());
        let refs: Vec<&Document> = docs.iter().collect();
        write(dir, None, &[], &refs, &mut |_| {}).unwrap();
        (open(dir).unwrap(), docs)
    }

    fn hits(index: &tantivy::Index, query: &str) -> Vec<String> {
        let (_, fields) = KeywordFields::schema();
        let reader = index.reader().unwrap();
        let searcher = reader.searcher();
        let parser = QueryParser::for_index(index, vec![fields.title, fields.body, fields.names]);
        let query = parser.parse_query(query).unwrap();
        searcher
            .search(&query, &TopDocs::with_limit(100).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address).unwrap();
                doc.get_first(fields.id)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn english_analysis_stems_folds_and_lowercases() {
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = seed_index(dir.path());
        // "shutting" / "shutters" stem to "shut"; "Robotics" lowercased.
        assert!(hits(&index, "shut").contains(&"2026-03-27/top/1".to_string()));
        assert!(hits(&index, "ROBOTICS").contains(&"2026-03-27/top/12".to_string()));
        let mut analyzer = english_analyzer();
        let mut stream = analyzer.token_stream("Café Déjà-vu");
        let mut words = Vec::new();
        while let Some(token) = stream.next() {
            words.push(token.text.clone());
        }
        assert_eq!(words, ["cafe", "deja", "vu"]);
    }

    #[test]
    fn names_field_matches_whole_names() {
        let dir = tempfile::tempdir().unwrap();
        let (index, _) = seed_index(dir.path());
        let holotron = hits(&index, "names:\"holotron-12b\"");
        assert!(
            holotron.contains(&"2026-03-27/top/9".to_string()),
            "{holotron:?}"
        );
        assert!(holotron.iter().all(|id| !id.ends_with("/top/1")));
        let rupees = hits(&index, "names:\"₹250cr\"");
        assert!(
            rupees.contains(&"2026-03-27/india-watch/2".to_string()),
            "{rupees:?}"
        );
    }

    #[test]
    fn facets_and_fast_fields_are_filled() {
        let dir = tempfile::tempdir().unwrap();
        let (index, docs) = seed_index(dir.path());
        let (_, fields) = KeywordFields::schema();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.num_docs() as usize, docs.len());

        let mut collector = FacetCollector::for_field("section");
        collector.add_facet("/");
        let counts = searcher
            .search(&tantivy::query::AllQuery, &collector)
            .unwrap();
        let top: Vec<(String, u64)> = counts
            .get("/")
            .map(|(facet, count)| (facet.to_string(), count))
            .collect();
        assert!(top.contains(&("/top_story".to_string(), 20)), "{top:?}");
        assert!(top.contains(&("/resource".to_string(), 12)), "{top:?}");

        let finance = TermQuery::new(
            Term::from_facet(fields.sector, &facet("finance-banking")),
            IndexRecordOption::Basic,
        );
        let count = searcher.search(&finance, &Count).unwrap();
        let expected = docs
            .iter()
            .filter(|d| d.sectors.iter().any(|s| s.slug() == "finance-banking"))
            .count();
        assert_eq!(count, expected);

        let week = TermQuery::new(
            Term::from_field_u64(fields.week, 202613),
            IndexRecordOption::Basic,
        );
        assert_eq!(searcher.search(&week, &Count).unwrap(), docs.len());
    }

    #[test]
    fn incremental_write_replaces_one_issue_and_leaves_the_base_alone() {
        let base = tempfile::tempdir().unwrap();
        let (_, docs) = seed_index(base.path());
        let next = tempfile::tempdir().unwrap();
        let changed: Vec<Document> = docs
            .iter()
            .take(3)
            .map(|d| Document {
                title: format!("{} (zyxwvut)", d.title),
                ..d.clone()
            })
            .collect();
        let refs: Vec<&Document> = changed.iter().collect();
        write(
            next.path(),
            Some(base.path()),
            &["2026-03-27"],
            &refs,
            &mut |_| {},
        )
        .unwrap();
        let next_index = open(next.path()).unwrap();
        assert_eq!(next_index.reader().unwrap().searcher().num_docs(), 3);
        assert_eq!(hits(&next_index, "zyxwvut").len(), 3);
        let base_index = open(base.path()).unwrap();
        assert_eq!(
            base_index.reader().unwrap().searcher().num_docs() as usize,
            docs.len()
        );
        assert!(hits(&base_index, "zyxwvut").is_empty());
    }

    #[test]
    fn week_numbers_sort_like_weeks() {
        assert_eq!(
            week_number(IsoWeek {
                year: 2026,
                week: 13
            }),
            202613
        );
        assert!(
            week_number(IsoWeek {
                year: 2025,
                week: 52
            }) < week_number(IsoWeek {
                year: 2026,
                week: 1
            })
        );
        assert_eq!(
            date_time("1970-01-02".parse().unwrap()).into_timestamp_secs(),
            86_400
        );
    }
}
