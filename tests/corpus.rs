//! The shipped `corpus/`: made by our own generator, byte for byte, and read cleanly.

mod common;

use std::path::Path;

use backissue_issue::{parse_file, parse_str, render};
use common::{repo, run, stderr};

fn corpus() -> std::path::PathBuf {
    repo().join("corpus")
}

fn txt_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn regenerating_the_corpus_gives_the_same_bytes() {
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus().join("ground_truth.json")).unwrap())
            .unwrap();
    let (weeks, start, seed) = (
        truth["weeks"].as_u64().unwrap().to_string(),
        truth["start"].as_str().unwrap().to_string(),
        truth["seed"].as_u64().unwrap().to_string(),
    );
    assert_eq!(weeks, "104");
    let out = tempfile::tempdir().unwrap();
    let output = run(&[
        "generate",
        "--weeks",
        &weeks,
        "--start",
        &start,
        "--seed",
        &seed,
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let shipped = txt_files(&corpus());
    let fresh = txt_files(out.path());
    assert_eq!(shipped.len(), 104);
    assert_eq!(shipped.len(), fresh.len());
    for (a, b) in shipped.iter().zip(&fresh) {
        assert_eq!(a.file_name(), b.file_name());
        assert!(
            std::fs::read(a).unwrap() == std::fs::read(b).unwrap(),
            "{} differs",
            a.display()
        );
    }
    assert_eq!(
        std::fs::read(corpus().join("ground_truth.json")).unwrap(),
        std::fs::read(out.path().join("ground_truth.json")).unwrap()
    );
}

#[test]
fn the_corpus_parses_without_errors_or_warnings_and_round_trips() {
    let output = run(&["parse", corpus().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("104 parsed, 0 failed, 0 warnings"));
    for file in txt_files(&corpus()) {
        let issue = parse_file(&file).unwrap();
        let again = parse_str(&render(&issue), file.file_name().unwrap(), None).unwrap();
        assert_eq!(again, issue, "{}", file.display());
        assert_eq!(render(&issue), std::fs::read_to_string(&file).unwrap());
    }
}
