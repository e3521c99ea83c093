//! What a publish puts in the store, and what it leaves out.

use std::time::Duration;

use backissue_replica::{publish, pull, Error, Listing};

use crate::common::{self, generation, sha256, week, write_week, Setup};

#[tokio::test]
async fn publishing_the_same_generation_again_uploads_nothing() {
    let s = Setup::new();
    write_week(&s.indexed, "000001", &week("a\n"));
    let first = publish(&s.store, &s.indexed, 3).await.unwrap();
    assert_eq!(first.generation, "000001");
    assert_eq!(first.files, 6);
    assert_eq!(first.uploaded_files, 6);
    assert_eq!(first.uploaded_bytes, first.bytes);
    assert_eq!(
        std::fs::read_to_string(s.store_dir.join("CURRENT")).unwrap(),
        "000001\n"
    );
    let listing: Listing = serde_json::from_slice(
        &std::fs::read(s.store_dir.join("generations/000001.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(listing.files.len(), 6);
    assert!(listing.files.iter().any(|f| f.path == "tantivy/meta.json"));

    let pointer = s.store_dir.join("CURRENT");
    let written = std::fs::metadata(&pointer).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let again = publish(&s.store, &s.indexed, 3).await.unwrap();
    assert_eq!((again.uploaded_files, again.uploaded_bytes), (0, 0));
    assert_eq!(again.skipped_files, 6);
    assert_eq!(
        std::fs::metadata(&pointer).unwrap().modified().unwrap(),
        written,
        "CURRENT already named the generation: not rewritten"
    );
}

#[tokio::test]
async fn a_second_generation_uploads_only_what_changed_and_the_pull_downloads_only_that() {
    let s = Setup::new();
    write_week(&s.indexed, "000001", &week("a\n"));
    publish(&s.store, &s.indexed, 3).await.unwrap();
    pull(&s.store, &s.replica).await.unwrap();

    write_week(&s.indexed, "000002", &week("a\nb\n"));
    let report = publish(&s.store, &s.indexed, 3).await.unwrap();
    // documents.jsonl and manifest.json changed; the keyword index and vectors did not.
    let changed = ("a\nb\n".len() + "{\"generation\":\"000002\"}".len()) as u64;
    assert_eq!(report.uploaded_files, 2, "{report:?}");
    assert_eq!(report.uploaded_bytes, changed);
    assert_eq!(report.skipped_files, 4);

    let outcome = pull(&s.store, &s.replica).await.unwrap();
    assert_eq!(common::installed(&outcome), (6, 2, 4));
    let backissue_replica::PullOutcome::Installed {
        downloaded_bytes, ..
    } = outcome
    else {
        unreachable!()
    };
    assert_eq!(downloaded_bytes, changed);
    assert_eq!(common::served(&s.replica), common::served(&s.indexed));
    assert_eq!(common::generations(&s.replica), ["000001", "000002"]);
}

#[tokio::test]
async fn retention_keeps_the_newest_listings_and_every_blob_they_need() {
    let s = Setup::new();
    // `shared` is in every generation; `early` only in the first two, `late` from the
    // fourth on; `own` differs in each.
    for n in 1..=5u8 {
        let name = format!("00000{n}");
        let own = format!("generation {n}");
        let mut files: Vec<(&str, &[u8])> =
            vec![("shared.bin", b"shared"), ("own.txt", own.as_bytes())];
        if n <= 2 {
            files.push(("early.bin", b"early"));
        }
        if n >= 4 {
            files.push(("late.bin", b"late"));
        }
        generation(&s.indexed, &name, &files);
        let report = publish(&s.store, &s.indexed, 2).await.unwrap();
        if n == 5 {
            assert_eq!(report.removed_generations, ["000003"]);
            assert_eq!(report.removed_blobs, 2, "000003's own text and manifest");
        }
    }
    assert_eq!(s.listings(), ["000004.json", "000005.json"]);
    let mut needed: Vec<String> = ["shared", "late", "generation 4", "generation 5"]
        .iter()
        .map(|text| sha256(text.as_bytes()))
        .chain((4..=5).map(|n| sha256(format!("{{\"generation\":\"00000{n}\"}}").as_bytes())))
        .collect();
    needed.sort();
    assert_eq!(s.blobs(), needed, "exactly the blobs of the kept listings");

    // The kept older generation is still whole: a replica can install it.
    std::fs::write(s.store_dir.join("CURRENT"), "000004\n").unwrap();
    pull(&s.store, &s.replica).await.unwrap();
    assert_eq!(
        common::served(&s.replica),
        common::tree(&s.indexed.join("generations/000004"))
    );
}

#[tokio::test]
async fn publishing_an_older_generation_keeps_it_whatever_is_newer() {
    let s = Setup::new();
    for name in ["000001", "000002", "000003"] {
        generation(&s.indexed, name, &[("own.txt", name.as_bytes())]);
        publish(&s.store, &s.indexed, 1).await.unwrap();
    }
    // Back to 000001 (a bad week rolled back): it is CURRENT, so it is the one kept.
    backissue_index::generation::Layout::new(&s.indexed)
        .switch_to("000001")
        .unwrap();
    let report = publish(&s.store, &s.indexed, 1).await.unwrap();
    assert_eq!(report.generation, "000001");
    assert_eq!(report.removed_generations, ["000003"]);
    assert_eq!(s.listings(), ["000001.json"]);
    pull(&s.store, &s.replica).await.unwrap();
    assert_eq!(common::served(&s.replica)["own.txt"], b"000001");
}

#[tokio::test]
async fn publishing_without_a_generation_says_what_to_run() {
    let s = Setup::new();
    let err = publish(&s.store, &s.indexed, 3).await.unwrap_err();
    assert!(matches!(err, Error::NoGeneration { .. }), "{err}");
    assert!(err.to_string().contains("backissue index --index"), "{err}");

    // A generation without its manifest is one an indexer has not finished.
    let dir = s.indexed.join("generations/000001");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("documents.jsonl"), "a\n").unwrap();
    std::fs::write(s.indexed.join("CURRENT"), "000001\n").unwrap();
    let err = publish(&s.store, &s.indexed, 3).await.unwrap_err();
    assert!(err.to_string().contains("has no manifest.json"), "{err}");
    assert!(!s.store_dir.join("CURRENT").exists());
}
