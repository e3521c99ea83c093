//! `backissue search`: search the archive from the terminal.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use backissue_engine::search::{
    FacetCount, Filters, Hit, Marked, Mode, SearchRequest, SearchResponse, Searcher, Sort,
    DEFAULT_SEMANTIC_RATIO,
};
use backissue_engine::Index;
use backissue_issue::Date;
use clap::{Args, ValueEnum};

/// Arguments of `backissue search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for; "quoted words" must appear together; an empty query ("")
    /// lists everything that passes the filters, newest first
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// How to match: by words, by meaning, or both fused
    #[arg(long, value_enum, default_value_t = ModeArg::Hybrid)]
    pub mode: ModeArg,
    /// In hybrid mode, the weight of meaning against words (0 to 1)
    #[arg(long, value_name = "RATIO", default_value_t = DEFAULT_SEMANTIC_RATIO)]
    pub semantic_ratio: f32,
    /// Only this sector (repeat for any of several): Tech, Healthcare, "Finance & Banking", …
    #[arg(long = "sector", value_name = "S")]
    pub sectors: Vec<String>,
    /// Only this region (repeatable): US, India, "South Korea", …
    #[arg(long = "region", value_name = "R")]
    pub regions: Vec<String>,
    /// Only this section (repeatable): top_story, sector_story, regional_story, insight,
    /// hidden_signal, resource, learning_path
    #[arg(long = "section", value_name = "S")]
    pub sections: Vec<String>,
    /// Only resources and paths of this level (repeatable; also matches `All`)
    #[arg(long = "level", value_name = "L")]
    pub levels: Vec<String>,
    /// Only resources of this kind (repeatable): Tool, Article, Paper, …
    #[arg(long = "kind", value_name = "K")]
    pub kinds: Vec<String>,
    /// Only stories from this source (repeatable): TechCrunch, Reuters, …
    #[arg(long = "source", value_name = "S")]
    pub sources: Vec<String>,
    /// Only issues on or after this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub from: Option<Date>,
    /// Only issues on or before this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub to: Option<Date>,
    /// The order of the hits
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Hits to skip (for the next pages)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// Hits to show (at most 100)
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Show every copy of a piece of news instead of one hit per event
    #[arg(long)]
    pub no_collapse: bool,
    #[command(flatten)]
    pub read: super::ReadArgs,
}

/// `--mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Words only (BM25, typo-tolerant); never loads the model
    Keyword,
    /// Meaning only (sentence embeddings)
    Semantic,
    /// Both, fused by a weighted sum of normalised scores
    Hybrid,
}

/// `--sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Best match first
    Relevance,
    /// Newest issue first
    Newest,
    /// Oldest issue first
    Oldest,
}

pub fn run(args: &SearchArgs) -> Result<ExitCode> {
    let mode = match args.mode {
        ModeArg::Keyword => Mode::Keyword,
        ModeArg::Semantic => Mode::Semantic,
        ModeArg::Hybrid => Mode::Hybrid {
            semantic_ratio: args.semantic_ratio,
        },
    };
    let request = SearchRequest {
        query: args.query.clone(),
        mode,
        filters: Filters {
            sectors: args.sectors.clone(),
            regions: args.regions.clone(),
            sections: args.sections.clone(),
            levels: args.levels.clone(),
            kinds: args.kinds.clone(),
            sources: args.sources.clone(),
            date_from: args.from,
            date_to: args.to,
        },
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        },
        offset: args.offset,
        limit: args.limit,
        collapse: !args.no_collapse,
    };
    let searcher = open_searcher(&args.read.index.dir, args.read.model.dir.as_deref())?;
    let response = searcher.search(&request)?;
    if args.read.json {
        // The API's JSON: titles and snippets as HTML, rendered as the server does.
        let answer = backissue_server::pages::highlight::html_answer(response);
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        let style = if std::io::stdout().is_terminal() {
            Style::Bold
        } else {
            Style::Brackets
        };
        print!("{}", render(&response, style));
    }
    Ok(ExitCode::SUCCESS)
}

/// How marked words are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// ANSI bold, on a terminal.
    Bold,
    /// `[word]`, in a pipe or a file.
    Brackets,
}

fn render(response: &SearchResponse, style: Style) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    for correction in &response.corrections {
        line(format!(
            "searched {} for {:?}",
            correction.to.join(" or "),
            correction.from
        ));
    }
    for note in &response.notes {
        line(format!("note: {note}"));
    }
    let weights = match response.mode {
        Mode::Hybrid { .. } => format!(
            " (hybrid: words {:.2}, meaning {:.2})",
            response.weights.keyword, response.weights.semantic
        ),
        mode => format!(" ({})", mode.name()),
    };
    let shown = if response.hits.is_empty() {
        String::new()
    } else {
        format!(
            ", showing {}–{}",
            response.offset + 1,
            response.offset + response.hits.len()
        )
    };
    line(format!(
        "{} results for {:?}{weights}{shown}",
        response.total, response.query
    ));
    for (n, hit) in response.hits.iter().enumerate() {
        line(String::new());
        line(format!(
            "{:>3}. {}  {:<14} {}",
            response.offset + n + 1,
            hit.date,
            hit.section.as_str(),
            terminal_text(&hit.title_marked, style)
        ));
        if !hit.snippet.text.is_empty() {
            line(format!("     {}", terminal_text(&hit.snippet, style)));
        }
        line(format!("     why: {}", why(hit)));
        let mut id = format!("     id: {}", hit.id);
        if let Some(url) = &hit.url {
            id.push_str(&format!("  {url}"));
        }
        if !hit.copies.is_empty() {
            id.push_str(&format!("  (also: {})", hit.copies.join(", ")));
        }
        line(id);
    }
    if response.total > 0 {
        line(String::new());
        let facets = &response.facets;
        for (name, counts) in [
            ("sector", &facets.sector),
            ("region", &facets.region),
            ("section", &facets.section),
            ("level", &facets.level),
            ("kind", &facets.kind),
            ("source", &facets.source),
        ] {
            if !counts.is_empty() {
                line(format!("{name:>8}: {}", facet_line(counts)));
            }
        }
    }
    out
}

fn why(hit: &Hit) -> String {
    let score = &hit.score;
    let mut parts = Vec::new();
    if score.exact_title {
        parts.push("the title is the query".to_string());
    }
    if let (Some(rank), Some(bm25)) = (score.keyword_rank, score.keyword_score) {
        parts.push(format!("words #{rank} (BM25 {bm25:.2})"));
    }
    if let (Some(rank), Some(similarity)) = (score.vector_rank, score.vector_similarity) {
        parts.push(format!("meaning #{rank} (similarity {similarity:.2})"));
    }
    if parts.is_empty() {
        return "passes the filters".to_string();
    }
    parts.join(", ")
}

fn facet_line(counts: &[FacetCount]) -> String {
    let shown: Vec<String> = counts
        .iter()
        .take(8)
        .map(|c| format!("{} {}", c.value, c.count))
        .collect();
    let more = if counts.len() > 8 {
        format!(", … {} more", counts.len() - 8)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

/// HTML with `<mark>` as terminal text: marks in bold or brackets, entities decoded.
fn terminal_text(marked: &Marked, style: Style) -> String {
    let (open, close) = match style {
        Style::Bold => ("\x1b[1m", "\x1b[0m"),
        Style::Brackets => ("[", "]"),
    };
    marked.wrapped(open, close)
}

/// Opens the index in `dir` for searching.
pub fn open_searcher(dir: &Path, model_dir: Option<&Path>) -> Result<Searcher> {
    let index = Index::open(dir)?;
    Searcher::new(
        Arc::new(index),
        super::embedder::query_embedder(model_dir, None)?,
    )
    .with_context(|| format!("cannot prepare a search of {}", dir.display()))
}
