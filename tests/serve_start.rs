//! `backissue serve` on a fresh checkout: no index yet, so it indexes the corpus
//! first, then serves; and its configuration: flag over environment over default.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

mod common;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn status(addr: SocketAddr, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split(' ').nth(1)?.parse().ok()
}

/// Starts the server with `args` and `env`, and returns it with its address.
fn start(args: &[&str], env: &[(&str, &str)]) -> (Server, SocketAddr, String) {
    let mut command = common::backissue();
    command
        .arg("serve")
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    let addr = loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            panic!("the server ended before listening:\n{printed}\n{stderr}");
        }
        printed.push_str(&line);
        if let Some(addr) = line.trim().strip_prefix("listening on http://") {
            break addr.parse().unwrap();
        }
    };
    (Server(child), addr, printed)
}

fn wait_ready(addr: SocketAddr) {
    let started = Instant::now();
    while status(addr, "/readyz") != Some(200) {
        assert!(started.elapsed() < Duration::from_secs(60), "not ready");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_fresh_checkout_is_indexed_then_served() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    for issue in ["2025-01-03", "2025-01-10"] {
        std::fs::copy(
            common::repo().join(format!("corpus/{issue}.txt")),
            corpus.join(format!("{issue}.txt")),
        )
        .unwrap();
    }
    // The flag wins over a bad environment value.
    let (_server, addr, printed) = start(
        &[
            "--corpus",
            corpus.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
            "--bind",
            "127.0.0.1:0",
        ],
        &[("BACKISSUE_BIND", "not an address")],
    );
    assert!(printed.contains("indexed 2 issues"), "{printed}");
    assert!(index.join("CURRENT").is_file());
    wait_ready(addr);
    assert_eq!(status(addr, "/api/issues/2025-01-10"), Some(200));
    assert_eq!(status(addr, "/"), Some(200), "the pages are mounted");
}

#[test]
fn the_environment_gives_what_no_flag_does_and_no_index_serves_not_ready() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let (_server, addr, printed) = start(
        &["--no-index", "--corpus", dir.path().to_str().unwrap()],
        &[
            ("BACKISSUE_BIND", "127.0.0.1:0"),
            ("BACKISSUE_INDEX", index.to_str().unwrap()),
        ],
    );
    assert!(!printed.contains("indexed"), "{printed}");
    assert_eq!(status(addr, "/healthz"), Some(200));
    assert_eq!(status(addr, "/readyz"), Some(503));
    assert_eq!(status(addr, "/api/search?q=x"), Some(503));
}

#[test]
fn serve_brings_a_stale_or_older_index_up_to_date_first() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let index = dir.path().join("index");
    std::fs::create_dir_all(&corpus).unwrap();
    let add = |issue: &str| {
        std::fs::copy(
            common::repo().join(format!("corpus/{issue}.txt")),
            corpus.join(format!("{issue}.txt")),
        )
        .unwrap();
    };
    add("2025-01-03");
    let indexed = common::backissue()
        .args(["index", "--corpus"])
        .arg(&corpus)
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    assert!(indexed.status.success(), "{}", common::stderr(&indexed));
    // A new issue since, and a manifest from an older layout: serving must not show
    // the old index as it is, nor refuse it.
    add("2025-01-10");
    let generation = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    let manifest = index
        .join("generations")
        .join(generation.trim())
        .join("manifest.json");
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    json["schema_version"] = 1.into();
    std::fs::write(&manifest, serde_json::to_vec(&json).unwrap()).unwrap();

    let (_server, addr, _) = start(
        &[
            "--corpus",
            corpus.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
            "--bind",
            "127.0.0.1:0",
        ],
        &[],
    );
    wait_ready(addr);
    assert_eq!(status(addr, "/api/issues/2025-01-03"), Some(200));
    assert_eq!(
        status(addr, "/api/issues/2025-01-10"),
        Some(200),
        "the new issue is served"
    );
    let current = std::fs::read_to_string(index.join("CURRENT")).unwrap();
    assert_ne!(
        current.trim(),
        generation.trim(),
        "a new generation was written"
    );
}
