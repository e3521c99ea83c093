#!/usr/bin/env bash
# Query latency in process (benches/query.rs) on the 104-week corpus and a 1,040-week
# archive, both indexed with the real model. The indexes are kept in target/bench/ and
# brought up to date first (built once: minutes for 104 weeks, about 15 for 1,040 on
# 2 cores; `bash benches/indexing.sh --full` leaves them there too).
#
#   bash benches/query.sh          # both archives
#   bash benches/query.sh 104      # the shipped corpus only
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin backissue
bin=target/release/backissue
bench=target/bench
mkdir -p "$bench"
"$bin" index --corpus corpus --index "$bench/index-104" >/dev/null
indexes="104=$bench/index-104"
if [ "${1:-}" != 104 ]; then
    [ -d "$bench/c1040" ] || "$bin" generate --weeks 1040 --start 2006-01-06 --seed 11 --out "$bench/c1040" >/dev/null
    "$bin" index --corpus "$bench/c1040" --index "$bench/index-1040" >/dev/null
    indexes="$indexes,1040=$bench/index-1040"
fi
BACKISSUE_BENCH_INDEXES="$indexes" cargo bench --quiet --bench query
