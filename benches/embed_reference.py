#!/usr/bin/env python3
"""Physical reference for embedding throughput: the same model, run by ONNX Runtime's Python API.

backissue embeds with fastembed (Rust) on ONNX Runtime. This script runs the very same
models/model_int8.onnx on the very same ONNX Runtime version (1.32.0), tokenised by the
same Hugging Face tokenizer, so the texts/s it prints is what the hardware and runtime
can do; `crates/embed/examples/embed_throughput.rs` prints the same JSON for
backissue's embedder, and the two are meant to be run side by side:

    pip install onnxruntime==1.32.0 tokenizers numpy
    python3 benches/embed_reference.py TEXTS.txt --threads 2
    cargo run --release -p backissue-embed --example embed_throughput -- TEXTS.txt --threads 2

TEXTS.txt holds one text per line. The pipeline mirrors fastembed's: truncate at 256
tokens, pad to the longest text of each batch, run, mean-pool the last hidden state over
the attention mask, L2-normalise. `--sort-by-length` batches texts shortest first (as
backissue's embedder always does); without it, batches follow the file order.

Prints one JSON object: texts_per_sec (median of --runs timed passes over all texts,
tokenisation included), threads, batch, and details.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

try:
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer
except ImportError as err:  # pragma: no cover - set-up problem, not a bug
    sys.exit(f"embed_reference.py: {err}; "
             "run `pip install onnxruntime==1.32.0 tokenizers numpy`")

MAX_TOKENS = 256


def default_model_dir() -> Path:
    env = os.environ.get("BACKISSUE_MODEL_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "models"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", type=Path, help="file with one text per line")
    parser.add_argument("--model-dir", type=Path, default=default_model_dir(),
                        help="folder made by .ci/setup-model.sh "
                             "(default: $BACKISSUE_MODEL_DIR, else models/ at the repo root)")
    parser.add_argument("--threads", type=int, default=0,
                        help="ONNX Runtime intra_op_num_threads (0: ONNX Runtime's default)")
    parser.add_argument("--batch", type=int, default=32, help="texts per session.run call")
    parser.add_argument("--runs", type=int, default=3, help="timed passes over all texts")
    parser.add_argument("--sort-by-length", action="store_true",
                        help="batch texts shortest first (by characters), as backissue does")
    parser.add_argument("--save", type=Path,
                        help="write the vectors (float32, little-endian, row-major, input order)")
    return parser.parse_args()


def load_texts(path: Path) -> list[str]:
    texts = [line.rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines()]
    texts = [t for t in texts if t.strip()]
    if not texts:
        sys.exit(f"embed_reference.py: {path}: no texts (expected one per line)")
    return texts


def load_tokenizer(model_dir: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    # tokenizer.json pads and truncates at 128: override both, as fastembed does.
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    pad_id = tokenizer.token_to_id("[PAD]")
    tokenizer.enable_padding(pad_id=pad_id if pad_id is not None else 0, pad_token="[PAD]")
    return tokenizer


def load_session(model_dir: Path, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    # fastembed asks for GraphOptimizationLevel::Level3, which is ORT_ENABLE_ALL.
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(model_dir / "model_int8.onnx"), options,
                                providers=["CPUExecutionProvider"])


def embed_batch(session, tokenizer, texts: list[str], input_names: set[str]) -> np.ndarray:
    encodings = tokenizer.encode_batch(texts)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in input_names:
        feeds["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
    hidden = session.run(["last_hidden_state"], feeds)[0]  # [batch, seq, 384]
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.clip(norms, 1e-12, None)


def embed_all(session, tokenizer, texts, batch, order, input_names) -> np.ndarray:
    pieces = []
    for start in range(0, len(order), batch):
        chunk = order[start:start + batch]
        batch_texts = [texts[i] for i in chunk]
        pieces.append((chunk, embed_batch(session, tokenizer, batch_texts, input_names)))
    dim = pieces[0][1].shape[1]
    out = np.empty((len(texts), dim), dtype=np.float32)
    for chunk, vectors in pieces:
        out[chunk] = vectors
    return out


def main() -> None:
    args = parse_args()
    if args.batch < 1 or args.runs < 1 or args.threads < 0:
        sys.exit("embed_reference.py: --batch and --runs must be >= 1, --threads >= 0")
    for name in ("model_int8.onnx", "tokenizer.json"):
        if not (args.model_dir / name).is_file():
            sys.exit(f"embed_reference.py: {args.model_dir / name} not found; "
                     "run `bash .ci/setup-model.sh`")

    texts = load_texts(args.texts)
    tokenizer = load_tokenizer(args.model_dir)
    session = load_session(args.model_dir, args.threads)
    input_names = {i.name for i in session.get_inputs()}
    order = list(range(len(texts)))
    if args.sort_by_length:
        order.sort(key=lambda i: len(texts[i]))

    embed_batch(session, tokenizer, texts[:args.batch], input_names)  # warm-up, untimed
    seconds = []
    vectors = None
    for _ in range(args.runs):
        start = time.perf_counter()
        vectors = embed_all(session, tokenizer, texts, args.batch, order, input_names)
        seconds.append(time.perf_counter() - start)

    if args.save:
        args.save.write_bytes(vectors.astype("<f4").tobytes())
    rates = [len(texts) / s for s in seconds]
    print(json.dumps({
        "texts_per_sec": round(statistics.median(rates), 2),
        "threads": args.threads,
        "batch": args.batch,
        "engine": f"onnxruntime-python {ort.__version__}",
        "sorted_by_length": args.sort_by_length,
        "texts": len(texts),
        "runs_texts_per_sec": [round(r, 2) for r in rates],
    }))


if __name__ == "__main__":
    main()
