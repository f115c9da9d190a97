#!/usr/bin/env bash
# Fuzzing by property tests (proptest): URL normalisation, stored page paths, decode +
# extract on arbitrary bytes, the WARC writer read back. Runs tests/it/properties.rs in the
# release profile with UNINEWS_FUZZ_SCALE times the CI cases, round after round with new
# random seeds, until the time is up; stops at the first failure (proptest prints the
# minimal failing input).
#
#   scripts/fuzz.sh [SECONDS] [SCALE]        defaults: 600 s, scale 50
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_BUDGET=${1:-600}
SCALE=${2:-50}
cargo build --release --tests --quiet
end=$(( $(date +%s) + SECONDS_BUDGET ))
rounds=0
while [ "$(date +%s)" -lt "$end" ]; do
  UNINEWS_FUZZ_SCALE=$SCALE cargo test --release --quiet --test it properties -- --test-threads 2 >/dev/null 2>&1 || {
    echo "round $((rounds + 1)) FAILED; re-running it to show the minimal input:"
    UNINEWS_FUZZ_SCALE=$SCALE cargo test --release --test it properties -- --test-threads 2
    exit 1
  }
  rounds=$((rounds + 1))
done
echo "fuzz: $rounds rounds x scale $SCALE, no failure, in ${SECONDS_BUDGET}s"
