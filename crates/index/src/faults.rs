//! Test-only fault hooks of the write path: crash points and a full disk.
//!
//! Both are inert unless their environment variable is set, which only the crash and
//! fault tests (`tests/index_crash.rs`, `tests/index_faults.rs`) do. Reading a
//! variable once per process is their whole cost in normal runs.
//!
//! - `BACKISSUE_CRASH_AT=NAME` (or `NAME:N`, the Nth time the point is reached)
//!   makes [`crash_point`] abort the process there: no destructor runs, no buffer is
//!   flushed, no file is synced or closed in order, as when the machine loses power
//!   or the process is killed. The names are listed in [`CRASH_POINTS`].
//! - `BACKISSUE_FAIL_WRITES_AFTER=BYTES` (or `FILE_NAME:BYTES`) makes the engine's
//!   own file writers ([`Budgeted`]: the embedding cache, the documents table, the
//!   manifest, `CURRENT`) accept that many bytes in all (or into files of that
//!   name), then fail with `ENOSPC` as a full disk does, after a short write.

use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The environment variable naming the crash point to abort at.
pub const CRASH_AT_ENV: &str = "BACKISSUE_CRASH_AT";

/// The environment variable giving the bytes written before the disk is "full".
pub const FAIL_WRITES_ENV: &str = "BACKISSUE_FAIL_WRITES_AFTER";

/// Every crash point of an indexing run, in the order a run reaches them.
pub const CRASH_POINTS: &[&str] = &[
    "locked",                // the indexer lock is held, nothing else done
    "gc-removed",            // a generation was removed (start and end of a run)
    "scanned",               // the corpus was listed and hashed
    "parsed-file",           // one corpus file was parsed (once per file)
    "parsed",                // every file was parsed
    "cache-half-written",    // half a batch of the embedding cache written, unsynced
    "cache-appended",        // a batch of embeddings appended and synced
    "embedded",              // every document has its vector
    "generation-created",    // the new generation's folder exists, empty
    "keyword-written",       // the tantivy index is written
    "graph-written",         // the HNSW graph is written
    "documents-row",         // one row of documents.jsonl written (buffered)
    "documents-written",     // documents.jsonl written and synced
    "issues-row",            // one row of issues.jsonl written (buffered)
    "issues-written",        // issues.jsonl written and synced
    "vectors-written",       // vectors.f32 written and synced
    "related-written",       // related.json written
    "topics-written",        // topics.json written
    "tree-synced",           // every file of the generation synced
    "manifest-half-written", // half of manifest.json written, unsynced
    "manifest-written",      // manifest.json written and synced
    "current-tmp-written",   // CURRENT.tmp written and synced, not yet renamed
    "current-renamed",       // CURRENT renamed into place, folder not yet synced
    "published",             // the run is over but for its report
];

/// Every crash point of a replica's pull (`backissue_replica::pull`).
pub const PULL_CRASH_POINTS: &[&str] = &[
    "pull-downloaded", // one file of a generation downloaded and verified (once per file)
];

/// Test-only: aborts the process when `BACKISSUE_CRASH_AT` names this point (and,
/// with `NAME:N`, this is its Nth hit). Does nothing otherwise.
pub fn crash_point(name: &str) {
    static TARGET: OnceLock<Option<(String, usize)>> = OnceLock::new();
    static HITS: AtomicUsize = AtomicUsize::new(0);
    let target = TARGET.get_or_init(|| {
        let value = std::env::var(CRASH_AT_ENV).ok()?;
        let (point, nth) = match value.rsplit_once(':') {
            Some((point, n)) => (point.to_string(), n.parse().ok()?),
            None => (value, 1),
        };
        Some((point, nth))
    });
    let Some((point, nth)) = target else {
        return;
    };
    debug_assert!(
        CRASH_POINTS.contains(&name) || PULL_CRASH_POINTS.contains(&name),
        "unlisted crash point {name}"
    );
    if point == name && HITS.fetch_add(1, Ordering::SeqCst) + 1 == *nth {
        eprintln!("{CRASH_AT_ENV}: crash point {name} (hit {nth}): aborting");
        std::process::abort();
    }
}

/// The write budget of `BACKISSUE_FAIL_WRITES_AFTER`: the file name it applies to
/// (`None`: every budgeted file) and the bytes left.
struct Budget {
    file_name: Option<String>,
    left: AtomicU64,
}

fn budget() -> Option<&'static Budget> {
    static BUDGET: OnceLock<Option<Budget>> = OnceLock::new();
    BUDGET
        .get_or_init(|| {
            let value = std::env::var(FAIL_WRITES_ENV).ok()?;
            let (file_name, bytes) = match value.rsplit_once(':') {
                Some((name, bytes)) => (Some(name.to_string()), bytes),
                None => (None, value.as_str()),
            };
            Some(Budget {
                file_name,
                left: AtomicU64::new(bytes.trim().parse().ok()?),
            })
        })
        .as_ref()
}

/// A writer that, under `BACKISSUE_FAIL_WRITES_AFTER`, runs out of space like a
/// full disk: a short write, then `ENOSPC`. Without the variable it only forwards.
pub struct Budgeted<W> {
    inner: W,
    budget: Option<&'static Budget>,
}

impl<W: Write> Budgeted<W> {
    /// Wraps `inner`, the writer of the file at `path`.
    pub fn new(inner: W, path: &Path) -> Self {
        let name = path.file_name().and_then(|n| n.to_str());
        let budget = budget().filter(|b| b.file_name.is_none() || b.file_name.as_deref() == name);
        Budgeted { inner, budget }
    }

    /// The writer inside.
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// The writer inside, for syncing and seeking.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }
}

impl<W: Write> Write for Budgeted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(budget) = self.budget else {
            return self.inner.write(buf);
        };
        let left = budget.left.load(Ordering::SeqCst);
        if left == 0 && !buf.is_empty() {
            // What the kernel says when the file system is full.
            return Err(io::Error::from_raw_os_error(28));
        }
        let allowed = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let written = self.inner.write(&buf[..allowed])?;
        budget.left.fetch_sub(written as u64, Ordering::SeqCst);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unbudgeted_writer_forwards_everything() {
        // The tests of this crate never set the variables.
        let mut out = Budgeted::new(Vec::new(), Path::new("x"));
        out.write_all(b"hello").unwrap();
        assert_eq!(out.into_inner(), b"hello");
        crash_point("locked");
    }

    #[test]
    fn a_spent_budget_is_enospc_after_a_short_write() {
        static SPENT: Budget = Budget {
            file_name: None,
            left: AtomicU64::new(3),
        };
        let mut out = Budgeted {
            inner: Vec::new(),
            budget: Some(&SPENT),
        };
        let err = out.write_all(b"hello").unwrap_err();
        assert_eq!(err.raw_os_error(), Some(28));
        assert!(err.to_string().contains("No space left on device"), "{err}");
        assert_eq!(out.into_inner(), b"hel");
    }
}
