//! Faults other than a kill: a full disk, a damaged `CURRENT`, a missing generation,
//! a damaged or misplaced manifest. Each ends the same way: a clear error naming the
//! file and what is wrong (never a panic), the last good generation still served
//! where one exists, and a later `backissue index` that completes.
//!
//! A full disk is simulated two ways: the engine's write budget
//! (`BACKISSUE_FAIL_WRITES_AFTER`, which makes its own file writers fail with
//! `ENOSPC`), everywhere; and a real, small tmpfs mounted in a user namespace
//! (`unshare -rm`), where the kernel allows it, which fails every writer (tantivy,
//! the HNSW library) at whatever byte the space runs out.
//!
//! The hash embedder (`BACKISSUE_EMBEDDER=hash`) keeps runs short.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_backissue"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("BACKISSUE_EMBEDDER", "hash")
        .env_remove("BACKISSUE_INDEX")
        .env_remove("BACKISSUE_FAIL_WRITES_AFTER")
        .env_remove("BACKISSUE_CRASH_AT");
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn index_with(corpus: &Path, index: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = bin();
    command
        .args(["index", "--json", "--corpus"])
        .arg(corpus)
        .arg("--index")
        .arg(index);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

/// `stats --json`: the stats, or the error printed (after checking it is no panic).
fn stats(index: &Path) -> Result<Value, String> {
    let output = bin()
        .args(["stats", "--json", "--index"])
        .arg(index)
        .output()
        .unwrap();
    let message = stderr(&output);
    assert!(!message.contains("panicked"), "stats panicked: {message}");
    if output.status.success() {
        Ok(serde_json::from_slice(&output.stdout).unwrap())
    } else {
        Err(message)
    }
}

/// `search` over the index: `Ok` with its hits, or the error printed.
fn search(index: &Path) -> Result<usize, String> {
    let output = bin()
        .args(["search", "robots", "--json", "--index"])
        .arg(index)
        .output()
        .unwrap();
    let message = stderr(&output);
    assert!(!message.contains("panicked"), "search panicked: {message}");
    if output.status.success() {
        let response: Value = serde_json::from_slice(&output.stdout).unwrap();
        Ok(response["hits"].as_array().map_or(0, Vec::len))
    } else {
        Err(message)
    }
}

/// The counts that must not depend on how the index got there.
fn counts(stats: &Value) -> Value {
    serde_json::json!({
        "generation_counts": [stats["issues"], stats["documents"], stats["events"]],
        "by_section": stats["by_section"],
        "first_date": stats["first_date"],
        "last_date": stats["last_date"],
    })
}

fn current_documents(index: &Path) -> Vec<u8> {
    let name = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    std::fs::read(
        index
            .join("generations")
            .join(name.trim())
            .join("documents.jsonl"),
    )
    .unwrap()
}

/// A last good index (two generations over 6 and 8 weeks) and a corpus of 12 weeks
/// to bring it up to, with what a clean build of that corpus holds.
struct Fixture {
    root: tempfile::TempDir,
    template: PathBuf,
    corpus: PathBuf,
    last_good: Value,
    expected: Value,
    clean_documents: Vec<u8>,
}

impl Fixture {
    fn new() -> Fixture {
        let root = tempfile::tempdir().unwrap();
        let archive = root.path().join("archive");
        let output = bin()
            .args(["generate", "--weeks", "12", "--seed", "5", "--out"])
            .arg(&archive)
            .output()
            .unwrap();
        assert!(output.status.success(), "generate: {}", stderr(&output));
        std::fs::remove_file(archive.join("ground_truth.json")).unwrap();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&archive)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let corpus = root.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let template = root.path().join("template");
        for weeks in [6, 8, 12] {
            for file in &files[..weeks] {
                std::fs::copy(file, corpus.join(file.file_name().unwrap())).unwrap();
            }
            if weeks < 12 {
                let output = index_with(&corpus, &template, &[]);
                assert!(output.status.success(), "{}", stderr(&output));
            }
        }
        let last_good = counts(&stats(&template).unwrap());
        let clean = root.path().join("clean");
        let output = index_with(&corpus, &clean, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
        let expected = counts(&stats(&clean).unwrap());
        assert_ne!(last_good, expected);
        Fixture {
            template,
            corpus,
            last_good,
            expected,
            clean_documents: current_documents(&clean),
            root,
        }
    }

    /// A fresh copy of the last good index.
    fn copy(&self, name: &str) -> PathBuf {
        let index = self.root.path().join(name);
        common::copy_dir(&self.template, &index);
        index
    }

    /// The index serves the last good generation.
    fn assert_last_good(&self, index: &Path, case: &str) {
        let now = stats(index).unwrap_or_else(|e| panic!("{case}: stats: {e}"));
        assert_eq!(counts(&now), self.last_good, "{case}");
        assert!(search(index).unwrap() > 0, "{case}: search found nothing");
    }

    /// A run without the fault completes, with a clean build's documents and at
    /// most two generations left.
    fn assert_finishes(&self, index: &Path, case: &str) {
        let output = index_with(&self.corpus, index, &[]);
        assert!(
            output.status.success(),
            "{case}: the run after the fault: {}",
            stderr(&output)
        );
        let now = stats(index).unwrap_or_else(|e| panic!("{case}: stats: {e}"));
        assert_eq!(counts(&now), self.expected, "{case}");
        assert!(
            current_documents(index) == self.clean_documents,
            "{case}: documents differ from a clean build"
        );
        assert!(search(index).unwrap() > 0, "{case}: search found nothing");
        let generations = std::fs::read_dir(index.join("generations"))
            .unwrap()
            .count();
        assert!(generations <= 2, "{case}: {generations} generations kept");
        assert!(
            !index.join("CURRENT.tmp").exists(),
            "{case}: CURRENT.tmp left"
        );
    }
}

/// Checks a failed run: status 2 (the run itself failed), an error naming the file
/// and the full disk, no panic.
fn assert_disk_full(output: &Output, file: &str, case: &str) {
    let message = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{case}: {message}");
    assert!(!message.contains("panicked"), "{case}: {message}");
    assert!(
        message.contains("No space left on device"),
        "{case}: {message}"
    );
    assert!(message.contains(file), "{case}: names {file}: {message}");
}

#[test]
fn a_full_disk_fails_the_run_clearly_and_keeps_the_last_good_generation() {
    let fixture = Fixture::new();
    // (budget, the file whose write fails): every file the engine writes itself.
    let cases = [
        ("0", "embeddings-"), // the first byte written: the embedding cache's
        ("documents.jsonl:20000", "documents.jsonl"),
        ("manifest.json:0", "manifest.json"),
        ("manifest.json:300", "manifest.json"),
        ("CURRENT.tmp:3", "CURRENT.tmp"),
    ];
    for (budget, file) in cases {
        let index = fixture.copy(&format!("full-{}", budget.replace(':', "-")));
        let env = [("BACKISSUE_FAIL_WRITES_AFTER", budget)];
        let output = index_with(&fixture.corpus, &index, &env);
        assert_disk_full(&output, file, budget);
        fixture.assert_last_good(&index, budget);

        // Still full: the same clear failure, the leftovers of the first one removed.
        let again = index_with(&fixture.corpus, &index, &env);
        assert_disk_full(&again, file, budget);
        fixture.assert_last_good(&index, budget);
        let generations = std::fs::read_dir(index.join("generations"))
            .unwrap()
            .count();
        assert!(generations <= 3, "{budget}: {generations} generations");

        fixture.assert_finishes(&index, budget);
    }

    // A budget spent in the embedding cache's second batch (a batch is 64 records of
    // 1,576 bytes): the first batch stays cached.
    let index = fixture.copy("full-cache-part");
    let output = index_with(
        &fixture.corpus,
        &index,
        &[("BACKISSUE_FAIL_WRITES_AFTER", "120000")],
    );
    assert_disk_full(&output, "embeddings-", "120000");
    fixture.assert_last_good(&index, "120000");
    let scratch = fixture.copy("full-cache-none");
    let unbudgeted: Value =
        serde_json::from_slice(&index_with(&fixture.corpus, &scratch, &[]).stdout).unwrap();
    let output = index_with(&fixture.corpus, &index, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["embedded_texts"].as_u64() < unbudgeted["embedded_texts"].as_u64(),
        "the batches cached before the disk filled are not embedded again: {} vs {}",
        report["embedded_texts"],
        unbudgeted["embedded_texts"]
    );
    fixture.assert_finishes(&index, "120000");
}

/// Whether this machine lets an unprivileged test mount a tmpfs in a user namespace.
fn tmpfs_available(root: &Path) -> bool {
    let probe = root.join("probe");
    std::fs::create_dir_all(&probe).unwrap();
    Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$0\""])
        .arg(&probe)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The bytes a folder's files take on a tmpfs (whole pages, hard links once).
fn pages(dir: &Path, seen: &mut std::collections::HashSet<u64>) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            total += pages(&entry.path(), seen);
        } else if seen.insert(meta.ino()) {
            total += meta.len().div_ceil(4096) * 4096;
        }
    }
    total
}

/// The bytes one file takes on a tmpfs (whole pages).
fn pages_of(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len().div_ceil(4096) * 4096
}

/// In a user namespace: mount a tmpfs on `$ROOT`, copy the last good index into it,
/// fill it to leave `$FREE` bytes, index (which runs out of space), read the stats,
/// free the space, index again, read the stats; every output lands in `$OUT`.
const FULL_DISK_SCRIPT: &str = r#"
set -u
mount -t tmpfs -o size="$SIZE" tmpfs "$ROOT" || exit 90
cp -r "$TEMPLATE" "$ROOT/index" || exit 91
avail=$(df -B1 --output=avail "$ROOT" | tail -n 1)
fill=$((avail - FREE))
if [ "$fill" -gt 0 ]; then head -c "$fill" /dev/zero > "$ROOT/filler"; fi
"$BIN" index --json --corpus "$CORPUS" --index "$ROOT/index" > "$OUT/full.out" 2> "$OUT/full.err"
echo $? > "$OUT/full.rc"
"$BIN" stats --json --index "$ROOT/index" > "$OUT/stats.out" 2> "$OUT/stats.err"
echo $? > "$OUT/stats.rc"
rm -f "$ROOT/filler"
"$BIN" index --json --corpus "$CORPUS" --index "$ROOT/index" > "$OUT/again.out" 2> "$OUT/again.err"
echo $? > "$OUT/again.rc"
"$BIN" stats --json --index "$ROOT/index" > "$OUT/stats-again.out" 2> "$OUT/stats-again.err"
echo $? > "$OUT/stats-again.rc"
cp "$ROOT/index/generations/$(cat "$ROOT/index/CURRENT")/documents.jsonl" "$OUT/documents.jsonl"
ls "$ROOT/index/generations" > "$OUT/generations"
"#;

#[test]
fn a_really_full_tmpfs_fails_every_writer_clearly() {
    let fixture = Fixture::new();
    if !tmpfs_available(fixture.root.path()) {
        eprintln!(
            "skipped: `unshare -rm` cannot mount a tmpfs here (the write budget test still runs)"
        );
        return;
    }
    // What the run writes, in the order it writes it: the cache records, the new
    // tantivy segments (those hard-linked from the previous generation are free), the
    // graph, the documents, the vectors, the related lists, the topics, the manifest.
    let index = fixture.copy("measure");
    let before = pages(&index, &mut Default::default());
    let output = index_with(&fixture.corpus, &index, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let generation = index.join("generations/000003");
    let mut seen = Default::default();
    let _ = pages(&index.join("generations/000002"), &mut seen);
    let file = |name: &str| pages_of(&generation.join(name));
    let stages = [
        (
            "embedding cache",
            pages(&index.join("cache"), &mut Default::default())
                - pages(&fixture.template.join("cache"), &mut Default::default()),
        ),
        (
            "keyword index",
            pages(&generation.join("tantivy"), &mut seen),
        ),
        ("graph", file("hnsw.hnsw.graph") + file("hnsw.hnsw.data")),
        ("documents", file("documents.jsonl")),
        ("vectors", file("vectors.f32")),
        ("related lists", file("related.json")),
        ("topics", file("topics.json")),
        ("manifest", file("manifest.json")),
    ];
    let need: u64 = stages.iter().map(|(_, bytes)| bytes).sum();
    let size = before + 2 * need + (8 << 20);

    let mut written = 0;
    let mut failures = Vec::new();
    for (i, (stage, bytes)) in stages.iter().enumerate() {
        // Room for everything before this stage and half of it.
        let free = written + bytes / 2;
        written += bytes;
        let case = format!("{free} bytes free, enough to start on the {stage}");
        let root = fixture.root.path().join(format!("tmpfs-{i}"));
        let out = fixture.root.path().join(format!("out-{i}"));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        let status = Command::new("unshare")
            .args(["-rm", "sh", "-c", FULL_DISK_SCRIPT])
            .env("ROOT", &root)
            .env("OUT", &out)
            .env("TEMPLATE", &fixture.template)
            .env("CORPUS", &fixture.corpus)
            .env("BIN", env!("CARGO_BIN_EXE_backissue"))
            .env("SIZE", size.to_string())
            .env("FREE", free.to_string())
            .env("BACKISSUE_EMBEDDER", "hash")
            .env_remove("BACKISSUE_INDEX")
            .status()
            .unwrap();
        assert!(status.success(), "{case}: the script failed: {status}");
        let read = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();

        let full_err = read("full.err");
        assert!(!full_err.contains("panicked"), "{case}: {full_err}");
        if read("full.rc").trim() == "0" {
            // Enough space after all (page rounding, files tantivy removes): the
            // run completed.
            let stats: Value = serde_json::from_str(&read("stats.out")).unwrap();
            assert_eq!(counts(&stats), fixture.expected, "{case}");
        } else {
            assert_eq!(read("full.rc").trim(), "2", "{case}: {full_err}");
            let error = full_err
                .lines()
                .find(|line| line.starts_with("error: "))
                .unwrap_or_else(|| panic!("{case}: no error line: {full_err}"));
            assert!(error.contains("No space left on device"), "{case}: {error}");
            assert!(
                error.contains(&format!("{}/index/", root.display())),
                "{case}: names the file: {error}"
            );
            assert_eq!(
                read("stats.rc").trim(),
                "0",
                "{case}: {}",
                read("stats.err")
            );
            let stats: Value = serde_json::from_str(&read("stats.out")).unwrap();
            assert_eq!(counts(&stats), fixture.last_good, "{case}");
            failures.push(format!("{stage}: {error}"));
        }
        let again_err = read("again.err");
        assert_eq!(read("again.rc").trim(), "0", "{case}: {again_err}");
        let stats_err = read("stats-again.err");
        assert_eq!(read("stats-again.rc").trim(), "0", "{case}: {stats_err}");
        let stats: Value = serde_json::from_str(&read("stats-again.out")).unwrap();
        assert_eq!(counts(&stats), fixture.expected, "{case}");
        assert!(
            std::fs::read(out.join("documents.jsonl")).unwrap() == fixture.clean_documents,
            "{case}: documents differ from a clean build"
        );
        assert!(read("generations").lines().count() <= 2, "{case}");
    }
    for failure in &failures {
        eprintln!("full disk at the {failure}");
    }
    // Page rounding may shift a case onto its neighbour, but most writers must have
    // met the full disk, each naming its file.
    let writers = [
        "/cache/embeddings-",
        "/tantivy: keyword index",
        "vector index: cannot write the graph",
        "/documents.jsonl: cannot write",
        "/vectors.f32: cannot write",
        "/related.json: cannot write",
        "/topics.json: cannot write",
        "/manifest.json: cannot write",
    ];
    let met: Vec<&str> = writers
        .into_iter()
        .filter(|writer| failures.iter().any(|f| f.contains(writer)))
        .collect();
    assert!(
        met.len() >= writers.len() - 2,
        "too few writers met the full disk ({met:?}): {failures:#?}"
    );
}

#[test]
fn a_damaged_pointer_or_manifest_is_a_clear_error_and_the_next_run_rebuilds() {
    let fixture = Fixture::new();
    // Each damages an index whose current generation, 000003, is up to date with the
    // corpus, and returns the file it damaged.
    type Damage = fn(&Path) -> PathBuf;
    let cases: [(&str, Damage, &str); 8] = [
        (
            "empty CURRENT",
            |index| {
                std::fs::write(index.join("CURRENT"), "").unwrap();
                index.join("CURRENT")
            },
            "CURRENT is empty",
        ),
        (
            "CURRENT cut short",
            |index| {
                std::fs::write(index.join("CURRENT"), "000").unwrap();
                index.join("CURRENT")
            },
            "CURRENT holds \"000\", not a generation name",
        ),
        (
            "CURRENT overwritten",
            |index| {
                std::fs::write(index.join("CURRENT"), [0xff, 0, 7, b'\n']).unwrap();
                index.join("CURRENT")
            },
            "not a generation name",
        ),
        (
            "generation folder deleted",
            |index| {
                let dir = index.join("generations/000003");
                std::fs::remove_dir_all(&dir).unwrap();
                dir
            },
            "CURRENT names generation 000003, but its folder is missing",
        ),
        (
            "manifest garbage",
            |index| {
                let path = index.join("generations/000003/manifest.json");
                std::fs::write(&path, "\u{1}garbage{").unwrap();
                path
            },
            "not JSON",
        ),
        (
            "manifest truncated",
            |index| {
                let path = index.join("generations/000003/manifest.json");
                let text = std::fs::read(&path).unwrap();
                std::fs::write(&path, &text[..text.len() / 2]).unwrap();
                path
            },
            "not JSON",
        ),
        (
            "manifest empty",
            |index| {
                let path = index.join("generations/000003/manifest.json");
                std::fs::write(&path, "").unwrap();
                path
            },
            "not JSON",
        ),
        (
            "manifest of another generation",
            |index| {
                let generations = index.join("generations");
                let path = generations.join("000003/manifest.json");
                std::fs::copy(generations.join("000002/manifest.json"), &path).unwrap();
                path
            },
            "the manifest names generation \"000002\" but its folder is \"000003\"",
        ),
    ];
    for (case, damage, reason) in cases {
        let index = fixture.copy(&case.replace(' ', "-"));
        let output = index_with(&fixture.corpus, &index, &[]);
        assert!(output.status.success(), "{case}: {}", stderr(&output));
        let path = damage(&index);
        for message in [stats(&index).unwrap_err(), search(&index).unwrap_err()] {
            assert!(
                message.contains(&path.display().to_string()),
                "{case}: names {}: {message}",
                path.display()
            );
            assert!(message.contains(reason), "{case}: {message}");
            assert!(
                message.contains(&format!("backissue index --index {}", index.display())),
                "{case}: names the fix: {message}"
            );
        }
        // Before the damage the corpus was indexed: the run must not call the damaged
        // index "up to date", but rebuild it.
        let output = index_with(&fixture.corpus, &index, &[]);
        assert!(output.status.success(), "{case}: {}", stderr(&output));
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["up_to_date"], false, "{case}");
        assert_eq!(
            report["embedded_texts"], 0,
            "{case}: the cache spares embedding"
        );
        fixture.assert_finishes(&index, case);
    }
}
