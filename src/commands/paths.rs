//! `backissue paths`: the issues' learning paths by level, deduplicated.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use backissue_engine::resources::{Catalog, Listing, PathEntry, Request, Sort};
use backissue_engine::Index;
use backissue_issue::Level;
use clap::Args;

use super::embedder::expected_model_id;
use super::resources::{heading, history, query_vector};

/// Arguments of `backissue paths`.
#[derive(Debug, Args)]
pub struct PathsArgs {
    /// Words to rank by (by keyword and by meaning); without, by recency and frequency
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// The reader's level: beginner, intermediate or advanced (paths for `All` included)
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<Level>,
    /// Paths per level
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub limit: usize,
    /// Paths skipped at the start of each level (the next page: --offset 5)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// Order: relevance, newest, most-featured, title or shortest
    #[arg(long, value_name = "SORT", default_value = "relevance")]
    pub sort: Sort,
    #[command(flatten)]
    pub read: super::ReadArgs,
}

pub fn run(args: &PathsArgs) -> Result<ExitCode> {
    let index = Arc::new(Index::open(&args.read.index.dir)?);
    index.check_model_id(&expected_model_id())?;
    let vector = query_vector(
        &index,
        args.query.as_deref(),
        args.read.model.dir.as_deref(),
    )?;
    let listing = Catalog::new(index.clone())?.rank_paths(&Request {
        query: args.query.as_deref(),
        query_vector: vector.as_deref(),
        level: args.level,
        sort: args.sort,
        offset: args.offset,
        limit: args.limit,
    })?;
    if args.read.json {
        println!("{}", serde_json::to_string_pretty(&listing)?);
    } else {
        print!("{}", render(&listing));
    }
    Ok(ExitCode::SUCCESS)
}

fn render(listing: &Listing<PathEntry>) -> String {
    let mut out = format!("{}\n", heading(listing, "learning paths"));
    for group in &listing.groups {
        out.push_str(&format!("\n{}:\n", group.level));
        if group.items.is_empty() {
            out.push_str("  none\n");
        }
        for (n, ranked) in group.items.iter().enumerate() {
            let path = &ranked.item;
            out.push_str(&format!(
                "{:>2}. {} [{}] · {} · {} · score {:.2}\n",
                n + 1 + listing.offset,
                path.title,
                path.level,
                duration(path.total_minutes),
                history(&path.featured),
                ranked.score
            ));
            for step in &path.steps {
                out.push_str(&format!(
                    "      {}. {} ({})\n         {}\n",
                    step.n,
                    step.text,
                    duration(step.minutes),
                    step.url
                ));
            }
            if !path.outcome.is_empty() {
                out.push_str(&format!("    after this: {}\n", path.outcome));
            }
        }
    }
    out
}

/// `45 min`, `2 h`, `1 h 30 min`.
pub fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}
