#!/usr/bin/env bash
# The hostile-server scenarios (tests/it/hostile.rs), one process each, with wall time and
# peak RSS. The RSS is the test process's: the misbehaving server and the crawler together,
# so an upper bound for the crawler. Each scenario asserts its own outcome (every good
# article stored once, bounded time); this script only measures.
#
#   scripts/hostile.sh            debug profile, as CI runs them
#   PROFILE=release scripts/hostile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${PROFILE:-dev}
bin=$(cargo test --profile "$PROFILE" --test it --no-run 2>&1 |
  sed -n 's/.*Executable tests\/it\/main.rs (\(.*\))/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build the test binary" >&2; exit 1; }
printf '%-62s %6s %8s %s\n' scenario seconds "RSS MB" result
for t in $("$bin" hostile:: --list 2>/dev/null | sed -n 's/: test$//p'); do
  log=$(mktemp)
  if /usr/bin/time -f '%e %M' -o "$log.time" "$bin" "$t" --exact --test-threads 1 >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
  fi
  read -r secs rss <"$log.time"
  printf '%-62s %6s %8.1f %s\n' "$t" "$secs" "$(echo "$rss / 1024" | bc -l)" "$result"
  rm -f "$log" "$log.time"
done
