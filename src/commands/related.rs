//! `backissue related`: the stories related to a story (or a text), after its storyline.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use backissue_engine::related::{Related, RelatedParams, RelatedStories};
use backissue_engine::Index;
use clap::Args;

use super::embedder::{embedder_source, expected_model_id};

/// Arguments of `backissue related`.
#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// The story's id, as search prints it: 2026-03-27/top/2, 2026-03-27/finance-banking/1
    #[arg(
        value_name = "STORY_ID",
        required_unless_present = "text",
        conflicts_with = "text"
    )]
    pub story: Option<String>,
    /// Find stories related to this text instead (embeds it with the model)
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    /// Stories to show (1 to 50)
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub limit: usize,
    /// Halve a story's relatedness for every WEEKS it is apart from the story asked about
    #[arg(long, value_name = "WEEKS")]
    pub half_life: Option<f64>,
    /// Only stories at most WEEKS apart from the story asked about
    #[arg(long, value_name = "WEEKS")]
    pub window: Option<u32>,
    #[command(flatten)]
    pub read: super::ReadArgs,
}

pub fn run(args: &RelatedArgs) -> Result<ExitCode> {
    let index = Arc::new(Index::open(&args.read.index.dir)?);
    index.check_model_id(&expected_model_id())?;
    let related = Related::open(index.clone())?;
    let params = RelatedParams {
        limit: args.limit,
        half_life_weeks: args.half_life,
        window_weeks: args.window,
    };
    let answer = match (&args.story, &args.text) {
        (Some(id), _) => related.story(id, &params)?,
        (None, Some(text)) => {
            let source = embedder_source(args.read.model.dir.as_deref())?;
            let embedder = source.embedder()?;
            index.check_model(&embedder.fingerprint())?;
            let vector = embedder
                .embed(&[text.as_str()])
                .context("cannot embed the text")?
                .pop()
                .context("the embedder returned no vector")?;
            related.text(text, &vector, &params)?
        }
        (None, None) => unreachable!("clap requires a story id or --text"),
    };
    if args.read.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        print!("{}", render(&answer));
    }
    Ok(ExitCode::SUCCESS)
}

fn render(answer: &RelatedStories) -> String {
    let mut out = String::new();
    if let Some(story) = &answer.story {
        out.push_str(&format!(
            "{}  ({}, {})\n",
            story.title, story.id, story.date
        ));
    }
    if !answer.storyline.is_empty() {
        out.push_str(&format!(
            "\nstoryline {}:\n",
            answer.storyline_id.as_deref().unwrap_or("")
        ));
        let own = answer.story.as_ref().map(|s| s.id.as_str());
        for step in &answer.storyline {
            let marker = if Some(step.id.as_str()) == own {
                "▸"
            } else {
                " "
            };
            out.push_str(&format!(
                "{marker} {}  {}  ({})\n",
                step.date, step.title, step.id
            ));
        }
    }
    out.push_str("\nrelated:\n");
    if answer.related.is_empty() {
        out.push_str("  nothing related found\n");
    }
    for (n, story) in answer.related.iter().enumerate() {
        out.push_str(&format!(
            "{:>2}. {}  ({}, {})\n",
            n + 1,
            story.title,
            story.id,
            story.date
        ));
        out.push_str(&format!("    {} · score {:.2}\n", story.why, story.score));
    }
    out
}
