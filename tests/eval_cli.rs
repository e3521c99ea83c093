//! `backissue eval` and the judgments shipped in `eval/`.

mod common;

use std::collections::HashSet;

use backissue_engine::analytics::eval::{read_qrels, read_queries, relevant_count};
use backissue_engine::split_issue;
use common::{backissue, repo, stderr, stdout, write};

#[test]
fn the_shipped_judgments_are_well_formed_and_name_real_documents() {
    let queries = read_queries(&repo().join("eval/queries.tsv")).unwrap();
    let qrels = read_qrels(&repo().join("eval/qrels.txt")).unwrap();
    let hand: Vec<_> = queries.iter().filter(|q| q.id.starts_with('h')).collect();
    let storylines: Vec<_> = queries.iter().filter(|q| q.id.starts_with('s')).collect();
    assert!(hand.len() >= 40, "{} hand-written queries", hand.len());
    assert!(!storylines.is_empty());
    for query in &queries {
        let judged = qrels
            .get(&query.id)
            .unwrap_or_else(|| panic!("{} has no judgments", query.id));
        assert!(
            relevant_count(judged) > 0,
            "{} has no relevant document",
            query.id
        );
    }
    let ids: HashSet<&str> = queries.iter().map(|q| q.id.as_str()).collect();
    let mut docs = HashSet::new();
    for entry in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let issue = backissue_issue::parse_file(&path).unwrap();
            docs.extend(split_issue(&issue).into_iter().map(|d| d.id));
        }
    }
    for (query, judged) in qrels.iter() {
        assert!(ids.contains(query), "qrels judge unknown query {query}");
        for (doc, grade) in judged {
            assert!(docs.contains(doc), "{query}: no document {doc} in corpus/");
            assert!(*grade <= 3, "{query} {doc}: grade {grade}");
        }
    }
}

#[test]
fn eval_scores_the_three_modes_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for week in ["2025-06-06", "2025-06-13"] {
        std::fs::copy(
            repo().join(format!("corpus/{week}.txt")),
            corpus.join(format!("{week}.txt")),
        )
        .unwrap();
    }
    let index = dir.path().join("index");
    let indexed = backissue()
        .env("BACKISSUE_EMBEDDER", "hash")
        .args([
            "index",
            "--corpus",
            corpus.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(indexed.status.success(), "{}", stderr(&indexed));
    let queries = write(
        dir.path(),
        "queries.tsv",
        "q1\tTidewaterCell 9 outage\nq2\tnothing judged here\n",
    );
    let qrels = write(
        dir.path(),
        "qrels.txt",
        "q1 0 2025-06-06/top/2 3\nq1 0 2025-06-06/energy/1 2\nq1 0 2025-06-06/india-watch/1 2\n",
    );
    let run = |extra: &[&str]| {
        let output = backissue()
            .env("BACKISSUE_EMBEDDER", "hash")
            .args([
                "eval",
                "--queries",
                queries.to_str().unwrap(),
                "--qrels",
                qrels.to_str().unwrap(),
            ])
            .args(["--index", index.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let table = run(&[]);
    assert!(table.contains("1 queries evaluated, 1 skipped"), "{table}");
    assert!(
        table.contains("nDCG@10") && table.contains("MRR@10") && table.contains("Recall@100"),
        "{table}"
    );
    for mode in ["keyword", "semantic", "hybrid"] {
        assert!(table.lines().any(|l| l.starts_with(mode)), "{table}");
    }
    let json: serde_json::Value = serde_json::from_str(&run(&["--json", "--k", "5"])).unwrap();
    assert_eq!(json["k"], 5);
    assert_eq!(json["recall_depth"], 100);
    let modes: Vec<&str> = json["modes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mode"].as_str().unwrap())
        .collect();
    assert_eq!(modes, ["keyword", "semantic", "hybrid"]);
    let keyword = &json["modes"][0];
    assert_eq!(
        keyword["recall"], 1.0,
        "all three copies are found by their words"
    );
    assert_eq!(keyword["mrr"], 1.0);
}

#[test]
fn eval_reports_a_bad_judgment_line_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let queries = write(dir.path(), "queries.tsv", "q1\toutage\n");
    let qrels = write(dir.path(), "qrels.txt", "q1 0 doc\n");
    let output = backissue()
        .args([
            "eval",
            "--queries",
            queries.to_str().unwrap(),
            "--qrels",
            qrels.to_str().unwrap(),
        ])
        .args(["--index", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("qrels.txt:1: expected 4 fields"),
        "{}",
        stderr(&output)
    );
}
