//! The embedding cache: nothing is embedded twice.
//!
//! Embedding is the only slow step of indexing (about 65 paragraphs a second on two
//! cores), so every vector is kept in `cache/embeddings-<model checksum prefix>.bin`,
//! keyed by the sha256 of the embedded text. A new model gets a new file, so vectors
//! of different models never mix.
//!
//! The file is append-only: a 16-byte header (magic, dimension), then records of
//! `sha256(text)` (32 bytes), the vector (dimension × f32, little-endian) and 8 check
//! bytes (the start of the sha256 of key and vector). Records are synced after every
//! batch, so a run killed while embedding keeps what it had embedded. A torn or
//! garbled record at the end (the only place a crash can leave one) is cut off when
//! the file is next opened for writing.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use backissue_index::faults::{crash_point, Budgeted};

const MAGIC: &[u8; 8] = b"BIEMBED1";
const HEADER_LEN: usize = 16;
const KEY_LEN: usize = 32;
const CHECK_LEN: usize = 8;

/// The sha256 of an embedded text: the cache key.
pub type TextKey = [u8; KEY_LEN];

/// The cache key of `text`.
pub fn text_key(text: &str) -> TextKey {
    Sha256::digest(text.as_bytes()).into()
}

/// The cache file for a model with checksum `checksum`, inside `cache_dir`.
pub fn cache_path(cache_dir: &Path, checksum: &str) -> PathBuf {
    let prefix: String = checksum.chars().take(16).collect();
    cache_dir.join(format!("embeddings-{prefix}.bin"))
}

/// The vectors of one model, loaded from and appended to one cache file.
#[derive(Debug)]
pub struct EmbeddingCache {
    path: PathBuf,
    dimension: Option<usize>,
    vectors: HashMap<TextKey, Vec<f32>>,
    /// Bytes of valid data in the file (header included); appends go here.
    valid_len: u64,
    /// Whether the file ends in a torn record that must be cut before appending.
    torn: bool,
}

impl EmbeddingCache {
    /// Loads the cache at `path`. `dimension`, when known, must match the file's;
    /// a file of another dimension (or not a cache file) is started afresh.
    pub fn open(path: &Path, dimension: Option<usize>) -> Result<Self> {
        let mut cache = EmbeddingCache {
            path: path.to_path_buf(),
            dimension,
            vectors: HashMap::new(),
            valid_len: 0,
            torn: false,
        };
        let mut bytes = Vec::new();
        match File::open(path) {
            Ok(mut file) => {
                file.read_to_end(&mut bytes)
                    .map_err(Error::io(path, "cannot read"))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(cache),
            Err(e) => return Err(Error::io(path, "cannot read")(e)),
        }
        let file_dimension = match parse_header(&bytes) {
            Some(d) if dimension.is_none_or(|want| want == d) => d,
            _ => {
                // Not ours, or another dimension: start over rather than fail the run.
                cache.torn = !bytes.is_empty();
                return Ok(cache);
            }
        };
        cache.dimension = Some(file_dimension);
        let record_len = KEY_LEN + 4 * file_dimension + CHECK_LEN;
        let mut offset = HEADER_LEN;
        while offset + record_len <= bytes.len() {
            let record = &bytes[offset..offset + record_len];
            let (body, check) = record.split_at(KEY_LEN + 4 * file_dimension);
            if Sha256::digest(body)[..CHECK_LEN] != *check {
                break;
            }
            let key: TextKey = body[..KEY_LEN].try_into().expect("key length");
            let vector = body[KEY_LEN..]
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            cache.vectors.insert(key, vector);
            offset += record_len;
        }
        cache.valid_len = offset as u64;
        cache.torn = offset != bytes.len();
        Ok(cache)
    }

    /// The file this cache lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Components per vector, once known (from the file or the first append).
    pub fn dimension(&self) -> Option<usize> {
        self.dimension
    }

    /// Number of cached vectors.
    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    /// Whether the cache holds no vectors.
    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }

    /// The cached vector of the text with key `key`.
    pub fn get(&self, key: &TextKey) -> Option<&[f32]> {
        self.vectors.get(key).map(Vec::as_slice)
    }

    /// Adds vectors to the cache and appends them to its file, synced before returning.
    pub fn append(&mut self, entries: &[(TextKey, Vec<f32>)]) -> Result<()> {
        let Some(first) = entries.first() else {
            return Ok(());
        };
        let dimension = *self.dimension.get_or_insert(first.1.len());
        let path = self.path.clone();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(Error::io(parent, "cannot create"))?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(Error::io(&path, "cannot open"))?;
        if self.torn || self.valid_len == 0 {
            // Cut a torn tail (or a foreign file) before appending after it.
            file.set_len(self.valid_len)
                .map_err(Error::io(&path, "cannot truncate"))?;
            self.torn = false;
        }
        let mut out = Vec::new();
        if self.valid_len == 0 {
            out.extend_from_slice(MAGIC);
            out.extend_from_slice(&(dimension as u32).to_le_bytes());
            out.extend_from_slice(&[0; 4]);
        }
        let mut added: HashMap<TextKey, Vec<f32>> = HashMap::new();
        for (key, vector) in entries {
            if vector.len() != dimension
                || self.vectors.contains_key(key)
                || added.contains_key(key)
            {
                continue;
            }
            let start = out.len();
            out.extend_from_slice(key);
            for value in vector {
                out.extend_from_slice(&value.to_le_bytes());
            }
            let check = Sha256::digest(&out[start..]);
            out.extend_from_slice(&check[..CHECK_LEN]);
            added.insert(*key, vector.clone());
        }
        use std::io::Seek;
        file.seek(std::io::SeekFrom::Start(self.valid_len))
            .map_err(Error::io(&path, "cannot write"))?;
        let mut file = Budgeted::new(file, &path);
        // In two halves, so a crash test can stop between them (a torn record).
        let (first, second) = out.split_at(out.len() / 2);
        let written = file.write_all(first).and_then(|()| {
            crash_point("cache-half-written");
            file.write_all(second)?;
            file.get_mut().sync_data()
        });
        if let Err(e) = written {
            // Part of the batch may be in the file: cut it before the next append.
            self.torn = true;
            return Err(Error::io(&path, "cannot write")(e));
        }
        // Only what is on disk counts as cached.
        self.vectors.extend(added);
        self.valid_len += out.len() as u64;
        crash_point("cache-appended");
        Ok(())
    }
}

fn parse_header(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return None;
    }
    let dimension = u32::from_le_bytes(bytes[8..12].try_into().ok()?) as usize;
    (dimension > 0).then_some(dimension)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(text: &str, seed: f32) -> (TextKey, Vec<f32>) {
        (text_key(text), vec![seed, seed + 1.0, seed + 2.0])
    }

    #[test]
    fn vectors_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = cache_path(dir.path(), "abcdef0123456789ffff");
        assert!(path.ends_with("embeddings-abcdef0123456789.bin"));
        let mut cache = EmbeddingCache::open(&path, None).unwrap();
        cache.append(&[entry("a", 1.0), entry("b", 2.0)]).unwrap();
        cache.append(&[entry("c", 3.0), entry("a", 9.0)]).unwrap();
        let cache = EmbeddingCache::open(&path, Some(3)).unwrap();
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.get(&text_key("a")), Some(&[1.0, 2.0, 3.0][..]));
        assert_eq!(cache.get(&text_key("c")), Some(&[3.0, 4.0, 5.0][..]));
        assert_eq!(cache.dimension(), Some(3));
    }

    #[test]
    fn a_torn_trailing_record_is_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("embeddings-x.bin");
        let mut cache = EmbeddingCache::open(&path, None).unwrap();
        cache.append(&[entry("a", 1.0), entry("b", 2.0)]).unwrap();
        let full = std::fs::read(&path).unwrap();
        let record = (full.len() - HEADER_LEN) / 2;

        // A crash in the middle of the second record.
        std::fs::write(&path, &full[..full.len() - 5]).unwrap();
        let mut cache = EmbeddingCache::open(&path, Some(3)).unwrap();
        assert_eq!(cache.len(), 1);
        assert!(cache.get(&text_key("b")).is_none());
        cache.append(&[entry("c", 3.0)]).unwrap();
        assert_eq!(std::fs::read(&path).unwrap().len(), HEADER_LEN + 2 * record);
        let cache = EmbeddingCache::open(&path, Some(3)).unwrap();
        assert_eq!(cache.len(), 2);
        assert!(cache.get(&text_key("c")).is_some());

        // A record whose length made it to disk but whose bytes did not (zeros).
        let mut bytes = std::fs::read(&path).unwrap();
        let len = bytes.len();
        bytes[len - record..].fill(0);
        std::fs::write(&path, &bytes).unwrap();
        let cache = EmbeddingCache::open(&path, Some(3)).unwrap();
        assert_eq!(cache.len(), 1, "the zeroed record fails its check bytes");
    }

    #[test]
    fn a_foreign_or_other_dimension_file_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("embeddings-y.bin");
        std::fs::write(&path, b"not a cache at all").unwrap();
        let mut cache = EmbeddingCache::open(&path, Some(3)).unwrap();
        assert!(cache.is_empty());
        cache.append(&[entry("a", 1.0)]).unwrap();
        assert_eq!(EmbeddingCache::open(&path, Some(3)).unwrap().len(), 1);
        assert!(EmbeddingCache::open(&path, Some(4)).unwrap().is_empty());
    }
}
