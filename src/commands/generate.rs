//! `backissue generate`: write a deterministic sample archive and its ground truth.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use backissue_issue::Date;
use backissue_sample::{generate, write_archive, Config};

pub fn run(weeks: u32, start: Date, seed: u64, out: &Path) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let archive = generate(&Config { weeks, start, seed });
    write_archive(&archive, out)
        .with_context(|| format!("cannot write the archive to {}", out.display()))?;
    eprintln!(
        "wrote {} issues ({} to {}), ground_truth.json with {} storylines and {} planted trends to {} in {:.2}s",
        archive.issues.len(),
        archive.issues.first().map_or_else(String::new, |i| i.date.to_string()),
        archive.issues.last().map_or_else(String::new, |i| i.date.to_string()),
        archive.ground_truth.storylines.len(),
        archive.ground_truth.trends.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
