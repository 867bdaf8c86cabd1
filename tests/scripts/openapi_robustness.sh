#!/usr/bin/env bash
# OpenAPI-driven robustness run: starts `samrad serve --demo` on a free loopback port
# in a fresh data folder and lets schemathesis send generated (valid and malformed)
# requests to every operation of /api/openapi.json, once without credentials and
# once with a planner API token of the demo municipality. Fails on any 5xx and on
# any answer whose body or content type contradicts the document.
#
#   SAMRAD_BIN=target/debug/samrad SCHEMATHESIS=/path/to/venv/bin/schemathesis \
#     tests/scripts/openapi_robustness.sh [SECONDS_PER_RUN]
#
# Each of the two runs is stopped after SECONDS_PER_RUN (default 40); a run that
# is stopped fails, so the examples per operation are kept small enough to finish.
set -euo pipefail

bin="${SAMRAD_BIN:?set SAMRAD_BIN to the samrad binary}"
st="${SCHEMATHESIS:?set SCHEMATHESIS to the schemathesis command}"
budget="${1:-40}"
examples="${OPENAPI_EXAMPLES:-8}"

data="$(mktemp -d "${TMPDIR:-/tmp}/samrad-openapi.XXXXXX")"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:${port}"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap cleanup EXIT

"$bin" serve --demo --bind "127.0.0.1:${port}" --data-dir "$data" >"$data/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log" >&2; echo "samrad exited" >&2; exit 1; }
  sleep 0.2
done
curl -fsS "$base/readyz" >/dev/null || { cat "$data/server.log" >&2; echo "samrad not ready" >&2; exit 1; }

token="$("$bin" token create --municipality fjordvik --label openapi-robustness --data-dir "$data")"

run() {
  local label="$1"
  shift
  echo "-- schemathesis: $label"
  # not_a_server_error: no 5xx; response_schema_conformance and
  # content_type_conformance: every documented answer is what the document says.
  timeout --signal=INT "$budget" "$st" run "$base/api/openapi.json" \
    --checks not_a_server_error,response_schema_conformance,content_type_conformance \
    --data-generation-method all \
    --hypothesis-max-examples "$examples" \
    --hypothesis-seed 17 \
    --hypothesis-derandomize \
    --hypothesis-suppress-health-check all \
    --request-timeout 10000 \
    --workers 1 \
    --experimental=openapi-3.1 \
    --no-color \
    "$@"
}

status=0
run "without credentials" || status=$?
if [ "$status" -eq 0 ]; then
  run "with a planner API token" -H "Authorization: Bearer ${token}" || status=$?
fi
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 60 lines)" >&2
  tail -n 60 "$data/server.log" >&2
  if [ "$status" -eq 124 ] || [ "$status" -eq 130 ]; then
    echo "schemathesis did not finish within ${budget}s" >&2
  fi
fi
exit "$status"
