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

/// The ground truth's events of `kind`, as (entity, document ids).
fn events(kind: &str) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(common::repo().join("corpus/ground_truth.json")).unwrap();
    let truth: serde_json::Value = serde_json::from_str(&text).unwrap();
    truth["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| {
            let ids = e["doc_ids"].as_array().unwrap();
            (
                e["entity"].as_str().unwrap().to_string(),
                ids.iter()
                    .map(|id| id.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn a_question_with_a_relative_date_is_filtered_to_it_and_ranks_by_its_content_words() {
    let corpus = corpus();
    let today = "2026-12-25".parse().unwrap();
    let request =
        SearchRequest::new("which companies had outages last year?").with_mode(Mode::Keyword);
    let response = corpus.searcher.search_on(&request, today).unwrap();
    let dates = response.dates.as_ref().expect("a date range read");
    assert_eq!(dates.text, "last year");
    assert_eq!(dates.from, Some("2025-01-01".parse().unwrap()));
    assert_eq!(dates.to, Some("2025-12-31".parse().unwrap()));
    assert!(response.notes.iter().any(|n| n.contains("last year")));
    assert!(response.total > 10, "{}", response.total);
    for hit in &response.hits {
        assert_eq!(hit.date.year(), 2025, "{}", hit.id);
    }
    // Every hit of the first page is about an outage, none matched on "year".
    for hit in &response.hits {
        let doc = corpus.searcher.index().document(&hit.id).unwrap();
        let text = format!("{} {}", doc.title, doc.body).to_lowercase();
        assert!(text.contains("outage"), "{}: {}", hit.id, doc.title);
    }
}

#[test]
fn ceo_finds_the_chief_executive_stories_of_the_company_asked_about() {
    let corpus = corpus();
    let appointments = events("appointment");
    assert!(appointments.len() > 20);
    let mut failures = Vec::new();
    let mut asked = 0;
    for (entity, ids) in &appointments {
        let says_chief_executive = ids.iter().any(|id| {
            let doc = corpus.searcher.index().document(id).unwrap();
            format!("{} {}", doc.title, doc.body)
                .to_lowercase()
                .contains("chief executive")
        });
        if !says_chief_executive {
            continue;
        }
        asked += 1;
        let query = format!("who is the new CEO of {entity}");
        let response = corpus
            .searcher
            .search(&SearchRequest::new(&query).with_mode(Mode::Keyword))
            .unwrap();
        let first = response
            .hits
            .first()
            .map(|h| h.id.clone())
            .unwrap_or_default();
        let doc = corpus.searcher.index().document(&first);
        let ok = doc.is_some_and(|doc| {
            let text = format!("{} {}", doc.title, doc.body);
            common::names(&text, entity) && text.to_lowercase().contains("chief executive")
        });
        if !ok {
            failures.push(format!("{query}: first hit {first}"));
        }
    }
    assert!(asked >= 3, "{asked}");
    assert!(
        failures.is_empty(),
        "{} of {asked}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_name_with_a_number_nobody_wrote_gets_a_suggestion_never_a_rewrite() {
    let corpus = corpus();
    let products = common::entity_names(&["product"]);
    let typos = products
        .iter()
        .filter(|n| n.chars().any(|c| c.is_ascii_digit()))
        .flat_map(|name| {
            // Drop the name's last digit (`Vireo-70B` → `Vireo-7B`), or change it
            // (`Vireo-75B`).
            let at = name.rfind(|c: char| c.is_ascii_digit()).unwrap();
            let mut dropped = name.clone();
            dropped.remove(at);
            let digit = name[at..].chars().next().unwrap().to_digit(10).unwrap();
            let mut changed = name.clone();
            changed.replace_range(at..at + 1, &((digit + 5) % 10).to_string());
            [(name.clone(), dropped), (name.clone(), changed)]
        });
    let mut tried = 0;
    for (name, typo) in typos {
        if !typo.chars().any(|c| c.is_ascii_digit()) {
            continue; // `Altair-4M` would lose its only number
        }
        let response = corpus
            .searcher
            .search(&SearchRequest::new(&typo).with_mode(Mode::Keyword))
            .unwrap();
        if response.total > 0 {
            continue; // another product happens to have that number
        }
        tried += 1;
        let offered: Vec<String> = response
            .suggestions
            .iter()
            .flat_map(|s| s.to.clone())
            .collect();
        let whole = name.to_lowercase();
        let last = whole.split_whitespace().last().unwrap().to_string();
        assert!(
            offered.iter().any(|o| *o == last || *o == whole),
            "{typo}: offered {offered:?}, expected {last}"
        );
        assert!(response.hits.is_empty(), "{typo} was rewritten");
    }
    assert!(tried >= 5, "{tried}");
}

#[test]
fn summaries_that_begin_like_structure_are_indexed_and_searchable() {
    // Abstracts packed as top stories (as `pack.py` packs SciFact): each summary
    // begins like a numbered step, a URL, a source line or a rank. The parser used
    // to fail the whole issue on the first of them.
    let summaries = [
        (
            "Quasar Lattice Cooling Trial",
            "1. Patients were randomised to lattice cooling or standard care.",
        ),
        (
            "Heliotrope Enzyme Folding",
            "https://example.org/2020/01/03/ shows how heliotrope enzymes fold.",
        ),
        (
            "Marigold Cohort Follow-up",
            "Source: a marigold cohort of 4,000 adults followed for ten years.",
        ),
        (
            "Juniper Receptor Binding",
            "#2 of the juniper receptor's binding sites controls uptake.",
        ),
    ];
    let mut text = String::from(
        "← All posts\n\nResearch digest 1\n\nAbstracts.\n\nSubscribe free All posts\n",
    );
    for (rank, (title, summary)) in summaries.iter().enumerate() {
        text.push_str(&format!(
            "#{}\n{title}\n{summary}\nHealthcareGlobal\n{}\n",
            rank + 1,
            90 - rank
        ));
    }
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(corpus.path().join("2020-01-03.txt"), text).unwrap();
    let index_dir = tempfile::tempdir().unwrap();
    let embedder = Arc::new(HashEmbedder::new(384));
    let report = Indexer::new(corpus.path(), index_dir.path())
        .run(embedder.as_ref(), &mut NoProgress)
        .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let searcher =
        Searcher::new(Arc::new(Index::open(index_dir.path()).unwrap()), embedder).unwrap();
    for (rank, (title, summary)) in summaries.iter().enumerate() {
        let response = searcher
            .search(&SearchRequest::new(*title).with_mode(Mode::Keyword))
            .unwrap();
        assert_eq!(
            response.hits[0].id,
            format!("2020-01-03/top/{}", rank + 1),
            "{title}"
        );
        let doc = searcher.index().document(&response.hits[0].id).unwrap();
        assert_eq!(doc.body, *summary);
    }
}
