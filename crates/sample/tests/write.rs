//! Writing an archive: the files it makes, and the files it never touches.

mod common;

use std::fs;
use std::time::Instant;

use backissue_sample::{generate, write_archive, Error, GroundTruth, GROUND_TRUTH_FILE};

use common::config;

#[test]
fn writes_one_file_per_issue_and_the_ground_truth() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("nested/corpus");
    let archive = generate(&config(12, 7));
    let summary = write_archive(&archive, &out).unwrap();
    assert_eq!(
        (summary.issues, summary.written, summary.unchanged),
        (12, 12, 0)
    );
    let text = fs::read_to_string(out.join("2025-01-03.txt")).unwrap();
    assert_eq!(text, backissue_issue::render(&archive.issues[0]));
    let parsed = backissue_issue::parse_file(&out.join("2025-01-10.txt")).unwrap();
    assert_eq!(parsed, archive.issues[1]);
    let json = fs::read_to_string(out.join(GROUND_TRUTH_FILE)).unwrap();
    assert!(json.ends_with('\n'));
    let truth: GroundTruth = serde_json::from_str(&json).unwrap();
    assert_eq!(truth, archive.ground_truth);
}

#[test]
fn writing_the_same_archive_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let archive = generate(&config(6, 7));
    write_archive(&archive, dir.path()).unwrap();
    let again = write_archive(&archive, dir.path()).unwrap();
    assert_eq!((again.written, again.unchanged), (0, 6));
}

#[test]
fn refuses_to_touch_a_folder_with_other_issue_files() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("2020-01-01.txt");
    fs::write(&mine, "someone's issue").unwrap();
    fs::write(dir.path().join("notes.md"), "not an issue").unwrap();
    let archive = generate(&config(4, 7));
    let error = write_archive(&archive, dir.path()).unwrap_err();
    assert!(
        matches!(error, Error::ForeignFiles { count: 1, .. }),
        "{error}"
    );
    assert!(error.to_string().contains("2020-01-01.txt"));
    assert_eq!(fs::read_to_string(&mine).unwrap(), "someone's issue");
    assert!(!dir.path().join("2025-01-03.txt").exists());
    assert!(!dir.path().join(GROUND_TRUTH_FILE).exists());
}

#[test]
fn refuses_to_overwrite_an_edited_issue() {
    let dir = tempfile::tempdir().unwrap();
    let archive = generate(&config(4, 7));
    write_archive(&archive, dir.path()).unwrap();
    let edited = dir.path().join("2025-01-10.txt");
    fs::write(&edited, "edited by hand").unwrap();
    let other_seed = generate(&config(4, 8));
    assert!(matches!(
        write_archive(&other_seed, dir.path()),
        Err(Error::ForeignFiles { count: 4, .. })
    ));
    assert!(matches!(
        write_archive(&archive, dir.path()),
        Err(Error::ForeignFiles { count: 1, .. })
    ));
    assert_eq!(fs::read_to_string(&edited).unwrap(), "edited by hand");
}

#[test]
fn twenty_years_generate_and_write_in_a_few_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let archive = generate(&config(1040, 1));
    let summary = write_archive(&archive, dir.path()).unwrap();
    let elapsed = started.elapsed();
    assert_eq!(summary.written, 1040);
    if !cfg!(debug_assertions) {
        assert!(elapsed.as_secs_f64() < 5.0, "took {elapsed:?}");
    }
}
