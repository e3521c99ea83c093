#!/usr/bin/env bash
# The OpenAPI document against the real server: schemathesis (from PyPI, into a
# virtualenv) generates requests from /api/openapi.json, with all its checks and
# phases, and reports any 5xx, answer that breaks the declared schema, schema-valid
# request rejected, or schema-violating request accepted. Exits non-zero on any
# failure (CI runs it from .ci/test).
#
#   bash benches/schemathesis.sh [INDEX_DIR] [EXAMPLES_PER_ROUTE]
#   bash benches/schemathesis.sh --setup      # only install schemathesis (network)
#
# INDEX_DIR defaults to /tmp/abuse-index; when it holds no index it is built from
# the corpus first. EXAMPLES_PER_ROUTE defaults to 200. The run itself is on
# loopback; only the install reaches the package registry.
#
# Environment:
#   BACKISSUE_BIN       the server binary (default: built with
#                       `cargo build --release` under $CARGO_TARGET_DIR or target/)
#   CORPUS              the archive to index (default corpus/)
#   ISSUES              index only the first N issue files of CORPUS (copied to a
#                       temporary folder), for a quick run; default all
#   SCHEMATHESIS_VENV   the virtualenv (default target/schemathesis-venv)
#   SCHEMATHESIS_DIR    where schemathesis keeps its crash files, for
#                       `st replay ID` run there (default target/schemathesis)
#   PORT                the server's loopback port (default 18490)
#   WORKERS             schemathesis workers (default 2)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VERSION="4.32.5"
VENV="${SCHEMATHESIS_VENV:-$ROOT/target/schemathesis-venv}"

# Installs schemathesis into $VENV (once per version): a virtualenv, or where
# python3 has no venv module (Debian without python3-venv), a folder that pip
# installs into and a wrapper that runs it.
setup() {
    local marker="$VENV/.schemathesis-$VERSION"
    if [ -x "$VENV/bin/st" ] && [ -f "$marker" ]; then
        return
    fi
    if python3 -m venv "$VENV" 2>/dev/null && [ -x "$VENV/bin/pip" ]; then
        "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION"
    else
        rm -rf "$VENV"
        mkdir -p "$VENV/bin"
        python3 -m pip install -q --disable-pip-version-check --target "$VENV/lib" \
            "schemathesis==$VERSION"
        printf '#!/bin/sh\nPYTHONPATH="%s" exec python3 -m schemathesis.cli "$@"\n' \
            "$VENV/lib" >"$VENV/bin/st"
        chmod +x "$VENV/bin/st"
    fi
    "$VENV/bin/st" --version >/dev/null
    touch "$marker"
}

if [ "${1:-}" = "--setup" ]; then
    setup
    exit 0
fi

INDEX="${1:-/tmp/abuse-index}"
EXAMPLES="${2:-200}"
PORT="${PORT:-18490}"
WORKERS="${WORKERS:-2}"
CORPUS="${CORPUS:-corpus}"
setup

if [ -n "${BACKISSUE_BIN:-}" ]; then
    BIN="$BACKISSUE_BIN"
else
    cargo build --release --quiet --bin backissue
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/backissue"
fi

SLICE=""
SERVER=""
cleanup() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    if [ -n "$SLICE" ]; then rm -rf "$SLICE"; fi
}
trap cleanup EXIT

if [ -n "${ISSUES:-}" ]; then
    SLICE="$(mktemp -d)"
    find "$CORPUS" -maxdepth 1 -name '*.txt' | sort | head -n "$ISSUES" \
        | xargs -I{} cp {} "$SLICE/"
    CORPUS="$SLICE"
fi
if [ ! -f "$INDEX/CURRENT" ]; then
    "$BIN" index --corpus "$CORPUS" --index "$INDEX" >/dev/null
fi

LOG="$(mktemp)"
"$BIN" serve --no-index --index "$INDEX" --corpus "$CORPUS" \
    --bind "127.0.0.1:$PORT" >"$LOG" 2>&1 &
SERVER=$!
ready=""
for _ in $(seq 1 600); do
    if curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then
        ready=1
        break
    fi
    if ! kill -0 "$SERVER" 2>/dev/null; then break; fi
    sleep 0.5
done
if [ -z "$ready" ]; then
    echo "schemathesis.sh: the server did not get ready; its log:" >&2
    cat "$LOG" >&2
    exit 1
fi
rm -f "$LOG"

# Story ids hold `/`, which filters most generated path values: the health check
# about filtering is not a fault of the API. Run from its own folder, since
# schemathesis keeps crash files under the working directory's .schemathesis/.
STATE="${SCHEMATHESIS_DIR:-$ROOT/target/schemathesis}"
mkdir -p "$STATE"
cd "$STATE"
"$VENV/bin/st" run "http://127.0.0.1:$PORT/api/openapi.json" \
    --checks all --phases examples,coverage,fuzzing,stateful \
    --max-examples "$EXAMPLES" --workers "$WORKERS" \
    --suppress-health-check=filter_too_much \
    --generation-database none --no-color
