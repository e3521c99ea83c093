//! The same protocol through a real S3-compatible server: moto, from PyPI, on a
//! loopback port.
//!
//! Needs `moto_server`: `bash .ci/setup-moto.sh` installs it into
//! `target/moto-venv`, or `BACKISSUE_MOTO` names one. Without it the test fails when
//! `CI` is set and is skipped (saying so) otherwise, as the browser test is.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use backissue_replica::s3::{AmazonS3Builder, BackoffConfig, ClientOptions, RetryConfig};
use backissue_replica::testing::{free_port, moto_server, Moto};
use backissue_replica::{publish, pull, PullOutcome, Store};

use crate::common::{self, week, write_week, Setup};

const BUCKET: &str = "backissue";

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
    let Some(moto) = moto_server(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")) else {
        return;
    };
    let started = Instant::now();
    let server = Moto::start(&moto, free_port(), BUCKET);
    let port = server.port;
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
