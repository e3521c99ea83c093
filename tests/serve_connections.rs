//! The connection layer bounds what a client can hold: a client that sends half a
//! request, or leaves a keep-alive connection idle, is dropped after the header-read
//! timeout; one address cannot open more than its share of connections; and none of
//! this stops the server answering others.
//!
//! In-process, on loopback, with no index loaded (`/healthz` needs none) and the
//! deterministic embedder: what is tested is the connection handling.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use backissue_embed::HashEmbedder;
use backissue_server::{AppState, ServerConfig};

/// A server with `limits` adjusted by `tune`, on a runtime of its own thread.
fn start(tune: impl FnOnce(&mut backissue_server::Limits)) -> (SocketAddr, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = ServerConfig::new(dir.path().join("index"), dir.path().join("corpus"));
    tune(&mut config.limits);
    let state = AppState::new(config, Arc::new(HashEmbedder::new(384)));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            backissue_server::serve(listener, state, std::future::pending())
                .await
                .unwrap();
        });
    });
    (rx.recv().unwrap(), dir)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    // A guard against a hung test, far above every timeout configured here.
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// Whether the server closed `stream` (end of file or a reset), reading whatever
/// answer came first.
fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(error) if error.kind() == std::io::ErrorKind::TimedOut => return false,
            Err(_) => return true,
        }
    }
}

/// `GET /healthz` on a connection of its own: the status line.
fn healthz(addr: SocketAddr) -> String {
    let mut stream = connect(addr);
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.lines().next().unwrap_or("").to_string()
}

#[test]
fn half_sent_requests_are_dropped_after_the_header_timeout() {
    let (addr, _dir) = start(|limits| limits.header_read_timeout = Duration::from_millis(300));
    let mut slow: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut stream = connect(addr);
            stream.write_all(b"GET /healthz HT").unwrap();
            stream
        })
        .collect();
    // Meanwhile everyone else is served.
    assert_eq!(healthz(addr), "HTTP/1.1 200 OK");
    for (n, stream) in slow.iter_mut().enumerate() {
        assert!(
            closed_by_server(stream),
            "half-open connection {n} still open"
        );
    }
}

#[test]
fn an_idle_keep_alive_connection_is_closed() {
    let (addr, _dir) = start(|limits| limits.header_read_timeout = Duration::from_millis(300));
    let mut stream = connect(addr);
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 4096];
    let read = stream.read(&mut buf).unwrap();
    assert!(
        String::from_utf8_lossy(&buf[..read]).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&buf[..read])
    );
    assert!(
        closed_by_server(&mut stream),
        "the idle connection stays open"
    );
}

#[test]
fn one_address_cannot_hold_more_than_its_share_of_connections() {
    let (addr, _dir) = start(|limits| {
        limits.max_connections_per_client = 4;
        limits.header_read_timeout = Duration::from_secs(30);
    });
    let mut held: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = connect(addr);
            stream.write_all(b"GET /healthz HT").unwrap();
            stream
        })
        .collect();
    // The connections are counted once the server accepts them: wait until a fifth
    // is refused (the first attempts may race the accept of the four).
    let mut fifth = connect(addr);
    assert!(
        closed_by_server(&mut fifth),
        "a fifth connection was kept open"
    );
    // Closing one gives its place back.
    drop(held.pop());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        if healthz(addr) == "HTTP/1.1 200 OK" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no connection accepted after one of the four closed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The held connections still work.
    let stream = &mut held[0];
    stream
        .write_all(b"TP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn the_connection_cap_holds_and_is_counted() {
    let (addr, _dir) = start(|limits| {
        limits.max_connections = 3;
        limits.header_read_timeout = Duration::from_secs(30);
    });
    let _held: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut stream = connect(addr);
            stream.write_all(b"GET /metrics HT").unwrap();
            stream
        })
        .collect();
    let mut fourth = connect(addr);
    assert!(
        closed_by_server(&mut fourth),
        "a fourth connection was kept open"
    );
}
