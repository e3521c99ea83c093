//! `backissue stats`: what the current generation of an index holds.

use std::process::ExitCode;

use anyhow::Result;
use backissue_engine::{Index, Stats};
use clap::Args;

/// Arguments of `backissue stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub index: super::IndexArg,
    /// Print the statistics as JSON on standard output
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &StatsArgs) -> Result<ExitCode> {
    let index = Index::open(&args.index.dir)?;
    index.check_model_id(&super::embedder::expected_model_id())?;
    let stats = index.stats();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
    } else {
        print!("{}", render(&stats));
    }
    Ok(ExitCode::SUCCESS)
}

fn render(stats: &Stats) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(format!(
        "{}: generation {}, built {} in {:.1} s (schema version {})",
        stats.dir.display(),
        stats.generation,
        stats.built_at,
        stats.build_seconds,
        stats.schema_version
    ));
    let checksum: String = stats.model.checksum.chars().take(12).collect();
    line(format!(
        "model: {} (sha256 {checksum}…, {} dimensions); HNSW M={} ef_construction={} ef_search={}",
        stats.model.model_id,
        stats.model.dimension,
        stats.hnsw.max_connections,
        stats.hnsw.ef_construction,
        stats.hnsw.ef_search
    ));
    let range = match (stats.first_date, stats.last_date) {
        (Some(first), Some(last)) => format!("{first} to {last}"),
        _ => "no dates".to_string(),
    };
    line(format!(
        "{} issues ({range}), {} documents, {} events, {} failed files",
        stats.issues, stats.documents, stats.events, stats.failed_files
    ));
    for (section, count) in &stats.by_section {
        line(format!("  {:<15} {count:>7}", section.as_str()));
    }
    out
}
