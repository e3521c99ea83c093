//! Evaluation for `backissue eval`: how well do rankings match judged relevance?
//!
//! The command reads a queries file and a qrels file ([`trec`]), runs each query, and
//! hands the ranked document ids to [`evaluate`], which scores every query with the
//! [`metrics`] and averages them into a [`Summary`]. The [`EvalReport`] serialises to the
//! JSON the command prints with `--json`, so runs can be compared over time.
//!
//! Queries with no relevant document in the qrels are skipped, and counted and named in
//! the report: their metrics would be 0 whatever the engine did, and averaging them in
//! would only blur the comparison.

pub mod metrics;
pub mod trec;

use serde::{Deserialize, Serialize};

pub use metrics::{ndcg_at, recall_at, reciprocal_rank_at, relevant_count};
pub use trec::{
    parse_qrels, parse_queries, read_qrels, read_queries, EvalFileError, Judgments, Qrels, Query,
};

/// One query's scores at the report's cutoff `k`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryScores {
    /// The query id.
    pub query_id: String,
    /// nDCG@k.
    pub ndcg: f64,
    /// Reciprocal rank of the first relevant document within k (0 if none).
    pub reciprocal_rank: f64,
    /// Recall@k.
    pub recall: f64,
    /// How many documents the qrels judge relevant (grade ≥ 1) for the query.
    pub relevant: usize,
    /// How many distinct documents the ranking returned (before the cutoff).
    pub retrieved: usize,
}

/// The metrics averaged over the evaluated queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The cutoff every metric was computed at.
    pub k: usize,
    /// How many queries were evaluated (had at least one relevant document).
    pub evaluated: usize,
    /// How many queries were skipped for having no relevant document.
    pub skipped: usize,
    /// Mean nDCG@k (0 when no query was evaluated).
    pub ndcg: f64,
    /// Mean reciprocal rank@k, MRR@k (0 when no query was evaluated).
    pub mrr: f64,
    /// Mean recall@k (0 when no query was evaluated).
    pub recall: f64,
}

impl Summary {
    /// Averages `scores` at cutoff `k`, noting `skipped` queries left out.
    pub fn from_scores(k: usize, scores: &[QueryScores], skipped: usize) -> Summary {
        let mean = |metric: fn(&QueryScores) -> f64| {
            if scores.is_empty() {
                0.0
            } else {
                scores.iter().map(metric).sum::<f64>() / scores.len() as f64
            }
        };
        Summary {
            k,
            evaluated: scores.len(),
            skipped,
            ndcg: mean(|s| s.ndcg),
            mrr: mean(|s| s.reciprocal_rank),
            recall: mean(|s| s.recall),
        }
    }
}

/// What `backissue eval --json` prints: the summary, each query's scores, and the
/// queries skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// The averages.
    pub summary: Summary,
    /// Each evaluated query's scores, in the order the runs were given.
    pub queries: Vec<QueryScores>,
    /// The ids of the queries skipped for having no relevant document.
    pub skipped: Vec<String>,
}

/// Scores each run (a query id and the document ids it returned, best first) against
/// `qrels` at cutoff `k`.
pub fn evaluate<Q, D>(runs: &[(Q, Vec<D>)], qrels: &Qrels, k: usize) -> EvalReport
where
    Q: AsRef<str>,
    D: AsRef<str>,
{
    let mut queries = Vec::new();
    let mut skipped = Vec::new();
    for (query_id, ranked) in runs {
        let query_id = query_id.as_ref();
        match qrels.get(query_id).filter(|j| relevant_count(j) > 0) {
            Some(judgments) => queries.push(score_query(query_id, ranked, judgments, k)),
            None => skipped.push(query_id.to_owned()),
        }
    }
    EvalReport {
        summary: Summary::from_scores(k, &queries, skipped.len()),
        queries,
        skipped,
    }
}

fn score_query<D: AsRef<str>>(
    query_id: &str,
    ranked: &[D],
    judgments: &Judgments,
    k: usize,
) -> QueryScores {
    let retrieved = ranked
        .iter()
        .map(AsRef::as_ref)
        .collect::<std::collections::HashSet<&str>>()
        .len();
    QueryScores {
        query_id: query_id.to_owned(),
        ndcg: ndcg_at(ranked, judgments, k),
        reciprocal_rank: reciprocal_rank_at(ranked, judgments, k),
        recall: recall_at(ranked, judgments, k),
        relevant: relevant_count(judgments),
        retrieved,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn sample_qrels() -> Qrels {
        let text = "q1 0 a 1\nq1 0 b 0\nq2 0 x 2\nq2 0 y 1\nq3 0 n 0\n";
        parse_qrels(Path::new("qrels.txt"), text).unwrap()
    }

    #[test]
    fn averages_over_queries_and_skips_those_without_relevant_documents() {
        let runs = vec![
            ("q1", vec!["b", "c", "a"]), // first relevant at rank 3
            ("q2", vec!["x", "z"]),      // first relevant at rank 1, y missed
            ("q3", vec!["n"]),           // judged, nothing relevant: skipped
            ("q4", vec!["a"]),           // not judged at all: skipped
        ];
        let report = evaluate(&runs, &sample_qrels(), 10);
        assert_eq!(report.skipped, ["q3", "q4"]);
        let summary = &report.summary;
        assert_eq!((summary.k, summary.evaluated, summary.skipped), (10, 2, 2));
        assert!(close(summary.mrr, (1.0 / 3.0 + 1.0) / 2.0));
        assert!(close(summary.recall, (1.0 + 0.5) / 2.0));
        // q1: gain 1 at rank 3 over ideal gain 1 at rank 1 → 1/log2(4) = 0.5.
        // q2: 3 at rank 1 over ideal 3 + 1/log2(3).
        let q2 = 3.0 / (3.0 + 1.0 / 3f64.log2());
        assert!(close(report.queries[0].ndcg, 0.5));
        assert!(close(summary.ndcg, (0.5 + q2) / 2.0));
        assert_eq!(
            (report.queries[1].relevant, report.queries[1].retrieved),
            (2, 2)
        );
    }

    #[test]
    fn no_evaluated_query_gives_zeros_not_nan() {
        let runs: Vec<(&str, Vec<&str>)> = vec![("q3", vec![])];
        let report = evaluate(&runs, &sample_qrels(), 5);
        assert_eq!(report.summary.evaluated, 0);
        assert_eq!(report.summary.ndcg, 0.0);
        assert!(serde_json::to_string(&report).is_ok());
    }

    #[test]
    fn report_serialises_with_stable_field_names() {
        let runs = vec![("q1".to_owned(), vec!["a".to_owned()])];
        let report = evaluate(&runs, &sample_qrels(), 3);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["summary"]["k"], 3);
        assert_eq!(json["summary"]["mrr"], 1.0);
        assert_eq!(json["queries"][0]["query_id"], "q1");
        assert_eq!(json["skipped"], serde_json::json!([]));
        let back: EvalReport = serde_json::from_value(json).unwrap();
        assert_eq!(back, report);
    }
}
