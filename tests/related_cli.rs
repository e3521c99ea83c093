//! `backissue related` through the real binary, with the REAL model, on the last four
//! issues of the shipped corpus (which hold the three steps of the Yarrowby Bank
//! storyline, 2026-12-11 to 2026-12-25).

use std::path::PathBuf;
use std::process::Output;
use std::sync::OnceLock;

use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::bin;

const ISSUES: [&str; 4] = ["2026-12-04", "2026-12-11", "2026-12-18", "2026-12-25"];
const STORYLINE: [&str; 3] = ["2026-12-11/top/8", "2026-12-18/top/10", "2026-12-25/top/5"];

/// The slice, indexed once for the whole binary.
fn index() -> &'static PathBuf {
    static INDEX: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let root = tempfile::tempdir().unwrap();
            let corpus = root.path().join("corpus");
            std::fs::create_dir(&corpus).unwrap();
            let shipped = common::repo().join("corpus");
            for issue in ISSUES {
                std::fs::copy(
                    shipped.join(format!("{issue}.txt")),
                    corpus.join(format!("{issue}.txt")),
                )
                .unwrap();
            }
            let index = root.path().join("index");
            common::build_index(bin(), &corpus, &index);
            (root, index)
        })
        .1
}

fn related(args: &[&str]) -> Output {
    bin()
        .arg("related")
        .args(args)
        .arg("--index")
        .arg(index())
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_storyline_step_shows_its_timeline_then_related_stories_from_other_issues() {
    let answer = json(&related(&[STORYLINE[1], "--json"]));
    let timeline: Vec<&str> = answer["storyline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(timeline, STORYLINE);
    assert_eq!(answer["story"]["id"], STORYLINE[1]);
    let related = answer["related"].as_array().unwrap();
    assert_eq!(related.len(), 5);
    let ids: Vec<&str> = related.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.iter().any(|id| STORYLINE.contains(id)), "{ids:?}");
    for story in related {
        assert!(
            !story["id"].as_str().unwrap().starts_with("2026-12-18/"),
            "never the story's own issue"
        );
        let why = story["why"].as_str().unwrap();
        assert!(why.contains(" · ") && why.contains("week"), "{why}");
    }
    let first = related
        .iter()
        .find(|r| STORYLINE.contains(&r["id"].as_str().unwrap()))
        .unwrap();
    let shared: Vec<&str> = first["shared_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(shared.contains(&"Yarrowby Bank"), "{shared:?}");
    assert!(
        first["why"].as_str().unwrap().starts_with("shares "),
        "{}",
        first["why"]
    );

    let text = String::from_utf8(related_ok(&[STORYLINE[1]]).stdout).unwrap();
    assert!(
        text.contains("storyline yarrowby-bank-2026-12-11:"),
        "{text}"
    );
    assert!(text.contains("▸ 2026-12-18"), "{text}");
    assert!(text.contains("related:\n 1. "), "{text}");
}

fn related_ok(args: &[&str]) -> Output {
    let output = related(args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn unknown_story_ids_are_user_errors() {
    let output = related(&["2026-12-18/top/99"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown story \"2026-12-18/top/99\""),
        "{stderr}"
    );
    assert!(stderr.contains("story ids look like"), "{stderr}");
    assert!(output.stdout.is_empty());

    let output = related(&["2026-12-18/resource/1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is a resource, not a story"));

    let output = related(&[STORYLINE[0], "--limit", "0"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid `limit`"));
}

#[test]
fn a_window_keeps_only_nearby_weeks() {
    let answer = json(&related(&[
        STORYLINE[1],
        "--window",
        "1",
        "--half-life",
        "4",
        "--json",
    ]));
    let related = answer["related"].as_array().unwrap();
    assert!(!related.is_empty());
    for story in related {
        assert!(story["weeks_apart"].as_i64().unwrap().abs() <= 1, "{story}");
    }
}

/// Meaning matters here: a paraphrase with none of the stories' wording finds news of
/// that kind.
#[test]
fn a_text_finds_stories_by_meaning() {
    let answer = json(&related(&[
        "--text",
        "A watchdog is looking into whether a lender's software treats client information properly",
        "--json",
    ]));
    let related = answer["related"].as_array().unwrap();
    assert!(answer["story"].is_null());
    let titles: Vec<&str> = related
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    let about_a_probe = |t: &&str| {
        let t = t.to_lowercase();
        ["scrutiny", "investigation", "inquiry", "probe", "regulator"]
            .iter()
            .any(|w| t.contains(w))
    };
    assert!(titles.iter().take(3).any(about_a_probe), "{titles:?}");
}
