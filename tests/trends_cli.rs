//! `backissue trends` through the real binary on sixteen weeks of the shipped corpus
//! (2025-06-06 to 2025-09-19: "data center moratoriums" starts rising, "small modular
//! reactors" bursts), checked against the planted intensities of `ground_truth.json`.
//! Trends count words, not meanings, so the index is built with the hash embedder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::repo;

const FIRST: &str = "2025-06-06";
const LAST: &str = "2025-09-19";

/// The binary with the hash embedder: these tests count, they do not need meaning.
fn bin() -> Command {
    let mut command = common::bin();
    command.env("BACKISSUE_EMBEDDER", "hash");
    command
}

fn index() -> &'static Path {
    static INDEX: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let root = tempfile::tempdir().unwrap();
            let corpus = root.path().join("corpus");
            std::fs::create_dir(&corpus).unwrap();
            for entry in std::fs::read_dir(repo().join("corpus")).unwrap().flatten() {
                let name = entry.file_name().into_string().unwrap();
                if name.ends_with(".txt") && (FIRST..=LAST).contains(&&name[..10]) {
                    std::fs::copy(entry.path(), corpus.join(&name)).unwrap();
                }
            }
            let index = root.path().join("index");
            common::build_index(bin(), &corpus, &index);
            (root, index)
        })
        .1
}

fn trends(args: &[&str]) -> Output {
    bin()
        .arg("trends")
        .args(args)
        .arg("--index")
        .arg(index())
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Value {
    let output = trends(args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The planted weekly intensity of `term` over the slice.
fn planted(term: &str) -> Vec<u64> {
    let truth: Value =
        serde_json::from_slice(&std::fs::read(repo().join("corpus/ground_truth.json")).unwrap())
            .unwrap();
    let trend = truth["trends"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["term"] == term)
        .unwrap();
    trend["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| (FIRST..=LAST).contains(&w["date"].as_str().unwrap()))
        .map(|w| w["intensity"].as_u64().unwrap())
        .collect()
}

fn counts(series: &Value) -> Vec<u64> {
    series["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["events"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_term_counts_events_not_copies() {
    for term in ["data center moratoriums", "small modular reactors"] {
        let series = json(&["--term", term, "--json"]);
        assert_eq!(counts(&series), planted(term), "{term}");
        assert_eq!(series["weeks"][0]["week"], "2025-W23");
        for week in series["weeks"].as_array().unwrap() {
            let (events, total) = (
                week["events"].as_f64().unwrap(),
                week["total"].as_f64().unwrap(),
            );
            assert!((week["share"].as_f64().unwrap() - events / total).abs() < 1e-9);
        }
    }
    let csv =
        String::from_utf8(trends(&["--term", "data center moratoriums", "--csv"]).stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("week,monday,events,total,share"));
    assert_eq!(lines.count(), 16);
    assert!(csv.contains("2025-W38,2025-09-15,4,"), "{csv}");
}

#[test]
fn names_queries_and_filters_narrow_the_count() {
    let term = counts(&json(&["--term", "data center moratoriums", "--json"]));
    let energy = counts(&json(&[
        "--query",
        "\"data center moratoriums\"",
        "--sector",
        "energy",
        "--json",
    ]));
    assert!(energy.iter().sum::<u64>() > 0);
    assert!(
        energy.iter().zip(&term).all(|(e, t)| e <= t),
        "{energy:?} within {term:?}"
    );
    let multi_word = counts(&json(&["--query", "data center moratoriums", "--json"]));
    assert_eq!(multi_word, term, "an unquoted multi-word query is a phrase");

    let name = json(&["--name", "Yarrowby Bank", "--json"]);
    assert!(name["events"].as_u64().unwrap() > 0);
    assert_eq!(name["query"], "name \"Yarrowby Bank\"");
    let region = json(&["--region", "US", "--json"]);
    assert!(region["events"].as_u64().unwrap() > 50);
    let source = json(&["--source", "reuters", "--json"]);
    assert!(source["events"].as_u64().unwrap() > 0);
}

#[test]
fn bad_selections_are_user_errors() {
    let output = trends(&["--sector", "Agriculture"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no document carries \"Agriculture\"") && stderr.contains("Energy"),
        "{stderr}"
    );
    let output = trends(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing to count"));
    let output = trends(&["rising", "--week", "2030-W01"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("2025-W23 to 2025-W38"));
}

#[test]
fn rising_topics_at_the_end_of_the_slice() {
    let ranking = json(&["rising", "--week", "latest", "--limit", "10", "--json"]);
    assert_eq!(ranking["week"], "2025-W38");
    let names: Vec<&str> = ranking["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"data center moratoriums"), "{names:?}");
    let csv = String::from_utf8(trends(&["rising", "--csv"]).stdout).unwrap();
    assert!(csv.starts_with("rank,week,kind,topic,score"), "{csv}");
    let falling = json(&["falling", "--week", "2025-W36", "--json"]);
    assert!(falling["topics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["score"].as_f64().unwrap() < 0.0));
}

#[test]
fn bursts_find_the_planted_burst() {
    let bursts = json(&["bursts", "--term", "small modular reactors", "--json"]);
    let found = bursts["bursts"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{bursts}");
    assert_eq!(found[0]["start"], "2025-W33");
    assert_eq!(found[0]["end"], "2025-W34");
    assert_eq!(found[0]["events"], 6);

    let strongest = json(&["bursts", "--limit", "40", "--json"]);
    let topics: Vec<&str> = strongest
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["topic"].as_str().unwrap())
        .collect();
    assert!(topics.contains(&"small modular reactors"), "{topics:?}");
}

#[test]
fn cooccurrence_names_sectors_and_regions_week_by_week() {
    let table = json(&["cooccur", "--term", "data center moratoriums", "--json"]);
    assert_eq!(
        table["events"].as_u64().unwrap(),
        planted("data center moratoriums").iter().sum::<u64>()
    );
    assert!(table["sectors"]["Energy"].as_u64().unwrap() > 0);
    let weeks = table["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 8, "the weeks with a mention");
    for week in weeks {
        let max_sector = week["sectors"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .max()
            .unwrap();
        assert!(max_sector <= week["events"].as_u64().unwrap());
    }
    let csv = String::from_utf8(
        trends(&["cooccur", "--term", "data center moratoriums", "--csv"]).stdout,
    )
    .unwrap();
    assert!(csv.starts_with("week,facet,value,events,lift\n"), "{csv}");
    assert!(csv.contains(",sector,Energy,"), "{csv}");
}
