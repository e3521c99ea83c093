//! Loading fails with an error, never a panic, when files are missing or broken.
//!
//! A test binary of its own: ONNX Runtime is loaded at most once per process, so
//! these tests must run where no real runtime has been loaded yet. None of them
//! needs the real model.

use std::path::Path;

use backissue_embed::{Error, FastEmbedder, ModelFiles, MODEL_FILE, TOKENIZER_FILES};

/// A folder with placeholder model and tokenizer files, and no runtime.
fn fake_model_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in std::iter::once(MODEL_FILE).chain(TOKENIZER_FILES) {
        std::fs::write(dir.path().join(name), b"placeholder").unwrap();
    }
    dir
}

fn assert_names_path_and_fix(err: &Error, path: &Path) {
    let message = err.to_string();
    assert!(
        message.contains(&path.display().to_string()),
        "no path in: {message}"
    );
    assert!(
        message.contains("bash .ci/setup-model.sh"),
        "no fix in: {message}"
    );
}

#[test]
fn an_empty_folder_is_an_error_listing_the_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let err = FastEmbedder::load(dir.path(), Some(1)).unwrap_err();
    match &err {
        Error::ModelFilesMissing { missing, .. } => {
            assert!(
                missing.iter().any(|m| m == "model_int8.onnx"),
                "{missing:?}"
            );
            assert!(missing.iter().any(|m| m == "tokenizer.json"), "{missing:?}");
        }
        other => panic!("expected ModelFilesMissing, got {other:?}"),
    }
    assert_names_path_and_fix(&err, dir.path());
}

#[test]
fn a_folder_that_does_not_exist_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("no-such-models");
    let err = FastEmbedder::load(&gone, None).unwrap_err();
    assert!(matches!(err, Error::ModelFilesMissing { .. }), "{err:?}");
    assert_names_path_and_fix(&err, &gone);
}

/// One test, because it reads ORT_DYLIB_PATH and must not race another test over it.
#[test]
fn a_missing_or_broken_runtime_is_an_error_naming_it() {
    if std::env::var_os("ORT_DYLIB_PATH").is_some() {
        eprintln!("skipped: ORT_DYLIB_PATH is set, so the bundled runtime is not what gets loaded");
        return;
    }
    let dir = fake_model_dir();
    let runtime = ModelFiles::in_dir(dir.path()).unwrap().bundled_runtime();

    let err = FastEmbedder::load(dir.path(), Some(1)).unwrap_err();
    assert!(
        matches!(&err, Error::RuntimeMissing { path } if path == &runtime),
        "{err:?}"
    );
    assert_names_path_and_fix(&err, &runtime);

    std::fs::write(&runtime, b"not a shared library").unwrap();
    let err = FastEmbedder::load(dir.path(), Some(1)).unwrap_err();
    assert!(
        matches!(&err, Error::RuntimeLoad { path, .. } if path == &runtime),
        "{err:?}"
    );
    assert_names_path_and_fix(&err, &runtime);
}

#[test]
fn an_unusable_thread_setting_is_an_error() {
    let dir = fake_model_dir();
    let err = FastEmbedder::load(dir.path(), Some(0)).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidSetting {
                name: "threads",
                ..
            }
        ),
        "{err:?}"
    );
}
