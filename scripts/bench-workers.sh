#!/usr/bin/env bash
# Shared-frontier benchmark: WORKERS `uninews crawl --frontier ... --worker wN` processes
# against the sample site served on HOSTS loopback addresses, every host limited to RATE
# requests per second (`unlimited`: no limit), for SECONDS; then Ctrl-C to every worker.
#
#   scripts/bench-workers.sh [HOSTS] [WORKERS] [SECONDS] [RATE]    (defaults: 300 3 60 1)
#
# The frontier is a throwaway PostgreSQL server (scripts/pg-server.sh) unless
# $UNINEWS_BENCH_POSTGRES names one (a fresh database is created on it). KILL_AT=S kills
# worker w2 with `kill -9` S seconds in. Judged from the server's access log and the
# frontier's tables: requests/s in total, hosts below 90 % of their rate, the smallest
# gap between two requests to one host (exit 1 when below 1/RATE - TOLERANCE_MS, default
# 50), records stored (and any stored twice), and the frontier's own load: PostgreSQL
# transactions/s and the CPU of its processes, beside the workers' CPU and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
HOSTS=${1:-300}
WORKERS=${2:-3}
SECONDS_=${3:-60}
RATE=${4:-1}
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN=target/release/uninews; fi
work=$(mktemp -d)
pids=()
server_pid=
pgdir=
cleanup() {
    for p in "${pids[@]}" $server_pid; do pkill -P "$p" 2>/dev/null || true; done
    if [ -n "$pgdir" ]; then scripts/pg-server.sh stop "$pgdir"; rm -rf "$pgdir"; fi
    rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${UNINEWS_BENCH_POSTGRES:-}" ]; then
    base=$UNINEWS_BENCH_POSTGRES
else
    pgdir=$(mktemp -d /tmp/uninews-pg.XXXXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    eval "$(scripts/pg-server.sh start "$pgdir" "$port")"
    base=$UNINEWS_TEST_POSTGRES
fi
db="bench_$$"
psql -q "$base" -c "CREATE DATABASE $db"
frontier="${base%/*}/$db"

if [ "$RATE" = unlimited ]; then ARTICLES=$((SECONDS_ * 10)); else
    ARTICLES=$(python3 -c "import math; print(max(50, math.ceil($SECONDS_ * $RATE / 2 * 1.3)))"); fi
/usr/bin/time -f '%e %U %S %M' -o "$work/server-time" \
  "$BIN" -q serve-sample --port 0 --hosts "$HOSTS" --articles "$ARTICLES" --per-page 20 \
  --access-log "$work/access.log" >"$work/urls" &
server_pid=$!
want=$((HOSTS * 2 + 1))
for _ in $(seq 600); do [ -s "$work/urls" ] && [ "$(wc -l <"$work/urls")" -ge "$want" ] && break; sleep 0.1; done
tail -n +2 "$work/urls" >"$work/starts"
echo "sample site on $HOSTS hosts, $WORKERS workers, $RATE r/s per host, $SECONDS_ s, frontier $frontier"

pg_cpu() {  # CPU seconds of the PostgreSQL server's processes so far (0 when not local)
    python3 - "$1" <<'PY'
import os, sys
d = sys.argv[1]
if not d:
    print(0); raise SystemExit
pid = int(open(os.path.join(d, "data", "postmaster.pid")).readline())
tck = os.sysconf("SC_CLK_TCK")
total = 0
for p in os.listdir("/proc"):
    if not p.isdigit():
        continue
    try:
        st = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    if int(p) == pid or int(st[1]) == pid:
        total += int(st[11]) + int(st[12])
print(total / tck)
PY
}
xacts() { psql -qtA "$frontier" -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"; }
cpu0=$(pg_cpu "$pgdir"); x0=$(xacts)
for i in $(seq "$WORKERS"); do
    /usr/bin/time -f '%e %U %S %M' -o "$work/w$i-time" \
      "$BIN" -q crawl --start-urls "$work/starts" --out "$work/w$i" --rate "$RATE" \
      --frontier "$frontier" --worker "w$i" ${CRAWL_ARGS:-} 2>"$work/w$i-log" &
    pids+=($!)
done
if [ -n "${KILL_AT:-}" ] && [ "$WORKERS" -ge 2 ]; then
    sleep "$KILL_AT"
    pkill -KILL -P "${pids[1]}" || true
    echo "killed w2 at ${KILL_AT} s"
    sleep $((SECONDS_ - KILL_AT))
else
    sleep "$SECONDS_"
fi
x1=$(xacts); cpu1=$(pg_cpu "$pgdir")
for p in "${pids[@]}"; do pkill -INT -P "$p" 2>/dev/null || true; done
for p in "${pids[@]}"; do wait "$p" || true; done
pids=()
pkill -INT -P "$server_pid" || true
wait "$server_pid" || true
server_pid=
records=$(psql -qtA "$frontier" -c "SELECT count(*) || ' ' || count(DISTINCT url) FROM records")

python3 - "$work" "$HOSTS" "$WORKERS" "$RATE" "${TOLERANCE_MS:-50}" "$SECONDS_" "$records" \
    "$(python3 -c "print($x1 - $x0)")" "$(python3 -c "print($cpu1 - $cpu0)")" <<'PY'
import collections, statistics, sys
work, hosts, workers, rate, tol_ms, seconds, records, xacts, pgcpu = sys.argv[1:]
hosts, workers, tol, seconds = int(hosts), int(workers), float(tol_ms) / 1000, float(seconds)
rate = float("inf") if rate == "unlimited" else float(rate)
by_host = collections.defaultdict(list)
asked = collections.Counter()
for line in open(f"{work}/access.log"):
    at, host, _method, path, *_ = line.split()
    by_host[host].append(float(at))
    if not path.endswith("/robots.txt"):  # each new holder of a host reads it once
        asked[(host, path)] += 1
twice = sum(1 for n in asked.values() if n > 1)
times = sorted(t for ts in by_host.values() for t in ts)
start, end = times[0] + 5, times[-1]
span = end - start
steady = sum(1 for t in times if t >= start)
gaps = [b - a for ts in by_host.values() for a, b in zip(sorted(ts), sorted(ts)[1:])]
min_gap = min(gaps) if gaps else float("inf")
share = [sum(1 for t in ts if t >= start) / span for ts in by_host.values()]
def last_line(path):
    return list(map(float, open(path).read().strip().splitlines()[-1].split()))
cpu = rss = 0.0
for i in range(1, workers + 1):
    wall, user, sys_, r = last_line(f"{work}/w{i}-time")
    cpu += (user + sys_) / wall
    rss = max(rss, r)
n, distinct = map(int, records.split())
print(f"requests: {len(times)} to {len(by_host)} of {hosts} hosts; steady window {span:.1f} s: "
      f"{steady / span:.1f} req/s in total" + ("" if rate == float("inf") else f" (ideal {hosts * rate:.0f})"))
if rate != float("inf"):
    starved = sum(1 for s in share if s < 0.9 * rate)
    print(f"per host (steady): min {min(share):.2f}, median {statistics.median(share):.2f} req/s; "
          f"{starved} hosts below 90% of {rate:g} r/s")
    print(f"smallest gap between two requests to one host: {min_gap * 1000:.1f} ms "
          f"(limit {1000 / rate:.0f} ms - {tol * 1000:.0f} ms tolerance); largest {max(gaps):.1f} s")
print(f"URLs requested more than once: {twice} (what a killed worker had in flight)")
print(f"records: {n} stored, {distinct} distinct URLs ({n - distinct} stored twice)")
swall, suser, ssys, _ = last_line(f"{work}/server-time")
print(f"workers: {cpu:.2f} cores in all, peak RSS {rss / 1024:.1f} MB (largest worker); "
      f"sample server {(suser + ssys) / swall:.2f} cores")
print(f"frontier (PostgreSQL): {float(xacts) / seconds:.0f} transactions/s, "
      f"{float(pgcpu) / seconds:.2f} cores")
if rate != float("inf") and min_gap < 1 / rate - tol:
    sys.exit("FAIL: a host was asked faster than its rate allows")
if n != distinct:
    sys.exit("FAIL: a record was stored twice")
PY
