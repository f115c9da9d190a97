#!/usr/bin/env bash
# Fuzzing by property tests (proptest): URL normalisation, stored page paths, decode +
# extract on arbitrary bytes, the WARC writer read back. Builds the integration-test
# binary once, then runs its `properties` tests with UNINEWS_FUZZ_SCALE times the CI
# cases, round after round (new random seeds each time), until the time is up; stops at
# the first failure (proptest prints the minimal failing input).
#
#   scripts/fuzz.sh [SECONDS] [SCALE]        defaults: 600 s, scale 50
#   FUZZ_PROFILE=dev scripts/fuzz.sh ...     the debug profile (default: release)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_BUDGET=${1:-600}
SCALE=${2:-50}
PROFILE=${FUZZ_PROFILE:-release}
bin=$(cargo test --profile "$PROFILE" --test it --no-run 2>&1 |
  sed -n 's/.*Executable tests\/it\/main.rs (\(.*\))/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build the test binary" >&2; exit 1; }
end=$(( $(date +%s) + SECONDS_BUDGET ))
rounds=0
while [ "$(date +%s)" -lt "$end" ]; do
  if ! UNINEWS_FUZZ_SCALE=$SCALE "$bin" properties --test-threads 2 >"${TMPDIR:-/tmp}/fuzz-round.log" 2>&1; then
    echo "round $((rounds + 1)) FAILED:"
    cat "${TMPDIR:-/tmp}/fuzz-round.log"
    exit 1
  fi
  rounds=$((rounds + 1))
done
echo "fuzz: $rounds rounds x scale $SCALE ($PROFILE), no failure, in ${SECONDS_BUDGET}s"
