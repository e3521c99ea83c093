//! `backissue index` and `backissue stats`, driven through the real binary with the
//! real embedding model on small corpora (the seed issue and a few small issues).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_backissue"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("BACKISSUE_EMBEDDER")
        .env_remove("BACKISSUE_INDEX");
    command
}

fn seed_text() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_85727bfc0b3f4d6f.txt");
    std::fs::read_to_string(path).expect("the seed issue in ../shared/seeds")
}

/// A small issue (6 documents) whose every text mentions `topic`.
fn small_issue(topic: &str) -> String {
    let cap = {
        let mut chars = topic.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    };
    format!(
        "← All posts\n\n{cap} Week\n\nA week about {topic}.\n\nSubscribe free All posts\n\
#1\n{cap} Startup Raises $12M\nThe {topic} startup raised $12M to grow its {topic} platform.\nTechUS\n90\n\
#2\n{cap} Model Tops Benchmarks\nA new {topic} model tops the {topic} benchmarks this week.\nHealthcareGlobal\n80\n\
Why {cap} Matters\nAn insight about {topic} and why it matters for everyone building with {topic}.\n~12min\n\
Tech\n{cap} grows fast\n$12M\n{topic} round\n3\n{topic} launches\n1\n{topic} benchmark\n\
{cap} Startup Closes $12M Round\nThe {topic} startup closed a $12M round led by investors betting on the {topic} platform.\nSource: TechCrunch\n\
Hidden Signal\nThe {topic} money says more {topic} is coming.\n\
Beginner Tool\n{cap} Playground\nTry {topic} in the browser.\nhttps://example.com/{topic}\n"
    )
}

struct Dirs {
    _root: tempfile::TempDir,
    corpus: PathBuf,
    index: PathBuf,
}

fn dirs(files: &[(&str, String)]) -> Dirs {
    let root = tempfile::tempdir().unwrap();
    let corpus = root.path().join("corpus");
    let index = root.path().join("index");
    std::fs::create_dir(&corpus).unwrap();
    for (name, text) in files {
        std::fs::write(corpus.join(name), text).unwrap();
    }
    Dirs {
        _root: root,
        corpus,
        index,
    }
}

fn index(dirs: &Dirs) -> (Output, Value) {
    let output = bin()
        .args(["index", "--json", "--corpus"])
        .arg(&dirs.corpus)
        .arg("--index")
        .arg(&dirs.index)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output, report)
}

fn index_ok(dirs: &Dirs) -> Value {
    let (output, report) = index(dirs);
    assert!(
        output.status.success(),
        "index failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    report
}

fn stats(index: &Path) -> Output {
    bin()
        .args(["stats", "--json", "--index"])
        .arg(index)
        .output()
        .unwrap()
}

fn stats_ok(index: &Path) -> Value {
    let output = stats(index);
    assert!(
        output.status.success(),
        "stats failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn index_then_stats_then_nothing_to_do() {
    let dirs = dirs(&[
        ("2026-03-27.txt", seed_text()),
        ("2026-01-02.txt", small_issue("robots")),
        ("2026-01-09.txt", small_issue("batteries")),
    ]);
    let first = index_ok(&dirs);
    assert_eq!(first["issues"], 3);
    assert_eq!(first["documents"], 69 + 12);
    assert_eq!(first["events"], 48 + 10);
    assert_eq!(first["embedded_texts"], 81);
    assert_eq!(first["up_to_date"], false);
    assert_eq!(first["errors"].as_array().unwrap().len(), 0);

    let stats = stats_ok(&dirs.index);
    assert_eq!(stats["generation"], first["generation"]);
    assert_eq!(stats["issues"], 3);
    assert_eq!(stats["documents"], 81);
    assert_eq!(stats["by_section"]["top_story"], 24);
    assert_eq!(stats["by_section"]["regional_story"], 3);
    assert_eq!(stats["first_date"], "2026-01-02");
    assert_eq!(stats["last_date"], "2026-03-27");
    assert_eq!(
        stats["model"]["model_id"],
        "sentence-transformers/all-MiniLM-L6-v2 (int8)"
    );
    assert_eq!(stats["model"]["dimension"], 384);

    let text = bin()
        .args(["stats", "--index"])
        .arg(&dirs.index)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("3 issues (2026-01-02 to 2026-03-27), 81 documents"),
        "{text}"
    );
    assert!(text.contains("top_story"), "{text}");

    let second = index_ok(&dirs);
    assert_eq!(second["up_to_date"], true);
    assert_eq!(second["embedded_texts"], 0);
    assert_eq!(second["generation"], first["generation"]);

    let plain = bin()
        .args(["index", "--corpus"])
        .arg(&dirs.corpus)
        .arg("--index")
        .arg(&dirs.index)
        .output()
        .unwrap();
    let out = String::from_utf8(plain.stdout).unwrap();
    assert!(
        out.contains("is up to date: 3 issues, 81 documents"),
        "{out}"
    );
}

#[test]
fn add_change_and_delete_touch_only_that_issue() {
    let dirs = dirs(&[
        ("2026-01-02.txt", small_issue("robots")),
        ("2026-01-09.txt", small_issue("batteries")),
        ("2026-01-16.txt", small_issue("drones")),
    ]);
    let first = index_ok(&dirs);
    assert_eq!(first["embedded_texts"], 18);

    std::fs::write(
        dirs.corpus.join("2026-01-23.txt"),
        small_issue("satellites"),
    )
    .unwrap();
    let added = index_ok(&dirs);
    assert_eq!(strings(&added["issues_added"]), ["2026-01-23"]);
    assert_eq!(added["embedded_texts"], 6, "only the new issue's texts");
    assert_eq!(added["documents"], 24);

    let changed_text = small_issue("batteries").replace("tops the", "leads the");
    std::fs::write(dirs.corpus.join("2026-01-09.txt"), changed_text).unwrap();
    let changed = index_ok(&dirs);
    assert_eq!(strings(&changed["issues_changed"]), ["2026-01-09"]);
    assert!(strings(&changed["issues_added"]).is_empty());
    assert_eq!(changed["embedded_texts"], 1, "only the changed text");

    std::fs::remove_file(dirs.corpus.join("2026-01-02.txt")).unwrap();
    let deleted = index_ok(&dirs);
    assert_eq!(strings(&deleted["issues_removed"]), ["2026-01-02"]);
    assert_eq!(deleted["embedded_texts"], 0);
    assert_eq!(deleted["documents"], 18);

    // The same files indexed from scratch give the same index.
    let clean = Dirs {
        _root: tempfile::tempdir().unwrap(),
        corpus: dirs.corpus.clone(),
        index: dirs.index.with_file_name("clean-index"),
    };
    index_ok(&clean);
    let (a, b) = (stats_ok(&dirs.index), stats_ok(&clean.index));
    for key in [
        "issues",
        "documents",
        "events",
        "by_section",
        "first_date",
        "last_date",
    ] {
        assert_eq!(a[key], b[key], "{key}");
    }
}

#[test]
fn a_bad_file_is_reported_by_path_and_line_and_exits_1() {
    let dirs = dirs(&[
        ("2026-01-02.txt", small_issue("robots")),
        (
            "2026-01-09.txt",
            "← All posts\n\nHeadline\n\nSummary.\n\nSubscribe free All posts\n#2\nwrong rank\n"
                .to_string(),
        ),
    ]);
    let (output, report) = index(&dirs);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("2026-01-09.txt:8: top stories: expected"),
        "{message}"
    );
    assert!(stderr(&output).contains(&format!("error: {message}")));
    assert_eq!(report["issues"], 1);
    // The good issue is indexed all the same.
    assert_eq!(stats_ok(&dirs.index)["documents"], 6);

    let plain = bin()
        .args(["index", "--corpus"])
        .arg(&dirs.corpus)
        .arg("--index")
        .arg(&dirs.index)
        .output()
        .unwrap();
    assert_eq!(plain.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&plain.stdout).contains("1 files failed"));
}

fn current_manifest(index: &Path) -> PathBuf {
    let name = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    index
        .join("generations")
        .join(name.trim())
        .join("manifest.json")
}

fn edit_manifest(index: &Path, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let path = current_manifest(index);
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut manifest);
    std::fs::write(&path, manifest.to_string()).unwrap();
    path
}

fn assert_error_names(output: &Output, path: &Path, index: &Path) {
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(output);
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(
        message.contains(&format!(
            "run `backissue index --index {}`",
            index.display()
        )),
        "{message}"
    );
}

#[test]
fn a_mismatched_index_is_refused_with_the_fix_and_the_fix_works() {
    let dirs = dirs(&[("2026-01-02.txt", small_issue("robots"))]);
    index_ok(&dirs);

    let manifest = edit_manifest(&dirs.index, |m| m["schema_version"] = 999.into());
    let output = stats(&dirs.index);
    assert_error_names(&output, &manifest, &dirs.index);
    assert!(
        stderr(&output).contains("schema version 999"),
        "{}",
        stderr(&output)
    );
    let rebuilt = index_ok(&dirs);
    assert_eq!(rebuilt["up_to_date"], false);
    assert_eq!(rebuilt["embedded_texts"], 0, "vectors come from the cache");
    assert_eq!(stats_ok(&dirs.index)["documents"], 6);

    let manifest = edit_manifest(&dirs.index, |m| {
        m["model"]["model_id"] = "someone-else/model".into()
    });
    let output = stats(&dirs.index);
    assert_error_names(&output, &manifest, &dirs.index);
    assert!(
        stderr(&output).contains("someone-else/model"),
        "{}",
        stderr(&output)
    );
    let rebuilt = index_ok(&dirs);
    assert_eq!(
        rebuilt["up_to_date"], false,
        "another model's index is rebuilt"
    );
    assert_eq!(
        stats_ok(&dirs.index)["model"]["model_id"],
        "sentence-transformers/all-MiniLM-L6-v2 (int8)"
    );
}

#[test]
fn a_missing_index_or_corpus_is_an_error_naming_it() {
    let root = tempfile::tempdir().unwrap();
    let missing = root.path().join("no-index");
    let output = stats(&missing);
    assert_error_names(&output, &missing, &missing);
    assert!(
        stderr(&output).contains("no index here"),
        "{}",
        stderr(&output)
    );

    let output = bin()
        .args(["index", "--corpus"])
        .arg(root.path().join("no-corpus"))
        .arg("--index")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no-corpus: no such corpus folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn help_shows_examples() {
    for command in ["index", "stats"] {
        let output = bin().args([command, "--help"]).output().unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(help.contains("Examples:"), "{help}");
        assert!(help.contains(&format!("backissue {command}")), "{help}");
        assert!(help.contains("BACKISSUE_INDEX"), "{help}");
    }
}

/// A run killed while embedding keeps the vectors embedded so far in the cache; the
/// next run embeds only the rest and ends with the same index as a clean build.
#[test]
fn a_run_killed_while_embedding_resumes_where_it_stopped() {
    let dirs = dirs(&[
        ("2026-03-27.txt", seed_text()),
        ("2026-01-02.txt", small_issue("robots")),
    ]);
    let mut child = bin()
        .args(["index", "--json", "--corpus"])
        .arg(&dirs.corpus)
        .arg("--index")
        .arg(&dirs.index)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Texts are embedded and cached 64 at a time: kill as soon as the first batch is in.
    let cache_dir = dirs.index.join("cache");
    let started = std::time::Instant::now();
    let cached = || {
        std::fs::read_dir(&cache_dir)
            .map(|entries| {
                entries
                    .flatten()
                    .any(|e| e.metadata().is_ok_and(|m| m.len() > 16))
            })
            .unwrap_or(false)
    };
    while !cached() && started.elapsed().as_secs() < 300 && child.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = child.kill(); // SIGKILL (a no-op if the run already ended)
    child.wait().unwrap();
    assert!(cached(), "nothing was cached before the kill");

    let finished = index_ok(&dirs);
    assert_eq!(finished["documents"], 75);
    let embedded = finished["embedded_texts"].as_u64().unwrap();
    eprintln!("after the kill, {embedded} of 75 texts were left to embed");
    assert!(
        embedded < 75,
        "the texts embedded before the kill were kept"
    );
    assert_eq!(stats_ok(&dirs.index)["documents"], 75);
    assert_eq!(index_ok(&dirs)["up_to_date"], true);
}
