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
    #[command(flatten)]
    pub read: super::ReadArgs,
}

pub fn run(args: &EvalArgs) -> Result<ExitCode> {
    if args.k == 0 {
        anyhow::bail!("invalid `--k`: 0; expected a cutoff of at least 1");
    }
    let queries = read_queries(&args.queries)?;
    let qrels = read_qrels(&args.qrels)?;
    let searcher = super::search::open_searcher(&args.read.index, args.read.model_dir.as_deref())?;
    let comparison = compare(&searcher, &queries, &qrels, args.k)?;
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
    out
}
