//! Replicas on object storage, end to end: a leader indexes and publishes
//! (`backissue publish`), replica processes (`backissue serve --replica-of`) follow
//! the store on loopback while searches run against them, and survive being killed
//! mid-download, a corrupt object and a store that stops answering.
//!
//! Each test prints the figures it measured (catch-up time, bytes moved, memory)
//! with `--nocapture`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use backissue_replica::testing::{free_port, moto_server, Moto};

mod common;

/// How soon a replica must serve a generation after its publish ends.
const CATCH_UP: Duration = Duration::from_secs(10);

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One GET; the status and body, or `None` when the server did not answer.
fn get(addr: SocketAddr, path: &str) -> Option<(u16, String)> {
    common::get(addr, path).ok()
}

fn json(addr: SocketAddr, path: &str) -> Option<serde_json::Value> {
    let (_, body) = get(addr, path)?;
    serde_json::from_str(&body).ok()
}

/// The generation a server reports on `/readyz`, if it is ready.
fn served(addr: SocketAddr) -> Option<String> {
    let (status, body) = get(addr, "/readyz")?;
    if status != 200 {
        return None;
    }
    let health: serde_json::Value = serde_json::from_str(&body).ok()?;
    health["generation"].as_str().map(str::to_string)
}

/// Waits until `addr` serves `generation`; how long it took.
fn wait_for(addr: SocketAddr, generation: &str, limit: Duration) -> Duration {
    let started = Instant::now();
    loop {
        if served(addr).as_deref() == Some(generation) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < limit,
            "{addr} did not serve generation {generation} within {limit:?} (serves {:?}; readyz {:?})",
            served(addr),
            get(addr, "/readyz")
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A metric's value in `/metrics`.
fn metric(addr: SocketAddr, name: &str) -> f64 {
    let (_, text) = get(addr, "/metrics").expect("metrics answer");
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
}

/// The leader: an archive folder grown one issue at a time, indexed with the real
/// model, and published to a store.
struct Leader {
    corpus: PathBuf,
    index: PathBuf,
    archive: Vec<PathBuf>,
    added: usize,
    env: Vec<(String, String)>,
}

impl Leader {
    fn new(root: &Path, issues: usize, env: &[(&str, &str)]) -> Leader {
        let mut archive: Vec<PathBuf> = std::fs::read_dir(common::repo().join("corpus"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        archive.sort();
        let mut leader = Leader {
            corpus: root.join("corpus"),
            index: root.join("leader"),
            archive,
            added: 0,
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        };
        std::fs::create_dir_all(&leader.corpus).unwrap();
        for _ in 0..issues {
            leader.add_issue();
        }
        leader.index();
        leader
    }

    /// Adds the next week's issue to the corpus; its id.
    fn add_issue(&mut self) -> String {
        let file = &self.archive[self.added];
        std::fs::copy(file, self.corpus.join(file.file_name().unwrap())).unwrap();
        self.added += 1;
        file.file_stem().unwrap().to_str().unwrap().to_string()
    }

    fn index(&self) {
        common::build_index(common::bin(), &self.corpus, &self.index);
    }

    /// Publishes to `store`; the report.
    fn publish(&self, store: &str) -> serde_json::Value {
        let mut command = common::bin();
        command
            .args(["publish", "--json", "--to", store, "--index"])
            .arg(&self.index);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", common::stderr(&output));
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

/// The generation a publish report names.
fn generation(report: &serde_json::Value) -> String {
    report["generation"]
        .as_str()
        .unwrap_or_else(|| panic!("no generation in {report}"))
        .to_string()
}

/// `backissue serve --replica-of STORE` on a free port; the process and address.
fn replica(store: &str, index: &Path, env: &[(&str, &str)]) -> (Killed, SocketAddr) {
    let mut command = common::bin();
    command
        .args(["serve", "--no-index", "--bind", "127.0.0.1:0"])
        .args(["--poll-interval", "0.2", "--replica-of", store, "--index"])
        .arg(index)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let addr = loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the replica ended before listening"
        );
        if let Some(addr) = line.trim().strip_prefix("listening on http://") {
            break addr.parse().unwrap();
        }
    };
    (Killed(child), addr)
}

/// Searches and related-stories lookups against `servers`, round robin, until
/// stopped; counts the answers and the failures (anything but 200, or none).
struct Load {
    stop: Arc<AtomicBool>,
    answered: Arc<AtomicUsize>,
    failed: Arc<AtomicUsize>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(servers: &[SocketAddr]) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicUsize::new(0));
        let failed = Arc::new(AtomicUsize::new(0));
        let threads = servers
            .iter()
            .map(|&addr| {
                let (stop, answered, failed) = (stop.clone(), answered.clone(), failed.clone());
                std::thread::spawn(move || {
                    let paths = [
                        "/api/search?q=chip+export+controls&mode=keyword",
                        "/api/search?q=robots+that+work+without+the+cloud&mode=hybrid",
                        "/api/search?q=who+is+raising+money+for+data+centers",
                        "/api/trends/rising?limit=5",
                        "/search?q=energy+grid",
                    ];
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let path = paths[n % paths.len()];
                        n += 1;
                        match get(addr, path) {
                            Some((200, _)) => answered.fetch_add(1, Ordering::Relaxed),
                            other => {
                                eprintln!("{addr}{path}: {other:?}");
                                failed.fetch_add(1, Ordering::Relaxed)
                            }
                        };
                        std::thread::sleep(Duration::from_millis(5));
                    }
                })
            })
            .collect();
        Load {
            stop,
            answered,
            failed,
            threads,
        }
    }

    /// Stops, asserts that no request failed, and returns how many were answered.
    fn stop_with_no_failure(self) -> usize {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads {
            thread.join().unwrap();
        }
        let answered = self.answered.load(Ordering::Relaxed);
        let failed = self.failed.load(Ordering::Relaxed);
        assert_eq!(
            failed,
            0,
            "{failed} of {} requests failed",
            answered + failed
        );
        answered
    }
}

/// Publishes the leader's next issue to `store` and waits for every replica to
/// serve it; the publish report and the slowest catch-up after the publish ended.
fn publish_next(
    leader: &mut Leader,
    store: &str,
    replicas: &[SocketAddr],
) -> (serde_json::Value, Duration) {
    let issue = leader.add_issue();
    leader.index();
    let report = leader.publish(store);
    let generation = generation(&report);
    let slowest = replicas
        .iter()
        .map(|&addr| wait_for(addr, &generation, CATCH_UP))
        .max()
        .unwrap();
    // Everything a page shows of the new issue came inside the generation.
    for &addr in replicas {
        let detail = json(addr, &format!("/api/issues/{issue}")).unwrap();
        assert!(
            detail["parsed"]["headline"]
                .as_str()
                .is_some_and(|h| !h.is_empty()),
            "{addr}: issue {issue} has no text on a replica: {detail}"
        );
        assert_eq!(get(addr, &format!("/issues/{issue}")).unwrap().0, 200);
    }
    (report, slowest)
}

#[test]
fn two_replicas_follow_two_publishes_over_a_folder_store_with_no_failed_request() {
    let root = tempfile::tempdir().unwrap();
    let store = root.path().join("store");
    let store = store.to_str().unwrap();
    let mut leader = Leader::new(root.path(), 6, &[]);
    let first = leader.publish(store);
    let g1 = generation(&first);

    let (_a, a) = replica(store, &root.path().join("replica-a"), &[]);
    let (_b, b) = replica(store, &root.path().join("replica-b"), &[]);
    for addr in [a, b] {
        wait_for(addr, &g1, Duration::from_secs(60));
    }
    let full = metric(a, "backissue_replica_downloaded_bytes_total");

    let load = Load::start(&[a, b]);
    let mut catch_ups = Vec::new();
    let mut moved = Vec::new();
    for _ in 0..2 {
        let before = metric(a, "backissue_replica_downloaded_bytes_total");
        let (report, slowest) = publish_next(&mut leader, store, &[a, b]);
        let downloaded = metric(a, "backissue_replica_downloaded_bytes_total") - before;
        assert!(
            report["uploaded_bytes"].as_u64().unwrap() < report["bytes"].as_u64().unwrap(),
            "a new issue uploads only what changed: {report}"
        );
        catch_ups.push(slowest);
        moved.push((report["uploaded_bytes"].as_u64().unwrap(), downloaded));
    }
    let answered = load.stop_with_no_failure();
    assert!(answered > 50, "the load ran ({answered} answers)");

    // Publishing the same generation again uploads nothing.
    let again = leader.publish(store);
    assert_eq!(again["uploaded_bytes"], 0, "{again}");

    let memory = metric(a, "process_resident_memory_bytes");
    eprintln!(
        "replica figures: catch-up after publish {catch_ups:?}; first install downloaded \
         {full} bytes; per new issue (uploaded, downloaded) bytes {moved:?}; {answered} requests \
         answered, 0 failed; replica resident memory {:.0} MiB",
        memory / 1048576.0
    );
}

/// Copies every file of `from` into `to` (creating folders), `CURRENT` last.
fn copy_store(from: &Path, to: &Path) {
    let mut current = None;
    for entry in walk(from) {
        let relative = entry.strip_prefix(from).unwrap();
        if relative == Path::new("CURRENT") {
            current = Some(entry.clone());
            continue;
        }
        let target = to.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        if !target.exists() {
            std::fs::copy(&entry, &target).unwrap();
        }
    }
    if let Some(current) = current {
        std::fs::copy(current, to.join("CURRENT")).unwrap();
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The replica's part of `/readyz`.
fn replica_health(addr: SocketAddr) -> serde_json::Value {
    json(addr, "/readyz").unwrap()
}

/// Waits until the replica's `/readyz` reports its last pull as `status`.
fn wait_status(addr: SocketAddr, status: &str, limit: Duration) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let health = replica_health(addr);
        if health["replica"]["status"] == status {
            return health;
        }
        assert!(
            started.elapsed() < limit,
            "{addr}: no {status} within {limit:?}: {health}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn killed_mid_download_corrupt_objects_and_a_lost_store_never_stop_a_replica() {
    let root = tempfile::tempdir().unwrap();
    let store_dir = root.path().join("store");
    let store = store_dir.to_str().unwrap().to_string();
    let mut leader = Leader::new(root.path(), 6, &[]);
    let g1 = generation(&leader.publish(&store));
    let (_steady, steady) = replica(&store, &root.path().join("steady"), &[]);
    wait_for(steady, &g1, Duration::from_secs(60));
    let load = Load::start(&[steady]);

    // Killed mid-download: the replica aborts after the first file of the next
    // generation, as a kill -9 would; its folder still serves what it had.
    let killed_dir = root.path().join("killed");
    let (first, addr) = replica(&store, &killed_dir, &[]);
    wait_for(addr, &g1, Duration::from_secs(60));
    drop(first);
    let (mut crashing, _) = replica(
        &store,
        &killed_dir,
        &[("BACKISSUE_CRASH_AT", "pull-downloaded:1")],
    );
    let issue = leader.add_issue();
    leader.index();
    let g2 = generation(&leader.publish(&store));
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = crashing.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the crash point was not reached");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!status.success(), "the replica was killed mid-download");
    assert_eq!(
        std::fs::read_to_string(killed_dir.join("CURRENT"))
            .unwrap()
            .trim(),
        g1,
        "a half-downloaded generation is never current"
    );
    let (_restarted, addr) = replica(&store, &killed_dir, &[]);
    wait_for(addr, &g2, CATCH_UP);
    wait_for(steady, &g2, CATCH_UP);
    assert_eq!(get(addr, &format!("/api/issues/{issue}")).unwrap().0, 200);

    // A corrupt object: the next generation is published to a copy of the store,
    // one of its new objects is damaged there, and the copy is put in place
    // (pointer last). The replica refuses it and goes on serving g2.
    leader.add_issue();
    leader.index();
    let side = root.path().join("side");
    copy_store(&store_dir, &side);
    let blobs_before: Vec<PathBuf> = walk(&side.join("blobs"));
    let report = leader.publish(side.to_str().unwrap());
    let g3 = generation(&report);
    let new_blob = walk(&side.join("blobs"))
        .into_iter()
        .filter(|blob| !blobs_before.contains(blob))
        .max_by_key(|blob| std::fs::metadata(blob).unwrap().len())
        .expect("the new issue added objects");
    let good = std::fs::read(&new_blob).unwrap();
    let mut bad = good.clone();
    bad[good.len() / 2] ^= 0xff;
    std::fs::write(&new_blob, &bad).unwrap();
    copy_store(&side, &store_dir);
    let health = wait_status(steady, "corrupt", Duration::from_secs(20));
    assert_eq!(health["status"], "degraded", "{health}");
    assert_eq!(
        health["generation"],
        g2.as_str(),
        "still serving g2: {health}"
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(served(steady).as_deref(), Some(g2.as_str()));
    // Repaired, it is installed.
    let blob_name = new_blob.file_name().unwrap();
    std::fs::write(store_dir.join("blobs").join(blob_name), &good).unwrap();
    wait_for(steady, &g3, CATCH_UP);
    wait_for(addr, &g3, CATCH_UP);

    // The store lost: its folder becomes a file (as a mount gone bad would). The
    // replicas keep serving g3 and say so; back, they catch up.
    let away = root.path().join("store-away");
    std::fs::rename(&store_dir, &away).unwrap();
    std::fs::write(&store_dir, b"not a store").unwrap();
    let health = wait_status(steady, "unreachable", Duration::from_secs(60));
    assert_eq!(health["generation"], g3.as_str(), "{health}");
    std::fs::remove_file(&store_dir).unwrap();
    std::fs::rename(&away, &store_dir).unwrap();
    let (_, slowest) = publish_next(&mut leader, &store, &[steady, addr]);
    wait_status(steady, "following", CATCH_UP);

    load.stop_with_no_failure();
    eprintln!("after the store came back, replicas caught up in {slowest:?}");
}

#[test]
fn replicas_follow_an_s3_compatible_server_and_ride_out_its_outage() {
    let Some(moto) = moto_server(&common::repo()) else {
        return;
    };
    let port = free_port();
    let mut server = Moto::start(&moto, port, "archive");
    let endpoint = format!("http://127.0.0.1:{port}");
    let env = [
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
    ];
    let store = "s3://archive/backissue";
    let root = tempfile::tempdir().unwrap();
    let mut leader = Leader::new(root.path(), 6, &env);
    let g1 = generation(&leader.publish(store));
    let (_a, a) = replica(store, &root.path().join("replica-a"), &env);
    let (_b, b) = replica(store, &root.path().join("replica-b"), &env);
    for addr in [a, b] {
        wait_for(addr, &g1, Duration::from_secs(60));
    }
    let load = Load::start(&[a, b]);
    let (_, first) = publish_next(&mut leader, store, &[a, b]);

    // The store stops: the replicas keep serving, and say so.
    drop(server);
    let health = wait_status(a, "unreachable", Duration::from_secs(90));
    assert_eq!(health["status"], "degraded", "{health}");
    // Back (moto keeps nothing: the leader publishes again), they catch up.
    server = Moto::start(&moto, port, "archive");
    let (_, second) = publish_next(&mut leader, store, &[a, b]);
    wait_status(a, "following", CATCH_UP);
    load.stop_with_no_failure();
    eprintln!("S3 replicas caught up in {first:?}, then {second:?} after the outage");
    drop(server);
}
