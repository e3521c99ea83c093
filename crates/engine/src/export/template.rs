//! The index template: analysis that reads text as backissue does, a mapping with
//! every field of a [`crate::Document`], and the vector field with the graph
//! parameters the generation was built with.
//!
//! backissue's English analyzer splits on anything that is not a letter or a digit,
//! drops tokens over 40 bytes, lowercases, folds to ASCII and stems with Porter2
//! (Snowball English); it keeps stop words in the index and a query drops its
//! function words. The `names` field keeps `Holotron-12B` and `$40B` whole. The
//! template rebuilds both from standard analysis parts, with the query's stop words
//! taken from [`backissue_text::stop_words`].

use serde_json::{json, Map, Value};

use backissue_text::stop_words::{stop_words, Tier};

use super::{ExportOptions, Format};
use crate::Index;

/// The field holding each document's embedding.
pub const VECTOR_FIELD: &str = "embedding";

/// The fields whose value is always an array, however many values a document has.
pub const MULTI_VALUED: [&str; 3] = ["sectors", "regions", "steps"];

/// The analyzer of titles, bodies and the whole text.
pub const ENGLISH_ANALYZER: &str = "backissue_english";
/// The search analyzer of the English fields: the same, without function words.
pub const ENGLISH_QUERY_ANALYZER: &str = "backissue_english_query";
/// The analyzer of the `names` field: whole names, lower-cased.
pub const NAMES_ANALYZER: &str = "backissue_names";
/// The search analyzer of the `names` field: the same, without function words.
pub const NAMES_QUERY_ANALYZER: &str = "backissue_names_query";

/// Longest token the English analyzer keeps (tantivy's `RemoveLongFilter` in
/// [`backissue_text::analyzers::english_analyzer`] counts bytes; `length` counts
/// characters, the same for English words).
const MAX_TOKEN_LENGTH: usize = 40;

/// Template priority: above the built-in templates, so it wins for its patterns.
const PRIORITY: u32 = 100;

/// The composable index template for `options`: patterns `NAME` and `NAME-*`.
pub fn index_template(index: &Index, options: &ExportOptions) -> Value {
    let name = &options.index_name;
    json!({
        "index_patterns": [name, format!("{name}-*")],
        "priority": PRIORITY,
        "template": {
            "settings": settings(options.format),
            "mappings": mappings(index, options.format),
        },
    })
}

/// One shard, so BM25's statistics are the whole archive's, as in backissue's
/// single keyword index (and the hybrid scores are normalised over one list).
fn settings(format: Format) -> Value {
    let mut index = Map::new();
    index.insert("number_of_shards".into(), json!(1));
    if format == Format::OpenSearch {
        index.insert("knn".into(), json!(true));
    }
    json!({ "index": index, "analysis": analysis() })
}

fn analysis() -> Value {
    let mut function_words: Vec<&str> = stop_words(Tier::Function).collect();
    function_words.sort_unstable();
    let english = [
        "backissue_max_length",
        "lowercase",
        "asciifolding",
        "backissue_porter2",
    ];
    let english_query = [
        "backissue_max_length",
        "lowercase",
        "asciifolding",
        "backissue_function_words",
        "backissue_porter2",
    ];
    let names = [
        "backissue_trim_punctuation",
        "backissue_possessive",
        "lowercase",
        "backissue_not_empty",
    ];
    let names_query = [
        "backissue_trim_punctuation",
        "backissue_possessive",
        "lowercase",
        "backissue_function_words",
        "backissue_not_empty",
    ];
    json!({
        "tokenizer": {
            // tantivy's SimpleTokenizer: runs of letters and digits.
            "backissue_words": { "type": "pattern", "pattern": r"[^\p{L}\p{N}]+" },
            // backissue_text::names: whitespace and dashes used as punctuation.
            "backissue_name_runs": { "type": "pattern", "pattern": r"[\s\u2014\u2013]+" },
        },
        "filter": {
            "backissue_max_length": { "type": "length", "max": MAX_TOKEN_LENGTH },
            "backissue_porter2": { "type": "stemmer", "language": "porter2" },
            "backissue_function_words": { "type": "stop", "stopwords": function_words },
            "backissue_trim_punctuation": {
                "type": "pattern_replace",
                "pattern": r#"^[(\[{"'“‘«*_]+|[.,;:!?)\]}"'”’»…*_]+$"#,
                "replacement": "",
            },
            "backissue_possessive": {
                "type": "pattern_replace",
                "pattern": r"(?<=.)['’][sS]$",
                "replacement": "",
            },
            "backissue_not_empty": { "type": "length", "min": 1 },
        },
        "analyzer": {
            ENGLISH_ANALYZER: custom("backissue_words", &english),
            ENGLISH_QUERY_ANALYZER: custom("backissue_words", &english_query),
            NAMES_ANALYZER: custom("backissue_name_runs", &names),
            NAMES_QUERY_ANALYZER: custom("backissue_name_runs", &names_query),
        },
    })
}

fn custom(tokenizer: &str, filters: &[&str]) -> Value {
    json!({ "type": "custom", "tokenizer": tokenizer, "filter": filters })
}

/// Every field of the bulk body's documents, plus `text` and `names`, filled by
/// `copy_to` from the title and body as backissue's keyword index fills them.
fn mappings(index: &Index, format: Format) -> Value {
    let manifest = index.manifest();
    let keyword = json!({ "type": "keyword" });
    let integer = json!({ "type": "integer" });
    let story_text = json!({
        "type": "text",
        "analyzer": ENGLISH_ANALYZER,
        "search_analyzer": ENGLISH_QUERY_ANALYZER,
        "copy_to": ["text", "names"],
    });
    json!({
        "dynamic": "strict",
        "_meta": {
            "exported_by": "backissue export",
            "generation": manifest.generation,
            "built_at": manifest.built_at,
            "schema_version": manifest.schema_version,
            "model": manifest.model,
            "hnsw": manifest.hnsw,
            "vector_field": VECTOR_FIELD,
            "multi_valued": MULTI_VALUED,
        },
        "properties": {
            "id": keyword,
            "issue_id": keyword,
            "event_id": keyword,
            "section": keyword,
            "date": { "type": "date", "format": "strict_date" },
            "week": integer,
            "title": story_text,
            "body": story_text,
            "text": english_text(),
            "names": {
                "type": "text",
                "analyzer": NAMES_ANALYZER,
                "search_analyzer": NAMES_QUERY_ANALYZER,
            },
            "sectors": keyword,
            "regions": keyword,
            "level": keyword,
            "kind": keyword,
            "source": keyword,
            "url": keyword,
            "score": integer,
            "steps": {
                "type": "object",
                "properties": {
                    "n": integer,
                    "text": english_text(),
                    "minutes": integer,
                    "url": keyword,
                },
            },
            VECTOR_FIELD: vector(index, format),
        },
    })
}

fn english_text() -> Value {
    json!({
        "type": "text",
        "analyzer": ENGLISH_ANALYZER,
        "search_analyzer": ENGLISH_QUERY_ANALYZER,
    })
}

/// The vector field: HNSW with the generation's `m` and `ef_construction`, over
/// cosine similarity. backissue's vectors are unit length and compared by dot
/// product, which is their cosine; cosine keeps a query vector that was not
/// normalised comparable, and its score, (1 + cos) / 2 in both engines, is linear
/// in the cosine, so backissue's similarity floor maps to a fixed score.
fn vector(index: &Index, format: Format) -> Value {
    let hnsw = index.manifest().hnsw;
    let dimension = index.vectors().dimension();
    match format {
        Format::OpenSearch => json!({
            "type": "knn_vector",
            "dimension": dimension,
            "method": {
                "name": "hnsw",
                "engine": "lucene",
                "space_type": "cosinesimil",
                "parameters": {
                    "m": hnsw.max_connections,
                    "ef_construction": hnsw.ef_construction,
                },
            },
        }),
        Format::Elasticsearch => json!({
            "type": "dense_vector",
            "dims": dimension,
            "index": true,
            "similarity": "cosine",
            "index_options": {
                "type": "hnsw",
                "m": hnsw.max_connections,
                "ef_construction": hnsw.ef_construction,
            },
        }),
    }
}
