//! Crash safety at scale: `backissue index` killed with SIGKILL at many moments of a
//! run over a generated archive never leaves an unreadable index, and the next run
//! finishes the work with the same result as a clean build.
//!
//! It uses the deterministic hash embedder (`BACKISSUE_EMBEDDER=hash`): the real model
//! would spend minutes embedding, and what is tested here is the writing of
//! generations, not the vectors.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use serde_json::Value;

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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
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
    copy_dir(&index, &scratch);
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
