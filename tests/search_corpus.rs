//! Search over the whole shipped corpus, embedded with the hash embedder: only
//! properties that do not depend on meaning (exact names). Latency is measured in
//! `benches/query.rs`.

use std::sync::{Arc, OnceLock};

use backissue_embed::HashEmbedder;
use backissue_engine::search::{Mode, SearchRequest, Searcher};
use backissue_engine::{Index, Indexer, NoProgress};
use tempfile::TempDir;

mod common;

struct Corpus {
    _dir: TempDir,
    searcher: Searcher,
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let embedder = Arc::new(HashEmbedder::new(384));
        let report = Indexer::new(common::repo().join("corpus"), dir.path())
            .run(embedder.as_ref(), &mut NoProgress)
            .unwrap();
        assert!(report.errors.is_empty());
        let index = Index::open(dir.path()).unwrap();
        let searcher = Searcher::new(Arc::new(index), embedder).unwrap();
        Corpus {
            _dir: dir,
            searcher,
        }
    })
}

#[test]
fn every_organisation_and_product_name_finds_a_document_naming_it_first() {
    let corpus = corpus();
    let docs = corpus.searcher.index().documents();
    let mut failures = Vec::new();
    let entities = common::entity_names(&["organisation", "product"]);
    assert!(entities.len() > 150, "{}", entities.len());
    for name in &entities {
        for mode in [Mode::Keyword, Mode::default()] {
            let response = corpus
                .searcher
                .search(&SearchRequest::new(name.as_str()).with_mode(mode))
                .unwrap();
            let Some(first) = response.hits.first() else {
                failures.push(format!("{name} ({}): no hit", mode.name()));
                continue;
            };
            let doc = corpus.searcher.index().document(&first.id).unwrap();
            if !common::names(&format!("{}\n{}", doc.title, doc.body), name) {
                failures.push(format!(
                    "{name} ({}): first hit {} is {:?}",
                    mode.name(),
                    first.id,
                    doc.title
                ));
            }
            if mode == Mode::default() && response.weights.semantic > 0.2 {
                failures.push(format!(
                    "{name}: not read as a name ({:?})",
                    response.weights
                ));
            }
        }
    }
    assert!(docs.len() > 4_000);
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        entities.len() * 2,
        failures.join("\n")
    );
}
