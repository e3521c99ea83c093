#!/usr/bin/env bash
# Hostile traffic beside steady legitimate traffic (see benches/abuse.py): builds the
# release binary, indexes corpus/ into INDEX_DIR when it has no index (minutes the
# first time, with the real model), then runs every attack in turn and prints the
# legitimate traffic's error rate and p99 per phase, as a Markdown table.
#
#   bash benches/abuse.sh [INDEX_DIR]        # default /tmp/abuse-index
#
# Environment: SECONDS_PER_PHASE (default 15), BACKISSUE_BIN (another binary, e.g.
# an older build to compare with), ONLY (comma-separated attacks).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INDEX="${1:-/tmp/abuse-index}"
cd "$ROOT"
BIN="${BACKISSUE_BIN:-}"
if [ -z "$BIN" ]; then
    cargo build --release --quiet --bin backissue
    BIN="$ROOT/target/release/backissue"
fi
if [ ! -f "$INDEX/CURRENT" ]; then
    echo "== indexing corpus/ into $INDEX"
    "$BIN" index --corpus corpus --index "$INDEX"
fi
args=(--bin "$BIN" --index "$INDEX" --corpus corpus --seconds "${SECONDS_PER_PHASE:-15}")
if [ -n "${ONLY:-}" ]; then args+=(--only "$ONLY"); fi
python3 benches/abuse.py "${args[@]}"
