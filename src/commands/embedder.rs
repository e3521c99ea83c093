//! The one place the CLI and the server choose their embedder, from
//! `BACKISSUE_EMBEDDER`: unset or `model` for the real model, `hash` for the
//! deterministic hash embedder (crash-safety tests at scale only).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{bail, Context, Result};
use backissue_embed::{Embedder, FastEmbedder, HashEmbedder, ModelFiles, MODEL_ID};
use backissue_engine::search::QueryEmbedder;
use backissue_engine::{EmbedderSource, Error, LazyEmbedder};

/// Environment variable choosing the embedder.
pub const EMBEDDER_ENV: &str = "BACKISSUE_EMBEDDER";

/// Dimension of the hash embedder, the real model's.
const HASH_DIMENSION: usize = 384;

/// Which embedder `BACKISSUE_EMBEDDER` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Model,
    Hash,
}

fn choice() -> Result<Choice> {
    match std::env::var(EMBEDDER_ENV).as_deref() {
        Ok("hash") => Ok(Choice::Hash),
        Ok("") | Ok("model") | Err(std::env::VarError::NotPresent) => Ok(Choice::Model),
        Ok(other) => {
            bail!("{EMBEDDER_ENV}={other:?}: expected \"model\" (the default) or \"hash\"")
        }
        Err(e) => bail!("{EMBEDDER_ENV}: {e}"),
    }
}

/// The embedder an index run uses; the real model is loaded only when the run has
/// something to embed.
pub fn embedder_source(model_dir: Option<&Path>) -> Result<Box<dyn EmbedderSource>> {
    Ok(match choice()? {
        Choice::Hash => Box::new(HashEmbedder::new(HASH_DIMENSION)),
        Choice::Model => {
            let files = ModelFiles::locate(model_dir)?;
            let model = files.model();
            let checksum = backissue_embed::model_file_checksum(&model)
                .with_context(|| format!("{}: cannot read", model.display()))?;
            Box::new(LazyEmbedder::new(MODEL_ID, checksum, move || {
                let embedder = FastEmbedder::from_files(&files, None)?;
                Ok(Box::new(embedder) as Box<dyn Embedder>)
            }))
        }
    })
}

/// The model id an index must have been built with.
pub fn expected_model_id() -> String {
    match choice() {
        Ok(Choice::Hash) => HashEmbedder::new(HASH_DIMENSION).model_id().to_string(),
        _ => MODEL_ID.to_string(),
    }
}

/// Where query embeddings come from, per `BACKISSUE_EMBEDDER`: the real model,
/// loaded on the first query that needs it (never for keyword searches), or the
/// hash embedder for indexes built with it.
///
/// `threads` sets the model's intra-op threads (`None`: `BACKISSUE_EMBED_THREADS`,
/// else every core).
pub fn query_embedder(model_dir: Option<&Path>, threads: Option<usize>) -> Result<QueryEmbedder> {
    Ok(match choice()? {
        Choice::Hash => Arc::new(HashEmbedder::new(HASH_DIMENSION)),
        Choice::Model => Arc::new(ModelOnDemand {
            model_dir: model_dir.map(Path::to_path_buf),
            threads,
            loaded: OnceLock::new(),
        }),
    })
}

/// The real model, located and loaded on first use. The searcher checks its
/// fingerprint against the index's, so no checksum is needed up front.
struct ModelOnDemand {
    model_dir: Option<PathBuf>,
    threads: Option<usize>,
    loaded: OnceLock<Result<FastEmbedder, String>>,
}

impl ModelOnDemand {
    fn load(&self) -> Result<&FastEmbedder, Error> {
        let loaded = self.loaded.get_or_init(|| {
            ModelFiles::locate(self.model_dir.as_deref())
                .and_then(|files| FastEmbedder::from_files(&files, self.threads))
                .map_err(|e| e.to_string())
        });
        loaded.as_ref().map_err(|message| Error::EmbedderLoad {
            cause: message.clone().into(),
        })
    }
}

impl EmbedderSource for ModelOnDemand {
    fn model_checksum(&self) -> Result<String, Error> {
        Ok(self.load()?.checksum().to_string())
    }

    fn model_name(&self) -> Result<String, Error> {
        Ok(MODEL_ID.to_string())
    }

    fn embedder(&self) -> Result<&dyn Embedder, Error> {
        Ok(self.load()?)
    }
}
