//! The real embedder: all-MiniLM-L6-v2 (int8) run by fastembed on ONNX Runtime.

use std::env;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use fastembed::{
    AutoDevicePolicy, InitOptionsUserDefined, Pooling, QuantizationMode, TextEmbedding,
    TokenizerFiles, UserDefinedEmbeddingModel,
};

use crate::checksum;
use crate::error::{Error, Result};
use crate::model_files::{ModelFiles, TOKENIZER_FILES};
use crate::Embedder;

/// Environment variable giving the number of ONNX Runtime intra-op threads.
pub const THREADS_ENV: &str = "BACKISSUE_EMBED_THREADS";

/// Texts per ONNX Runtime call unless [`FastEmbedder::with_batch_size`] says otherwise.
///
/// Measured on 2 cores with paragraph-sized texts: 32 is as fast as anything larger,
/// and larger batches only add padding.
pub const DEFAULT_BATCH_SIZE: usize = 32;

/// Tokens kept per text: sentence-transformers' limit for this model (the bundled
/// `tokenizer.json` says 128; fastembed overrides it).
pub const MAX_TOKENS: usize = 256;

/// The name [`FastEmbedder::model_id`] reports.
pub const MODEL_ID: &str = "sentence-transformers/all-MiniLM-L6-v2 (int8)";

/// Sentence embeddings from all-MiniLM-L6-v2 with int8 weights, mean-pooled and
/// L2-normalised, computed on the CPU by ONNX Runtime.
///
/// Load it once per process (loading takes about 0.4 s) and share it: it is `Sync`,
/// and concurrent [`Embedder::embed`] calls take turns on one ONNX Runtime session,
/// which already uses every thread it was given.
pub struct FastEmbedder {
    session: Mutex<TextEmbedding>,
    checksum: String,
    dimension: usize,
    threads: usize,
    batch_size: usize,
    dir: PathBuf,
}

impl std::fmt::Debug for FastEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FastEmbedder")
            .field("dir", &self.dir)
            .field("checksum", &self.checksum)
            .field("dimension", &self.dimension)
            .field("threads", &self.threads)
            .field("batch_size", &self.batch_size)
            .finish_non_exhaustive()
    }
}

impl FastEmbedder {
    /// Loads the model from `dir` (see [`ModelFiles::locate`] to find it), running
    /// ONNX Runtime with `threads` intra-op threads.
    ///
    /// `threads` of `None` means the `BACKISSUE_EMBED_THREADS` environment variable,
    /// or, when that is unset, every available core.
    ///
    /// The ONNX Runtime library is loaded first, from `ORT_DYLIB_PATH` when set, else
    /// from `libonnxruntime.so` in `dir`, so a missing or too old runtime is an
    /// [`Error`] naming the path, never a panic at first use. ONNX Runtime is loaded
    /// once per process: after a successful load, later calls reuse that library.
    pub fn load(dir: impl AsRef<Path>, threads: Option<usize>) -> Result<Self> {
        let files = ModelFiles::in_dir(dir.as_ref())?;
        Self::from_files(&files, threads)
    }

    /// [`FastEmbedder::load`] for files already located.
    pub fn from_files(files: &ModelFiles, threads: Option<usize>) -> Result<Self> {
        let threads = resolve_threads(threads)?;
        init_runtime(&files.runtime())?;

        let onnx = read(&files.model())?;
        let checksum = checksum::model_checksum(&files.model(), &onnx);
        let [tokenizer_file, config_file, special_tokens_map_file, tokenizer_config_file] =
            TOKENIZER_FILES.map(|name| read(&files.tokenizer_file(name)));
        let tokenizer_files = TokenizerFiles {
            tokenizer_file: tokenizer_file?,
            config_file: config_file?,
            special_tokens_map_file: special_tokens_map_file?,
            tokenizer_config_file: tokenizer_config_file?,
        };

        let model = UserDefinedEmbeddingModel::new(onnx, tokenizer_files)
            // Required: without it fastembed silently uses the CLS token, and this
            // model was trained for the mean of its token vectors.
            .with_pooling(Pooling::Mean)
            // The int8 weights are fixed (no dynamic quantisation), so batching is safe.
            .with_quantization(QuantizationMode::None);
        let options = InitOptionsUserDefined::new()
            .with_max_length(MAX_TOKENS)
            .with_intra_threads(threads)
            .with_auto_device(AutoDevicePolicy::PreferCPU);
        let load_error = |source: fastembed::Error| Error::ModelLoad {
            dir: files.dir().to_path_buf(),
            cause: Box::new(source),
        };
        let mut session =
            TextEmbedding::try_new_from_user_defined(model, options).map_err(load_error)?;

        // One probe tells the dimension and proves the session runs before anyone relies on it.
        let probe = session
            .embed(["dimension probe"], None)
            .map_err(load_error)?;
        let dimension = probe.first().map_or(0, Vec::len);
        if dimension == 0 {
            return Err(Error::BadOutput {
                expected: 1,
                got: probe.len(),
                dimension,
            });
        }

        Ok(Self {
            session: Mutex::new(session),
            checksum,
            dimension,
            threads,
            batch_size: DEFAULT_BATCH_SIZE,
            dir: files.dir().to_path_buf(),
        })
    }

    /// Sets how many texts go to ONNX Runtime in one call (at least 1).
    pub fn with_batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }

    /// Texts per ONNX Runtime call.
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// ONNX Runtime intra-op threads this embedder was loaded with.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The folder the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Embedder for FastEmbedder {
    fn model_id(&self) -> &str {
        MODEL_ID
    }

    fn checksum(&self) -> &str {
        &self.checksum
    }

    fn dimension(&self) -> usize {
        self.dimension
    }

    /// Embeds `texts` in batches of [`FastEmbedder::batch_size`], shortest texts first
    /// so each batch pads to a similar length, and returns the vectors in input order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        // Length in bytes is a good enough proxy for length in tokens, and free.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let sorted: Vec<&str> = order.iter().map(|&i| texts[i]).collect();

        let vectors = {
            // A panic inside an earlier call leaves no half-written state worth refusing.
            let mut session = self.session.lock().unwrap_or_else(PoisonError::into_inner);
            session
                .embed(&sorted, Some(self.batch_size))
                .map_err(|source| Error::Inference {
                    texts: texts.len(),
                    cause: Box::new(source),
                })?
        };
        if vectors.len() != texts.len() || vectors.iter().any(|v| v.len() != self.dimension) {
            return Err(Error::BadOutput {
                expected: texts.len(),
                got: vectors.len(),
                dimension: vectors
                    .iter()
                    .map(Vec::len)
                    .find(|&d| d != self.dimension)
                    .unwrap_or(self.dimension),
            });
        }

        let mut restored = vec![Vec::new(); texts.len()];
        for (vector, &original) in vectors.into_iter().zip(&order) {
            restored[original] = vector;
        }
        Ok(restored)
    }
}

/// Intra-op threads: the argument, else `BACKISSUE_EMBED_THREADS`, else every core.
fn resolve_threads(explicit: Option<usize>) -> Result<usize> {
    const REASON: &str = "expected a whole number of threads, at least 1";
    if let Some(threads) = explicit {
        if threads == 0 {
            return Err(Error::InvalidSetting {
                name: "threads",
                value: "0".into(),
                reason: REASON,
            });
        }
        return Ok(threads);
    }
    match env::var(THREADS_ENV) {
        Ok(value) if !value.trim().is_empty() => match value.trim().parse::<usize>() {
            Ok(threads) if threads > 0 => Ok(threads),
            _ => Err(Error::InvalidSetting {
                name: THREADS_ENV,
                value,
                reason: REASON,
            }),
        },
        _ => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

/// Loads ONNX Runtime from `path` so that failure is an error rather than ort's
/// panic on first use.
fn init_runtime(path: &Path) -> Result<()> {
    // Checked here because once a runtime is loaded in this process, ort ignores
    // later paths without looking at them.
    if !path.is_file() {
        return Err(Error::RuntimeMissing {
            path: path.to_path_buf(),
        });
    }
    ort::init_from(path).map_err(|e| Error::RuntimeLoad {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(())
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|cause| Error::Io {
        path: path.to_path_buf(),
        cause,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_threads_win_and_zero_is_refused() {
        assert_eq!(resolve_threads(Some(3)).unwrap(), 3);
        let err = resolve_threads(Some(0)).unwrap_err();
        assert!(err.to_string().starts_with("threads=\"0\""), "{err}");
    }

    #[test]
    fn a_missing_runtime_is_an_error_naming_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("libonnxruntime.so");
        let err = init_runtime(&path).unwrap_err();
        assert!(matches!(&err, Error::RuntimeMissing { path: p } if p == &path));
        assert!(err.to_string().contains(".ci/setup-model.sh"), "{err}");
    }
}
