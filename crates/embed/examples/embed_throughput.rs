//! Embedding throughput of [`FastEmbedder`], to set beside `benches/embed_reference.py`
//! (the same model on ONNX Runtime's Python API), which prints the same JSON.
//!
//! ```text
//! cargo run --release -p backissue-embed --example embed_throughput -- TEXTS.txt \
//!     [--threads N] [--batch N] [--runs N] [--unsorted] [--model-dir DIR] [--save FILE]
//! ```
//!
//! TEXTS.txt holds one text per line. Each timed run embeds every text with one
//! `embed` call, which sorts texts by length before batching; `--unsorted` instead
//! calls `embed` once per batch in file order, to measure what sorting is worth.
//! `--save` writes the vectors (f32, little-endian, row-major, input order) to
//! compare with the Python reference's `--save`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use backissue_embed::{Embedder, FastEmbedder, ModelFiles, DEFAULT_BATCH_SIZE};

struct Args {
    texts: PathBuf,
    threads: Option<usize>,
    batch: usize,
    runs: usize,
    unsorted: bool,
    model_dir: Option<PathBuf>,
    save: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut texts = None;
    let mut parsed = Args {
        texts: PathBuf::new(),
        threads: None,
        batch: DEFAULT_BATCH_SIZE,
        runs: 3,
        unsorted: false,
        model_dir: None,
        save: None,
    };
    let number = |flag: &str, value: Option<String>| -> Result<usize, String> {
        value
            .and_then(|v| v.parse().ok())
            .filter(|&n: &usize| n > 0)
            .ok_or_else(|| format!("{flag} needs a whole number above 0"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--threads" => parsed.threads = Some(number("--threads", args.next())?),
            "--batch" => parsed.batch = number("--batch", args.next())?,
            "--runs" => parsed.runs = number("--runs", args.next())?,
            "--unsorted" => parsed.unsorted = true,
            "--model-dir" => {
                parsed.model_dir = Some(args.next().ok_or("--model-dir needs a path")?.into())
            }
            "--save" => parsed.save = Some(args.next().ok_or("--save needs a path")?.into()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => texts = Some(PathBuf::from(path)),
        }
    }
    parsed.texts = texts.ok_or(
        "usage: embed_throughput TEXTS.txt [--threads N] [--batch N] \
                                [--runs N] [--unsorted] [--model-dir DIR] [--save FILE]",
    )?;
    Ok(parsed)
}

fn run(args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    let content = std::fs::read_to_string(&args.texts)
        .map_err(|e| format!("{}: cannot read: {e}", args.texts.display()))?;
    let texts: Vec<&str> = content.lines().filter(|l| !l.trim().is_empty()).collect();
    if texts.is_empty() {
        return Err(format!("{}: no texts (expected one per line)", args.texts.display()).into());
    }

    let files = ModelFiles::locate(args.model_dir.as_deref())?;
    let embedder = FastEmbedder::from_files(&files, args.threads)?.with_batch_size(args.batch);
    let embed_all = |texts: &[&str]| -> backissue_embed::Result<Vec<Vec<f32>>> {
        if args.unsorted {
            let mut vectors = Vec::with_capacity(texts.len());
            for batch in texts.chunks(args.batch) {
                vectors.extend(embedder.embed(batch)?);
            }
            Ok(vectors)
        } else {
            embedder.embed(texts)
        }
    };

    embedder.embed(&texts[..args.batch.min(texts.len())])?; // warm-up, untimed
    let mut rates = Vec::with_capacity(args.runs);
    let mut vectors = Vec::new();
    for _ in 0..args.runs {
        let start = Instant::now();
        vectors = embed_all(&texts)?;
        rates.push(texts.len() as f64 / start.elapsed().as_secs_f64());
    }

    if let Some(path) = &args.save {
        let bytes: Vec<u8> = vectors
            .iter()
            .flatten()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        std::fs::write(path, bytes)
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    let round = |x: f64| (x * 100.0).round() / 100.0;
    println!(
        "{}",
        serde_json::json!({
            "texts_per_sec": round(median(&rates)),
            "threads": embedder.threads(),
            "batch": embedder.batch_size(),
            "engine": "backissue-embed FastEmbedder (fastembed 7.7.0, onnxruntime 1.32.0)",
            "sorted_by_length": !args.unsorted,
            "texts": texts.len(),
            "runs_texts_per_sec": rates.into_iter().map(round).collect::<Vec<_>>(),
        })
    );
    Ok(())
}

/// The median, averaging the middle two of an even count (as Python's `statistics.median`).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

fn main() -> ExitCode {
    let result = parse_args().map_err(Into::into).and_then(|args| run(&args));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("embed_throughput: {err}");
            ExitCode::FAILURE
        }
    }
}
