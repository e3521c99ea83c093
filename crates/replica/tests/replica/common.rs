//! The shared harness: index folders built by hand (the layout is all the library
//! needs to know), their trees read back, and a directory store.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use backissue_index::generation::Layout;
use backissue_replica::{PullOutcome, Store};
use sha2::{Digest, Sha256};

/// Writes generation `name` of the index folder `index` with `files` (paths
/// `/`-separated) and a manifest, and points `CURRENT` at it.
pub fn generation(index: &Path, name: &str, files: &[(&str, &[u8])]) {
    let layout = Layout::new(index);
    let dir = layout.generation_dir(name);
    for (path, bytes) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    std::fs::write(
        dir.join("manifest.json"),
        format!("{{\"generation\":\"{name}\"}}"),
    )
    .unwrap();
    layout.switch_to(name).unwrap();
}

/// A generation's files as a week's index might hold them: a keyword index of two
/// segments, the documents table, the vectors.
pub fn week(documents: &str) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("tantivy/meta.json", b"{\"segments\":[]}".to_vec()),
        ("tantivy/0a1b.idx", vec![7u8; 40_000]),
        ("tantivy/0a1b.store", Vec::new()),
        ("documents.jsonl", documents.as_bytes().to_vec()),
        (
            "vectors.f32",
            (0..30_000u32).flat_map(|i| i.to_le_bytes()).collect(),
        ),
    ]
}

/// [`generation`] for owned file contents.
pub fn write_week(index: &Path, name: &str, files: &[(&str, Vec<u8>)]) {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (*p, b.as_slice())).collect();
    generation(index, name, &files);
}

/// Every file under `dir`, by its `/`-separated path inside it.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    read_tree(dir, "", &mut files);
    files
}

fn read_tree(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            read_tree(&entry.path(), &format!("{name}/"), files);
        } else {
            files.insert(name, std::fs::read(entry.path()).unwrap());
        }
    }
}

/// The name in `CURRENT` of the index folder `index`.
pub fn current(index: &Path) -> Option<String> {
    Layout::new(index).current().unwrap()
}

/// The files of the generation `CURRENT` names.
pub fn served(index: &Path) -> BTreeMap<String, Vec<u8>> {
    let name = current(index).expect("a CURRENT");
    tree(&Layout::new(index).generation_dir(&name))
}

/// The generation folders of `index`.
pub fn generations(index: &Path) -> Vec<String> {
    Layout::new(index).generations().unwrap()
}

/// Hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A publisher's index folder, a replica's and a directory store, in one temporary
/// folder.
pub struct Setup {
    pub tmp: tempfile::TempDir,
    pub indexed: PathBuf,
    pub replica: PathBuf,
    pub store_dir: PathBuf,
    pub store: Store,
}

impl Setup {
    pub fn new() -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let store_dir = tmp.path().join("store");
        let store = Store::open(store_dir.to_str().unwrap()).unwrap();
        Setup {
            indexed: tmp.path().join("index"),
            replica: tmp.path().join("replica"),
            store_dir,
            store,
            tmp,
        }
    }

    /// The blob files in the store.
    pub fn blobs(&self) -> Vec<String> {
        names(&self.store_dir.join("blobs"))
    }

    /// The listing files in the store.
    pub fn listings(&self) -> Vec<String> {
        names(&self.store_dir.join("generations"))
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

/// The counts of an installed outcome: (files, downloaded, reused).
pub fn installed(outcome: &PullOutcome) -> (usize, usize, usize) {
    match outcome {
        PullOutcome::Installed {
            files,
            downloaded_files,
            reused_files,
            ..
        } => (*files, *downloaded_files, *reused_files),
        other => panic!("expected an installed generation, got {other:?}"),
    }
}
