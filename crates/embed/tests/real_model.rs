//! The real model, end to end: all-MiniLM-L6-v2 (int8) on ONNX Runtime.
//!
//! These tests need `models/` (run `bash .ci/setup-model.sh`; CI always does). When
//! the model cannot be found they fail, saying so; set BACKISSUE_SKIP_MODEL_TESTS=1
//! to skip them instead on a machine that cannot fetch it.

use std::sync::OnceLock;

use backissue_embed::{cosine, Embedder, FastEmbedder, ModelFiles, MODEL_DIR_ENV};

const MODEL_SHA256: &str = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6";

/// The model files, or `None` when the tests are to be skipped.
fn model_files() -> Option<ModelFiles> {
    let skip = std::env::var("BACKISSUE_SKIP_MODEL_TESTS").is_ok_and(|v| v == "1");
    match ModelFiles::locate(None) {
        Ok(files) => Some(files),
        Err(err) if skip => {
            eprintln!("skipped: BACKISSUE_SKIP_MODEL_TESTS=1 and the model is not set up ({err})");
            None
        }
        Err(err) => panic!(
            "the real-model tests need the embedding model: run `bash .ci/setup-model.sh` \
             (or set BACKISSUE_SKIP_MODEL_TESTS=1 to skip them)\n{err}"
        ),
    }
}

/// One embedder for the whole test binary: loading takes about 0.4 s.
fn embedder() -> Option<&'static FastEmbedder> {
    static EMBEDDER: OnceLock<Option<FastEmbedder>> = OnceLock::new();
    EMBEDDER
        .get_or_init(|| {
            let files = model_files()?;
            Some(FastEmbedder::from_files(&files, None).unwrap_or_else(|err| panic!("{err}")))
        })
        .as_ref()
}

fn embed_one(embedder: &FastEmbedder, text: &str) -> Vec<f32> {
    embedder.embed(&[text]).unwrap().remove(0)
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn the_model_is_the_expected_one() {
    let Some(embedder) = embedder() else { return };
    assert_eq!(embedder.dimension(), 384);
    assert_eq!(embedder.checksum(), MODEL_SHA256);
    assert!(embedder.model_id().contains("all-MiniLM-L6-v2"));
    assert!(embedder.threads() >= 1);
    let fingerprint = embedder.fingerprint();
    assert_eq!(
        (fingerprint.checksum.as_str(), fingerprint.dimension),
        (MODEL_SHA256, 384)
    );
}

#[test]
fn the_model_folder_is_found_from_a_test_binary() {
    let Some(files) = model_files() else { return };
    if std::env::var_os(MODEL_DIR_ENV).is_none() {
        assert!(files.dir().ends_with("models"), "{}", files.dir().display());
    }
    assert!(files.model().is_file());
}

#[test]
fn vectors_have_384_components_and_unit_length() {
    let Some(embedder) = embedder() else { return };
    let texts = [
        "",
        "AI",
        "A chip maker plans to list its shares in New York next year.",
    ];
    for (text, vector) in texts.iter().zip(embedder.embed(&texts).unwrap()) {
        assert_eq!(vector.len(), 384, "{text:?}");
        let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{text:?} has norm {norm}");
        assert!(vector.iter().all(|x| x.is_finite()), "{text:?}");
    }
}

#[test]
fn paraphrases_score_well_above_unrelated_sentences() {
    let Some(embedder) = embedder() else { return };
    let paraphrases = [
        (
            "OpenAI is closing Sora, the app it built for generating video.",
            "OpenAI will discontinue Sora, its AI video generator.",
        ),
        (
            "Memory chip maker SK hynix plans a large stock market listing in the US.",
            "SK hynix, the memory semiconductor giant, is preparing an American IPO.",
        ),
        (
            "A judge ordered the government to lift its restrictions on Anthropic.",
            "A court told officials to withdraw the limits they had placed on Anthropic.",
        ),
        (
            "Robots that work without a connection to the cloud.",
            "Machines that operate offline, with no cloud access.",
        ),
    ];
    let unrelated = [
        "The recipe calls for two cups of flour and a pinch of salt.",
        "Heavy rain is expected across the north of the country this weekend.",
        "The museum's new wing displays medieval tapestries.",
    ];
    const MARGIN: f32 = 0.25;
    for (a, b) in paraphrases {
        let (va, vb) = (embed_one(embedder, a), embed_one(embedder, b));
        let close = cosine(&va, &vb);
        for other in unrelated {
            let far = cosine(&va, &embed_one(embedder, other));
            assert!(
                close > far + MARGIN,
                "paraphrase {close:.3} vs unrelated {far:.3}\n  {a}\n  {b}\n  {other}"
            );
        }
    }
}

#[test]
fn a_batch_gives_the_same_vectors_as_one_at_a_time() {
    let Some(embedder) = embedder() else { return };
    let texts = [
        "Two large banks lent a tech investor money for one year.",
        "Observers think the loan points to a share sale later on.",
        "A farmer refused to sell her fields to a data center builder.",
        "Venture funds keep backing young machine learning companies.",
    ];
    let batch = embedder.embed(&texts).unwrap();
    for (text, vector) in texts.iter().zip(&batch) {
        let single = embed_one(embedder, text);
        let diff = max_abs_diff(&single, vector);
        assert!(
            diff < 1e-4,
            "{text:?} differs by {diff} between batch and single"
        );
    }
}

#[test]
fn input_order_survives_length_sorting_across_several_batches() {
    let Some(files) = model_files() else { return };
    // Batches of 3 over 10 texts of very different lengths: sorting moves every text.
    let small_batches = FastEmbedder::from_files(&files, Some(1))
        .unwrap()
        .with_batch_size(3);
    let long = "Shortages of memory parts slow down new server farms. ".repeat(12);
    let texts: Vec<String> = vec![
        long.clone(),
        "Chips.".into(),
        "An investor borrowed heavily.".into(),
        format!("{long} And a little more."),
        "".into(),
        "The video app is closing while its maker puts its money into core products instead."
            .into(),
        "IPO".into(),
        "A national government funds home-grown language models for its public services.".into(),
        "A judge ruled.".into(),
        "Power utilities have quietly raised their electricity demand forecasts.".into(),
    ];
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let batch = small_batches.embed(&refs).unwrap();
    assert_eq!(batch.len(), texts.len());
    for (text, vector) in refs.iter().zip(&batch) {
        let diff = max_abs_diff(&embed_one(&small_batches, text), vector);
        assert!(
            diff < 1e-4,
            "{text:?} came back with another text's vector (diff {diff})"
        );
    }
}

#[test]
fn texts_longer_than_the_token_limit_are_truncated_not_refused() {
    let Some(embedder) = embedder() else { return };
    let very_long = "Data centers meet resistance from local communities. ".repeat(100);
    let twice_as_long = very_long.repeat(2);
    let vectors = embedder.embed(&[&very_long, &twice_as_long]).unwrap();
    // Both are cut at 256 tokens, where they are identical.
    assert!(max_abs_diff(&vectors[0], &vectors[1]) < 1e-4);
}

#[test]
fn an_empty_slice_gives_an_empty_result() {
    let Some(embedder) = embedder() else { return };
    assert!(embedder.embed(&[]).unwrap().is_empty());
}

#[test]
fn concurrent_callers_get_their_own_vectors() {
    let Some(embedder) = embedder() else { return };
    let texts = [
        "first caller's text about chips",
        "second caller's text about banks",
    ];
    let expected: Vec<Vec<f32>> = texts.iter().map(|t| embed_one(embedder, t)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = texts
            .iter()
            .map(|text| scope.spawn(move || embed_one(embedder, text)))
            .collect();
        for (handle, want) in handles.into_iter().zip(&expected) {
            assert!(max_abs_diff(&handle.join().unwrap(), want) < 1e-4);
        }
    });
}
