//! Reading and writing the plain files of a generation: the documents table, the
//! issues as parsed, and the manifest (the raw vectors are in [`crate::vectors`], the keyword index in
//! [`crate::keyword`]).
//!
//! The documents table is JSON Lines, one [`Document`] per line in vector-row
//! order: readable with `jq`, diffable, and free of any binary format's versioning.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use backissue_issue::Issue;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::document::Document;
use crate::error::{Error, Result};
use crate::faults::{crash_point, Budgeted};
use crate::manifest::Manifest;

/// Writes `docs` to `path` as JSON Lines, synced.
pub fn write_documents(path: &Path, docs: &[Document]) -> Result<()> {
    write_lines(path, docs.iter(), "documents-row")
}

/// Reads a documents table written by [`write_documents`].
pub fn read_documents(path: &Path) -> Result<Vec<Document>> {
    read_lines(path)
}

/// Writes the parsed issues to `path` as JSON Lines, synced: everything a page
/// shows of an issue travels inside its generation, so a server (or a replica that
/// has no corpus) shows issues as they were indexed.
pub fn write_issues<'a>(path: &Path, issues: impl IntoIterator<Item = &'a Issue>) -> Result<()> {
    write_lines(path, issues, "issues-row")
}

/// Reads the issues written by [`write_issues`].
pub fn read_issues(path: &Path) -> Result<Vec<Issue>> {
    read_lines(path)
}

/// Writes `rows` to `path`, one JSON value per line, synced.
fn write_lines<T: Serialize>(
    path: &Path,
    rows: impl IntoIterator<Item = T>,
    crash_at: &'static str,
) -> Result<()> {
    let file = File::create(path).map_err(Error::io(path, "cannot create"))?;
    let mut out = BufWriter::new(Budgeted::new(file, path));
    for row in rows {
        serde_json::to_writer(&mut out, &row).map_err(|e| match e.io_error_kind() {
            // A full disk while serialising is an I/O error, not a JSON one.
            Some(_) => Error::io(path, "cannot write")(e.into()),
            None => Error::json(path)(e),
        })?;
        out.write_all(b"\n")
            .map_err(Error::io(path, "cannot write"))?;
        crash_point(crash_at);
    }
    let file = out
        .into_inner()
        .map_err(|e| Error::io(path, "cannot write")(e.into_error()))?
        .into_inner();
    file.sync_all().map_err(Error::io(path, "cannot sync"))
}

/// Reads a JSON Lines file written by [`write_lines`].
fn read_lines<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let file = File::open(path).map_err(Error::io(path, "cannot read"))?;
    let mut rows = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line.map_err(Error::io(path, "cannot read"))?;
        if line.is_empty() {
            continue;
        }
        rows.push(serde_json::from_str(&line).map_err(Error::json(path))?);
    }
    Ok(rows)
}

/// Writes `manifest` to `path` as pretty JSON, synced.
pub fn write_manifest(path: &Path, manifest: &Manifest) -> Result<()> {
    let mut text = serde_json::to_string_pretty(manifest).map_err(Error::json(path))?;
    text.push('\n');
    let file = File::create(path).map_err(Error::io(path, "cannot create"))?;
    let mut out = Budgeted::new(file, path);
    // In two halves, so a crash test can stop between them.
    let (first, second) = text.as_bytes().split_at(text.len() / 2);
    out.write_all(first)
        .map_err(Error::io(path, "cannot write"))?;
    crash_point("manifest-half-written");
    out.write_all(second)
        .map_err(Error::io(path, "cannot write"))?;
    out.get_mut()
        .sync_all()
        .map_err(Error::io(path, "cannot sync"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::fixtures::seed_issue;
    use crate::event::split_issue;

    #[test]
    fn documents_round_trip_through_json_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("documents.jsonl");
        let docs = split_issue(&seed_issue());
        write_documents(&path, &docs).unwrap();
        assert_eq!(read_documents(&path).unwrap(), docs);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), docs.len());
        assert!(text
            .lines()
            .next()
            .unwrap()
            .contains(r#""section":"top_story""#));
    }
}
