//! Running judged queries through the three search modes side by side
//! (`backissue eval`).
//!
//! Each query is run as a finished query (a space is added, so its last word is
//! not completed as if still being typed), with copies not collapsed (judgments
//! are per document, and a collapsed copy would count as missed), at depth
//! [`RECALL_DEPTH`]. The rankings are scored with [`crate::analytics::eval`]:
//! nDCG and MRR at the cutoff `k`, and recall at [`RECALL_DEPTH`], which says how
//! much of what is relevant a reader could reach by paging.
//!
//! Relative dates in a query (`last year`) count from `today`, which `backissue
//! eval` takes to be the date of the archive's latest issue, the day the
//! judgments were written for.

use backissue_issue::Date;
use serde::{Deserialize, Serialize};

use crate::analytics::eval::{evaluate, recall_at, EvalReport, Qrels, Query};
use crate::error::{Error, Result};
use crate::search::{Mode, SearchRequest, Searcher, MAX_LIMIT};

/// The depth recall is measured at: the most a search returns in one page.
pub const RECALL_DEPTH: usize = MAX_LIMIT;

/// One mode's scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModeScores {
    /// `keyword`, `semantic` or `hybrid`.
    pub mode: String,
    /// Mean nDCG@k.
    pub ndcg: f64,
    /// Mean reciprocal rank@k.
    pub mrr: f64,
    /// Mean recall@[`RECALL_DEPTH`].
    pub recall: f64,
    /// The per-query scores at k.
    pub report: EvalReport,
}

/// The three modes compared on one set of judged queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalComparison {
    /// The cutoff of nDCG and MRR.
    pub k: usize,
    /// The depth of recall.
    pub recall_depth: usize,
    /// Queries evaluated (with at least one relevant document).
    pub evaluated: usize,
    /// Ids of the queries skipped for having no relevant document.
    pub skipped: Vec<String>,
    /// Keyword, semantic, hybrid, in that order.
    pub modes: Vec<ModeScores>,
}

/// Runs every query of `queries` in each mode and scores the rankings against
/// `qrels` at cutoff `k`.
pub fn compare(
    searcher: &Searcher,
    queries: &[Query],
    qrels: &Qrels,
    k: usize,
    today: Date,
) -> Result<EvalComparison> {
    let modes = [Mode::Keyword, Mode::Semantic, Mode::default()];
    let mut out = Vec::with_capacity(modes.len());
    let mut skipped = Vec::new();
    let mut evaluated = 0;
    for mode in modes {
        let mut runs = Vec::with_capacity(queries.len());
        for query in queries {
            runs.push((
                query.id.as_str(),
                ranked_ids(searcher, &query.text, mode, today)?,
            ));
        }
        let report = evaluate(&runs, qrels, k);
        let mut recall = 0.0;
        for (id, ranked) in &runs {
            if let Some(judgments) = qrels.get(id) {
                if report.queries.iter().any(|q| q.query_id == *id) {
                    recall += recall_at(ranked, judgments, RECALL_DEPTH);
                }
            }
        }
        let n = report.summary.evaluated;
        evaluated = n;
        skipped = report.skipped.clone();
        out.push(ModeScores {
            mode: mode.name().to_string(),
            ndcg: report.summary.ndcg,
            mrr: report.summary.mrr,
            recall: if n == 0 { 0.0 } else { recall / n as f64 },
            report,
        });
    }
    Ok(EvalComparison {
        k,
        recall_depth: RECALL_DEPTH,
        evaluated,
        skipped,
        modes: out,
    })
}

/// The document ids `searcher` returns for `text` in `mode`, best first, up to
/// [`RECALL_DEPTH`], copies not collapsed. A query the searcher refuses as the
/// reader's mistake (too long) ranks nothing; other errors are returned.
pub fn ranked_ids(searcher: &Searcher, text: &str, mode: Mode, today: Date) -> Result<Vec<String>> {
    let request = SearchRequest {
        query: format!("{} ", text.trim_end()),
        mode,
        limit: RECALL_DEPTH,
        collapse: false,
        ..SearchRequest::default()
    };
    match searcher.search_on(&request, today) {
        Ok(response) => Ok(response.hits.into_iter().map(|h| h.id).collect()),
        Err(error) if error.is_user_error() => Ok(Vec::new()),
        Err(error) => Err::<_, Error>(error),
    }
}
