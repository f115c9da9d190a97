#!/usr/bin/env bash
# Many-hosts benchmark: one `uninews crawl` against the sample site served on HOSTS
# loopback addresses (127.0.0.2, 127.0.0.3, ...; one host each), every host limited to
# RATE requests per second, for SECONDS; then Ctrl-C. The server's access log is the
# judge:
#
#   scripts/bench-hosts.sh [HOSTS] [SECONDS] [RATE]      (defaults: 100 60 1)
#
# Prints requests per second in total (the ideal is HOSTS x RATE), how many hosts got
# less than their share, the smallest gap between two requests to one host (never below
# 1/RATE minus the tolerance, TOLERANCE_MS, default 50), the crawler's CPU use and peak
# RSS. Exits 1 when a gap is below 1/RATE - TOLERANCE_MS.
# Extra crawl options go in $CRAWL_ARGS; the crawl folder goes under $TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
HOSTS=${1:-100}
SECONDS_=${2:-60}
RATE=${3:-1}
# BIN=path/to/uninews compares another build (e.g. the previous release) on the same rig.
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN=target/release/uninews; fi
work=$(mktemp -d)
server_pid=
crawl_pid=
trap 'for p in $crawl_pid $server_pid; do pkill -P "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
# Each host needs more pages than SECONDS x RATE so that none runs dry.
ARTICLES=$(python3 -c "import math; print(max(50, math.ceil($SECONDS_ * $RATE / 2 * 1.3)))")

/usr/bin/time -f '%e %U %S %M' -o "$work/server-time" \
  "$BIN" -q serve-sample --port 0 --hosts "$HOSTS" --articles "$ARTICLES" --per-page 20 \
  --access-log "$work/access.log" >"$work/urls" &
server_pid=$!
want=$((HOSTS * 2 + 1))
for _ in $(seq 600); do [ -s "$work/urls" ] && [ "$(wc -l <"$work/urls")" -ge "$want" ] && break; sleep 0.1; done
tail -n +2 "$work/urls" >"$work/starts"
echo "sample site on $HOSTS hosts from $(head -1 "$work/urls") ($((ARTICLES * 2)) articles each), $RATE r/s per host, $SECONDS_ s"

/usr/bin/time -f '%e %U %S %M' -o "$work/crawl-time" \
  "$BIN" -q crawl --start-urls "$work/starts" --out "$work/out" --rate "$RATE" ${CRAWL_ARGS:-} \
  2>"$work/crawl-log" &
crawl_pid=$!
sleep "$SECONDS_"
# /usr/bin/time ignores SIGINT: signal the crawl under it.
pkill -INT -P "$crawl_pid" 2>/dev/null || true
wait "$crawl_pid" || true
crawl_pid=
pkill -INT -P "$server_pid" || true
wait "$server_pid" || true
server_pid=
grep -v "stopping:" "$work/crawl-log" | tail -5 || true

python3 - "$work/access.log" "$HOSTS" "$RATE" "${TOLERANCE_MS:-50}" "$work/crawl-time" "$work/server-time" <<'PY'
import collections, statistics, sys
log, hosts, rate, tol_ms, crawl_time, server_time = sys.argv[1:]
hosts, rate, tol = int(hosts), float(rate), float(tol_ms) / 1000
by_host = collections.defaultdict(list)
for line in open(log):
    at, host, *_ = line.split()
    by_host[host].append(float(at))
times = sorted(t for ts in by_host.values() for t in ts)
if not times:
    sys.exit("no requests in the access log")
# The steady window: from 5 s after the first request (start-up: robots.txt, first lists)
# to the last request.
start, end = times[0] + 5, times[-1]
span = end - start
steady = sum(1 for t in times if t >= start)
pairs = [(b - a, a - times[0]) for ts in by_host.values() for a, b in zip(sorted(ts), sorted(ts)[1:])]
gaps = [g for g, _ in pairs]
min_gap = min(gaps) if gaps else float("inf")
short = sorted((at, g) for g, at in pairs if g < 1 / rate - tol)
share = [sum(1 for t in ts if t >= start) / span for ts in by_host.values()] if span > 0 else []
starved = sum(1 for s in share if s < 0.9 * rate)
def last_line(path):
    # time(1) writes "Command exited with non-zero status N" first when the command
    # was interrupted; the measurements are always the last line.
    return map(float, open(path).read().strip().splitlines()[-1].split())
wall, user, sys_, rss = last_line(crawl_time)
_, suser, ssys, _ = last_line(server_time)
print(f"requests: {len(times)} to {len(by_host)} of {hosts} hosts; steady window {span:.1f} s: "
      f"{steady / span:.1f} req/s in total (ideal {hosts * rate:.0f})")
print(f"per host (steady): min {min(share):.2f}, median {statistics.median(share):.2f} req/s; "
      f"{starved} hosts below 90% of {rate:g} r/s")
print(f"smallest gap between two requests to one host: {min_gap * 1000:.1f} ms "
      f"(limit {1000 / rate:.0f} ms - {tol * 1000:.0f} ms tolerance)")
print(f"crawler: {wall:.1f} s wall, CPU {(user + sys_) / wall:.2f} cores, peak RSS {rss / 1024:.1f} MB; "
      f"server CPU {(suser + ssys) / wall:.2f} cores")
if short:
    print(f"{len(short)} of {len(gaps)} gaps below the limit, at (s after the first request, gap ms): "
          + ", ".join(f"{at:.1f} {g * 1000:.0f}" for at, g in short[:8]))
if min_gap < 1 / rate - tol:
    sys.exit("FAIL: a host was asked faster than its rate allows")
PY
