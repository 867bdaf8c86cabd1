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
# As many websockets as the machine allows (the table says when the limit capped a figure).
ulimit -n "$(ulimit -Hn)"
# The PostgreSQL figure, when a server is there (BENCH_POSTGRES_URL, or the local one).
postgres=()
case " $* " in
  *" --postgres-url"*) ;;
  *)
    url="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
    if command -v psql >/dev/null && psql -X -q "$url" -c 'SELECT 1' >/dev/null 2>&1; then
      postgres=(--postgres-url "$url")
    else
      echo "no PostgreSQL at $url: the PostgreSQL figure is left out" >&2
    fi
    ;;
esac
exec "$target/$profile/samrad-bench" --samrad "$target/$profile/samrad" --peer tests/bench/peer \
  ${postgres[@]+"${postgres[@]}"} "$@"
