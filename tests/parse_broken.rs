//! A folder of broken issues beside good ones: every good one is parsed, every bad one
//! is reported with its path, line and block, and the exit code says some failed.

mod common;

use common::{run, seed_text, stderr, stdout, write};

#[test]
fn broken_files_are_reported_and_good_ones_still_parse() {
    let Some(seed) = seed_text() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<&str> = seed.lines().collect();

    write(dir.path(), "2026-03-27.txt", &seed);
    write(dir.path(), "2026-04-03.txt", seed.replace('\n', "\r\n"));
    let mut deleted = lines.clone();
    deleted.remove(13); // #2's title
    write(dir.path(), "2026-04-10-deleted.txt", deleted.join("\n"));
    let mut swapped = lines.clone();
    swapped.swap(12, 13);
    write(dir.path(), "2026-04-17-swapped.txt", swapped.join("\n"));
    write(
        dir.path(),
        "2026-04-24-score.txt",
        seed.replacen("\n95\n", "\n9x\n", 1),
    );
    write(
        dir.path(),
        "2026-05-01-truncated.txt",
        &seed[..seed.len() / 2],
    );
    let mut invalid = seed.clone().into_bytes();
    invalid[300] = 0xfe;
    write(dir.path(), "2026-05-08-invalid.txt", invalid);
    write(dir.path(), "2026-05-15-empty.txt", "");
    write(
        dir.path(),
        "2026-05-22-binary.txt",
        [0x89, b'P', b'N', b'G', 0, 0, 0, 13],
    );

    let output = run(&["parse", dir.path().to_str().unwrap(), "--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let parsed: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dates: Vec<&str> = parsed.iter().map(|i| i["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2026-03-27", "2026-04-03"]);

    let errors = stderr(&output);
    let expect = [
        ("2026-04-10-deleted.txt:16: top stories: expected a tag run", "deleted line"),
        ("2026-04-17-swapped.txt:13: top stories: expected \"#2\"", "swapped lines"),
        ("2026-04-24-score.txt:12: top stories: expected a score (an integer 0–100), found \"9x\"", "bad score"),
        ("2026-05-01-truncated.txt:", "truncated"),
        ("2026-05-08-invalid.txt:", "invalid UTF-8"),
        ("2026-05-15-empty.txt: empty file", "empty"),
        ("2026-05-22-binary.txt: binary file: NUL byte at byte offset 4", "binary"),
    ];
    for (needle, what) in expect {
        assert!(
            errors.contains(needle),
            "{what}: {needle:?} not in\n{errors}"
        );
    }
    assert!(
        errors.contains("invalid UTF-8 at byte offset 300"),
        "{errors}"
    );
    assert!(
        errors.contains("2 parsed, 7 failed, 0 warnings"),
        "{errors}"
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_crash() {
    let output = run(&["parse", "/nonexistent/2026-01-02.txt"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("/nonexistent/2026-01-02.txt: cannot read"));
}

#[test]
fn every_command_explains_itself_with_examples() {
    for command in [
        &["--help"][..],
        &["parse", "--help"],
        &["generate", "--help"],
    ] {
        let output = run(command);
        assert!(output.status.success());
        assert!(stdout(&output).contains("Examples:"), "{command:?}");
    }
}
