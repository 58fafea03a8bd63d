#!/usr/bin/env bash
# Real-window smoke test: builds the app with the UI embedded, starts a virtual display
# and tauri-driver, and drives a first run (fresh data and config folders) with
# tests/e2e. Screenshots and the app's log land in target/e2e/.
#
# Needs the packages from scripts/install-deps.sh (xvfb, webkit2gtk-driver, postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/e2e
display=${E2E_DISPLAY:-:99}
port=${E2E_DRIVER_PORT:-4444}

step() { printf '\n==> %s\n' "$*"; }

# STOCKROOM_APP=/path/to/stockroom tests an existing build instead of building one.
app=${STOCKROOM_APP:-}
if [ -z "$app" ]; then
  step "Building the UI and the app (debug, UI embedded)"
  (cd ui && npm run build)
  # custom-protocol makes the binary serve ui/dist instead of the vite dev server.
  cargo build -p stockroom --features custom-protocol
  app=$root/target/debug/stockroom
fi

if ! command -v tauri-driver >/dev/null 2>&1; then
  step "Installing tauri-driver"
  cargo install tauri-driver --locked
fi
if [ ! -d tests/e2e/node_modules ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

rm -rf "$out"
mkdir -p "$out"
# A fresh first run. World-traversable: as root the engine runs PostgreSQL as `postgres`.
work=$(mktemp -d /tmp/stockroom-e2e.XXXXXX)
chmod 755 "$work"
mkdir -p "$work/data" "$work/config" "$work/cache" "$work/runtime"
chmod 700 "$work/runtime"

pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # If the app was killed before it could stop its database, stop the cluster here.
  find "$work/data" -name postmaster.pid 2>/dev/null | while read -r pidfile; do
    pg=$(head -n1 "$pidfile")
    echo "stopping leftover PostgreSQL $pg"
    kill -INT "$pg" 2>/dev/null || true
  done
  find "$work/data" -path '*logs*' -name '*.log' -exec cp {} "$out/" \; 2>/dev/null || true
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  sleep 1
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache
export XDG_RUNTIME_DIR=$work/runtime
export DISPLAY=$display
# WebKitGTK under Xvfb: no GPU compositing, no accessibility bus.
export WEBKIT_DISABLE_COMPOSITING_MODE=1 NO_AT_BRIDGE=1
if [ "$(id -u)" -eq 0 ]; then
  # CI runs as root in a container, where WebKit's bubblewrap sandbox cannot start.
  export WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS=1
fi

step "Starting Xvfb on $display and tauri-driver on :$port"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
pids+=($!)
tauri-driver --port "$port" --native-driver /usr/bin/WebKitWebDriver >"$out/tauri-driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break
  sleep 0.2
done

step "Driving the app"
cd tests/e2e
STOCKROOM_APP=$app TAURI_DRIVER_URL="http://127.0.0.1:$port/" E2E_SCREENSHOT_DIR=$out \
  RUST_LOG="${RUST_LOG:-info,stockroom_app=debug}" npm test
