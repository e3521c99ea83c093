// What the write path writes, the read path opens, and every way a damaged index
// is refused by name (`Index::open`).

use backissue_embed::{Embedder, HashEmbedder};

use std::path::{Path, PathBuf};

use crate::indexer::tests::{seed_text, small_issue};
use crate::{Error, Index, Indexer, NoProgress, Section};

fn built() -> (tempfile::TempDir, tempfile::TempDir) {
    let corpus = tempfile::tempdir().unwrap();
    let index = tempfile::tempdir().unwrap();
    std::fs::write(corpus.path().join("2026-03-27.txt"), seed_text()).unwrap();
    std::fs::write(corpus.path().join("2026-01-02.txt"), small_issue("robots")).unwrap();
    Indexer::new(corpus.path(), index.path())
        .run(&HashEmbedder::new(32), &mut NoProgress)
        .unwrap();
    (corpus, index)
}

fn manifest_path(index: &Path) -> PathBuf {
    let name = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    index
        .join("generations")
        .join(name.trim())
        .join("manifest.json")
}

fn edit_manifest(index: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = manifest_path(index);
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut value);
    std::fs::write(&path, value.to_string()).unwrap();
}

fn assert_names_path_and_fix(message: &str, path: &Path, dir: &Path) {
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(
        message.contains(&format!("run `backissue index --index {}`", dir.display())),
        "{message}"
    );
}

#[test]
fn an_open_index_gives_documents_issues_vectors_and_stats() {
    let (_corpus, dir) = built();
    let index = Index::open(dir.path()).unwrap();
    assert_eq!(index.documents().len(), 69 + 6);
    assert_eq!(
        index.issues().collect::<Vec<_>>(),
        ["2026-01-02", "2026-03-27"]
    );
    assert_eq!(index.issue_documents("2026-01-02").count(), 6);
    let doc = index.document("2026-03-27/finance-banking/1").unwrap();
    assert_eq!(doc.event_id, "2026-03-27/top/2");
    let row = index.row(&doc.id).unwrap();
    assert_eq!(index.nearest(index.vectors().get(row), 1)[0].0, row);
    assert_eq!(index.reader().searcher().num_docs(), 75);

    let stats = index.stats();
    assert_eq!(
        (stats.issues, stats.documents, stats.events),
        (2, 75, 48 + 5)
    );
    assert_eq!(stats.by_section[&Section::TopStory], 22);
    assert_eq!(stats.by_section[&Section::LearningPath], 3);
    assert_eq!(stats.first_date.unwrap().to_string(), "2026-01-02");
    assert_eq!(stats.last_date.unwrap().to_string(), "2026-03-27");
    assert_eq!(stats.model, HashEmbedder::new(32).fingerprint());
    assert_eq!(stats.generation, "000001");
    let json = serde_json::to_value(&stats).unwrap();
    assert_eq!(json["by_section"]["top_story"], 22);
}

#[test]
fn a_missing_index_names_the_folder_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let err = Index::open(&missing).unwrap_err();
    assert!(matches!(err, Error::IndexMissing { .. }));
    assert_names_path_and_fix(&err.to_string(), &missing, &missing);
}

#[test]
fn a_partial_index_is_refused() {
    let (_corpus, dir) = built();
    // The first build killed before CURRENT was written.
    let current = dir.path().join("CURRENT");
    std::fs::remove_file(&current).unwrap();
    let err = Index::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains("did not finish"), "{err}");
    assert_names_path_and_fix(&err, &current, dir.path());

    // CURRENT naming a generation without a manifest.
    std::fs::write(&current, "000001\n").unwrap();
    let manifest = manifest_path(dir.path());
    std::fs::remove_file(&manifest).unwrap();
    let err = Index::open(dir.path()).unwrap_err().to_string();
    assert_names_path_and_fix(&err, &manifest, dir.path());
}

#[test]
fn a_truncated_current_or_a_missing_generation_is_refused_by_name() {
    let (_corpus, dir) = built();
    let current = dir.path().join("CURRENT");
    for (text, expected) in [
        ("", "CURRENT is empty"),
        ("0000", "CURRENT holds \"0000\", not a generation name"),
        ("000001garbage\n", "not a generation name"),
    ] {
        std::fs::write(&current, text).unwrap();
        let err = Index::open(dir.path()).unwrap_err();
        assert!(matches!(err, Error::IndexDamaged { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains(expected), "{message}");
        assert_names_path_and_fix(&message, &current, dir.path());
    }

    std::fs::write(&current, "000007\n").unwrap();
    let err = Index::open(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("CURRENT names generation 000007, but its folder is missing"),
        "{err}"
    );
    assert_names_path_and_fix(&err, &dir.path().join("generations/000007"), dir.path());
}

#[test]
fn a_manifest_naming_another_generation_is_refused() {
    let (_corpus, dir) = built();
    edit_manifest(dir.path(), |m| m["generation"] = "000009".into());
    let err = Index::open(dir.path()).unwrap_err();
    assert!(matches!(err, Error::IndexDamaged { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("the manifest names generation \"000009\" but its folder is \"000001\""),
        "{message}"
    );
    assert_names_path_and_fix(&message, &manifest_path(dir.path()), dir.path());
}

#[test]
fn a_damaged_table_is_refused() {
    let (_corpus, dir) = built();
    let generation = manifest_path(dir.path()).parent().unwrap().to_path_buf();
    let vectors = generation.join("vectors.f32");
    let bytes = std::fs::read(&vectors).unwrap();
    std::fs::write(&vectors, &bytes[..bytes.len() - 4 * 32]).unwrap();
    let err = Index::open(dir.path()).unwrap_err().to_string();
    assert_names_path_and_fix(&err, &vectors, dir.path());
    assert!(err.contains("74 vectors for 75 documents"), "{err}");
}

#[test]
fn another_schema_version_is_refused() {
    let (_corpus, dir) = built();
    edit_manifest(dir.path(), |m| m["schema_version"] = 0.into());
    let err = Index::open(dir.path()).unwrap_err();
    assert!(
        matches!(err, Error::SchemaMismatch { found: 0, .. }),
        "{err}"
    );
    assert_names_path_and_fix(&err.to_string(), &manifest_path(dir.path()), dir.path());
}

#[test]
fn another_model_is_refused() {
    let (_corpus, dir) = built();
    let err = Index::open_for(dir.path(), &HashEmbedder::new(16)).unwrap_err();
    assert!(matches!(err, Error::ModelMismatch { .. }), "{err}");
    assert_names_path_and_fix(&err.to_string(), &manifest_path(dir.path()), dir.path());
    Index::open_for(dir.path(), &HashEmbedder::new(32)).unwrap();

    edit_manifest(dir.path(), |m| {
        m["model"]["model_id"] = "someone-else/model".into()
    });
    let index = Index::open(dir.path()).unwrap();
    let err = index
        .check_model_id(HashEmbedder::new(32).model_id())
        .unwrap_err()
        .to_string();
    assert!(err.contains("someone-else/model"), "{err}");
    assert_names_path_and_fix(&err, &manifest_path(dir.path()), dir.path());
}

#[test]
fn an_index_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Index>();
}
