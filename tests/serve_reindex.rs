//! `backissue serve` keeps answering while `backissue index` writes a new generation,
//! then serves the new issue; it shuts down gracefully on SIGTERM. Drives the real
//! binary on loopback with the real model.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

/// The issues served at first; the fifth is added while clients are running.
const FIRST: [&str; 4] = ["2025-01-03", "2025-01-10", "2025-01-17", "2025-01-24"];
const ADDED: &str = "2025-01-31";

/// Kills the server if the test fails before it stops it.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `backissue serve --no-index` of `index` and `corpus` on a free port, with `env`,
/// ready: the server and its address. Its log goes to the test's standard error
/// when `log` is set.
fn start(corpus: &Path, index: &Path, env: &[(&str, &str)], log: bool) -> (Server, SocketAddr) {
    let mut command = common::backissue();
    command
        .args(["serve", "--no-index", "--bind", "127.0.0.1:0"])
        .arg("--index")
        .arg(index)
        .arg("--corpus")
        .arg(corpus)
        .env("RUST_LOG", "warn")
        .env_remove("BACKISSUE_CRASH_AT")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(if log { Stdio::inherit() } else { Stdio::null() });
    let mut child = command.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let server = Server(child);
    let addr: SocketAddr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .parse()
        .unwrap();
    wait_for("ready", Duration::from_secs(60), || {
        get(addr, "/readyz").is_ok_and(|(status, _)| status == 200)
    });
    (server, addr)
}

/// `GET path` on `addr`: the status and the body (one connection per request).
fn get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {response:?}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    Ok((status, body))
}

fn index(corpus: &Path, index: &Path) {
    let output = common::run(&[
        "index",
        "--corpus",
        corpus.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", common::stderr(&output));
}

fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_without_errors_while_a_new_generation_is_indexed_then_serves_it() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, index_dir) = (dir.path().join("corpus"), dir.path().join("index"));
    std::fs::create_dir_all(&corpus).unwrap();
    for issue in FIRST {
        std::fs::copy(
            common::repo().join(format!("corpus/{issue}.txt")),
            corpus.join(format!("{issue}.txt")),
        )
        .unwrap();
    }
    index(&corpus, &index_dir);

    let (server, addr) = start(&corpus, &index_dir, &[], true);
    let (status, _) = get(addr, &format!("/api/issues/{ADDED}")).unwrap();
    assert_eq!(status, 404);

    // Two clients, a steady bounded stream, for the whole re-index.
    let stop = Arc::new(AtomicBool::new(false));
    let served = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let clients: Vec<_> = [
        "/api/search?q=chip&mode=keyword&limit=5",
        "/api/stories/2025-01-03/top/7/related?limit=3",
    ]
    .into_iter()
    .map(|path| {
        let (stop, served, failures) = (stop.clone(), served.clone(), failures.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match get(addr, path) {
                    Ok((200, _)) => {
                        served.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok((status, body)) => failures
                        .lock()
                        .unwrap()
                        .push(format!("{path}: {status} {body}")),
                    Err(error) => failures.lock().unwrap().push(format!("{path}: {error}")),
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    })
    .collect();

    std::thread::sleep(Duration::from_millis(300));
    std::fs::copy(
        common::repo().join(format!("corpus/{ADDED}.txt")),
        corpus.join(format!("{ADDED}.txt")),
    )
    .unwrap();
    index(&corpus, &index_dir);
    wait_for("the new issue served", Duration::from_secs(30), || {
        get(addr, &format!("/api/issues/{ADDED}")).is_ok_and(|(status, _)| status == 200)
    });
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        failures.first()
    );
    assert!(
        served.load(Ordering::Relaxed) >= 20,
        "too few requests: {}",
        served.load(Ordering::Relaxed)
    );

    // The new issue's stories are searched, shown and related.
    let (status, body) = get(addr, &format!("/api/stories/{ADDED}/top/1")).unwrap();
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(addr, &format!("/api/search?q=&from={ADDED}&limit=1")).unwrap();
    assert_eq!(status, 200);
    assert!(
        body.contains(&format!("\"issue_id\":\"{ADDED}\"")),
        "{body}"
    );
    let (_, metrics) = get(addr, "/metrics").unwrap();
    assert!(
        metrics.contains("backissue_index_reloads_total 2"),
        "{metrics}"
    );

    // SIGTERM: the server stops cleanly.
    let mut server = server;
    let pid = server.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
}

/// `POST /api/admin/reindex` with the token: the status and the body.
fn post_reindex(addr: SocketAddr, token: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(600)))
        .unwrap();
    write!(
        stream,
        "POST /api/admin/reindex HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\n\
         content-length: 0\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

#[test]
fn a_reindex_that_dies_does_not_take_the_server_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, index_dir) = (dir.path().join("corpus"), dir.path().join("index"));
    std::fs::create_dir_all(&corpus).unwrap();
    for issue in &FIRST[..2] {
        std::fs::copy(
            common::repo().join(format!("corpus/{issue}.txt")),
            corpus.join(format!("{issue}.txt")),
        )
        .unwrap();
    }
    index(&corpus, &index_dir);
    std::fs::copy(
        common::repo().join(format!("corpus/{ADDED}.txt")),
        corpus.join(format!("{ADDED}.txt")),
    )
    .unwrap();

    // The re-index is made to abort once it has embedded the new issue, as a
    // process killed by the kernel for its memory would: in the server's process,
    // that would end the server.
    let (mut server, addr) = start(
        &corpus,
        &index_dir,
        &[
            ("BACKISSUE_ADMIN_TOKEN", "t0ken"),
            ("BACKISSUE_CRASH_AT", "embedded"),
        ],
        false,
    );
    let (_, before) = get(addr, "/readyz").unwrap();

    let (status, body) = post_reindex(addr, "t0ken");
    assert_eq!(status, 500, "{body}");
    assert!(body.contains("re-index process failed"), "{body}");
    assert!(
        server.0.try_wait().unwrap().is_none(),
        "the server died with its re-index"
    );
    let (status, after) = get(addr, "/readyz").unwrap();
    assert_eq!(status, 200, "{after}");
    assert_eq!(before, after, "the served generation changed");
    let (status, _) = get(addr, "/api/search?q=chip&mode=keyword").unwrap();
    assert_eq!(status, 200);
    let (status, _) = get(addr, &format!("/api/issues/{ADDED}")).unwrap();
    assert_eq!(status, 404, "the new issue is served from a failed run");
    drop(server);

    // Without the fault, the same route's child re-indexes and the server serves it.
    let (_server, addr) = start(
        &corpus,
        &index_dir,
        &[("BACKISSUE_ADMIN_TOKEN", "t0ken")],
        false,
    );
    let (status, body) = post_reindex(addr, "t0ken");
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(answer["serving"].is_string(), "{answer}");
    let (status, _) = get(addr, &format!("/api/issues/{ADDED}")).unwrap();
    assert_eq!(status, 200, "the re-indexed issue is not served");
}
