//! `backissue parse`: read issue files, print them, then every warning and error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use backissue_issue::{parse_file, Issue};

/// Every issue file named by `paths`: files as given, folders' `*.txt` files sorted by name.
pub fn issue_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
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

pub fn run(paths: &[PathBuf], json: bool) -> Result<ExitCode> {
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
