//! Events against a generated archive's ground truth (`backissue_sample`).
//!
//! The generator plants news told in several places of one issue; its ground truth
//! lists each such event's documents. Resources are their own events in this engine,
//! so the truth is restricted to stories (top, sector, regional).

use std::collections::{BTreeMap, BTreeSet};

use backissue_engine::{split_issue, Document};
use backissue_sample::{generate, Config};

/// (planted events, events found exactly, events found that were not planted)
fn score(seed: u64) -> (usize, usize, usize) {
    let config = Config {
        weeks: 104,
        start: "2025-01-03".parse().unwrap(),
        seed,
    };
    let archive = generate(&config);
    let docs: Vec<Document> = archive.issues.iter().flat_map(split_issue).collect();
    let by_id: BTreeMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();

    let mut truth: BTreeSet<BTreeSet<&str>> = BTreeSet::new();
    for event in &archive.ground_truth.events {
        let stories: BTreeSet<&str> = event
            .doc_ids
            .iter()
            .map(String::as_str)
            .filter(|id| {
                by_id
                    .get(id)
                    .unwrap_or_else(|| panic!("ground truth names unknown document {id}"))
                    .section
                    .is_story()
            })
            .collect();
        if stories.len() > 1 {
            truth.insert(stories);
        }
    }
    let mut found: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for doc in &docs {
        found.entry(&doc.event_id).or_default().insert(&doc.id);
    }
    let found: BTreeSet<BTreeSet<&str>> = found.into_values().filter(|m| m.len() > 1).collect();
    for missed in truth.difference(&found).take(5) {
        eprintln!("seed {seed}: missed {missed:?}");
    }
    for spurious in found.difference(&truth).take(5) {
        eprintln!("seed {seed}: spurious {spurious:?}");
    }
    (
        truth.len(),
        truth.intersection(&found).count(),
        found.difference(&truth).count(),
    )
}

#[test]
fn planted_events_are_found() {
    for seed in [7, 42] {
        let (planted, exact, spurious) = score(seed);
        eprintln!("seed {seed}: {planted} planted, {exact} found exactly, {spurious} spurious");
        assert!(planted > 500, "the archive plants events");
        assert!(
            exact as f64 >= 0.99 * planted as f64,
            "seed {seed}: recall {exact}/{planted}"
        );
        assert!(
            spurious as f64 <= 0.01 * planted as f64,
            "seed {seed}: {spurious} spurious events"
        );
    }
}
