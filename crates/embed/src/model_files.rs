//! Finding the model folder that `.ci/setup-model.sh` fills.

use std::env;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Environment variable naming the model folder; it beats every search location.
pub const MODEL_DIR_ENV: &str = "BACKISSUE_MODEL_DIR";

/// The folder name searched for in the working directory, beside the executable,
/// and in their ancestors.
pub const MODEL_DIR_NAME: &str = "models";

/// The ONNX model file (all-MiniLM-L6-v2, int8 weights).
pub const MODEL_FILE: &str = "model_int8.onnx";

/// The ONNX Runtime shared library shipped beside the model.
pub const RUNTIME_FILE: &str = "libonnxruntime.so";

/// The tokenizer files fastembed needs, in the order of [`fastembed::TokenizerFiles`]' fields.
pub const TOKENIZER_FILES: [&str; 4] = [
    "tokenizer.json",
    "config.json",
    "special_tokens_map.json",
    "tokenizer_config.json",
];

/// The paths of every file the real embedder needs, all inside one folder.
///
/// Only the model and tokenizer files must exist for a folder to count as a model
/// folder: the runtime may come from `ORT_DYLIB_PATH` instead, so its absence is
/// reported when loading, by [`crate::FastEmbedder::load`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFiles {
    dir: PathBuf,
}

impl ModelFiles {
    /// The model files in `dir`, which must hold all of them.
    ///
    /// Errors with [`Error::ModelFilesMissing`] naming the files that are not there.
    pub fn in_dir(dir: impl Into<PathBuf>) -> Result<Self> {
        let dir = dir.into();
        let missing = missing_files(&dir);
        if missing.is_empty() {
            Ok(Self { dir })
        } else {
            Err(Error::ModelFilesMissing { dir, missing })
        }
    }

    /// Finds the model folder, trying in order:
    ///
    /// 1. `explicit`, when given;
    /// 2. the environment variable [`MODEL_DIR_ENV`] (`BACKISSUE_MODEL_DIR`), when set;
    /// 3. `models/` in the current directory and each of its ancestors;
    /// 4. `models/` beside the running executable and in each of its ancestors, so
    ///    `target/debug/backissue` and test binaries find `<repo>/models`.
    ///
    /// A folder named by 1 or 2 must be complete (no fallback hides a typo). When
    /// nothing is found the error lists every path looked at and why it was passed over.
    pub fn locate(explicit: Option<&Path>) -> Result<Self> {
        if let Some(dir) = explicit {
            return Self::in_dir(dir);
        }
        if let Some(dir) = env::var_os(MODEL_DIR_ENV).filter(|v| !v.is_empty()) {
            return Self::in_dir(PathBuf::from(dir));
        }
        let mut searched = vec![format!("${MODEL_DIR_ENV} (not set)")];
        for dir in search_path() {
            let missing = missing_files(&dir);
            if missing.is_empty() {
                return Ok(Self { dir });
            }
            let why = if dir.is_dir() {
                format!("incomplete, missing {}", missing.join(", "))
            } else {
                "no such folder".to_string()
            };
            searched.push(format!("{} ({why})", dir.display()));
        }
        Err(Error::ModelDirNotFound { searched })
    }

    /// The folder holding the files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `model_int8.onnx`.
    pub fn model(&self) -> PathBuf {
        self.dir.join(MODEL_FILE)
    }

    /// `libonnxruntime.so` in the model folder (it may not exist; see [`Self::runtime`]).
    pub fn bundled_runtime(&self) -> PathBuf {
        self.dir.join(RUNTIME_FILE)
    }

    /// The ONNX Runtime library to load: `ORT_DYLIB_PATH` when set, else
    /// [`Self::bundled_runtime`].
    ///
    /// `ORT_DYLIB_PATH` is the variable `ort`'s own loader honours, and a relative
    /// value is resolved the way `ort` does: beside the executable when a file is
    /// there, else as given.
    pub fn runtime(&self) -> PathBuf {
        let Some(path) = env::var_os("ORT_DYLIB_PATH").filter(|v| !v.is_empty()) else {
            return self.bundled_runtime();
        };
        let path = PathBuf::from(path);
        if path.is_relative() {
            let beside_exe = env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(&path)));
            if let Some(candidate) = beside_exe.filter(|c| c.exists()) {
                return candidate;
            }
        }
        path
    }

    /// A tokenizer file by name (one of [`TOKENIZER_FILES`]).
    pub fn tokenizer_file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// Shorthand for `ModelFiles::locate(explicit)?.dir()`.
pub fn locate_model_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    ModelFiles::locate(explicit).map(|files| files.dir)
}

/// Names of the required files that `dir` lacks.
fn missing_files(dir: &Path) -> Vec<String> {
    std::iter::once(MODEL_FILE)
        .chain(TOKENIZER_FILES)
        .filter(|name| !dir.join(name).is_file())
        .map(str::to_string)
        .collect()
}

/// `models/` in the current directory, the executable's directory, and all their
/// ancestors, without duplicates, nearest first.
fn search_path() -> Vec<PathBuf> {
    let roots = [
        env::current_dir().ok(),
        env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(Path::to_path_buf)),
    ];
    let mut dirs: Vec<PathBuf> = Vec::new();
    for root in roots.into_iter().flatten() {
        for ancestor in root.ancestors() {
            let candidate = ancestor.join(MODEL_DIR_NAME);
            if !dirs.contains(&candidate) {
                dirs.push(candidate);
            }
        }
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete_dir() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for name in std::iter::once(MODEL_FILE).chain(TOKENIZER_FILES) {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        dir
    }

    #[test]
    fn explicit_complete_dir_is_used() {
        let dir = complete_dir();
        let files = ModelFiles::locate(Some(dir.path())).unwrap();
        assert_eq!(files.dir(), dir.path());
        assert_eq!(files.model(), dir.path().join("model_int8.onnx"));
    }

    #[test]
    fn explicit_incomplete_dir_names_missing_files_and_the_fix() {
        let dir = complete_dir();
        std::fs::remove_file(dir.path().join("tokenizer.json")).unwrap();
        let err = ModelFiles::locate(Some(dir.path())).unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(&err, Error::ModelFilesMissing { missing, .. } if missing == &["tokenizer.json"])
        );
        assert!(
            message.contains(&dir.path().display().to_string()),
            "{message}"
        );
        assert!(message.contains(".ci/setup-model.sh"), "{message}");
    }

    #[test]
    fn explicit_missing_dir_is_an_error_not_a_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("nope");
        let err = ModelFiles::locate(Some(&gone)).unwrap_err();
        assert!(matches!(err, Error::ModelFilesMissing { missing, .. } if missing.len() == 5));
    }

    #[test]
    fn search_path_covers_cwd_and_exe_ancestors() {
        let dirs = search_path();
        let cwd = env::current_dir().unwrap();
        assert_eq!(dirs[0], cwd.join("models"));
        let exe_dir = env::current_exe().unwrap().parent().unwrap().to_path_buf();
        assert!(dirs.contains(&exe_dir.join("models")));
        assert!(dirs.contains(&PathBuf::from("/models")));
    }

    #[test]
    fn not_found_error_lists_what_was_searched() {
        let err = Error::ModelDirNotFound {
            searched: vec![
                "/a/models (no such folder)".into(),
                "/models (no such folder)".into(),
            ],
        };
        let message = err.to_string();
        assert!(message.contains("/a/models (no such folder)"), "{message}");
        assert!(message.contains("bash .ci/setup-model.sh"), "{message}");
    }
}
