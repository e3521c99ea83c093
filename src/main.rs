//! `backissue`: the command line. Argument parsing and exit codes live here and only here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use backissue_issue::{parse_file, Date, Issue};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "backissue",
    version,
    about = "Search and recommendations over the back issues of a weekly AI-industry newsletter",
    after_help = "Examples:\n  backissue parse corpus/\n  backissue generate --weeks 104 --start 2025-01-03 --seed 7 --out corpus/"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse issue files and print them, then every warning and error
    #[command(
        after_help = "Examples:\n  backissue parse corpus/\n  backissue parse corpus/2026-03-27.txt --json | jq .top_stories[0]\n\n\
        Exits with status 1 when any file failed, after reading all of them."
    )]
    Parse {
        /// Issue files, or folders of `*.txt` issue files
        #[arg(required = true, value_name = "FILE_OR_DIR")]
        paths: Vec<PathBuf>,
        /// Print each issue as one line of JSON (JSON Lines) instead of a summary
        #[arg(long)]
        json: bool,
    },
    /// Write a deterministic sample archive, one issue per week, with its ground truth
    #[command(
        after_help = "Examples:\n  backissue generate --weeks 104 --start 2025-01-03 --seed 7 --out corpus/\n  \
        backissue generate --weeks 1040 --seed 1 --out /tmp/big"
    )]
    Generate {
        /// How many weekly issues to write
        #[arg(long, default_value_t = 104)]
        weeks: u32,
        /// The first issue's date (YYYY-MM-DD)
        #[arg(long, default_value = "2025-01-03")]
        start: Date,
        /// The random seed: the same seed gives the same bytes
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// The folder to write into (created if missing)
        #[arg(long)]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Parse { paths, json } => parse(&paths, json),
        Command::Generate {
            weeks,
            start,
            seed,
            out,
        } => generate(weeks, start, seed, &out),
    }
}

/// Every issue file named by `paths`: files as given, folders' `*.txt` files sorted by name.
fn issue_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot read folder {}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|ext| ext == "txt"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn parse(paths: &[PathBuf], json: bool) -> Result<ExitCode> {
    let files = issue_files(paths)?;
    if files.is_empty() {
        bail!("no issue files (*.txt) found in {}", display_list(paths));
    }
    let mut parsed: Vec<(PathBuf, Issue)> = Vec::new();
    let mut errors = Vec::new();
    for file in &files {
        match parse_file(file) {
            Ok(issue) => {
                if json {
                    println!("{}", serde_json::to_string(&issue)?);
                } else {
                    println!("{}", summary_line(file, &issue));
                }
                parsed.push((file.clone(), issue));
            }
            Err(error) => errors.push(error),
        }
    }
    for (file, issue) in &parsed {
        for warning in &issue.warnings {
            eprintln!("warning: {}:{warning}", file.display());
        }
    }
    for error in &errors {
        eprintln!("error: {error}");
    }
    let warnings: usize = parsed.iter().map(|(_, i)| i.warnings.len()).sum();
    eprintln!(
        "{} parsed, {} failed, {} warnings",
        parsed.len(),
        errors.len(),
        warnings
    );
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn summary_line(file: &Path, issue: &Issue) -> String {
    format!(
        "{}: {} ({:?}) {:?}: {} top stories, {} insights, {} sector briefs, {} resources, {} learning paths, {}",
        file.display(),
        issue.date,
        issue.date_source,
        issue.headline,
        issue.top_stories.len(),
        issue.insights.len(),
        issue.sector_briefs.len(),
        issue.resources.len(),
        issue.learning_paths.len(),
        issue
            .regional_watch
            .as_ref()
            .map_or_else(|| "no regional watch".to_string(), |w| format!("{} watch", w.region)),
    )
}

fn display_list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn generate(weeks: u32, start: Date, seed: u64, out: &Path) -> Result<ExitCode> {
    let _ = (weeks, start, seed, out);
    bail!("generate is not built yet")
}
