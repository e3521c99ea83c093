//! `backissue eval`: keyword, semantic and hybrid search scored side by side on
//! judged queries.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use backissue_engine::analytics::eval::{read_qrels, read_queries};
use backissue_engine::eval_run::{compare, EvalComparison};
use clap::Args;

/// Arguments of `backissue eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The queries: `QID<TAB>query text` per line
    #[arg(long, value_name = "FILE", default_value = "eval/queries.tsv")]
    pub queries: PathBuf,
    /// The judgments: `QID 0 DOCID GRADE` per line (grades 0–3)
    #[arg(long, value_name = "FILE", default_value = "eval/qrels.txt")]
    pub qrels: PathBuf,
    /// The cutoff of nDCG and MRR
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub k: usize,
    /// The day relative dates in queries (`last year`) count from [default: the
    /// date of the archive's latest issue]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<backissue_issue::Date>,
    #[command(flatten)]
    pub read: super::ReadArgs,
}

pub fn run(args: &EvalArgs) -> Result<ExitCode> {
    if args.k == 0 {
        anyhow::bail!("invalid `--k`: 0; expected a cutoff of at least 1");
    }
    let queries = read_queries(&args.queries)?;
    let qrels = read_qrels(&args.qrels)?;
    let searcher =
        super::search::open_searcher(&args.read.index.dir, args.read.model.dir.as_deref())?;
    let today = match args.today {
        Some(today) => today,
        None => searcher
            .index()
            .documents()
            .iter()
            .map(|d| d.date)
            .max()
            .ok_or_else(|| anyhow::anyhow!("the index holds no document to evaluate"))?,
    };
    let comparison = compare(&searcher, &queries, &qrels, args.k, today)?;
    if args.read.json {
        println!("{}", serde_json::to_string_pretty(&comparison)?);
    } else {
        print!("{}", render(&comparison));
    }
    Ok(ExitCode::SUCCESS)
}

fn render(comparison: &EvalComparison) -> String {
    let k = comparison.k;
    let mut out = format!(
        "{} queries evaluated, {} skipped (no relevant document)\n\n{:<10}{:>10}{:>10}{:>12}\n",
        comparison.evaluated,
        comparison.skipped.len(),
        "mode",
        format!("nDCG@{k}"),
        format!("MRR@{k}"),
        format!("Recall@{}", comparison.recall_depth),
    );
    for mode in &comparison.modes {
        out.push_str(&format!(
            "{:<10}{:>10.4}{:>10.4}{:>12.4}\n",
            mode.mode, mode.ndcg, mode.mrr, mode.recall
        ));
    }
    let sets = query_sets(comparison);
    if sets.len() > 1 {
        out.push_str(&format!(
            "\nnDCG@{k} by query set (the letters before a query id's digits)\n{:<10}",
            "set"
        ));
        for mode in &comparison.modes {
            out.push_str(&format!("{:>10}", mode.mode));
        }
        out.push('\n');
        for set in &sets {
            let count = comparison.modes[0]
                .report
                .queries
                .iter()
                .filter(|q| set_of(&q.query_id) == set)
                .count();
            out.push_str(&format!("{:<10}", format!("{set} ({count})")));
            for mode in &comparison.modes {
                let scores: Vec<f64> = mode
                    .report
                    .queries
                    .iter()
                    .filter(|q| set_of(&q.query_id) == set)
                    .map(|q| q.ndcg)
                    .collect();
                out.push_str(&format!(
                    "{:>10.4}",
                    scores.iter().sum::<f64>() / scores.len().max(1) as f64
                ));
            }
            out.push('\n');
        }
    }
    out
}

/// The set a query id belongs to: its letters before the first digit (`h` of `h12`).
fn set_of(id: &str) -> &str {
    &id[..id.find(|c: char| c.is_ascii_digit()).unwrap_or(id.len())]
}

/// The query sets evaluated, in order of first appearance.
fn query_sets(comparison: &EvalComparison) -> Vec<String> {
    let mut sets: Vec<String> = Vec::new();
    for q in comparison.modes.iter().flat_map(|m| &m.report.queries) {
        let set = set_of(&q.query_id);
        if !sets.iter().any(|s| s == set) {
            sets.push(set.to_string());
        }
    }
    sets
}
