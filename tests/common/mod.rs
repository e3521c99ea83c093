//! Shared helpers for the end-to-end tests: the binary, the seed issue, temp folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `backissue` binary built for these tests.
pub fn backissue() -> Command {
    Command::new(env!("CARGO_BIN_EXE_backissue"))
}

/// The binary run from the repository root without backissue's environment variables:
/// the real model, no default index.
pub fn bin() -> Command {
    let mut command = backissue();
    command
        .current_dir(repo())
        .env_remove("BACKISSUE_EMBEDDER")
        .env_remove("BACKISSUE_INDEX");
    command
}

/// Runs `command index --corpus CORPUS --index INDEX` and asserts that it succeeded.
pub fn build_index(mut command: Command, corpus: &Path, index: &Path) {
    let output = command
        .arg("index")
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .output()
        .expect("the backissue binary runs");
    assert!(output.status.success(), "{}", stderr(&output));
}

/// Runs `backissue ARGS…` and returns its output.
pub fn run(args: &[&str]) -> Output {
    backissue()
        .args(args)
        .output()
        .expect("the backissue binary runs")
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real seed issue, which lives beside the checkout in `../shared/seeds/` (user data,
/// never committed). `None`, after saying why, on a clone that does not have it.
pub fn seed_path() -> Option<PathBuf> {
    let path = repo().join("../shared/seeds/000_85727bfc0b3f4d6f.txt");
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "skipped: the seed issue is not at {} (CI always has it; a user's clone may not)",
            path.display()
        );
        None
    }
}

/// The seed's text, or `None` (after saying why) when it is missing.
pub fn seed_text() -> Option<String> {
    seed_path().map(|p| std::fs::read_to_string(p).expect("the seed is UTF-8"))
}

/// Writes `contents` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write test file");
    path
}

/// stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Whether `text` names `name`: the name's words, in order, as whole words.
pub fn names(text: &str, name: &str) -> bool {
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
            .map(|w| w.trim_matches(['.', '-']).to_lowercase())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (text, name) = (words(text), words(name));
    text.windows(name.len()).any(|w| w == name.as_slice())
}

/// The names of the shipped corpus's entities of these kinds (`organisation`,
/// `product`, `person`, …), from its ground truth.
pub fn entity_names(kinds: &[&str]) -> Vec<String> {
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo().join("corpus/ground_truth.json")).unwrap())
            .unwrap();
    truth["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| kinds.contains(&e["kind"].as_str().unwrap()))
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

/// Copies the folder `from` to `to`, recursively (an index or a corpus, to change
/// a copy rather than a shared fixture).
pub fn copy_dir(from: &Path, to: &Path) {
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

/// The weeks of `corpus/` named (`YYYY-MM-DD`), indexed with the real model into a
/// temporary folder: the folder (keep it alive) and the index in it. `None`, after
/// saying why, on a checkout without the model files.
pub fn index_weeks(weeks: &[&str]) -> Option<(tempfile::TempDir, PathBuf)> {
    if !repo().join("models/model_int8.onnx").is_file() {
        eprintln!("skipped: no model in models/ (run .ci/setup-model.sh)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for week in weeks {
        let name = format!("{week}.txt");
        std::fs::copy(repo().join("corpus").join(&name), corpus.join(&name)).unwrap();
    }
    let index = dir.path().join("index");
    build_index(bin(), &corpus, &index);
    Some((dir, index))
}

/// `GET path` on `addr` over HTTP/1.1 (one connection, closed after): the status
/// and the body, de-chunked.
pub fn get(addr: std::net::SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    use std::io::{Read, Write};
    use std::time::Duration;
    let mut stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    Ok((
        status,
        if chunked {
            dechunk(body)
        } else {
            body.to_string()
        },
    ))
}

/// The body of a chunked answer.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}
