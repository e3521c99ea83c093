//! The manifest: what a generation holds and how it was built.
//!
//! `manifest.json` is the last file written into a generation, so a generation
//! without one is partial. It records what an incremental run must compare against
//! (each corpus file's sha256 and issue id, the model's checksum) and what `stats`
//! shows, and its `schema_version` tells a newer or older backissue that it cannot
//! read the files beside it.

use std::collections::BTreeMap;
use std::path::Path;

use backissue_embed::ModelFingerprint;
use backissue_issue::Date;
use serde::{Deserialize, Serialize};

use crate::document::Section;
use crate::error::{Error, Result};
use crate::vectors::HnswParams;

/// The version of the on-disk layout this code writes and reads. Bump it whenever
/// documents, events, the tantivy schema or any generation file changes meaning.
///
/// - 1: documents, events, tantivy, vectors, HNSW.
/// - 2: adds the related lists (`related.json`) and the topic table (`topics.json`).
/// - 3: the keyword index's `text` field.
/// - 4: `related.json` holds one list per event, keyed by event id, and the
///   headlines' kind terms.
/// - 5: a learning path's document keeps its steps (number, text, minutes, link).
/// - 6: the parsed issues (`issues.jsonl`), so a generation alone can show them.
pub const SCHEMA_VERSION: u32 = 6;

/// The file name of the manifest in a generation folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// What a generation holds and how it was built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`SCHEMA_VERSION`] of the code that wrote it.
    pub schema_version: u32,
    /// [`backissue_issue::PARSER_VERSION`] of the parser that read the corpus (0:
    /// written before parsers had versions). A manifest from another parser is
    /// never up to date, since the same files may now parse differently.
    #[serde(default)]
    pub parser_version: u32,
    /// The generation's name (its folder under `generations/`).
    pub generation: String,
    /// When the generation was written (UTC, RFC 3339).
    pub built_at: String,
    /// Seconds the run that wrote it took.
    pub build_seconds: f64,
    /// The embedding model of its vectors.
    pub model: ModelFingerprint,
    /// The HNSW parameters of its graph.
    pub hnsw: HnswParams,
    /// The corpus files indexed, in name order.
    pub files: Vec<CorpusFile>,
    /// The corpus files that could not be indexed, in name order.
    pub failed: Vec<FailedFile>,
    /// How much it holds.
    pub counts: Counts,
    /// The first issue's date.
    pub first_date: Option<Date>,
    /// The last issue's date.
    pub last_date: Option<Date>,
}

/// A corpus file that was indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusFile {
    /// The file name inside the corpus folder.
    pub name: String,
    /// Hex sha256 of the file (and of its sidecar, when it has one).
    pub sha256: String,
    /// The issue id it holds.
    pub issue_id: String,
    /// Its documents.
    pub documents: usize,
    /// The parser's warnings, `line: block: message`.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// A corpus file that could not be indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedFile {
    /// The file name inside the corpus folder.
    pub name: String,
    /// Hex sha256 of the file (and of its sidecar, when it has one).
    pub sha256: String,
    /// Why it failed.
    pub error: String,
}

/// How much a generation holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Issues indexed.
    pub issues: usize,
    /// Documents indexed.
    pub documents: usize,
    /// Distinct events among them.
    pub events: usize,
    /// Documents per section.
    pub by_section: BTreeMap<Section, usize>,
}

impl Manifest {
    /// Reads the manifest at `path` of the index in `dir`, refusing other schema versions.
    pub fn read(path: &Path, dir: &Path) -> Result<Manifest> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::IndexDamaged {
                    path: path.to_path_buf(),
                    dir: dir.to_path_buf(),
                    reason: "manifest missing (the generation was not finished)".to_string(),
                })
            }
            Err(e) => return Err(Error::io(path, "cannot read")(e)),
        };
        let damaged = |reason: String| Error::IndexDamaged {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            reason,
        };
        // The version first, so a manifest of another layout gets the right message.
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| damaged(format!("not JSON: {e}")))?;
        let found = value
            .get("schema_version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| damaged("no schema_version".to_string()))?;
        if found != u64::from(SCHEMA_VERSION) {
            return Err(Error::SchemaMismatch {
                path: path.to_path_buf(),
                dir: dir.to_path_buf(),
                found: u32::try_from(found).unwrap_or(u32::MAX),
                expected: SCHEMA_VERSION,
            });
        }
        serde_json::from_value(value).map_err(|e| damaged(format!("unreadable manifest: {e}")))
    }

    /// Checks that the manifest at `path` names `folder`, the generation folder it
    /// was read from: one copied or moved from another generation is damage, not
    /// something to serve (a server comparing names would reload it forever).
    pub fn check_generation(&self, folder: &str, path: &Path, dir: &Path) -> Result<()> {
        if self.generation == folder {
            return Ok(());
        }
        Err(Error::IndexDamaged {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            reason: format!(
                "the manifest names generation {:?} but its folder is {folder:?}",
                self.generation
            ),
        })
    }

    /// Checks that the index was built with `model`.
    pub fn check_model(&self, model: &ModelFingerprint, path: &Path, dir: &Path) -> Result<()> {
        if &self.model == model {
            return Ok(());
        }
        Err(Error::ModelMismatch {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            found: describe(&self.model),
            expected: describe(model),
        })
    }
}

/// `id (sha256 0123456789ab…, 384 dimensions)`.
pub fn describe(model: &ModelFingerprint) -> String {
    let prefix: String = model.checksum.chars().take(12).collect();
    format!(
        "{} (sha256 {prefix}…, {} dimensions)",
        model.model_id, model.dimension
    )
}

/// `seconds` since 1970 as an RFC 3339 UTC timestamp: `2026-03-27T09:15:00Z`.
pub fn rfc3339(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    let date = Date::from_days_since_epoch(days)
        .map_or_else(|| "9999-12-31".to_string(), |d| d.to_string());
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Manifest {
        Manifest {
            schema_version: SCHEMA_VERSION,
            parser_version: backissue_issue::PARSER_VERSION,
            generation: "000001".into(),
            built_at: rfc3339(0),
            build_seconds: 1.5,
            model: ModelFingerprint {
                model_id: "m".into(),
                checksum: "c".repeat(64),
                dimension: 3,
            },
            hnsw: HnswParams::default(),
            files: vec![],
            failed: vec![],
            counts: Counts::default(),
            first_date: None,
            last_date: None,
        }
    }

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_774_602_900), "2026-03-27T09:15:00Z");
    }

    #[test]
    fn another_schema_version_is_refused_naming_path_and_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(MANIFEST_FILE);
        let mut manifest = sample();
        std::fs::write(&path, serde_json::to_string(&manifest).unwrap()).unwrap();
        assert_eq!(Manifest::read(&path, dir.path()).unwrap(), manifest);

        manifest.schema_version = 99;
        std::fs::write(&path, serde_json::to_string(&manifest).unwrap()).unwrap();
        let message = Manifest::read(&path, dir.path()).unwrap_err().to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("version 99"), "{message}");
        assert!(
            message.contains(&format!("backissue index --index {}", dir.path().display())),
            "{message}"
        );

        std::fs::write(&path, "{").unwrap();
        assert!(matches!(
            Manifest::read(&path, dir.path()),
            Err(Error::IndexDamaged { .. })
        ));
        std::fs::remove_file(&path).unwrap();
        let message = Manifest::read(&path, dir.path()).unwrap_err().to_string();
        assert!(message.contains("not finished"), "{message}");
    }

    #[test]
    fn another_model_is_refused_naming_both() {
        let manifest = sample();
        let other = ModelFingerprint {
            model_id: "other".into(),
            ..manifest.model.clone()
        };
        let message = manifest
            .check_model(&other, Path::new("/i/manifest.json"), Path::new("/i"))
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("/i/manifest.json: index built with model \"m (sha256"),
            "{message}"
        );
        assert!(message.contains("\"other (sha256"), "{message}");
        assert!(message.contains("backissue index --index /i"), "{message}");
        manifest
            .check_model(
                &manifest.model,
                Path::new("/i/manifest.json"),
                Path::new("/i"),
            )
            .unwrap();
    }
}
