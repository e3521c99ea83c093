//! Exports of a small generated archive, embedded with the hash embedder, read back
//! as a cluster would read them.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use backissue_embed::HashEmbedder;
use backissue_sample::{generate, write_archive, Config};
use serde_json::Value;
use tempfile::TempDir;

use super::*;
use crate::search::{DEFAULT_SEMANTIC_RATIO, SIMILARITY_FLOOR};
use crate::{Indexer, NoProgress};

const DIMENSION: usize = 32;

struct Fixture {
    _dirs: (TempDir, TempDir),
    index: Index,
    out: TempDir,
}

/// Three weeks of the seed-7 sample archive (every section: stories with tags,
/// briefs, a regional watch, resources, learning paths), indexed and exported.
fn exported(format: Format) -> Fixture {
    let corpus = tempfile::tempdir().unwrap();
    let index_dir = tempfile::tempdir().unwrap();
    let archive = generate(&Config {
        weeks: 3,
        start: "2025-01-03".parse().unwrap(),
        seed: 7,
    });
    write_archive(&archive, corpus.path()).unwrap();
    let report = Indexer::new(corpus.path(), index_dir.path())
        .run(&HashEmbedder::new(DIMENSION), &mut NoProgress)
        .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let index = Index::open(index_dir.path()).unwrap();
    let out = tempfile::tempdir().unwrap();
    export(&index, &ExportOptions::new(format), out.path()).unwrap();
    Fixture {
        _dirs: (corpus, index_dir),
        index,
        out,
    }
}

fn json_file(dir: &Path, name: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

fn bulk_lines(dir: &Path) -> (String, Vec<Value>) {
    let text = std::fs::read_to_string(dir.join(BULK_FILE)).unwrap();
    let lines = text
        .lines()
        .enumerate()
        .map(|(n, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{BULK_FILE}:{}: not JSON: {e}", n + 1))
        })
        .collect();
    (text, lines)
}

/// The numbers of a source line's vector as written, each read as an f32 the way
/// a cluster reads it (straight from the decimal, not through an f64).
fn written_vector(line: &str) -> Vec<f32> {
    let key = format!("\"{VECTOR_FIELD}\":[");
    let start = line.find(&key).expect("a vector") + key.len();
    let end = start + line[start..].find(']').unwrap();
    line[start..end]
        .split(',')
        .map(|n| n.parse::<f32>().unwrap())
        .collect()
}

#[test]
fn the_template_is_json_with_the_index_dimension_and_graph() {
    let fx = exported(Format::OpenSearch);
    let template = json_file(fx.out.path(), TEMPLATE_FILE);
    assert_eq!(template["index_patterns"][0], "backissue");
    assert_eq!(template["template"]["settings"]["index"]["knn"], true);
    let vector = &template["template"]["mappings"]["properties"][VECTOR_FIELD];
    assert_eq!(vector["type"], "knn_vector");
    assert_eq!(vector["dimension"], fx.index.vectors().dimension());
    assert_eq!(vector["dimension"], DIMENSION);
    let hnsw = fx.index.manifest().hnsw;
    let method = &vector["method"];
    assert_eq!(method["name"], "hnsw");
    assert_eq!(method["space_type"], "cosinesimil");
    assert_eq!(method["parameters"]["m"], hnsw.max_connections);
    assert_eq!(
        method["parameters"]["ef_construction"],
        hnsw.ef_construction
    );
}

#[test]
fn every_document_is_in_the_bulk_body_once_with_its_stored_vector() {
    let fx = exported(Format::OpenSearch);
    let (text, lines) = bulk_lines(fx.out.path());
    let docs = fx.index.documents();
    assert!(docs.len() > 100, "{} documents", docs.len());
    assert!(
        text.ends_with('\n'),
        "_bulk needs a line break after the last line"
    );
    assert_eq!(lines.len(), 2 * docs.len());
    let raw: Vec<&str> = text.lines().collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (pair, lines) in lines.chunks(2).enumerate() {
        let (action, source) = (&lines[0], &lines[1]);
        assert_eq!(action["index"]["_index"], "backissue");
        let id = action["index"]["_id"].as_str().unwrap();
        assert_eq!(source["id"], id, "line {}", 2 * pair + 2);
        *seen.entry(id.to_string()).or_default() += 1;
        let row = fx.index.row(id).unwrap();
        let stored = fx.index.vectors().get(row);
        let written = written_vector(raw[2 * pair + 1]);
        assert_eq!(written.len(), DIMENSION, "{id}");
        let same = written
            .iter()
            .zip(stored)
            .all(|(w, s)| w.to_bits() == s.to_bits());
        assert!(same, "{id}: the vector differs from the stored one");
    }
    assert_eq!(seen.len(), docs.len());
    assert!(seen.values().all(|&n| n == 1), "an id appears twice");
    assert!(docs.iter().all(|d| seen.contains_key(&d.id)));
}

/// Checks `value` against the field mapping `mapping` at `path`.
fn check_field(path: &str, mapping: &Value, value: &Value, dimension: usize) {
    let kind = mapping["type"].as_str().unwrap_or("object");
    match kind {
        "keyword" | "text" => assert!(value.is_string(), "{path}: {value} is not a string"),
        "integer" => assert!(value.is_i64(), "{path}: {value} is not an integer"),
        "date" => {
            let text = value.as_str().unwrap_or_default();
            assert_eq!(mapping["format"], "strict_date");
            assert!(
                text.len() == 10 && text.parse::<backissue_issue::Date>().is_ok(),
                "{path}: {value} is not YYYY-MM-DD"
            );
        }
        "knn_vector" | "dense_vector" => {
            let numbers = value.as_array().unwrap();
            assert_eq!(numbers.len(), dimension, "{path}");
            assert!(numbers.iter().all(Value::is_number), "{path}");
        }
        "object" => {
            let object = value
                .as_object()
                .unwrap_or_else(|| panic!("{path}: {value} is not an object"));
            for (key, inner) in object {
                let field = &mapping["properties"][key];
                assert!(field.is_object(), "{path}.{key} is not in the mapping");
                check_field(&format!("{path}.{key}"), field, inner, dimension);
            }
        }
        other => panic!("{path}: unexpected type {other}"),
    }
}

#[test]
fn every_source_field_is_mapped_with_a_matching_type() {
    for format in Format::ALL {
        let fx = exported(format);
        let template = json_file(fx.out.path(), TEMPLATE_FILE);
        let mappings = &template["template"]["mappings"];
        assert_eq!(mappings["dynamic"], "strict");
        assert_eq!(
            mappings["_meta"]["multi_valued"],
            serde_json::json!(MULTI_VALUED)
        );
        let properties = mappings["properties"].as_object().unwrap();
        let (_, lines) = bulk_lines(fx.out.path());
        let mut filled = BTreeSet::new();
        for source in lines.iter().skip(1).step_by(2) {
            for (key, value) in source.as_object().unwrap() {
                let mapping = properties
                    .get(key)
                    .unwrap_or_else(|| panic!("{format}: {key} is not in the mapping"));
                if MULTI_VALUED.contains(&key.as_str()) {
                    let values = value
                        .as_array()
                        .unwrap_or_else(|| panic!("{format}: {key} is {value}, not an array"));
                    for value in values {
                        check_field(key, mapping, value, DIMENSION);
                    }
                } else {
                    check_field(key, mapping, value, DIMENSION);
                }
                filled.insert(key.clone());
            }
        }
        // Every mapped field is filled by some document, but the two that the
        // title and body are copied into.
        let mapped: BTreeSet<String> = properties.keys().cloned().collect();
        let copied: BTreeSet<String> = ["text".to_string(), "names".to_string()].into();
        assert_eq!(
            mapped.difference(&filled).cloned().collect::<BTreeSet<_>>(),
            copied,
            "{format}"
        );
        for field in ["title", "body"] {
            assert_eq!(
                properties[field]["copy_to"],
                serde_json::json!(["text", "names"])
            );
        }
    }
}

#[test]
fn the_analyzers_the_mapping_names_are_defined() {
    let fx = exported(Format::OpenSearch);
    let template = json_file(fx.out.path(), TEMPLATE_FILE);
    let analysis = &template["template"]["settings"]["analysis"];
    let mut named = Vec::new();
    fn collect<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        if let Some(object) = value.as_object() {
            for key in ["analyzer", "search_analyzer"] {
                if let Some(name) = object.get(key).and_then(Value::as_str) {
                    out.push(name);
                }
            }
            object.values().for_each(|v| collect(v, out));
        }
    }
    collect(&template["template"]["mappings"], &mut named);
    assert!(named.contains(&ENGLISH_ANALYZER) && named.contains(&NAMES_ANALYZER));
    for name in named {
        let analyzer = &analysis["analyzer"][name];
        assert!(analyzer.is_object(), "{name} is not defined");
        let tokenizer = analyzer["tokenizer"].as_str().unwrap();
        assert!(analysis["tokenizer"][tokenizer].is_object(), "{tokenizer}");
        for filter in analyzer["filter"].as_array().unwrap() {
            let filter = filter.as_str().unwrap();
            let builtin = ["lowercase", "asciifolding"].contains(&filter);
            assert!(
                builtin || analysis["filter"][filter].is_object(),
                "{filter}"
            );
        }
    }
    // The query drops backissue's own function words, not Lucene's list.
    let stop = analysis["filter"]["backissue_function_words"]["stopwords"]
        .as_array()
        .unwrap();
    assert!(stop.contains(&Value::from("the")) && !stop.contains(&Value::from("new")));
}

/// OpenSearch's `min_max` with lower and upper bounds (mode `clip` below, bound
/// above), as its documentation gives the formulas.
fn min_max(score: f64, lower: &Value, upper: &Value, max: f64) -> f64 {
    let low = match lower["mode"].as_str() {
        Some("ignore") => 0.0,
        _ => lower["min_score"].as_f64().unwrap(),
    };
    let high = match upper["mode"].as_str() {
        Some("ignore") => max,
        _ => upper["max_score"].as_f64().unwrap(),
    };
    if score < low && lower["mode"] == "clip" {
        return 0.0;
    }
    ((score - low) / (high - low)).min(1.0)
}

#[test]
fn the_pipeline_fuses_scores_as_backissue_does() {
    let fx = exported(Format::OpenSearch);
    let pipeline = json_file(fx.out.path(), PIPELINE_FILE);
    let processor = &pipeline["phase_results_processors"][0]["normalization-processor"];
    assert_eq!(processor["normalization"]["technique"], "min_max");
    assert_eq!(processor["combination"]["technique"], "arithmetic_mean");
    let weights: Vec<f64> = processor["combination"]["parameters"]["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_f64().unwrap())
        .collect();
    let ratio = f64::from(DEFAULT_SEMANTIC_RATIO);
    assert!((weights[0] - (1.0 - ratio)).abs() < 1e-6 && (weights[1] - ratio).abs() < 1e-6);
    assert_eq!(
        weights[0] + weights[1],
        1.0,
        "OpenSearch wants weights summing to 1"
    );

    let bounds = &processor["normalization"]["parameters"];
    let (lower, upper) = (&bounds["lower_bounds"], &bounds["upper_bounds"]);
    // Keyword side: BM25 over the query's best BM25.
    let best = 12.5;
    for bm25 in [0.3, 4.0, 12.5] {
        let normalised = min_max(bm25, &lower[0], &upper[0], best);
        assert!((normalised - bm25 / best).abs() < 1e-12, "{bm25}");
    }
    // Vector side: OpenSearch scores cosine (1 + cos) / 2; backissue counts
    // (cos - floor) / (1 - floor), clamped to 0..1, whatever the best match is.
    for cos in [-0.3, 0.1, 0.2, 0.35, 0.8, 1.0] {
        let score = (1.0 + cos) / 2.0;
        let normalised = min_max(score, &lower[1], &upper[1], 0.9);
        let share = ((cos - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)).clamp(0.0, 1.0);
        assert!(
            (normalised - share).abs() < 1e-9,
            "cos {cos}: {normalised} vs {share}"
        );
    }
}

#[test]
fn the_example_query_uses_mapped_fields_and_a_stored_vector() {
    let fx = exported(Format::OpenSearch);
    let template = json_file(fx.out.path(), TEMPLATE_FILE);
    let properties = &template["template"]["mappings"]["properties"];
    let query = json_file(fx.out.path(), QUERY_FILE);
    let [keyword, knn] = query["query"]["hybrid"]["queries"]
        .as_array()
        .unwrap()
        .as_slice()
    else {
        panic!("two sub-queries, keyword first: {query}");
    };
    for field in keyword["multi_match"]["fields"].as_array().unwrap() {
        let name = field.as_str().unwrap().split('^').next().unwrap();
        assert_eq!(properties[name]["type"], "text", "{name}");
    }
    let vector: Vec<f32> = knn["knn"][VECTOR_FIELD]["vector"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap() as f32)
        .collect();
    assert_eq!(vector.len(), DIMENSION);
    let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!(
        (norm - 1.0).abs() < 1e-4,
        "a unit vector, as the stored ones"
    );
    assert_eq!(
        properties[query["collapse"]["field"].as_str().unwrap()]["type"],
        "keyword"
    );
    let words = keyword["multi_match"]["query"].as_str().unwrap();
    assert!(fx.index.documents().iter().any(|d| d.title == words));
}

#[test]
fn the_readme_says_how_to_load_and_its_json_parses() {
    for format in Format::ALL {
        let fx = exported(format);
        let text = std::fs::read_to_string(fx.out.path().join(README_FILE)).unwrap();
        assert!(text.contains("_index_template/backissue"), "{format}");
        assert!(
            text.contains("Content-Type: application/x-ndjson"),
            "{format}"
        );
        assert!(text.contains("--data-binary @bulk.ndjson"), "{format}");
        assert!(
            text.contains("## Where the mirror is approximate"),
            "{format}"
        );
        let mut blocks = 0;
        for block in text.split("```json\n").skip(1) {
            let json = block.split("\n```").next().unwrap();
            serde_json::from_str::<Value>(json)
                .unwrap_or_else(|e| panic!("{format}: a README block is not JSON: {e}\n{json}"));
            blocks += 1;
        }
        assert!(blocks >= 1, "{format}");
        if format == Format::OpenSearch {
            assert!(text.contains("_search/pipeline/backissue-hybrid"));
            assert!(text.contains("search_pipeline=backissue-hybrid"));
            assert!(text.contains("docs.opensearch.org"));
        }
    }
}

#[test]
fn elasticsearch_gets_a_dense_vector_and_the_same_bulk_body() {
    let es = exported(Format::Elasticsearch);
    let template = json_file(es.out.path(), TEMPLATE_FILE);
    assert!(template["template"]["settings"]["index"]["knn"].is_null());
    let vector = &template["template"]["mappings"]["properties"][VECTOR_FIELD];
    let hnsw = es.index.manifest().hnsw;
    assert_eq!(vector["type"], "dense_vector");
    assert_eq!(vector["dims"], DIMENSION);
    assert_eq!(vector["index"], true);
    assert_eq!(vector["similarity"], "cosine");
    assert_eq!(vector["index_options"]["type"], "hnsw");
    assert_eq!(vector["index_options"]["m"], hnsw.max_connections);
    assert_eq!(
        vector["index_options"]["ef_construction"],
        hnsw.ef_construction
    );
    assert!(!es.out.path().join(PIPELINE_FILE).exists());
    let query = json_file(es.out.path(), QUERY_FILE);
    let retrievers = query["retriever"]["linear"]["retrievers"]
        .as_array()
        .unwrap();
    let weights: Vec<f64> = retrievers
        .iter()
        .map(|r| r["weight"].as_f64().unwrap())
        .collect();
    assert_eq!(weights.len(), 2);
    assert!((weights[1] - f64::from(DEFAULT_SEMANTIC_RATIO)).abs() < 1e-6);

    let mut bulk = Vec::new();
    write_bulk(&es.index, DEFAULT_INDEX_NAME, &mut bulk).unwrap();
    assert_eq!(bulk, std::fs::read(es.out.path().join(BULK_FILE)).unwrap());
}

#[test]
fn a_failed_write_keeps_the_previous_file_and_leaves_no_partial_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), BULK_FILE, |w| w.write_all(b"old\n")).unwrap();
    let err = write_file(dir.path(), BULK_FILE, |w| {
        w.write_all(b"half of a new")?;
        Err(io::Error::other("No space left on device"))
    })
    .unwrap_err();
    assert!(err.to_string().contains("No space left on device"), "{err}");
    assert!(err.to_string().contains(".bulk.ndjson.partial"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [BULK_FILE]);
}

#[test]
fn an_output_folder_that_cannot_be_made_is_an_error_naming_it() {
    let fx = exported(Format::OpenSearch);
    let file = fx.out.path().join(README_FILE);
    let out = file.join("export");
    let err = export(&fx.index, &ExportOptions::new(Format::OpenSearch), &out).unwrap_err();
    assert!(err.to_string().contains(&*out.to_string_lossy()), "{err}");
    assert!(!err.is_user_error());
}

#[test]
fn index_names_are_checked_and_formats_parse() {
    for bad in ["", "Backissue", "_hidden", "a b", "a/b", "x*"] {
        let options = ExportOptions {
            index_name: bad.to_string(),
            ..ExportOptions::new(Format::OpenSearch)
        };
        assert!(options.check().unwrap_err().is_user_error(), "{bad:?}");
    }
    let good = ExportOptions {
        index_name: "backissue-2026.03".to_string(),
        ..ExportOptions::new(Format::OpenSearch)
    };
    good.check().unwrap();
    for format in Format::ALL {
        assert_eq!(format.as_str().parse::<Format>().unwrap(), format);
    }
    assert!("solr".parse::<Format>().is_err());
}
