#!/usr/bin/env bash
# Load test of the HTTP service with wrk, on loopback only, in one run against one
# server: the widget's route (a story's related stories), keyword search, hybrid
# search (one repeated query, so its embedding is cached) and a trivial route
# (/healthz). Prints requests per second and p99 latency for each, and the related
# route's throughput as a ratio of the trivial route's (target: at least 0.5, i.e.
# the widget's answer costs little more than answering at all).
#
#   bash benches/load.sh [INDEX_DIR]
#
# INDEX_DIR defaults to $BACKISSUE_LOAD_INDEX, else /tmp/loadidx; it is built from
# corpus/ (the 104-week archive) when missing or stale, which takes a few minutes
# with the real model the first time (the embedding cache makes re-runs fast).
#
# Environment: DURATION (default 10s), CONNECTIONS (default 64), THREADS (default 2),
# BACKISSUE_BIN (a backissue binary to use instead of building target/release's).
# wrk comes from Debian's package, installed here when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INDEX="${1:-${BACKISSUE_LOAD_INDEX:-/tmp/loadidx}}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
KEYWORD_QUERY="data center"
HYBRID_QUERY="robots that work without the cloud"

if ! command -v wrk >/dev/null; then
    echo "== installing wrk (apt-get)"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

cd "$ROOT"
BIN="${BACKISSUE_BIN:-}"
if [ -z "$BIN" ]; then
    echo "== building backissue (release)"
    cargo build --release --quiet --bin backissue
    BIN="$ROOT/target/release/backissue"
fi

echo "== index of corpus/ in $INDEX"
"$BIN" index --corpus corpus --index "$INDEX" >/dev/null

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
# wrk is one client address with CONNECTIONS connections: lift the per-client shares
# (which would answer most of them 503) to the global limits for this benchmark.
RUST_LOG=warn "$BIN" serve --no-index --index "$INDEX" --corpus corpus --bind "127.0.0.1:$PORT" \
    --max-concurrency-per-client 64 --max-connections-per-client 1024 >/dev/null 2>"$INDEX.serve.log" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT

for _ in $(seq 1 600); do
    if curl -sf "$BASE/readyz" >/dev/null; then break; fi
    if ! kill -0 "$SERVER" 2>/dev/null; then
        echo "backissue serve exited; see $INDEX.serve.log" >&2
        exit 1
    fi
    sleep 0.2
done
curl -sf "$BASE/readyz" >/dev/null || { echo "backissue serve was not ready in 2 minutes" >&2; exit 1; }

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
# The widget's route is asked for many stories in turn (every top story, up to 500),
# as a publisher's pages would, not one story again and again.
STORIES="$INDEX.stories.txt"
: >"$STORIES"
for offset in 0 100 200 300 400; do
    curl -sf "$BASE/api/search?q=&section=top_story&mode=keyword&limit=100&offset=$offset" \
        | python3 -c 'import json, sys; [print(h["id"]) for h in json.load(sys.stdin)["hits"]]' >>"$STORIES"
done
STORY="$(head -n 1 "$STORIES")"
ROTATE="$INDEX.related.lua"
python3 - "$STORIES" >"$ROTATE" <<'PY'
import sys
ids = [line.strip() for line in open(sys.argv[1]) if line.strip()]
print("local paths = {" + ",".join('"/api/stories/%s/related"' % i for i in ids) + "}")
print("local n = 0")
print("request = function()\n  n = n % #paths + 1\n  return wrk.format(\"GET\", paths[n])\nend")
PY
ROUTES=(
    "related|/api/stories/$STORY/related"
    "search keyword|/api/search?q=$(urlencode "$KEYWORD_QUERY")&mode=keyword"
    "search hybrid|/api/search?q=$(urlencode "$HYBRID_QUERY")&mode=hybrid"
    "healthz|/healthz"
)
# Warm up: load the model, cache the hybrid query's embedding, touch every route.
for route in "${ROUTES[@]}"; do
    curl -sf -o /dev/null "$BASE${route#*|}" || { echo "GET ${route#*|} failed" >&2; exit 1; }
done

echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION on loopback (related: $(wc -l <"$STORIES") stories in turn)"
printf '%-16s %12s %10s %10s  %s\n' route "requests/s" p50 p99 errors
declare -A RPS
for route in "${ROUTES[@]}"; do
    name="${route%%|*}"
    script=()
    if [ "$name" = related ]; then script=(-s "$ROTATE"); fi
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${script[@]}" "$BASE${route#*|}")"
    rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    errors="$(awk '/Non-2xx or 3xx responses:/ {print $NF} /Socket errors:/ {print "socket " $0}' <<<"$out" | tr '\n' ' ')"
    RPS[$name]="$rps"
    printf '%-16s %12s %10s %10s  %s\n' "$name" "$rps" "$p50" "$p99" "${errors:-none}"
done
python3 - "${RPS[related]}" "${RPS[healthz]}" <<'EOF'
import sys
related, trivial = float(sys.argv[1]), float(sys.argv[2])
ratio = related / trivial if trivial else 0.0
verdict = "meets" if ratio >= 0.5 else "BELOW"
print(f"related / healthz throughput: {ratio:.2f} ({verdict} the 0.5 target)")
EOF
