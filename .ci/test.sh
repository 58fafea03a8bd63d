#!/usr/bin/env bash
# The whole test suite, as CI runs it: engine tests against a real PostgreSQL, the
# shell's bindings freshness test, the UI's unit tests and type check, then the
# real-window smoke test. Every suite runs even if an earlier one fails; the last line
# says which failed, and the exit status is non-zero if any did.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=()
failed=()
suite() {
  local name=$1
  shift
  printf '\n==> %s\n' "$name"
  if "$@"; then passed+=("$name"); else failed+=("$name"); fi
}

# KEEP_TEST_CLUSTER=1 leaves it running (e.g. while other test runs share it).
stop_test_cluster() {
  [ "${KEEP_TEST_CLUSTER:-0}" = 1 ] && return 0
  printf '\n==> stopping the shared test PostgreSQL cluster\n'
  cargo run -q -p stockroom-engine --bin stockroom-cli -- test-cluster stop \
    || echo "warning: the test cluster could not be stopped (see above)"
}
trap stop_test_cluster EXIT

if ! cargo nextest --version >/dev/null 2>&1; then
  cargo install cargo-nextest --locked
fi

# The UI bundle comes first: the app embeds ui/dist (feature custom-protocol), and the
# bindings test is built with that feature so the e2e build reuses its compilation.
# Type errors are the type-check suite's business, so the bundle is made with vite alone.
suite "ui: type check" bash -c 'cd ui && npm run typecheck'
suite "ui: unit tests" bash -c 'cd ui && npm test'
suite "ui: bundle" bash -c 'cd ui && npx vite build'
suite "engine: tests" cargo nextest run -p stockroom-engine --no-fail-fast
suite "app: bindings are fresh" \
  cargo nextest run -p stockroom --features custom-protocol --no-fail-fast
suite "e2e: real window" .ci/e2e.sh

printf '\n'
for name in "${passed[@]}"; do printf '  ok      %s\n' "$name"; done
for name in "${failed[@]}"; do printf '  FAILED  %s\n' "$name"; done
# The closing line counts suites (each suite's own runner printed its test counts above).
printf 'suites: %d passed, %d failed\n' "${#passed[@]}" "${#failed[@]}"
[ ${#failed[@]} -eq 0 ] || exit 1
