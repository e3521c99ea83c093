//! Writing an archive to a folder: one `YYYY-MM-DD.txt` per issue and `ground_truth.json`.
//!
//! The folder may be someone's corpus, so nothing in it is ever deleted or silently
//! replaced: if it holds any `.txt` file that this archive would not write byte for
//! byte, the write is refused before a single file is touched. Writing the same
//! archive twice is a no-op for the issues.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use backissue_issue::render;

use crate::error::{Error, Result};
use crate::Archive;

/// The name of the ground-truth file written beside the issues.
pub const GROUND_TRUTH_FILE: &str = "ground_truth.json";

/// What [`write_archive`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteSummary {
    /// The folder written to.
    pub dir: PathBuf,
    /// How many issues the archive has.
    pub issues: usize,
    /// How many issue files were written.
    pub written: usize,
    /// How many issue files were already there, byte for byte.
    pub unchanged: usize,
    /// The ground-truth file.
    pub ground_truth: PathBuf,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |cause| Error::Io {
        path: path.to_path_buf(),
        cause,
    }
}

/// The ground truth as pretty JSON with a trailing newline.
pub fn ground_truth_json(archive: &Archive) -> Result<String> {
    let mut json = serde_json::to_string_pretty(&archive.ground_truth)?;
    json.push('\n');
    Ok(json)
}

/// Writes `archive` into `out` (created if missing): each issue rendered to
/// `YYYY-MM-DD.txt`, and [`GROUND_TRUTH_FILE`].
///
/// Refuses, writing nothing, when `out` holds a `.txt` file that is not one of the
/// archive's issues rendered byte for byte ([`Error::ForeignFiles`]).
pub fn write_archive(archive: &Archive, out: &Path) -> Result<WriteSummary> {
    fs::create_dir_all(out).map_err(io_error(out))?;
    let files: BTreeMap<String, String> = archive
        .issues
        .iter()
        .map(|issue| (format!("{}.txt", issue.date), render(issue)))
        .collect();
    let mut unchanged = BTreeSet::new();
    let mut foreign = Vec::new();
    for entry in fs::read_dir(out).map_err(io_error(out))? {
        let entry = entry.map_err(io_error(out))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".txt") || !path.is_file() {
            continue;
        }
        match files.get(&name) {
            Some(text) if fs::read(&path).map_err(io_error(&path))? == text.as_bytes() => {
                unchanged.insert(name);
            }
            _ => foreign.push(name),
        }
    }
    if !foreign.is_empty() {
        foreign.sort();
        return Err(Error::ForeignFiles {
            dir: out.to_path_buf(),
            count: foreign.len(),
            first: foreign.swap_remove(0),
        });
    }
    let mut written = 0;
    for (name, text) in &files {
        if !unchanged.contains(name) {
            let path = out.join(name);
            fs::write(&path, text).map_err(io_error(&path))?;
            written += 1;
        }
    }
    let ground_truth = out.join(GROUND_TRUTH_FILE);
    fs::write(&ground_truth, ground_truth_json(archive)?).map_err(io_error(&ground_truth))?;
    Ok(WriteSummary {
        dir: out.to_path_buf(),
        issues: files.len(),
        written,
        unchanged: unchanged.len(),
        ground_truth,
    })
}
