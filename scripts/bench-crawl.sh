#!/usr/bin/env bash
# Crawl benchmark: throughput and memory of `uninews crawl` against the bundled sample
# server on 127.0.0.1, rate limiting off. The server runs as its own process so that the
# crawler's peak RSS is the crawler's alone.
#
#   scripts/bench-crawl.sh [ARTICLES_PER_SECTION] [RUNS]
#
# Defaults: 5000 articles per section (10,000 articles, 1,000 list pages) and 3 runs;
# the median run is reported. For the memory target use 50000 (100,000 articles).
# Prints pages/s, CPU time per page (user+sys of the crawler), peak RSS.
# Extra crawl options go in $CRAWL_ARGS (e.g. CRAWL_ARGS="--warc --images"); the crawl
# folders go under $TMPDIR (on a disk that is slow to create files, use /dev/shm).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
RUNS=${2:-3}
# BIN=path/to/uninews compares another build (e.g. the previous release) on the same rig.
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN=target/release/uninews; fi
work=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT

"$BIN" -q serve-sample --port 0 --articles "$N" --per-page 20 >"$work/urls" &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/urls" ] && [ "$(wc -l <"$work/urls")" -ge 3 ] && break; sleep 0.1; done
mapfile -t lines <"$work/urls"
starts=("${lines[@]:1}")
echo "sample server ${lines[0]} with $((N * 2)) articles; start pages: ${starts[*]}"

results=()
for run in $(seq "$RUNS"); do
  out="$work/out-$run"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time-$run" \
    "$BIN" -q crawl "${starts[@]}" --out "$out" --rate unlimited --concurrency 8 --global-concurrency 16 ${CRAWL_ARGS:-} \
    2>"$work/log-$run" || { cat "$work/log-$run"; exit 1; }
  read -r wall user sys rss_kb <"$work/time-$run"
  pages=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['run']['pages'])" "$out/summary.json")
  articles=$(wc -l <"$out/articles.jsonl")
  line=$(python3 - "$wall" "$user" "$sys" "$rss_kb" "$pages" "$articles" <<'PY'
import sys
wall, user, sys_, rss, pages, articles = map(float, sys.argv[1:])
print(f"{pages/wall:.0f} {wall:.2f} {1000*(user+sys_)/pages:.3f} {rss/1024:.1f} {int(pages)} {int(articles)}")
PY
)
  echo "run $run: $line   (pages/s, wall s, CPU ms/page, peak RSS MB, pages, articles)"
  results+=("$line")
  rm -rf "$out"
done
printf '%s\n' "${results[@]}" | sort -n | awk -v n="$RUNS" 'NR==int((n+1)/2) {
  printf "median: %s pages/s, %s s wall, %s ms CPU per page, peak RSS %s MB (%s pages, %s articles)\n", $1, $2, $3, $4, $5, $6 }'
