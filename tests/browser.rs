//! The web pages and the widget in a real browser.
//!
//! Starts the real `backissue serve` on loopback over a small index of four issues
//! of `corpus/` embedded with the real model, and a second tiny server on another
//! port playing a publisher's site whose page embeds `/widget.js` (so the widget's
//! calls are cross-origin, allowed by `BACKISSUE_CORS_ORIGINS`). Then
//! `tests/browser/run.mjs` drives headless Chromium through them (playwright-core)
//! and saves screenshots in `target/browser-artifacts/`.
//!
//! Needs `/usr/bin/chromium` and `tests/browser/node_modules`: run
//! `bash .ci/setup-browser.sh`. Without them the test fails when `CI` is set and
//! is skipped otherwise.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;

const CHROMIUM: &str = "/usr/bin/chromium";
/// Issues copied from `corpus/`: enough for related stories across issues.
const ISSUES: usize = 4;
/// An older issue copied too: it featured a work of the last issue's at another level
/// and URL, so `/resources` has an entry listing two of each.
const REFEATURED: &str = "2026-11-20.txt";

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `Some(node)` when the browser test can run; `None` (after saying why) when it is
/// to be skipped; a panic when it must run (under CI) and cannot.
fn browser_prerequisites() -> Option<PathBuf> {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!("{CHROMIUM} is not installed"));
    }
    if !common::repo()
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        missing.push("tests/browser/node_modules has no playwright-core".to_string());
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        missing.push("node is not on PATH".to_string());
    }
    if missing.is_empty() {
        return Some(PathBuf::from("node"));
    }
    let why = missing.join("; ");
    if std::env::var_os("CI").is_some() {
        panic!(
            "the browser test cannot run: {why}. Run `bash .ci/setup-browser.sh` first (CI must)"
        );
    }
    eprintln!("skipped: {why} (run `bash .ci/setup-browser.sh` to set up the browser test)");
    None
}

/// Whether the embedding model is there; the same rule as the real-model tests.
fn model_available() -> bool {
    match backissue_embed::ModelFiles::locate(None) {
        Ok(_) => true,
        Err(err) if std::env::var("BACKISSUE_SKIP_MODEL_TESTS").is_ok_and(|v| v == "1") => {
            eprintln!("skipped: BACKISSUE_SKIP_MODEL_TESTS=1 and the model is not set up ({err})");
            false
        }
        Err(err) => panic!(
            "the browser test needs the embedding model: run `bash .ci/setup-model.sh`\n{err}"
        ),
    }
}

/// A loopback port nobody listens on (free a moment ago).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Serves `page` to every request on a loopback port, from a thread that lives as
/// long as the test: the publisher's site.
fn publisher_site(page: String) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the publisher's site");
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    addr
}

/// The first top story of the index, through the CLI: the widget's story.
fn first_top_story(index: &Path) -> String {
    let output = common::run(&[
        "search",
        "",
        "--mode",
        "keyword",
        "--section",
        "top_story",
        "--limit",
        "1",
        "--json",
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "search failed: {}",
        common::stderr(&output)
    );
    let response: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("search --json prints JSON");
    response["hits"][0]["id"]
        .as_str()
        .expect("a top story")
        .to_string()
}

#[test]
fn pages_and_widget_work_in_headless_chromium() {
    let Some(node) = browser_prerequisites() else {
        return;
    };
    if !model_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    std::fs::create_dir(&corpus).unwrap();
    let mut issues: Vec<PathBuf> = std::fs::read_dir(common::repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    issues.sort();
    for issue in issues.iter().rev().take(ISSUES) {
        std::fs::copy(issue, corpus.join(issue.file_name().unwrap())).unwrap();
    }
    std::fs::copy(
        common::repo().join("corpus").join(REFEATURED),
        corpus.join(REFEATURED),
    )
    .unwrap();
    let indexed = common::run(&[
        "index",
        "--corpus",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(
        indexed.status.success(),
        "index failed: {}",
        common::stderr(&indexed)
    );
    let story = first_top_story(&index);

    let port = free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let base = format!("http://{addr}");
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>A publisher</title>\
         <style>body{{font-family:Georgia,serif;max-width:40em;margin:2em auto}} a{{color:red}}</style></head>\
         <body><h1>A publisher's article</h1><p>Some text of the publisher's own.</p>\
         <script src=\"{base}/widget.js\" data-story=\"{story}\" data-limit=\"4\"></script>\
         <p>More of the article, after the widget.</p></body></html>"
    );
    let publisher = publisher_site(page);
    let publisher_url = format!("http://{publisher}/article.html");

    let server = common::backissue()
        .args(["serve", "--no-index", "--bind", &addr.to_string()])
        .args([
            "--corpus",
            corpus.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ])
        .env("BACKISSUE_CORS_ORIGINS", format!("http://{publisher}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("backissue serve starts");
    let mut server = Killed(server);

    // Ready when a page that needs the loaded index answers 200.
    let started = Instant::now();
    loop {
        if let Ok((200, _)) = common::get(addr, "/issues") {
            break;
        }
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!("backissue serve exited early: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "backissue serve was not ready in 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    let artifacts = common::repo().join("target/browser-artifacts");
    let status = Command::new(node)
        .arg(common::repo().join("tests/browser/run.mjs"))
        .args([&base, &publisher_url, artifacts.to_str().unwrap()])
        .status()
        .expect("node runs");
    assert!(
        status.success(),
        "browser checks failed ({status}); screenshots in {}",
        artifacts.display()
    );
}
