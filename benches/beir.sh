#!/usr/bin/env bash
# Relevance side by side on a BEIR-format folder (corpus.jsonl, queries.jsonl,
# qrels/*.tsv): backissue's keyword, semantic and hybrid search, asked over HTTP,
# against SQLite FTS5 (porter) and tantivy (en_stem) in process. One table: nDCG@10,
# Recall@100 and p50 latency per engine.
#
#   bash benches/beir.sh ../shared/eval/scifact-train
#   bash benches/beir.sh DIR --limit-queries 50             # a quick run
#   bash benches/beir.sh DIR --json /tmp/beir.json          # also every query's results
#   bash benches/beir.sh DIR --split test                   # qrels/test.tsv of several
#   bash benches/beir.sh DIR --baselines-only               # FTS5 and tantivy only
#   bash benches/beir.sh DIR --work /tmp/beir-sf            # keep the packed folder and
#                                                           # index there: a re-run after a
#                                                           # ranking change re-embeds nothing
#
# The folder is packed into issue files in a temporary folder (with DIR/pack.py if there
# is one, else the same way: 20 documents a week as top stories), indexed there with the
# release binary (the real model: minutes for a few thousand documents on 2 cores),
# then served on a free loopback port until the queries are done; the server is stopped
# and the folder removed on any exit. The release binary must be built already
# (`cargo build --release`; BACKISSUE_BIN names another). tantivy comes from PyPI into a
# venv under ${BACKISSUE_CACHE:-~/.cache/backissue}/beir-venv, set up on the first run:
# the only network use.
set -euo pipefail
usage() { sed -n '2,24s/^# \{0,1\}//p' "$0"; exit "${1:-0}"; }
[ $# -ge 1 ] || usage 2
case $1 in -h | --help) usage ;; esac
dir=$(cd "$1" && pwd)
shift
run_args=()
baselines_only=
keep=
while [ $# -gt 0 ]; do
    case $1 in
        --limit-queries | --split) run_args+=("$1" "$2"); shift 2 ;;
        --json) run_args+=(--json "$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
        --baselines-only) baselines_only=1; shift ;;
        --work) mkdir -p "$2"; keep=$(cd "$2" && pwd); shift 2 ;;
        -h | --help) usage ;;
        *) echo "beir.sh: unknown argument $1" >&2; usage 2 ;;
    esac
done
for f in corpus.jsonl queries.jsonl; do
    [ -f "$dir/$f" ] || { echo "beir.sh: no $f in $dir" >&2; exit 2; }
done
cd "$(dirname "$0")/.."
bin=${BACKISSUE_BIN:-target/release/backissue}
if [ -z "$baselines_only" ] && [ ! -x "$bin" ]; then
    echo "beir.sh: no $bin; build it first: cargo build --release" >&2
    exit 2
fi

# tantivy's venv (pinned, so the figures stay comparable between runs)
venv=${BACKISSUE_CACHE:-$HOME/.cache/backissue}/beir-venv
if ! "$venv/bin/python" -c 'import tantivy' 2>/dev/null; then
    echo "setting up $venv (tantivy from PyPI)" >&2
    python3 -m venv "$venv"
    timeout 600 "$venv/bin/pip" install --quiet --disable-pip-version-check 'tantivy==0.27.0'
fi
py=$venv/bin/python
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }

work=${keep:-$(mktemp -d)}
server=
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "$baselines_only" ]; then
    timeout "${BEIR_QUERY_TIMEOUT:-3600}" "$py" benches/beir.py run "$dir" "${run_args[@]}"
    exit
fi

# 1. pack: issue files in $work/issues and a story id -> corpus id map beside them
start=$EPOCHREALTIME
if [ -f "$dir/pack.py" ]; then
    python3 "$dir/pack.py" "$dir/corpus.jsonl" "$work/issues" >&2
    map=$(find "$work" -maxdepth 1 -name '*.json' ! -name index.json | head -n 1)
    [ -n "$map" ] || { echo "beir.sh: $dir/pack.py wrote no map (*.json beside the issues)" >&2; exit 1; }
else
    map=$work/map.json
    "$py" benches/beir.py pack "$dir/corpus.jsonl" "$work/issues" "$map" >&2
fi
pack_s=$(elapsed "$start")

# 2. index with the release binary (exit 1: some file failed, the rest is indexed)
echo "indexing $(find "$work/issues" -name '*.txt' | wc -l) issues with $bin" >&2
start=$EPOCHREALTIME
status=0
timeout "${BEIR_INDEX_TIMEOUT:-7200}" "$bin" index --corpus "$work/issues" --index "$work/index" --json \
    >"$work/index.json" 2>"$work/index.err" || status=$?
index_s=$(elapsed "$start")
if [ "$status" -gt 1 ]; then
    cat "$work/index.err" >&2
    echo "beir.sh: indexing failed (status $status)" >&2
    exit 1
fi
failed=$(grep -c '^error:' "$work/index.err" || true)
if [ "$failed" != 0 ]; then
    echo "$failed issue files failed to parse; their documents are not in backissue's index:" >&2
    grep '^error:' "$work/index.err" | head -n 20 >&2
fi
docs=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["documents"])' "$work/index.json")
echo "indexed $docs documents in $(printf %.1f "$index_s") s (packing $(printf %.1f "$pack_s") s)" >&2

# 3. serve that index on a free loopback port; the port is printed once bound
"$bin" serve --no-index --index "$work/index" --corpus "$work/issues" --bind 127.0.0.1:0 \
    >"$work/serve.out" 2>"$work/serve.err" &
server=$!
url=
for _ in $(seq 300); do
    url=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$work/serve.out" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; echo "beir.sh: the server stopped" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { cat "$work/serve.err" >&2; echo "beir.sh: the server did not start in 30 s" >&2; exit 1; }
echo "serving on $url" >&2

# 4. the queries, every engine; the table on standard output
start=$EPOCHREALTIME
timeout "${BEIR_QUERY_TIMEOUT:-3600}" "$py" benches/beir.py run "$dir" --map "$map" --base-url "$url" \
    --index-seconds "$index_s" "${run_args[@]}"
query_s=$(elapsed "$start")
corpus_docs=$(grep -c . "$dir/corpus.jsonl")
echo
[ "$docs" = "$corpus_docs" ] ||
    echo "note: backissue indexed $docs of the $corpus_docs documents ($failed issue files failed to parse, see above)"
printf 'backissue index: %.1f s for %s documents; queries, all engines (with building FTS5 and tantivy): %.1f s\n' \
    "$index_s" "$docs" "$query_s"
