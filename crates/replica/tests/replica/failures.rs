//! What a user sees when something goes wrong: an error that names the store and the
//! key, and a replica still serving what it served.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use backissue_replica::s3::{AmazonS3Builder, BackoffConfig, ClientOptions, RetryConfig};
use backissue_replica::{publish, pull, Error, ListedFile, Listing, PullOutcome, Store};

use crate::common::{self, sha256, week, write_week, Setup};

/// A replica serving generation 000001, and 000002 published with a changed
/// `documents.jsonl` whose blob is returned.
async fn replica_one_behind(s: &Setup) -> std::path::PathBuf {
    write_week(&s.indexed, "000001", &week("a\n"));
    publish(&s.store, &s.indexed, 3).await.unwrap();
    pull(&s.store, &s.replica).await.unwrap();
    write_week(&s.indexed, "000002", &week("a\nb\n"));
    publish(&s.store, &s.indexed, 3).await.unwrap();
    s.store_dir.join("blobs").join(sha256(b"a\nb\n"))
}

#[tokio::test]
async fn a_corrupt_blob_is_refused_and_the_replica_keeps_serving_its_generation() {
    let s = Setup::new();
    let blob = replica_one_behind(&s).await;
    let before = common::served(&s.replica);
    std::fs::write(&blob, b"a\nX\n").unwrap(); // same size, other bytes

    let err = pull(&s.store, &s.replica).await.unwrap_err();
    let Error::Corrupt {
        key,
        expected,
        actual,
        ..
    } = &err
    else {
        panic!("expected Corrupt, got {err}");
    };
    assert_eq!(*key, format!("blobs/{}", sha256(b"a\nb\n")));
    assert_eq!(*expected, format!("sha256 {}", sha256(b"a\nb\n")));
    assert_eq!(*actual, format!("sha256 {}", sha256(b"a\nX\n")));
    assert!(err.to_string().contains("is corrupt"), "{err}");
    assert_eq!(common::current(&s.replica).as_deref(), Some("000001"));
    assert_eq!(common::served(&s.replica), before);
    assert_eq!(common::generations(&s.replica), ["000001"]);
    assert!(!s.replica.join("replica/incoming/000002").exists());

    // A truncated blob is refused by its size.
    std::fs::write(&blob, b"a\n").unwrap();
    let err = pull(&s.store, &s.replica).await.unwrap_err();
    assert!(
        err.to_string().contains("expected 4 bytes, got 2 bytes"),
        "{err}"
    );

    std::fs::write(&blob, b"a\nb\n").unwrap();
    let outcome = pull(&s.store, &s.replica).await.unwrap();
    assert_eq!(common::installed(&outcome), (6, 2, 4));
    assert_eq!(common::served(&s.replica), common::served(&s.indexed));
}

#[tokio::test]
async fn a_missing_blob_is_reported_and_the_replica_keeps_serving() {
    let s = Setup::new();
    let blob = replica_one_behind(&s).await;
    std::fs::remove_file(&blob).unwrap();
    let err = pull(&s.store, &s.replica).await.unwrap_err();
    assert!(matches!(err, Error::Missing { .. }), "{err}");
    assert_eq!(common::current(&s.replica).as_deref(), Some("000001"));
}

#[tokio::test]
async fn what_a_killed_pull_left_is_removed_and_the_next_pull_installs() {
    let s = Setup::new();
    replica_one_behind(&s).await;
    // A pull killed while downloading: half a file in its staging folder, and an
    // older killed pull's folder of another generation.
    let staging = s.replica.join("replica/incoming/000002");
    std::fs::create_dir_all(staging.join("tantivy")).unwrap();
    std::fs::write(staging.join("documents.jsonl"), b"a\n").unwrap();
    std::fs::write(staging.join("tantivy/0a1b.idx"), vec![7u8; 100]).unwrap();
    std::fs::create_dir_all(s.replica.join("replica/incoming/000009")).unwrap();

    let outcome = pull(&s.store, &s.replica).await.unwrap();
    assert_eq!(common::installed(&outcome), (6, 2, 4));
    assert_eq!(common::served(&s.replica), common::served(&s.indexed));
    assert_eq!(
        std::fs::read_dir(s.replica.join("replica/incoming"))
            .map(|d| d.count())
            .unwrap_or(0),
        0
    );
}

/// A loopback port nobody listens on (free a moment ago).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

#[tokio::test]
async fn an_unreachable_store_fails_within_seconds_and_leaves_the_replica_alone() {
    let s = Setup::new();
    replica_one_behind(&s).await;
    let before = common::tree(&s.replica);

    let builder = AmazonS3Builder::new()
        .with_endpoint(format!("http://127.0.0.1:{}", closed_port()))
        .with_allow_http(true)
        .with_region("us-east-1")
        .with_access_key_id("test")
        .with_secret_access_key("test")
        .with_client_options(
            ClientOptions::new()
                .with_allow_http(true)
                .with_connect_timeout(Duration::from_secs(1))
                .with_timeout(Duration::from_secs(2)),
        )
        .with_retry(RetryConfig {
            backoff: BackoffConfig {
                init_backoff: Duration::from_millis(10),
                max_backoff: Duration::from_millis(50),
                base: 2.0,
            },
            max_retries: 1,
            retry_timeout: Duration::from_secs(2),
        });
    let store = Store::s3("s3://nowhere/replica", builder).unwrap();
    assert_eq!(store.to_string(), "s3://nowhere/replica");

    let started = Instant::now();
    let err = pull(&store, &s.replica).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(err, Error::Unreachable { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with("store s3://nowhere/replica: cannot read CURRENT"),
        "{message}"
    );
    assert_eq!(common::tree(&s.replica), before);

    let err = publish(&store, &s.indexed, 3).await.unwrap_err();
    assert!(matches!(err, Error::Unreachable { .. }), "{err}");
}

#[tokio::test]
async fn a_listing_with_paths_outside_the_generation_is_refused() {
    let s = Setup::new();
    replica_one_behind(&s).await;
    let before = common::tree(&s.replica);
    // A store someone else wrote: the blob is real, the path climbs out.
    let evil = b"#!/bin/sh\n";
    let blobs = s.store_dir.join("blobs");
    std::fs::write(blobs.join(sha256(evil)), evil).unwrap();
    for path in [
        "../../escaped.sh",
        "/tmp/escaped.sh",
        "tantivy/../../../escaped.sh",
    ] {
        let files = vec![
            ListedFile {
                path: "manifest.json".into(),
                size: 2,
                sha256: sha256(b"{}"),
            },
            ListedFile {
                path: path.into(),
                size: evil.len() as u64,
                sha256: sha256(evil),
            },
        ];
        let listing = Listing {
            generation: "000003".into(),
            published_at: "2026-01-01T00:00:00Z".into(),
            bytes: files.iter().map(|f| f.size).sum(),
            files,
        };
        std::fs::write(
            s.store_dir.join("generations/000003.json"),
            serde_json::to_vec(&listing).unwrap(),
        )
        .unwrap();
        std::fs::write(s.store_dir.join("CURRENT"), "000003\n").unwrap();

        let err = pull(&s.store, &s.replica).await.unwrap_err();
        assert!(matches!(err, Error::BadListing { .. }), "{path}: {err}");
        assert!(err.to_string().contains(path), "{err}");
        assert_eq!(common::tree(&s.replica), before, "{path}");
        assert!(!s.tmp.path().join("escaped.sh").exists());
    }

    // CURRENT itself is a name, never a path.
    std::fs::write(s.store_dir.join("CURRENT"), "../../000001\n").unwrap();
    let err = pull(&s.store, &s.replica).await.unwrap_err();
    assert!(err.to_string().contains("not a generation name"), "{err}");
}

#[tokio::test]
async fn store_specs_are_a_folder_a_file_url_or_s3() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("made/for/the/store");
    let url = format!("file://{}", dir.display());
    let store = Store::open(&url).unwrap();
    assert!(dir.is_dir(), "a missing folder is created");
    assert_eq!(store.to_string(), url);
    assert_eq!(
        pull(&store, &tmp.path().join("replica")).await.unwrap(),
        PullOutcome::Empty
    );

    for (spec, says) in [
        ("ftp://host/x", "unknown scheme \"ftp\""),
        ("file://relative/path", "absolute path"),
        ("s3:///prefix", "no bucket"),
    ] {
        let err = Store::open(spec).unwrap_err();
        assert!(matches!(err, Error::BadSpec { .. }), "{spec}: {err}");
        assert!(err.to_string().contains(says), "{spec}: {err}");
    }
}
