//! `backissue resources` and `backissue paths` through the real binary, with the REAL
//! model, on a slice of the shipped corpus in which one issue's resources are featured
//! again in two later issues (the shipped corpus never repeats a URL).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::bin;

/// The issue whose resources are featured three times.
const REPEATED: &str = "2025-01-03";

/// The URLs of the resources of the shipped issue `issue`.
fn urls_of(issue: &str) -> Vec<String> {
    let text = std::fs::read_to_string(shipped().join(format!("{issue}.txt"))).unwrap();
    text.lines()
        .filter(|l| l.starts_with("https://"))
        .map(str::to_string)
        .collect()
}

fn shipped() -> PathBuf {
    common::repo().join("corpus")
}

/// 2025-01-03 and 2025-01-10 as shipped, and 2025-01-03's text again as the issues of
/// 2025-01-24 (its URLs written with a trailing slash) and 2025-02-07.
fn index() -> &'static Path {
    static INDEX: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let root = tempfile::tempdir().unwrap();
            let corpus = root.path().join("corpus");
            std::fs::create_dir(&corpus).unwrap();
            for issue in [REPEATED, "2025-01-10"] {
                std::fs::copy(
                    shipped().join(format!("{issue}.txt")),
                    corpus.join(format!("{issue}.txt")),
                )
                .unwrap();
            }
            let text = std::fs::read_to_string(shipped().join(format!("{REPEATED}.txt"))).unwrap();
            let slashed: String = text
                .lines()
                .map(|l| {
                    if l.starts_with("https://") {
                        format!("{l}/\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            std::fs::write(corpus.join("2025-01-24.txt"), slashed).unwrap();
            std::fs::write(corpus.join("2025-02-07.txt"), &text).unwrap();
            let index = root.path().join("index");
            common::build_index(bin(), &corpus, &index);
            (root, index)
        })
        .1
}

fn run(command: &str, args: &[&str]) -> Output {
    bin()
        .arg(command)
        .args(args)
        .arg("--index")
        .arg(index())
        .output()
        .unwrap()
}

fn json(output: Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn items(listing: &Value) -> Vec<&Value> {
    listing["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap())
        .collect()
}

#[test]
fn a_resource_featured_in_several_issues_is_listed_once_with_its_history() {
    let listing = json(run("resources", &["--limit", "200", "--json"]));
    let all = items(&listing);
    let urls: Vec<&str> = all.iter().map(|r| r["url"].as_str().unwrap()).collect();
    let distinct: BTreeSet<&str> = urls.iter().map(|u| u.trim_end_matches('/')).collect();
    assert_eq!(distinct.len(), urls.len(), "each URL once");
    let repeated = urls_of(REPEATED);
    assert!(!repeated.is_empty());
    for url in &repeated {
        let entry = all
            .iter()
            .find(|r| r["url"].as_str().unwrap().trim_end_matches('/') == url)
            .unwrap_or_else(|| panic!("{url} is listed"));
        assert_eq!(entry["times_featured"], 3, "{entry}");
        assert_eq!(entry["first_week"], "2025-W01");
        assert_eq!(entry["last_week"], "2025-W06");
        assert_eq!(
            entry["issues"],
            serde_json::json!([REPEATED, "2025-01-24", "2025-02-07"])
        );
    }
    for url in urls_of("2025-01-10") {
        let entry = all.iter().find(|r| r["url"] == url.as_str()).unwrap();
        assert_eq!(entry["times_featured"], 1);
    }

    let text = String::from_utf8(run("resources", &["--limit", "200"]).stdout).unwrap();
    assert!(
        text.contains("featured 3 times, 2025-W01 to 2025-W06"),
        "{text}"
    );
}

#[test]
fn a_level_includes_all_and_without_one_resources_are_grouped() {
    let listing = json(run(
        "resources",
        &["--level", "beginner", "--limit", "200", "--json"],
    ));
    assert_eq!(listing["groups"].as_array().unwrap().len(), 1);
    let levels: BTreeSet<&str> = items(&listing)
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, BTreeSet::from(["All", "Beginner"]));

    let grouped = json(run("resources", &["--json"]));
    let groups: Vec<&str> = grouped["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["level"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["Beginner", "Intermediate", "Advanced", "All"]);
    for group in grouped["groups"].as_array().unwrap() {
        let scores: Vec<f64> = group["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["score"].as_f64().unwrap())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "ranked: {scores:?}"
        );
        for item in group["items"].as_array().unwrap() {
            assert_eq!(item["level"], group["level"]);
        }
    }

    let output = run("resources", &["--level", "expert"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown level"));
}

/// Meaning matters: a query with none of the resource's words still finds it, and
/// relevance ranks before recency and frequency.
#[test]
fn a_query_ranks_by_relevance() {
    let listing = json(run(
        "resources",
        &[
            "anticipating equipment failures",
            "--level",
            "intermediate",
            "--json",
        ],
    ));
    let top = items(&listing);
    assert!(!top.is_empty());
    assert_eq!(
        top[0]["title"], "Predictive Maintenance, Explained for Busy Teams",
        "{top:?}"
    );
    assert!(top[0]["signals"]["relevance"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_story_gets_resources_at_its_level_and_the_next() {
    let story = "2025-01-10/top/1";
    let listing = json(run(
        "resources",
        &["--for", story, "--level", "beginner", "--json"],
    ));
    assert_eq!(listing["for_story"]["id"], story);
    let groups: Vec<&str> = listing["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["level"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["Beginner", "Intermediate"]);

    let output = run("resources", &["--for", "2025-01-10/top/99"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown story"));
}

#[test]
fn learning_paths_are_listed_once_by_level() {
    let listing = json(run("paths", &["--limit", "50", "--json"]));
    let all = items(&listing);
    let keys: BTreeSet<(String, String)> = all
        .iter()
        .map(|p| (p["title"].to_string(), p["steps"].to_string()))
        .collect();
    assert_eq!(keys.len(), all.len(), "identical paths are listed once");
    assert!(
        all.iter().any(|p| p["times_featured"] == 3),
        "2025-01-03's paths come back twice"
    );
    for path in &all {
        assert!(!path["steps"].as_array().unwrap().is_empty());
    }
    let advanced = json(run("paths", &["--level", "advanced", "--json"]));
    for path in items(&advanced) {
        assert!(["Advanced", "All"].contains(&path["level"].as_str().unwrap()));
    }
}

#[test]
fn listings_sort_and_page_and_paths_show_each_step_with_time_and_link() {
    let whole = json(run(
        "resources",
        &["--level", "beginner", "--limit", "200", "--json"],
    ));
    let urls = |listing: &Value| -> Vec<String> {
        items(listing)
            .iter()
            .map(|r| r["url"].as_str().unwrap().to_string())
            .collect()
    };
    let every = urls(&whole);
    assert!(every.len() > 3);
    let page = json(run(
        "resources",
        &[
            "--level", "beginner", "--offset", "2", "--limit", "2", "--json",
        ],
    ));
    assert_eq!(urls(&page), every[2..4]);
    assert_eq!(page["total"], every.len());
    let often = json(run(
        "resources",
        &["--sort", "most-featured", "--limit", "200", "--json"],
    ));
    assert_eq!(items(&often)[0]["times_featured"], 3);
    let output = run("resources", &["--sort", "shortest"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("most-featured"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let paths = json(run("paths", &["--sort", "shortest", "--json"]));
    assert_eq!(paths["sort"], "shortest");
    let first = items(&paths)[0];
    let step = &first["steps"][0];
    assert!(
        step["minutes"].as_u64().unwrap() > 0
            && step["url"].as_str().unwrap().starts_with("https://")
    );
    let text = String::from_utf8(run("paths", &["--limit", "1"]).stdout).unwrap();
    let minutes: u64 = items(&json(run("paths", &["--limit", "1", "--json"])))[0]["total_minutes"]
        .as_u64()
        .unwrap();
    let total = match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    };
    assert!(text.contains(&format!("] · {total} · featured")), "{text}");
    assert!(
        text.contains("      1. ") && text.contains("         https://"),
        "{text}"
    );
}
