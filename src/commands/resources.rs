//! `backissue resources`: learning resources by level, deduplicated across issues.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use backissue_engine::resources::{Catalog, Listing, Ranked, Request, ResourceEntry, Sort};
use backissue_engine::Index;
use backissue_issue::Level;
use clap::Args;

use super::embedder::{embedder_source, expected_model_id};

/// Arguments of `backissue resources`.
#[derive(Debug, Args)]
pub struct ResourcesArgs {
    /// Words to rank by (by keyword and by meaning); without, by recency and frequency
    #[arg(value_name = "QUERY")]
    pub query: Option<String>,
    /// The reader's level: beginner, intermediate or advanced (resources for `All` included)
    #[arg(long, value_name = "LEVEL")]
    pub level: Option<Level>,
    /// Resources for what this story is about, at --level and the next one (or every
    /// level); with QUERY, those of them the words also find
    #[arg(long = "for", value_name = "STORY_ID")]
    pub for_story: Option<String>,
    /// Resources per level
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Resources skipped at the start of each level (the next page: --offset 10)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// Order: relevance, newest, most-featured or title
    #[arg(long, value_name = "SORT", default_value = "relevance", value_parser = parse_resource_sort)]
    pub sort: Sort,
    #[command(flatten)]
    pub read: super::ReadArgs,
}

pub fn run(args: &ResourcesArgs) -> Result<ExitCode> {
    let index = Arc::new(Index::open(&args.read.index.dir)?);
    index.check_model_id(&expected_model_id())?;
    let catalog = Catalog::new(index.clone())?;
    let vector = query_vector(
        &index,
        args.query.as_deref(),
        args.read.model.dir.as_deref(),
    )?;
    let request = Request {
        query: args.query.as_deref(),
        query_vector: vector.as_deref(),
        level: args.level,
        sort: args.sort,
        offset: args.offset,
        limit: args.limit,
    };
    let listing = match &args.for_story {
        Some(story) => catalog.story_resources(story, &request)?,
        None => catalog.rank_resources(&request)?,
    };
    if args.read.json {
        println!("{}", serde_json::to_string_pretty(&listing)?);
    } else {
        print!("{}", render(&listing));
    }
    Ok(ExitCode::SUCCESS)
}

fn parse_resource_sort(text: &str) -> Result<Sort, String> {
    Sort::parse_among(text, &Sort::RESOURCES).map_err(|e| e.to_string())
}

/// The embedding of `query`, when there is one, checked against the index's model.
pub fn query_vector(
    index: &Index,
    query: Option<&str>,
    model_dir: Option<&Path>,
) -> Result<Option<Vec<f32>>> {
    let Some(query) = query.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    let source = embedder_source(model_dir)?;
    let embedder = source.embedder()?;
    index.check_model(&embedder.fingerprint())?;
    let vector = embedder
        .embed(&[query])
        .context("cannot embed the query")?
        .pop()
        .context("the embedder returned no vector")?;
    Ok(Some(vector))
}

/// The heading of a listing: what it is for.
pub fn heading<T>(listing: &Listing<T>, what: &str) -> String {
    let mut line = what.to_string();
    if let Some(story) = &listing.for_story {
        line.push_str(&format!(" for {} ({})", story.title, story.id));
    }
    if let Some(query) = &listing.query {
        line.push_str(&format!(" matching {query:?}"));
    }
    if let Some(level) = listing.level {
        line.push_str(&format!(" at level {level}"));
    }
    if listing.sort != Sort::Relevance {
        line.push_str(&format!(", {}", listing.sort));
    }
    if listing.offset > 0 {
        line.push_str(&format!(", from item {}", listing.offset + 1));
    }
    line.push_str(&format!(" ({} in all)", listing.total));
    if let Some(note) = &listing.note {
        line.push_str(&format!("\n{note}"));
    }
    line
}

/// `featured 3 times, 2025-W07 to 2026-W11`.
pub fn history(featured: &backissue_engine::resources::Featured) -> String {
    let times = match featured.times_featured {
        1 => "featured once".to_string(),
        n => format!("featured {n} times"),
    };
    if featured.first_week == featured.last_week {
        format!("{times}, {}", featured.first_week)
    } else {
        format!("{times}, {} to {}", featured.first_week, featured.last_week)
    }
}

fn render(listing: &Listing<ResourceEntry>) -> String {
    let mut out = format!("{}\n", heading(listing, "resources"));
    for group in &listing.groups {
        out.push_str(&format!("\n{}:\n", group.level));
        if group.items.is_empty() {
            out.push_str("  none\n");
        }
        for (n, Ranked { item, score, .. }) in group.items.iter().enumerate() {
            let n = n + listing.offset;
            let kind = item
                .kind
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            out.push_str(&format!(
                "{:>2}. {} [{} {kind}]\n",
                n + 1,
                item.title,
                item.level
            ));
            out.push_str(&format!("    {}\n", item.url));
            for url in item.urls.iter().filter(|u| **u != item.url) {
                out.push_str(&format!("    also {url}\n"));
            }
            if item.levels.len() > 1 {
                let levels: Vec<&str> = item.levels.iter().map(|l| l.as_str()).collect();
                out.push_str(&format!("    levels {}\n", levels.join(", ")));
            }
            out.push_str(&format!(
                "    {} · score {score:.2}\n",
                history(&item.featured)
            ));
        }
    }
    out
}
