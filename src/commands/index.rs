//! `backissue index`: build or update the index of a corpus folder, and report.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use backissue_engine::{IndexReport, Indexer, Progress, Stage};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Arguments of `backissue index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub corpus: super::CorpusArg,
    #[command(flatten)]
    pub index: super::IndexArg,
    /// Print the report as JSON on standard output
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub model: super::ModelArg,
}

pub fn run(args: &IndexArgs) -> Result<ExitCode> {
    let source = super::embedder::embedder_source(args.model.dir.as_deref())?;
    let mut progress = Reporter::new();
    let report = Indexer::new(&args.corpus.dir, &args.index.dir)
        .run(source.as_ref(), &mut progress)
        .with_context(|| {
            format!(
                "cannot index {} into {}",
                args.corpus.dir.display(),
                args.index.dir.display()
            )
        })?;
    progress.clear();

    for warning in &report.warnings {
        eprintln!("warning: {}", warning.message);
    }
    for error in &report.errors {
        eprintln!("error: {}", error.message);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_summary(&report, &args.index.dir);
    }
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_summary(report: &IndexReport, index: &Path) {
    if report.up_to_date {
        println!(
            "{} is up to date: {} issues, {} documents, {} events (generation {}), {:.2} s",
            index.display(),
            report.issues,
            report.documents,
            report.events,
            report.generation,
            report.seconds
        );
    } else {
        println!(
            "indexed {} issues: {} documents, {} events into {} (generation {})",
            report.issues,
            report.documents,
            report.events,
            index.display(),
            report.generation
        );
        println!(
            "embedded {} texts; issues added {}, changed {}, removed {}{}",
            report.embedded_texts,
            report.issues_added.len(),
            report.issues_changed.len(),
            report.issues_removed.len(),
            if report.full_rebuild {
                "; keyword index rebuilt"
            } else {
                ""
            }
        );
        println!(
            "{:.2} s, {:.0} documents/s",
            report.seconds,
            report.documents as f64 / report.seconds.max(1e-9)
        );
    }
    println!(
        "{} warnings, {} files failed{}",
        report.warnings.len(),
        report.errors.len(),
        if report.errors.is_empty() {
            String::new()
        } else {
            "; their documents are not in the index (see the errors above)".to_string()
        }
    );
}

/// Progress on standard error: a bar on a terminal, a line per stage otherwise.
struct Reporter {
    bar: Option<ProgressBar>,
    terminal: bool,
    stage: Option<(Stage, u64, Instant)>,
    done: u64,
    last_line: Instant,
}

impl Reporter {
    fn new() -> Self {
        Reporter {
            bar: None,
            terminal: std::io::stderr().is_terminal(),
            stage: None,
            done: 0,
            last_line: Instant::now(),
        }
    }

    fn clear(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Reporter {
    fn start(&mut self, stage: Stage, total: u64) {
        self.clear();
        self.stage = Some((stage, total, Instant::now()));
        self.done = 0;
        if self.terminal {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let template = if total == 0 {
                "{prefix:>13} {spinner} {elapsed}"
            } else {
                "{prefix:>13} [{bar:30}] {pos}/{len} {per_sec} eta {eta}"
            };
            bar.set_style(
                ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_prefix(stage.label());
            bar.enable_steady_tick(Duration::from_millis(120));
            self.bar = Some(bar);
        } else if total > 0 {
            eprintln!("{}: {total} to do", stage.label());
        }
    }

    fn advance(&mut self, done: u64) {
        self.done += done;
        if let Some(bar) = &self.bar {
            bar.inc(done);
        } else if let Some((stage, total, _)) = self.stage {
            // A line every few seconds keeps a log alive during a long embedding.
            if self.last_line.elapsed() >= Duration::from_secs(5) {
                eprintln!("{}: {}/{total}", stage.label(), self.done);
                self.last_line = Instant::now();
            }
        }
    }

    fn finish(&mut self, stage: Stage) {
        self.clear();
        if let Some((_, total, started)) = self.stage.take() {
            if !self.terminal && total > 0 {
                eprintln!(
                    "{}: {}/{total} done in {:.2} s",
                    stage.label(),
                    self.done,
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
}
