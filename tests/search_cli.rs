//! `backissue search` end to end, with the real embedding model, on six weeks of the
//! shipped corpus: names, phrases, typos, filters and facets, pages, collapsed
//! copies, and the queries readers get wrong.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use common::{backissue, repo, stderr, stdout};
use serde_json::Value;
use tempfile::TempDir;

/// The weeks indexed: an outage, a recall and the stories around them.
const WEEKS: [&str; 6] = [
    "2025-05-30",
    "2025-06-06",
    "2025-06-13",
    "2025-06-20",
    "2025-06-27",
    "2025-07-04",
];

struct Slice {
    _dir: TempDir,
    index: PathBuf,
}

/// The six weeks, indexed once with the real model; `None` (after saying why) on a
/// checkout without the model files.
fn slice() -> Option<&'static Slice> {
    static SLICE: OnceLock<Option<Slice>> = OnceLock::new();
    SLICE
        .get_or_init(|| common::index_weeks(&WEEKS).map(|(dir, index)| Slice { _dir: dir, index }))
        .as_ref()
}

fn search(index: &Path, args: &[&str]) -> Output {
    backissue()
        .current_dir(repo())
        .env_remove("BACKISSUE_EMBEDDER")
        .arg("search")
        .args(args)
        .arg("--index")
        .arg(index)
        .output()
        .unwrap()
}

/// Runs a search with `--json` and returns the response.
fn json(index: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let output = search(index, &all);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    serde_json::from_str(&stdout(&output)).unwrap()
}

fn ids(response: &Value) -> Vec<String> {
    response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// The plain text of a hit's title and snippet (marks removed).
fn text(hit: &Value) -> String {
    format!(
        "{} {}",
        hit["title"].as_str().unwrap(),
        hit["snippet"].as_str().unwrap()
    )
    .replace("<mark>", "")
    .replace("</mark>", "")
}

#[test]
fn an_exact_product_or_company_name_is_found_first_in_every_mode() {
    let Some(slice) = slice() else { return };
    for mode in ["keyword", "hybrid"] {
        for name in ["Phalarope 2.9", "Ashgrove Financial", "TidewaterCell 9"] {
            let response = json(&slice.index, &[name, "--mode", mode]);
            let first = &response["hits"][0];
            assert!(text(first).contains(name), "{mode} {name}: {first}");
        }
    }
    let hybrid = json(&slice.index, &["Ashgrove Financial"]);
    assert!(
        hybrid["weights"]["semantic"].as_f64().unwrap() <= 0.2,
        "{}",
        hybrid["weights"]
    );
}

#[test]
fn a_quoted_phrase_matches_only_the_words_together() {
    let Some(slice) = slice() else { return };
    let response = json(
        &slice.index,
        &[
            "\"sovereign compute\"",
            "--mode",
            "keyword",
            "--no-collapse",
            "--limit",
            "100",
        ],
    );
    assert!(response["total"].as_u64().unwrap() >= 1);
    for hit in response["hits"].as_array().unwrap() {
        let snippet = hit["snippet"].as_str().unwrap();
        assert!(
            snippet.contains("<mark>sovereign</mark> <mark>compute</mark>"),
            "{snippet}"
        );
    }
    let reversed = json(
        &slice.index,
        &["\"compute sovereign\"", "--mode", "keyword"],
    );
    assert_eq!(reversed["total"], 0);
}

#[test]
fn a_misspelt_name_is_corrected_and_still_found_first() {
    let Some(slice) = slice() else { return };
    let response = json(&slice.index, &["Phalaorpe outage", "--mode", "keyword"]);
    assert_eq!(response["corrections"][0]["from"], "Phalaorpe");
    assert_eq!(response["corrections"][0]["to"][0], "phalarope");
    assert!(
        text(&response["hits"][0]).contains("Phalarope"),
        "{}",
        response["hits"][0]
    );
    let hybrid = json(&slice.index, &["Phalaorpe outage"]);
    assert!(
        text(&hybrid["hits"][0]).contains("Phalarope"),
        "{}",
        hybrid["hits"][0]
    );
}

#[test]
fn filters_narrow_the_hits_and_facets_count_the_final_set() {
    let Some(slice) = slice() else { return };
    let all = json(&slice.index, &["outage", "--limit", "100"]);
    let energy = json(
        &slice.index,
        &["outage", "--sector", "energy", "--limit", "100"],
    );
    let total = energy["total"].as_u64().unwrap();
    assert!(
        total > 0 && total < all["total"].as_u64().unwrap(),
        "{total} of {}",
        all["total"]
    );
    let sectors = energy["facets"]["sector"].as_array().unwrap();
    let energy_count = sectors.iter().find(|c| c["value"] == "Energy").unwrap()["count"]
        .as_u64()
        .unwrap();
    assert_eq!(
        energy_count, total,
        "every hit of the final set is an Energy document"
    );
    let sections: u64 = energy["facets"]["section"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(
        sections, total,
        "one section per hit, counted over the final set only"
    );
    let from = json(
        &slice.index,
        &[
            "outage",
            "--from",
            "2025-06-20",
            "--sort",
            "oldest",
            "--limit",
            "100",
        ],
    );
    let dates: Vec<&str> = from["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    assert!(dates.iter().all(|d| *d >= "2025-06-20"), "{dates:?}");
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
}

#[test]
fn pages_follow_each_other() {
    let Some(slice) = slice() else { return };
    let six = ids(&json(&slice.index, &["funding round", "--limit", "6"]));
    let first = json(&slice.index, &["funding round", "--limit", "3"]);
    let second = json(
        &slice.index,
        &["funding round", "--limit", "3", "--offset", "3"],
    );
    assert_eq!(six.len(), 6);
    assert_eq!([ids(&first), ids(&second)].concat(), six);
    assert_eq!(first["total"], second["total"]);
    let beyond = json(&slice.index, &["funding round", "--offset", "100000"]);
    assert!(beyond["hits"].as_array().unwrap().is_empty());
}

#[test]
fn copies_of_one_event_collapse_into_one_hit() {
    let Some(slice) = slice() else { return };
    let collapsed = json(&slice.index, &["TidewaterCell 9 outage", "--limit", "100"]);
    let lead = &collapsed["hits"][0];
    let copies: Vec<&str> = lead["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        !copies.is_empty(),
        "the outage is told as a top story and in two briefs: {lead}"
    );
    let hit_ids = ids(&collapsed);
    assert!(copies.iter().all(|c| !hit_ids.contains(&c.to_string())));
    let all = json(
        &slice.index,
        &["TidewaterCell 9 outage", "--limit", "100", "--no-collapse"],
    );
    let all_ids = ids(&all);
    assert!(copies.iter().all(|c| all_ids.contains(&c.to_string())));
    let all_copies: usize = collapsed["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["copies"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        all["total"].as_u64().unwrap(),
        collapsed["total"].as_u64().unwrap() + all_copies as u64
    );
}

#[test]
fn bad_queries_give_a_clear_error_or_an_empty_answer() {
    let Some(slice) = slice() else { return };
    // An open quote is a phrase to the end, not an error.
    let open = json(&slice.index, &["\"sovereign compute", "--mode", "keyword"]);
    assert!(open["total"].as_u64().unwrap() >= 1);
    // Stop words only: nothing, with a note.
    let stop = json(&slice.index, &["what is the"]);
    assert_eq!(stop["total"], 0);
    assert!(stop["notes"][0]
        .as_str()
        .unwrap()
        .contains("only common words"));
    // Too long: refused, naming the parameter and the limit.
    let long = "outage ".repeat(1_500);
    let output = search(&slice.index, &[long.as_str()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("invalid `query`: 10500 characters, more than the 1000 accepted"),
        "{}",
        stderr(&output)
    );
    // A misspelt filter value: refused, naming the parameter, a suggestion and the values.
    let output = search(&slice.index, &["outage", "--sector", "Helthcare"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains(
            "invalid `sectors`: unknown sector \"Helthcare\" (did you mean \"Healthcare\"?)"
        ),
        "{message}"
    );
    assert!(message.contains("Finance & Banking"), "{message}");
    // Reversed dates are an empty range: no hit, and a note that says why.
    let output = search(
        &slice.index,
        &[
            "outage",
            "--from",
            "2025-07-01",
            "--to",
            "2025-06-01",
            "--json",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["total"], 0, "{answer}");
    assert!(
        answer["notes"].to_string().contains("is after to"),
        "{answer}"
    );
}

#[test]
fn keyword_search_never_loads_the_model() {
    let Some(slice) = slice() else { return };
    let missing = ["--model-dir", "/nonexistent/model"];
    let keyword = search(
        &slice.index,
        &["outage", "--mode", "keyword", missing[0], missing[1]],
    );
    assert!(keyword.status.success(), "{}", stderr(&keyword));
    let hybrid = search(&slice.index, &["outage", missing[0], missing[1]]);
    assert_eq!(hybrid.status.code(), Some(2));
    assert!(
        stderr(&hybrid).contains("cannot load the embedding model"),
        "{}",
        stderr(&hybrid)
    );
}

#[test]
fn terminal_output_shows_rank_date_section_marks_and_why() {
    let Some(slice) = slice() else { return };
    let output = search(&slice.index, &["Phalarope outage", "--limit", "3"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("results for \"Phalarope outage\" (hybrid: words"),
        "{text}"
    );
    assert!(text.contains("  1. 2025-"), "{text}");
    assert!(
        text.contains("[Phalarope]"),
        "marks shown as brackets when piped: {text}"
    );
    assert!(text.contains("why: words #"), "{text}");
    assert!(text.contains("  sector: "), "{text}");
    let help = stdout(&backissue().args(["search", "--help"]).output().unwrap());
    assert!(
        help.contains("Examples:") && help.contains("--no-collapse"),
        "{help}"
    );
}
