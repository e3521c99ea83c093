#!/usr/bin/env bash
# Indexing throughput and peak memory, with and without model embeddings, on the shipped
# 104-week corpus and on a 1,040-week archive from the generator. Side by side, one run.
#
#   bash benches/indexing.sh            # 104 weeks with the model, both sizes without
#   bash benches/indexing.sh --full     # also 1,040 weeks with the model (~15 min on 2 cores)
#
# "Without embeddings" uses the deterministic hash embedder (BACKISSUE_EMBEDDER=hash): the
# run does everything else (parse, events, tantivy, HNSW, generations) at full cost.
# Every run starts from an empty index folder, so the embedding cache is cold. The
# real-model indexes are kept in target/bench/ (index-104, index-1040) for the query
# benches (benches/query.sh); the 1,040-week archive is target/bench/c1040.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/backissue
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench=target/bench
mkdir -p "$bench"
[ -d "$bench/c1040" ] || "$bin" generate --weeks 1040 --start 2006-01-06 --seed 11 --out "$bench/c1040" >/dev/null 2>&1

run() { # label corpus embedder [kept index folder]
    local label=$1 corpus=$2 embedder=$3 index=${4:-"$work/index-$RANDOM"}
    rm -rf "$index"
    local report
    report=$( { BACKISSUE_EMBEDDER=$embedder /usr/bin/time -f 'PEAK_KB %M' \
        "$bin" index --corpus "$corpus" --index "$index" --json; } 2>"$work/time.txt")
    local peak_kb
    peak_kb=$(grep PEAK_KB "$work/time.txt" | awk '{print $2}')
    python3 - "$label" "$peak_kb" <<PY
import json, sys
r = json.loads('''$report''')
label, peak = sys.argv[1], int(sys.argv[2])
s = r["seconds"]
print(f"| {label} | {r['issues']} | {r['documents']} | {r['embedded_texts']} | {s:.1f} | "
      f"{r['issues']/s:.1f} | {r['documents']/s:.0f} | {peak/1024:.0f} |")
PY
    [ -n "${4:-}" ] || rm -rf "$index"
}

echo "| run | issues | documents | embedded | seconds | issues/s | documents/s | peak MiB |"
echo "|---|---|---|---|---|---|---|---|"
run "104 weeks, no model (hash embedder)" corpus hash
run "1,040 weeks, no model (hash embedder)" "$bench/c1040" hash
run "104 weeks, real model, cold cache" corpus model "$bench/index-104"
if [ "${1:-}" = "--full" ]; then
    run "1,040 weeks, real model, cold cache" "$bench/c1040" model "$bench/index-1040"
fi
