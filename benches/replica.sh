#!/usr/bin/env bash
# Replica figures on the shipped corpus, with the real model: what a new week's
# issue moves from the indexer to the store and from the store to a replica, how
# soon the replica serves it after the publish ends, and the replica's memory.
#
#   bash benches/replica.sh [STORE]      # STORE: a folder (default: a temp folder)
#
# The leader indexes every issue of corpus/ but the last and publishes; a replica
# (`serve --replica-of`, polling every POLL seconds, default 1) installs it; then the
# last issue is added, indexed and published, and the replica is timed until its
# /readyz names the new generation. Prints one JSON object.
#
# Environment: BACKISSUE_BIN (default target/release/backissue), POLL.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${BACKISSUE_BIN:-$ROOT/target/release/backissue}"
POLL="${POLL:-1}"
[ -x "$BIN" ] || cargo build --release --quiet
WORK="$(mktemp -d)"
STORE="${1:-$WORK/store}"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

mkdir -p "$WORK/corpus"
mapfile -t ISSUES < <(ls corpus/*.txt | sort)
LAST="${ISSUES[${#ISSUES[@]}-1]}"
cp "${ISSUES[@]:0:${#ISSUES[@]}-1}" "$WORK/corpus/"

"$BIN" index --corpus "$WORK/corpus" --index "$WORK/leader" >/dev/null 2>&1
"$BIN" publish --index "$WORK/leader" --to "$STORE" --json >"$WORK/first.json"
G1="$(jq -r .generation "$WORK/first.json")"

"$BIN" serve --replica-of "$STORE" --index "$WORK/replica" --bind 127.0.0.1:0 \
    --no-index --poll-interval "$POLL" --log-filter warn >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER=$!
for _ in $(seq 600); do grep -q "listening on" "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
ADDR="$(sed -n 's|.*listening on http://||p' "$WORK/serve.out")"
served() { curl -fsS "http://$ADDR/readyz" 2>/dev/null | jq -r '.generation // empty'; }
for _ in $(seq 1200); do [ "$(served)" = "$G1" ] && break; sleep 0.1; done
[ "$(served)" = "$G1" ] || { echo "the replica did not serve $G1" >&2; exit 1; }
downloaded() {
    curl -fsS "http://$ADDR/metrics" | awk '/^backissue_replica_downloaded_bytes_total /{print $2}'
}
BEFORE="$(downloaded)"
# Warm the replica as readers would, then read its memory.
for q in "chip export controls" "robots that work without the cloud" "who raised money"; do
    curl -fsS -G "http://$ADDR/api/search" --data-urlencode "q=$q" >/dev/null
done
RSS_KIB="$(awk '/^VmRSS/{print $2}' "/proc/$SERVER/status")"

cp "$LAST" "$WORK/corpus/"
"$BIN" index --corpus "$WORK/corpus" --index "$WORK/leader" >/dev/null 2>&1
"$BIN" publish --index "$WORK/leader" --to "$STORE" --json >"$WORK/second.json"
START="$(date +%s.%N)"
G2="$(jq -r .generation "$WORK/second.json")"
for _ in $(seq 6000); do [ "$(served)" = "$G2" ] && break; sleep 0.02; done
END="$(date +%s.%N)"
[ "$(served)" = "$G2" ] || { echo "the replica did not serve $G2" >&2; exit 1; }
AFTER="$(downloaded)"

jq -n --slurpfile first "$WORK/first.json" --slurpfile second "$WORK/second.json" \
    --arg catchup "$(echo "$END - $START" | bc)" --arg poll "$POLL" \
    --arg before "$BEFORE" --arg after "$AFTER" --arg rss "$RSS_KIB" '{
    generation_bytes: $second[0].bytes,
    generation_files: $second[0].files,
    new_issue_uploaded_bytes: $second[0].uploaded_bytes,
    new_issue_uploaded_files: $second[0].uploaded_files,
    new_issue_downloaded_bytes: (($after|tonumber) - ($before|tonumber)),
    first_install_downloaded_bytes: ($before|tonumber),
    catch_up_seconds_after_publish: ($catchup|tonumber),
    poll_interval_seconds: ($poll|tonumber),
    replica_resident_mib: (($rss|tonumber) / 1024 | floor)
}'
