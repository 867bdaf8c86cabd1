#!/usr/bin/env bash
# Runs the benchmark of BENCHMARKS.md: installs the Node.js peer's packages from the
# npm registry, raises the open-file limit for the websockets and runs samrad-bench
# against the built samrad (a release build unless BENCH_PROFILE=debug), passing on
# its arguments:
#
#     tests/bench/run.sh                          # the full run of BENCHMARKS.md
#     tests/bench/run.sh --rounds 1 --seconds 2   # any samrad-bench option
set -euo pipefail
cd "$(dirname "$0")/../.."
profile="${BENCH_PROFILE:-release}"
target="${CARGO_TARGET_DIR:-target}"
if [ "$profile" = release ]; then
  cargo build --release -p samrad -p bench
else
  # The same selection as the test build, so nothing is built again with other features.
  cargo build --workspace --all-targets
fi
(cd tests/bench/peer && npm ci --no-audit --no-fund --loglevel=error)
ulimit -n "$(ulimit -Hn)"
exec "$target/$profile/samrad-bench" --samrad "$target/$profile/samrad" --peer tests/bench/peer "$@"
