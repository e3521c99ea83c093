//! Crash safety at scale: `backissue index` killed with SIGKILL at many moments of a
//! run over a generated archive never leaves an unreadable index, and the next run
//! finishes the work with the same result as a clean build.
//!
//! It uses the deterministic hash embedder (`BACKISSUE_EMBEDDER=hash`): the real model
//! would spend minutes embedding, and what is tested here is the writing of
//! generations, not the vectors.
//!
//! Two kinds of kill: SIGKILL at random moments (timed from an uninterrupted run), and
//! an abort at each named crash point of the write path (`BACKISSUE_CRASH_AT`, see
//! `backissue_engine::indexer::faults`), so every stage is hit on every run of the
//! tests, not only those a timer happens to land in.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use backissue_engine::indexer::faults::{CRASH_AT_ENV, CRASH_POINTS};
use serde_json::Value;

mod common;

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_backissue"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("BACKISSUE_EMBEDDER", "hash")
        .env_remove("BACKISSUE_INDEX");
    command
}

fn run(args: &[&str], corpus: &Path, index: &Path) -> Output {
    bin()
        .args(args)
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .output()
        .unwrap()
}

fn stats(index: &Path) -> Value {
    let output = bin()
        .args(["stats", "--json", "--index"])
        .arg(index)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "stats after a kill: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The counts that must not depend on how the index got there.
fn counts(stats: &Value) -> Value {
    serde_json::json!({
        "issues": stats["issues"],
        "documents": stats["documents"],
        "events": stats["events"],
        "by_section": stats["by_section"],
        "first_date": stats["first_date"],
        "last_date": stats["last_date"],
    })
}

fn generate(weeks: u32, out: &Path) {
    let output = bin()
        .args([
            "generate",
            "--weeks",
            &weeks.to_string(),
            "--seed",
            "3",
            "--out",
        ])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "generate: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let _ = std::fs::remove_file(out.join("ground_truth.json"));
}

/// A small xorshift generator: kill moments vary from run to run, and the seed is
/// printed so a failure can be replayed.
struct Jitter(u64);

impl Jitter {
    fn next_unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[test]
fn killed_runs_leave_a_readable_index_and_the_next_run_finishes_the_work() {
    let root = tempfile::tempdir().unwrap();
    let small = root.path().join("small");
    let large = root.path().join("large");
    let corpus = root.path().join("corpus");
    let index = root.path().join("index");
    generate(40, &small);
    generate(80, &large);

    // The index everything must end up equal to.
    let clean_index = root.path().join("clean");
    let started = Instant::now();
    let output = run(&["index", "--json"], &large, &clean_index);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let full_run = started.elapsed();
    let expected = counts(&stats(&clean_index));

    // The last good state: the first 40 weeks.
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(&small).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), corpus.join(entry.file_name())).unwrap();
    }
    assert!(run(&["index", "--json"], &corpus, &index).status.success());
    let mut last_good = counts(&stats(&index));

    // How long the run to be killed takes: time it once on a copy.

    // Now 80 weeks, and runs killed at moments spread over a full run's length.
    for entry in std::fs::read_dir(&large).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), corpus.join(entry.file_name())).unwrap();
    }
    let scratch = root.path().join("scratch");
    common::copy_dir(&index, &scratch);
    let started = Instant::now();
    let timed = run(&["index", "--json"], &corpus, &scratch);
    let run_time = started.elapsed();
    assert!(timed.status.success());
    let report: Value = serde_json::from_slice(&timed.stdout).unwrap();
    eprintln!(
        "an uninterrupted run: {:.2} s, stages {}",
        run_time.as_secs_f64(),
        report["stage_seconds"]
    );

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!(
        "clean build {:.2} s, jitter seed {seed}",
        full_run.as_secs_f64()
    );
    let mut jitter = Jitter(seed);
    let mut names: Vec<_> = std::fs::read_dir(&large)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    let last_two = &names[names.len() - 2..];
    let kills = 8;
    for i in 0..kills {
        let fraction = (i as f64 + jitter.next_unit()) / kills as f64;
        let delay = run_time.mul_f64(fraction);
        let mut child = bin()
            .args(["index", "--json", "--corpus"])
            .arg(&corpus)
            .arg("--index")
            .arg(&index)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let finished_first = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = counts(&stats(&index));
        eprintln!(
            "kill {i} after {:.0} ms{}: index holds {} issues",
            delay.as_secs_f64() * 1000.0,
            if finished_first {
                " (the run had already finished)"
            } else {
                ""
            },
            now["issues"]
        );
        assert!(
            now == last_good || now == expected,
            "a kill left {now}, neither {last_good} nor {expected}"
        );
        if now == expected {
            // The run got to the end: step back two weeks so the next kill lands mid-run.
            for name in last_two {
                std::fs::remove_file(corpus.join(name)).unwrap();
            }
            assert!(run(&["index", "--json"], &corpus, &index).status.success());
            last_good = counts(&stats(&index));
            for name in last_two {
                std::fs::copy(large.join(name), corpus.join(name)).unwrap();
            }
        }
    }

    let output = run(&["index", "--json"], &corpus, &index);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(counts(&stats(&index)), expected);
    let again: Value =
        serde_json::from_slice(&run(&["index", "--json"], &corpus, &index).stdout).unwrap();
    assert_eq!(again["up_to_date"], true);

    // No partial generations left: the current one and at most the previous one.
    let generations = std::fs::read_dir(index.join("generations"))
        .unwrap()
        .count();
    assert!(generations <= 2, "{generations} generations kept");

    // Same documents as the clean build, byte for byte.
    let table = |dir: &Path| {
        let name = std::fs::read_to_string(dir.join("CURRENT")).unwrap();
        std::fs::read(
            dir.join("generations")
                .join(name.trim())
                .join("documents.jsonl"),
        )
        .unwrap()
    };
    assert!(
        table(&index) == table(&clean_index),
        "documents differ from a clean build"
    );
}

/// What a kill at a crash point must leave readable: the generation before the run,
/// or the new one (once `CURRENT` names it).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Leaves {
    LastGood,
    New,
}

/// Every crash point, in the order a run meets them, with the hit to stop at (`:N`)
/// where a point is met more than once, and what a kill there leaves.
const KILL_POINTS: &[(&str, Leaves)] = &[
    ("locked", Leaves::LastGood),
    ("gc-removed:1", Leaves::LastGood), // the killed run's leftover, removed at start
    ("scanned", Leaves::LastGood),
    ("parsed-file:9", Leaves::LastGood),
    ("parsed", Leaves::LastGood),
    ("cache-half-written:2", Leaves::LastGood), // a torn cache record
    ("cache-appended:2", Leaves::LastGood),
    ("embedded", Leaves::LastGood),
    ("generation-created", Leaves::LastGood),
    ("keyword-written", Leaves::LastGood),
    ("graph-written", Leaves::LastGood),
    ("documents-row:300", Leaves::LastGood), // documents.jsonl cut mid-buffer
    ("documents-written", Leaves::LastGood),
    ("issues-row:3", Leaves::LastGood), // issues.jsonl cut mid-buffer
    ("issues-written", Leaves::LastGood),
    ("vectors-written", Leaves::LastGood),
    ("related-written", Leaves::LastGood),
    ("topics-written", Leaves::LastGood),
    ("tree-synced", Leaves::LastGood),
    ("manifest-half-written", Leaves::LastGood), // a torn manifest
    ("manifest-written", Leaves::LastGood),      // complete, but not current
    ("current-tmp-written", Leaves::LastGood),
    ("current-renamed", Leaves::New),
    ("gc-removed:2", Leaves::New), // the oldest generation, after the switch
    ("published", Leaves::New),
];

/// The points that do not depend on there being a previous generation.
const FIRST_BUILD_POINTS: &[&str] = &[
    "cache-half-written:2",
    "documents-written",
    "manifest-written",
    "current-tmp-written",
];

/// Runs `backissue index` under `BACKISSUE_CRASH_AT=point` and checks it aborted there.
/// Run by `sh` with core dumps off, from a scratch folder, so an abort leaves no core.
fn index_until_crash(point: &str, corpus: &Path, index: &Path, scratch: &Path) {
    let output = Command::new("sh")
        .arg("-c")
        .arg("ulimit -c 0; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_backissue"))
        .args(["index", "--json", "--corpus"])
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .current_dir(scratch)
        .env("BACKISSUE_EMBEDDER", "hash")
        .env_remove("BACKISSUE_INDEX")
        .env(CRASH_AT_ENV, point)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        output.status.signal(),
        Some(6),
        "{point}: the run was to abort there, but ended with {}: {stderr}",
        output.status
    );
    let name = point.split(':').next().unwrap();
    assert!(
        stderr.contains(&format!("crash point {name}")),
        "{point}: {stderr}"
    );
}

/// The stats of `index`, or the error `stats` printed.
fn try_stats(index: &Path) -> Result<Value, String> {
    let output = bin()
        .args(["stats", "--json", "--index"])
        .arg(index)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "stats panicked: {stderr}");
    if output.status.success() {
        Ok(serde_json::from_slice(&output.stdout).unwrap())
    } else {
        Err(stderr)
    }
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

/// After a kill: a run without the fault completes, with the clean build's documents,
/// at most two generations and no temporary pointer left. Returns its report.
fn finish(corpus: &Path, index: &Path, expected: &Value, clean_documents: &[u8]) -> Value {
    let output = run(&["index", "--json"], corpus, index);
    assert!(
        output.status.success(),
        "the run after a kill: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(&counts(&stats(index)), expected);
    assert!(
        current_documents(index) == clean_documents,
        "documents differ from a clean build"
    );
    let generations = std::fs::read_dir(index.join("generations"))
        .unwrap()
        .count();
    assert!(generations <= 2, "{generations} generations kept");
    assert!(!index.join("CURRENT.tmp").exists(), "CURRENT.tmp left");
    report
}

/// The files of the test archive, in name order.
fn sorted_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn corpus_of(files: &[PathBuf], dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for file in files {
        std::fs::copy(file, dir.join(file.file_name().unwrap())).unwrap();
    }
    dir.to_path_buf()
}

#[test]
fn a_crash_at_every_point_of_the_write_path_leaves_a_readable_index() {
    // The kill points cover every crash point the engine has.
    let named: BTreeSet<&str> = KILL_POINTS
        .iter()
        .map(|(point, _)| point.split(':').next().unwrap())
        .collect();
    let all: BTreeSet<&str> = CRASH_POINTS.iter().copied().collect();
    assert_eq!(named, all, "KILL_POINTS must name every crash point");

    let started = Instant::now();
    let root = tempfile::tempdir().unwrap();
    let archive = root.path().join("archive");
    generate(12, &archive);
    let files = sorted_files(&archive);
    assert_eq!(files.len(), 12);

    // The last good state: generation 1 over 6 weeks, generation 2 over 8, and a run
    // killed while writing generation 3 (a folder without a manifest, a temporary
    // pointer).
    let template = root.path().join("template");
    for weeks in [6, 8] {
        let corpus = corpus_of(&files[..weeks], &root.path().join(format!("c{weeks}")));
        let output = run(&["index", "--json"], &corpus, &template);
        assert!(output.status.success());
    }
    let last_good = counts(&stats(&template));
    let generations = template.join("generations");
    let partial = generations.join("000003");
    common::copy_dir(&generations.join("000002"), &partial);
    std::fs::remove_file(partial.join("manifest.json")).unwrap();
    std::fs::write(template.join("CURRENT.tmp"), "000003\n").unwrap();

    // The run to kill: four weeks added, one removed.
    let mut wanted: Vec<PathBuf> = files.clone();
    wanted.remove(4);
    let corpus = corpus_of(&wanted, &root.path().join("corpus"));
    let clean = root.path().join("clean");
    assert!(run(&["index", "--json"], &corpus, &clean).status.success());
    let expected = counts(&stats(&clean));
    let clean_documents = current_documents(&clean);
    assert_ne!(expected, last_good);

    // Uninterrupted, from the last good state: what it embeds.
    let index = root.path().join("uninterrupted");
    common::copy_dir(&template, &index);
    let timed = Instant::now();
    let report = finish(&corpus, &index, &expected, &clean_documents);
    let run_time = timed.elapsed();
    let to_embed = report["embedded_texts"].as_u64().unwrap();
    assert!(
        to_embed > 2 * 64,
        "{to_embed} texts: fewer than 2 cache batches"
    );
    let embedded_from = KILL_POINTS
        .iter()
        .position(|(point, _)| *point == "embedded")
        .unwrap();

    let kill = |i: usize| {
        let (point, leaves) = KILL_POINTS[i];
        let index = root.path().join(point.replace(':', "-"));
        common::copy_dir(&template, &index);
        index_until_crash(point, &corpus, &index, root.path());

        let now = counts(&stats(&index));
        let want = match leaves {
            Leaves::LastGood => &last_good,
            Leaves::New => &expected,
        };
        assert_eq!(&now, want, "{point}: the index after the kill");

        let report = finish(&corpus, &index, &expected, &clean_documents);
        let embedded = report["embedded_texts"].as_u64().unwrap();
        if i >= embedded_from {
            assert_eq!(
                embedded, 0,
                "{point}: everything was embedded before the kill"
            );
        } else if point.starts_with("cache-") {
            assert!(
                embedded < to_embed,
                "{point}: cached batches were embedded again"
            );
        } else {
            assert_eq!(embedded, to_embed, "{point}");
        }
        if leaves == Leaves::New {
            assert_eq!(report["up_to_date"], true, "{point}: the work was done");
        }
        std::fs::remove_dir_all(&index).unwrap();
    };
    // A first build killed: no index (or "did not finish"), and the next run builds it.
    let kill_first_build = |point: &str| {
        let index = root
            .path()
            .join(format!("first-{}", point.replace(':', "-")));
        index_until_crash(point, &corpus, &index, root.path());
        let message = try_stats(&index).expect_err(point);
        assert!(
            message.contains("no index here") || message.contains("did not finish"),
            "{point}: {message}"
        );
        finish(&corpus, &index, &expected, &clean_documents);
        std::fs::remove_dir_all(&index).unwrap();
    };
    // Two cases at a time, each in its own index folder.
    std::thread::scope(|scope| {
        let odd = scope.spawn(|| {
            (1..KILL_POINTS.len()).step_by(2).for_each(kill);
            for point in FIRST_BUILD_POINTS.iter().skip(1).step_by(2) {
                kill_first_build(point);
            }
        });
        (0..KILL_POINTS.len()).step_by(2).for_each(kill);
        for point in FIRST_BUILD_POINTS.iter().step_by(2) {
            kill_first_build(point);
        }
        if let Err(panic) = odd.join() {
            std::panic::resume_unwind(panic);
        }
    });
    eprintln!(
        "{} crash points and {} first-build kills in {:.1} s (an uninterrupted run: {:.2} s)",
        KILL_POINTS.len(),
        FIRST_BUILD_POINTS.len(),
        started.elapsed().as_secs_f64(),
        run_time.as_secs_f64()
    );
}
