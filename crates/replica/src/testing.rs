//! Test support (feature `testing`): moto, an S3-compatible server from PyPI, on a
//! loopback port, for the tests that publish and pull through S3.
//!
//! `bash .ci/setup-moto.sh` installs it into `target/moto-venv`, or `BACKISSUE_MOTO`
//! names a `moto_server`. Without it a test fails when `CI` is set and is skipped
//! (saying so) otherwise, as the browser test is.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `Some(moto_server)` when an S3 test can run; `None` (after saying why) when it is
/// to be skipped; a panic when it must run (under CI) and cannot. `workspace` is the
/// repository root, where `target/moto-venv` is.
pub fn moto_server(workspace: &Path) -> Option<PathBuf> {
    let path = std::env::var_os("BACKISSUE_MOTO")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target/moto-venv/bin/moto_server"));
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

/// A running moto, killed when dropped.
pub struct Moto {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free on 127.0.0.1 now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Moto {
    /// Starts `moto` on `port` and creates `bucket` (moto keeps nothing across a
    /// restart).
    pub fn start(moto: &Path, port: u16, bucket: &str) -> Moto {
        let child = Command::new(moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", moto.display()));
        let mut server = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = server.child.try_wait().expect("moto's status") {
                panic!("{} exited ({status}) before listening", moto.display());
            }
            assert!(
                Instant::now() < deadline,
                "moto did not listen on {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let (status, body) = server
            .request("PUT", &format!("/{bucket}"))
            .expect("moto answers");
        assert_eq!(status, 200, "creating the bucket: {body}");
        server
    }

    /// Sends one HTTP/1.1 request; the status and the body.
    pub fn request(&mut self, method: &str, path: &str) -> std::io::Result<(u16, String)> {
        let port = self.port;
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
}
