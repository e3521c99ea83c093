//! `backissue`: the command line. Argument parsing and exit codes live here and only here.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use backissue_issue::Date;
use clap::{Parser, Subcommand};

mod commands;

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
    /// Build or update the search index: only new and changed issues are processed
    #[command(
        after_help = "Examples:\n  backissue index\n  backissue index --corpus corpus/ --index index/\n  \
        BACKISSUE_INDEX=/srv/backissue/index backissue index --json | jq .embedded_texts\n\n\
        A bad issue file is reported (path:line: block: what was expected) and left out; its earlier\n\
        documents are dropped. Exits with status 1 when any file failed, 2 when the run itself failed.\n\
        A run that is interrupted leaves the previous index intact; run the command again to finish."
    )]
    Index(commands::index::IndexArgs),
    /// Show what the current index holds: generation, model, counts by section, issues, dates
    #[command(
        after_help = "Examples:\n  backissue stats\n  backissue stats --index /srv/backissue/index --json | jq .by_section"
    )]
    Stats(commands::stats::StatsArgs),
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
        Command::Parse { paths, json } => commands::parse::run(&paths, json),
        Command::Generate {
            weeks,
            start,
            seed,
            out,
        } => commands::generate::run(weeks, start, seed, &out),
        Command::Index(args) => commands::index::run(&args),
        Command::Stats(args) => commands::stats::run(&args),
    }
}
