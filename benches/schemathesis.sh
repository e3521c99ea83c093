#!/usr/bin/env bash
# The OpenAPI document against the real server: schemathesis (from PyPI, into a
# virtualenv under target/) generates requests from /api/openapi.json, with all its
# checks and phases, and reports any 5xx, answer that breaks the declared schema,
# schema-valid request rejected, or schema-violating request accepted.
#
#   bash benches/schemathesis.sh [INDEX_DIR] [EXAMPLES_PER_ROUTE]
#
# INDEX_DIR defaults to /tmp/abuse-index (built from corpus/ when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INDEX="${1:-/tmp/abuse-index}"
EXAMPLES="${2:-200}"
PORT="${PORT:-18490}"
cd "$ROOT"
VENV="$ROOT/target/schemathesis-venv"
if [ ! -x "$VENV/bin/st" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "schemathesis==4.32.5"
fi
cargo build --release --quiet --bin backissue
BIN="$ROOT/target/release/backissue"
if [ ! -f "$INDEX/CURRENT" ]; then
    "$BIN" index --corpus corpus --index "$INDEX"
fi
"$BIN" serve --no-index --index "$INDEX" --corpus corpus --bind "127.0.0.1:$PORT" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    if curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then break; fi
    sleep 0.5
done
"$VENV/bin/st" run "http://127.0.0.1:$PORT/api/openapi.json" \
    --checks all --phases examples,coverage,fuzzing,stateful \
    --max-examples "$EXAMPLES" --workers 2
