//! `backissue export` end to end, with the real embedding model, on two weeks of the
//! shipped corpus: the files a cluster loads, read back as the cluster reads them
//! and compared with the generation they came from.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use common::{stderr, stdout};
use serde_json::Value;
use tempfile::TempDir;

/// The weeks indexed.
const WEEKS: [&str; 2] = ["2025-06-06", "2025-06-13"];

struct Slice {
    dir: TempDir,
    index: PathBuf,
}

/// The two weeks, indexed once with the real model; `None` (after saying why) on a
/// checkout without the model files.
fn slice() -> Option<&'static Slice> {
    static SLICE: OnceLock<Option<Slice>> = OnceLock::new();
    SLICE
        .get_or_init(|| common::index_weeks(&WEEKS).map(|(dir, index)| Slice { dir, index }))
        .as_ref()
}

fn export(index: &Path, out: &Path, args: &[&str]) -> Output {
    common::bin()
        .arg("export")
        .arg("--index")
        .arg(index)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

fn json_file(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The current generation's folder.
fn generation(index: &Path) -> PathBuf {
    let name = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    index.join("generations").join(name.trim())
}

/// The generation's vectors, row by row, as raw f32.
fn stored_vectors(index: &Path, dimension: usize) -> Vec<Vec<f32>> {
    let bytes = std::fs::read(generation(index).join("vectors.f32")).unwrap();
    let values: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    values.chunks(dimension).map(<[f32]>::to_vec).collect()
}

/// The generation's document ids, in row order.
fn stored_ids(index: &Path) -> Vec<String> {
    std::fs::read_to_string(generation(index).join("documents.jsonl"))
        .unwrap()
        .lines()
        .map(|line| {
            let doc: Value = serde_json::from_str(line).unwrap();
            doc["id"].as_str().unwrap().to_string()
        })
        .collect()
}

/// A source line's vector as written, each number read as an f32 straight from
/// its decimal (as a cluster reads it).
fn written_vector(line: &str) -> Vec<f32> {
    let start = line.find("\"embedding\":[").expect("a vector") + "\"embedding\":[".len();
    let end = start + line[start..].find(']').unwrap();
    line[start..end]
        .split(',')
        .map(|n| n.parse::<f32>().unwrap())
        .collect()
}

#[test]
fn export_writes_a_template_and_a_bulk_body_that_match_the_index() {
    let Some(slice) = slice() else { return };
    let out = slice.dir.path().join("opensearch");
    let output = export(&slice.index, &out, &["--format", "opensearch", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();

    let stats = common::bin()
        .args(["stats", "--json", "--index"])
        .arg(&slice.index)
        .output()
        .unwrap();
    assert!(stats.status.success(), "{}", stderr(&stats));
    let stats: Value = serde_json::from_str(&stdout(&stats)).unwrap();
    let dimension = stats["model"]["dimension"].as_u64().unwrap() as usize;
    let documents = stats["documents"].as_u64().unwrap() as usize;
    assert_eq!(dimension, 384);
    assert_eq!(report["documents"], documents);

    // The template: JSON, the index's dimension, the graph it was built with.
    let template = json_file(&out.join("index-template.json"));
    let mappings = &template["template"]["mappings"];
    let vector = &mappings["properties"]["embedding"];
    assert_eq!(vector["type"], "knn_vector");
    assert_eq!(vector["dimension"], dimension);
    assert_eq!(
        vector["method"]["parameters"]["m"],
        stats["hnsw"]["max_connections"]
    );
    assert_eq!(
        vector["method"]["parameters"]["ef_construction"],
        stats["hnsw"]["ef_construction"]
    );
    assert_eq!(template["template"]["settings"]["index"]["knn"], true);

    // The bulk body: 2 lines per document, each id once, in the generation's row
    // order with the generation's own vectors, and a line break at the very end.
    let bulk = std::fs::read_to_string(out.join("bulk.ndjson")).unwrap();
    assert!(bulk.ends_with('\n'));
    let lines: Vec<&str> = bulk.lines().collect();
    assert_eq!(lines.len(), 2 * documents);
    let ids = stored_ids(&slice.index);
    let vectors = stored_vectors(&slice.index, dimension);
    assert_eq!((ids.len(), vectors.len()), (documents, documents));
    let mut seen = HashSet::new();
    let properties = mappings["properties"].as_object().unwrap();
    for (row, pair) in lines.chunks(2).enumerate() {
        let action: Value = serde_json::from_str(pair[0]).unwrap();
        let source: Value = serde_json::from_str(pair[1]).unwrap();
        let id = action["index"]["_id"].as_str().unwrap();
        assert_eq!(action["index"]["_index"], "backissue");
        assert_eq!(id, ids[row]);
        assert_eq!(source["id"], id);
        assert!(seen.insert(id.to_string()), "{id} twice");
        let written = written_vector(pair[1]);
        assert_eq!(written.len(), dimension, "{id}");
        assert!(
            written
                .iter()
                .zip(&vectors[row])
                .all(|(w, s)| w.to_bits() == s.to_bits()),
            "{id}: the vector differs from row {row} of vectors.f32"
        );
        for (key, value) in source.as_object().unwrap() {
            let mapped = &properties
                .get(key)
                .unwrap_or_else(|| panic!("{id}: {key} is not in the mapping"))["type"];
            let fits = match mapped.as_str().unwrap_or("object") {
                "keyword" | "text" => {
                    value.is_string()
                        || (["sectors", "regions"].contains(&key.as_str())
                            && value.as_array().unwrap().iter().all(Value::is_string))
                }
                "integer" => value.is_i64(),
                "date" => value
                    .as_str()
                    .is_some_and(|d| d.len() == 10 && d.parse::<backissue_issue::Date>().is_ok()),
                "knn_vector" => value.as_array().is_some_and(|v| v.len() == dimension),
                "object" => value.is_array() || value.is_object(),
                other => panic!("{key}: {other}"),
            };
            assert!(fits, "{id}: {key} = {value} does not fit a {mapped} field");
        }
    }
    let issues: BTreeSet<&str> = seen.iter().map(|id| &id[..10]).collect();
    assert_eq!(issues, WEEKS.into_iter().collect());

    // The README and the query files a user runs next.
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(readme.contains("curl -fsS -X POST \"$OPENSEARCH/_bulk"));
    assert!(readme.contains("_search/pipeline/backissue-hybrid"));
    let pipeline = json_file(&out.join("search-pipeline.json"));
    assert!(pipeline["phase_results_processors"][0]["normalization-processor"].is_object());
    let query = json_file(&out.join("hybrid-query.json"));
    let knn = &query["query"]["hybrid"]["queries"][1]["knn"]["embedding"];
    assert_eq!(knn["vector"].as_array().unwrap().len(), dimension);
    assert!(!std::fs::read_dir(&out).unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".partial")));
}

#[test]
fn elasticsearch_export_maps_a_dense_vector() {
    let Some(slice) = slice() else { return };
    let out = slice.dir.path().join("elasticsearch");
    let output = export(
        &slice.index,
        &out,
        &["--format", "elasticsearch", "--name", "archive"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("README.md"), "{}", stdout(&output));
    let template = json_file(&out.join("index-template.json"));
    assert_eq!(
        template["index_patterns"],
        serde_json::json!(["archive", "archive-*"])
    );
    let vector = &template["template"]["mappings"]["properties"]["embedding"];
    assert_eq!(vector["type"], "dense_vector");
    assert_eq!(vector["dims"], 384);
    assert_eq!(vector["similarity"], "cosine");
    let bulk = std::fs::read_to_string(out.join("bulk.ndjson")).unwrap();
    assert!(bulk.starts_with("{\"index\":{\"_index\":\"archive\",\"_id\":\""));
    assert!(!out.join("search-pipeline.json").exists());
}

#[test]
fn a_missing_index_or_an_unwritable_folder_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-index");
    let output = export(
        &missing,
        &dir.path().join("out"),
        &["--format", "opensearch"],
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains(&*missing.to_string_lossy()), "{message}");
    assert!(message.contains("backissue index"), "{message}");
    assert!(
        !dir.path().join("out").exists(),
        "nothing written without an index"
    );

    let Some(slice) = slice() else { return };
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let out = file.join("out");
    let output = export(&slice.index, &out, &["--format", "opensearch"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains(&*out.to_string_lossy()), "{message}");

    let output = export(&slice.index, &dir.path().join("x"), &["--format", "solr"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("opensearch"),
        "{}",
        stderr(&output)
    );
}
