//! The same protocol through a real S3-compatible server: moto, from PyPI, on a
//! loopback port.
//!
//! Needs `moto_server`: `bash .ci/setup-moto.sh` installs it into
//! `target/moto-venv`, or `BACKISSUE_MOTO` names one. Without it the test fails when
//! `CI` is set and is skipped (saying so) otherwise, as the browser test is.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use backissue_replica::s3::{AmazonS3Builder, BackoffConfig, ClientOptions, RetryConfig};
use backissue_replica::{publish, pull, PullOutcome, Store};

use crate::common::{self, week, write_week, Setup};

const BUCKET: &str = "backissue";

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `Some(moto_server)` when the test can run; `None` (after saying why) when it is
/// to be skipped; a panic when it must run (under CI) and cannot.
fn moto_server() -> Option<PathBuf> {
    let path = match std::env::var_os("BACKISSUE_MOTO") {
        Some(path) => PathBuf::from(path),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/moto-venv/bin/moto_server")
        }
    };
    if path.is_file() {
        return Some(path);
    }
    let why = format!("{} does not exist", path.display());
    if std::env::var_os("CI").is_some() {
        panic!("the S3 test cannot run: {why}. Run `bash .ci/setup-moto.sh` first (CI must)");
    }
    eprintln!("skipped: {why} (run `bash .ci/setup-moto.sh` to set up the S3 test)");
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// Sends one HTTP/1.1 request to the server; returns the status and the body.
fn http(port: u16, method: &str, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    Ok((status, body))
}

/// Starts moto on a free port and creates the bucket; returns the server and port.
fn start_moto(moto: &PathBuf) -> (Killed, u16) {
    let port = free_port();
    let server = Command::new(moto)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", moto.display()));
    let mut server = Killed(server);
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = server.0.try_wait().unwrap() {
            panic!("{} exited ({status}) before listening", moto.display());
        }
        assert!(
            Instant::now() < deadline,
            "moto did not listen on {port} within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (status, body) = http(port, "PUT", &format!("/{BUCKET}")).unwrap();
    assert_eq!(status, 200, "creating the bucket: {body}");
    (server, port)
}

/// An S3 client for the moto on `port`, configured explicitly (no process
/// environment), with quick retries.
fn client(port: u16) -> AmazonS3Builder {
    AmazonS3Builder::new()
        .with_endpoint(format!("http://127.0.0.1:{port}"))
        .with_region("us-east-1")
        .with_access_key_id("testing")
        .with_secret_access_key("testing")
        .with_client_options(ClientOptions::new().with_allow_http(true))
        .with_retry(RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: 2,
            retry_timeout: Duration::from_secs(10),
        })
}

#[tokio::test]
async fn publish_and_pull_through_an_s3_compatible_server() {
    let Some(moto) = moto_server() else {
        return;
    };
    let started = Instant::now();
    let (_server, port) = start_moto(&moto);
    let ready = started.elapsed();
    let store = Store::s3(&format!("s3://{BUCKET}/archive/replica"), client(port)).unwrap();
    let s = Setup::new();

    let mut files = week("a\n");
    // Larger than one upload part: a multipart upload, each part's SHA-256 checked.
    files.push((
        "vectors.hnsw.data",
        (0..9 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect(),
    ));
    write_week(&s.indexed, "000001", &files);
    let report = publish(&store, &s.indexed, 2).await.unwrap();
    assert_eq!(report.uploaded_files, 7);
    let outcome = pull(&store, &s.replica).await.unwrap();
    assert_eq!(common::installed(&outcome), (7, 7, 0));
    assert_eq!(common::served(&s.replica), common::served(&s.indexed));
    // Everything is under the prefix: the same bucket under another is empty.
    let elsewhere = Store::s3(&format!("s3://{BUCKET}/archive/other"), client(port)).unwrap();
    let other_replica = s.tmp.path().join("other-replica");
    assert_eq!(
        pull(&elsewhere, &other_replica).await.unwrap(),
        PullOutcome::Empty
    );

    let again = publish(&store, &s.indexed, 2).await.unwrap();
    assert_eq!((again.uploaded_files, again.uploaded_bytes), (0, 0));

    files[3] = ("documents.jsonl", b"a\nb\n".to_vec());
    write_week(&s.indexed, "000002", &files);
    let report = publish(&store, &s.indexed, 2).await.unwrap();
    assert_eq!(report.uploaded_files, 2);
    let outcome = pull(&store, &s.replica).await.unwrap();
    assert_eq!(common::installed(&outcome), (7, 2, 5));
    assert_eq!(common::served(&s.replica), common::served(&s.indexed));

    files[3] = ("documents.jsonl", b"a\nb\nc\n".to_vec());
    write_week(&s.indexed, "000003", &files);
    let report = publish(&store, &s.indexed, 1).await.unwrap();
    assert_eq!(report.removed_generations, ["000001", "000002"]);
    assert_eq!(
        report.removed_blobs, 4,
        "two documents tables, two manifests"
    );
    assert!(matches!(
        pull(&store, &s.replica).await.unwrap(),
        PullOutcome::Installed { .. }
    ));
    assert_eq!(common::served(&s.replica), common::served(&s.indexed));
    eprintln!(
        "moto: listening after {:.1} s, whole test {:.1} s",
        ready.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
