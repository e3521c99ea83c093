//! What a pull installs, and what it reuses.

use backissue_replica::{publish, pull, PullOutcome, Store};

use crate::common::{self, generation, week, write_week, Setup};

#[tokio::test]
async fn publish_then_pull_yields_a_byte_identical_generation() {
    let s = Setup::new();
    assert_eq!(
        pull(&s.store, &s.replica).await.unwrap(),
        PullOutcome::Empty
    );
    assert_eq!(common::current(&s.replica), None);

    let mut files = week("a\nb\n");
    // Larger than one upload part: sent in parts, read back whole.
    files.push((
        "vectors.hnsw.data",
        (0..9 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect(),
    ));
    write_week(&s.indexed, "000007", &files);
    publish(&s.store, &s.indexed, 3).await.unwrap();

    let outcome = pull(&s.store, &s.replica).await.unwrap();
    assert_eq!(common::installed(&outcome), (7, 7, 0));
    assert_eq!(common::current(&s.replica).as_deref(), Some("000007"));
    assert_eq!(
        common::served(&s.replica),
        common::tree(&s.indexed.join("generations/000007"))
    );
    assert!(!s.replica.join("replica/incoming/000007").exists());

    assert_eq!(
        pull(&s.store, &s.replica).await.unwrap(),
        PullOutcome::UpToDate {
            generation: "000007".into()
        }
    );
    let json = serde_json::to_value(&outcome).unwrap();
    assert_eq!(json["outcome"], "installed");
    assert_eq!(json["downloaded_files"], 7);
}

#[tokio::test]
async fn a_replica_keeps_the_generation_before_its_current_one_and_no_older() {
    let s = Setup::new();
    for (n, text) in ["a\n", "a\nb\n", "a\nb\nc\n"].iter().enumerate() {
        write_week(&s.indexed, &format!("00000{}", n + 1), &week(text));
        publish(&s.store, &s.indexed, 3).await.unwrap();
        pull(&s.store, &s.replica).await.unwrap();
    }
    assert_eq!(common::generations(&s.replica), ["000002", "000003"]);
    let mut records: Vec<String> = std::fs::read_dir(s.replica.join("replica/listings"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    records.sort();
    assert_eq!(records, ["000002.json", "000003.json"]);
}

#[tokio::test]
async fn a_generation_republished_under_the_same_name_with_other_bytes_replaces_the_local_one() {
    let s = Setup::new();
    generation(&s.indexed, "000001", &[("documents.jsonl", b"old\n")]);
    publish(&s.store, &s.indexed, 3).await.unwrap();
    pull(&s.store, &s.replica).await.unwrap();

    // The publisher starts over (a new index folder, a new store) at the same name.
    let fresh = s.tmp.path().join("fresh-index");
    generation(&fresh, "000001", &[("documents.jsonl", b"new\n")]);
    let store = Store::open(s.tmp.path().join("fresh-store").to_str().unwrap()).unwrap();
    publish(&store, &fresh, 3).await.unwrap();

    let outcome = pull(&store, &s.replica).await.unwrap();
    assert_eq!(common::installed(&outcome).0, 2);
    assert_eq!(common::served(&s.replica)["documents.jsonl"], b"new\n");
    assert!(!s.replica.join("replica/replaced/000001").exists());
}

#[tokio::test]
async fn files_a_replica_has_under_another_path_are_copied_not_downloaded() {
    let s = Setup::new();
    generation(&s.indexed, "000001", &[("a.bin", b"same bytes")]);
    publish(&s.store, &s.indexed, 3).await.unwrap();
    pull(&s.store, &s.replica).await.unwrap();

    generation(
        &s.indexed,
        "000002",
        &[("moved/b.bin", b"same bytes"), ("c.bin", b"same bytes")],
    );
    publish(&s.store, &s.indexed, 3).await.unwrap();
    let outcome = pull(&s.store, &s.replica).await.unwrap();
    // Only the new manifest is downloaded.
    assert_eq!(common::installed(&outcome), (3, 1, 2));
    assert_eq!(common::served(&s.replica)["moved/b.bin"], b"same bytes");
}

#[tokio::test]
async fn a_local_copy_that_no_longer_matches_its_listing_is_downloaded_instead() {
    let s = Setup::new();
    write_week(&s.indexed, "000001", &week("a\n"));
    publish(&s.store, &s.indexed, 3).await.unwrap();
    pull(&s.store, &s.replica).await.unwrap();
    // The disk flipped bytes in a file the next generation shares.
    let damaged = s.replica.join("generations/000001/tantivy/0a1b.idx");
    std::fs::write(&damaged, vec![8u8; 40_000]).unwrap();

    write_week(&s.indexed, "000002", &week("a\nb\n"));
    publish(&s.store, &s.indexed, 3).await.unwrap();
    let outcome = pull(&s.store, &s.replica).await.unwrap();
    assert_eq!(common::installed(&outcome), (6, 3, 3));
    assert_eq!(common::served(&s.replica), common::served(&s.indexed));
}
