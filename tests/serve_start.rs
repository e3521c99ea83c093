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

#[test]
fn a_config_file_sets_the_server_up_and_json_logs_carry_an_access_line_per_request() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("backissue.toml");
    std::fs::write(
        &config,
        format!(
            "bind = \"127.0.0.1:0\"\nindex = {:?}\nno-index = true\nlog-format = \"json\"\n\
             log-filter = \"info\"\nadmin-token-file = {:?}\n",
            dir.path().join("index"),
            dir.path().join("token"),
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("token"), "s3cret\n").unwrap();
    let mut command = common::backissue();
    command
        .args(["serve", "--config", config.to_str().unwrap()])
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let addr: SocketAddr = loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "ended early");
        if let Some(addr) = line.trim().strip_prefix("listening on http://") {
            break addr.parse().unwrap();
        }
    };
    let mut server = Server(child);
    // A client's request id is kept and returned; one is made up otherwise.
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: edge-7f3a\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response
            .to_ascii_lowercase()
            .contains("x-request-id: edge-7f3a"),
        "{response}"
    );
    // The token file enabled the admin route: a wrong token is refused, not 404.
    assert_eq!(status(addr, "/api/admin/reindex"), Some(405));
    assert_eq!(status(addr, "/no/such/page"), Some(404));

    let _ = server.0.kill();
    let mut stderr = String::new();
    server
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let access: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|line| line["target"] == "access")
        .collect();
    let health = access
        .iter()
        .find(|line| line["route"] == "/healthz")
        .unwrap_or_else(|| panic!("no access line for /healthz in {stderr}"));
    assert_eq!(health["method"], "GET");
    assert_eq!(health["status"], 200);
    assert_eq!(health["request_id"], "edge-7f3a");
    assert!(health["latency_ms"].as_f64().is_some(), "{health}");
    assert_eq!(health["level"], "INFO");
    assert_eq!(
        health["span"]["id"], "edge-7f3a",
        "the request's span: {health}"
    );
    let unmatched = access
        .iter()
        .find(|line| line["status"] == 404)
        .unwrap_or_else(|| panic!("no access line for the 404 in {stderr}"));
    assert_eq!(
        unmatched["route"], "unmatched",
        "raw paths stay out of the log"
    );
    assert!(unmatched["request_id"]
        .as_str()
        .is_some_and(|id| id.len() > 8));
}
