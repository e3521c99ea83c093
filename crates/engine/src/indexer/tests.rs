use std::path::Path;

use backissue_embed::{CountingEmbedder, HashEmbedder};

use super::*;
use crate::progress::NoProgress;
use crate::{Index, LazyEmbedder, Section};

/// A small issue in the text format whose every text mentions `topic`, so issues
/// with different topics share no text (and no cached vector).
pub(crate) fn small_issue(topic: &str) -> String {
    format!(
        "← All posts\n\n{T} Week\n\nA week about {topic}.\n\nSubscribe free All posts\n\
#1\n{T} Startup Raises $12M\nThe {topic} startup raised $12M to grow its {topic} platform.\nTechUS\n90\n\
#2\n{T} Model Tops Benchmarks\nA new {topic} model tops the {topic} benchmarks this week.\nHealthcareGlobal\n80\n\
Why {T} Matters\nAn insight about {topic} and why it matters for everyone building with {topic}.\n~12min\n\
Tech\n{T} grows fast\n$12M\n{topic} round\n3\n{topic} launches\n1\n{topic} benchmark\n\
{T} Startup Closes $12M Round\nThe {topic} startup closed a $12M round led by investors betting on the {topic} platform.\nSource: TechCrunch\n\
Hidden Signal\nThe {topic} money says more {topic} is coming.\n\
Beginner Tool\n{T} Playground\nTry {topic} in the browser.\nhttps://example.com/{topic}\n",
        T = capitalised(topic),
    )
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub(crate) fn seed_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds/000_85727bfc0b3f4d6f.txt");
    std::fs::read_to_string(path).unwrap()
}

struct Fixture {
    corpus: tempfile::TempDir,
    index: tempfile::TempDir,
    embedder: CountingEmbedder<HashEmbedder>,
}

impl Fixture {
    fn new(files: &[(&str, String)]) -> Self {
        let fixture = Fixture {
            corpus: tempfile::tempdir().unwrap(),
            index: tempfile::tempdir().unwrap(),
            embedder: CountingEmbedder::new(HashEmbedder::new(32)),
        };
        for (name, text) in files {
            fixture.write(name, text);
        }
        fixture
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.corpus.path().join(name), text).unwrap();
    }

    fn remove(&self, name: &str) {
        std::fs::remove_file(self.corpus.path().join(name)).unwrap();
    }

    fn run(&self) -> IndexReport {
        self.embedder.reset();
        let report = Indexer::new(self.corpus.path(), self.index.path())
            .run(&self.embedder, &mut NoProgress)
            .unwrap();
        assert_eq!(
            report.embedded_texts,
            self.embedder.texts(),
            "the report counts what was embedded"
        );
        report
    }

    fn generations(&self) -> Vec<String> {
        Layout::new(self.index.path()).generations().unwrap()
    }
}

fn three_issues() -> Fixture {
    Fixture::new(&[
        ("2026-01-02.txt", small_issue("robots")),
        ("2026-01-09.txt", small_issue("batteries")),
        ("2026-03-27.txt", seed_text()),
    ])
}

#[test]
fn a_first_run_indexes_everything_and_a_second_does_nothing() {
    let fixture = three_issues();
    let first = fixture.run();
    assert!(!first.up_to_date && first.full_rebuild);
    assert_eq!(first.issues, 3);
    assert_eq!(first.documents, 69 + 2 * 6);
    assert_eq!(first.embedded_texts, first.documents);
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert_eq!(
        first.issues_added,
        ["2026-01-02", "2026-01-09", "2026-03-27"]
    );
    // The seed's 69 documents make 48 events; each small issue's 6 make 5 (top/1 + tech/1).
    assert_eq!(first.events, 48 + 2 * 5);

    let second = fixture.run();
    assert!(second.up_to_date);
    assert_eq!(second.embedded_texts, 0);
    assert_eq!(second.generation, first.generation);
    assert_eq!(
        (second.issues, second.documents, second.events),
        (3, first.documents, first.events)
    );
    assert_eq!(fixture.generations(), vec![first.generation]);
}

#[test]
fn add_change_delete_touch_only_that_issue() {
    let fixture = three_issues();
    let first = fixture.run();

    fixture.write("2026-01-16.txt", &small_issue("drones"));
    let added = fixture.run();
    assert_eq!(added.issues_added, ["2026-01-16"]);
    assert!(added.issues_changed.is_empty() && added.issues_removed.is_empty());
    assert_eq!(added.embedded_texts, 6, "only the new issue's texts");
    assert!(!added.full_rebuild);
    assert_eq!(added.documents, first.documents + 6);

    fixture.write(
        "2026-01-09.txt",
        &small_issue("batteries").replace("tops the", "leads the"),
    );
    let changed = fixture.run();
    assert_eq!(changed.issues_changed, ["2026-01-09"]);
    assert_eq!(changed.embedded_texts, 1, "only the one changed text");
    assert_eq!(changed.documents, added.documents);

    fixture.remove("2026-01-02.txt");
    let deleted = fixture.run();
    assert_eq!(deleted.issues_removed, ["2026-01-02"]);
    assert_eq!(deleted.embedded_texts, 0);
    assert_eq!(deleted.documents, added.documents - 6);

    // Previous generation kept, older ones collected.
    assert_eq!(
        fixture.generations(),
        [changed.generation.clone(), deleted.generation.clone()]
    );

    // The incremental result equals a clean build of the same files.
    let index = Index::open(fixture.index.path()).unwrap();
    let clean_dir = tempfile::tempdir().unwrap();
    Indexer::new(fixture.corpus.path(), clean_dir.path())
        .run(&HashEmbedder::new(32), &mut NoProgress)
        .unwrap();
    let clean = Index::open(clean_dir.path()).unwrap();
    assert_eq!(index.documents(), clean.documents());
    assert_eq!(index.vectors(), clean.vectors());
    assert_eq!(
        index.reader().searcher().num_docs(),
        clean.reader().searcher().num_docs()
    );
    assert!(index.issue_documents("2026-01-02").next().is_none());
    assert_eq!(index.stats().by_section, clean.stats().by_section);
}

#[test]
fn a_bad_file_is_reported_and_its_old_documents_dropped() {
    let fixture = three_issues();
    fixture.run();
    fixture.write(
        "2026-01-09.txt",
        "← All posts\n\nHeadline\n\nSummary.\n\nSubscribe free All posts\n#2\nwrong rank\n",
    );
    let report = fixture.run();
    assert_eq!(report.errors.len(), 1);
    let error = &report.errors[0];
    assert!(error.path.ends_with("2026-01-09.txt"));
    assert!(
        error
            .message
            .contains("2026-01-09.txt:8: top stories: expected"),
        "{}",
        error.message
    );
    assert!(
        error
            .message
            .ends_with("its previously indexed documents were dropped"),
        "{}",
        error.message
    );
    assert_eq!(report.issues_removed, ["2026-01-09"]);
    assert_eq!(report.issues, 2);

    // Unchanged and still bad: up to date, and the error is still reported.
    let again = fixture.run();
    assert!(again.up_to_date);
    assert_eq!(again.errors, report.errors);
}

#[test]
fn a_duplicate_issue_id_fails_the_later_file() {
    let fixture = Fixture::new(&[
        ("2026-01-02.txt", small_issue("robots")),
        ("2026-01-02-again.txt", small_issue("kites")),
    ]);
    // Name order: "2026-01-02-again.txt" comes first ('-' sorts before '.') and keeps the id.
    let report = fixture.run();
    assert_eq!(report.issues, 1);
    assert_eq!(report.errors.len(), 1);
    assert!(report.errors[0].path.ends_with("2026-01-02.txt"));
    let message = &report.errors[0].message;
    assert!(
        message.contains("duplicate issue id \"2026-01-02\""),
        "{message}"
    );
    assert!(
        message.contains("2026-01-02-again.txt already holds it"),
        "{message}"
    );
    let index = Index::open(fixture.index.path()).unwrap();
    assert!(index
        .document("2026-01-02/top/1")
        .unwrap()
        .title
        .starts_with("Kites"));
}

#[test]
fn the_cache_survives_a_lost_index_and_a_changed_model_reembeds() {
    let fixture = three_issues();
    let first = fixture.run();
    std::fs::remove_dir_all(fixture.index.path().join("generations")).unwrap();
    std::fs::remove_file(fixture.index.path().join("CURRENT")).unwrap();
    let rebuilt = fixture.run();
    assert!(!rebuilt.up_to_date);
    assert_eq!(
        rebuilt.embedded_texts, 0,
        "every vector came from the cache"
    );
    assert_eq!(rebuilt.documents, first.documents);

    let other_model = CountingEmbedder::new(HashEmbedder::new(16));
    let report = Indexer::new(fixture.corpus.path(), fixture.index.path())
        .run(&other_model, &mut NoProgress)
        .unwrap();
    assert_eq!(report.embedded_texts, report.documents);
    let index = Index::open(fixture.index.path()).unwrap();
    assert_eq!(index.manifest().model.dimension, 16);
    assert_eq!(index.vectors().dimension(), 16);
}

#[test]
fn a_lazy_embedder_is_loaded_only_when_something_needs_embedding() {
    let fixture = three_issues();
    let lazy = || {
        LazyEmbedder::new(
            HashEmbedder::new(32).model_id(),
            HashEmbedder::new(32).checksum(),
            || Ok(Box::new(HashEmbedder::new(32)) as Box<dyn Embedder>),
        )
    };
    let indexer = Indexer::new(fixture.corpus.path(), fixture.index.path());
    let first = lazy();
    indexer.run(&first, &mut NoProgress).unwrap();
    assert!(first.is_loaded());

    let unchanged = lazy();
    assert!(indexer.run(&unchanged, &mut NoProgress).unwrap().up_to_date);
    assert!(!unchanged.is_loaded());

    fixture.remove("2026-01-02.txt");
    let deleted = lazy();
    assert_eq!(
        indexer
            .run(&deleted, &mut NoProgress)
            .unwrap()
            .issues_removed,
        ["2026-01-02"]
    );
    assert!(!deleted.is_loaded(), "nothing to embed, nothing loaded");
}

#[test]
fn leftovers_of_a_killed_run_are_removed_and_the_work_finished() {
    let fixture = three_issues();
    let first = fixture.run();
    let layout = Layout::new(fixture.index.path());
    // A run killed while writing generation 2, and its pointer's temporary file.
    let partial = layout.generation_dir("000002");
    std::fs::create_dir_all(partial.join("tantivy")).unwrap();
    std::fs::write(partial.join("documents.jsonl"), "{").unwrap();
    std::fs::write(fixture.index.path().join("CURRENT.tmp"), "000002\n").unwrap();
    assert_eq!(
        Index::open(fixture.index.path())
            .unwrap()
            .stats()
            .generation,
        first.generation
    );

    fixture.write("2026-01-16.txt", &small_issue("drones"));
    let next = fixture.run();
    assert_eq!(
        next.generation, "000002",
        "the partial generation was removed, its name reused"
    );
    assert_eq!(
        fixture.generations(),
        [first.generation.clone(), "000002".to_string()]
    );
    assert!(!fixture.index.path().join("CURRENT.tmp").exists());
    assert_eq!(Index::open(fixture.index.path()).unwrap().stats().issues, 4);
}

#[test]
fn an_empty_corpus_makes_an_empty_index() {
    let fixture = Fixture::new(&[]);
    let report = fixture.run();
    assert_eq!((report.issues, report.documents), (0, 0));
    let index = Index::open(fixture.index.path()).unwrap();
    assert!(index.graph().is_none());
    assert!(index.nearest(&[1.0; 32], 3).is_empty());
    fixture.write("2026-01-02.txt", &small_issue("robots"));
    assert_eq!(fixture.run().documents, 6);
    assert_eq!(
        Index::open(fixture.index.path())
            .unwrap()
            .stats()
            .by_section[&Section::TopStory],
        2
    );
}

#[test]
fn a_damaged_pointer_or_manifest_is_rebuilt_not_up_to_date() {
    let fixture = three_issues();
    let first = fixture.run();
    let layout = Layout::new(fixture.index.path());
    let manifest_path = layout.generation_dir(&first.generation).join(MANIFEST_FILE);

    // A manifest naming another generation: not "up to date", a new generation.
    let text = std::fs::read_to_string(&manifest_path).unwrap();
    let moved = text.replace(
        &format!("\"generation\": \"{}\"", first.generation),
        "\"generation\": \"000042\"",
    );
    assert_ne!(moved, text);
    std::fs::write(&manifest_path, moved).unwrap();
    let second = fixture.run();
    assert!(!second.up_to_date && second.full_rebuild);
    assert_eq!(second.embedded_texts, 0, "the cache spares re-embedding");
    assert_eq!(second.generation, "000002");
    assert_eq!(Index::open(fixture.index.path()).unwrap().stats().issues, 3);

    // A truncated CURRENT: the complete generation is kept until a new one is current.
    std::fs::write(layout.current_file(), "0000").unwrap();
    let third = fixture.run();
    assert!(!third.up_to_date);
    assert_eq!(third.generation, "000003");
    assert_eq!(fixture.generations(), ["000002", "000003"]);
    assert_eq!(Index::open(fixture.index.path()).unwrap().stats().issues, 3);
}
