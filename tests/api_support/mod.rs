//! The harness of the API tests: a small index built once per test binary with the
//! real model (four issues of `corpus/`), and helpers that drive `app(state)`
//! in-process with `tower::ServiceExt::oneshot`.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use backissue_embed::{FastEmbedder, ModelFiles};
use backissue_engine::search::QueryEmbedder;
use backissue_engine::{Indexer, NoProgress};
use backissue_server::{app, AppState, Loaded, ServerConfig};
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

/// The issues the index holds.
pub const ISSUES: [&str; 4] = ["2025-01-03", "2025-01-10", "2025-01-17", "2025-01-24"];

/// A story of the index that has copies in its issue.
pub const STORY: &str = "2025-01-03/top/7";

/// The index, its corpus, the model, and the generation loaded once.
pub struct Fixture {
    _dir: TempDir,
    /// The corpus folder (the four issues).
    pub corpus: PathBuf,
    /// The index folder.
    pub index: PathBuf,
    /// The real model.
    pub embedder: QueryEmbedder,
    /// The loaded generation, shared by every state.
    pub loaded: Arc<Loaded>,
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture, built on first use.
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let index = dir.path().join("index");
        std::fs::create_dir_all(&corpus).unwrap();
        for issue in ISSUES {
            let name = format!("{issue}.txt");
            std::fs::copy(repo().join("corpus").join(&name), corpus.join(&name)).unwrap();
        }
        let files =
            ModelFiles::locate(Some(&repo().join("models"))).expect("the model is in models/");
        let model = FastEmbedder::from_files(&files, None).expect("the model loads");
        let embedder: QueryEmbedder = Arc::new(model);
        let report = Indexer::new(&corpus, &index)
            .run(embedder.as_ref(), &mut NoProgress)
            .unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let loaded = Arc::new(Loaded::open(&index, embedder.clone()).unwrap());
        Fixture {
            _dir: dir,
            corpus,
            index,
            embedder,
            loaded,
        }
    })
}

/// The fixture's configuration, with default limits.
pub fn config() -> ServerConfig {
    let f = fixture();
    ServerConfig::new(&f.index, &f.corpus)
}

/// A state serving the fixture's generation with `config`.
pub fn state_with(config: ServerConfig) -> AppState {
    let f = fixture();
    let state = AppState::new(config, f.embedder.clone());
    state.install(f.loaded.clone());
    state
}

/// The app over the fixture with the default configuration.
pub fn default_app() -> Router {
    app(state_with(config()))
}

/// An answer, whole.
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the body is our error with `status` and `code`, and returns its message.
    pub fn error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status.as_u16(), status, "{}", self.text());
        let body = self.json();
        assert_eq!(body["error"]["code"], code, "{body}");
        body["error"]["message"].as_str().unwrap().to_string()
    }
}

/// Sends `request` to `app`.
pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

/// `GET uri`.
pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// `GET uri` with headers.
pub async fn get_with(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// `GET uri`, which must answer 200 JSON.
pub async fn ok_json(app: &Router, uri: &str) -> Value {
    let answer = get(app, uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
    assert!(
        answer
            .header("content-type")
            .unwrap_or("")
            .starts_with("application/json"),
        "{uri}: {:?}",
        answer.header("content-type")
    );
    answer.json()
}
