#!/usr/bin/env bash
# Real-window smoke test: builds the app with the UI embedded, starts a virtual display
# and tauri-driver, and drives a first run (fresh data and config folders) with
# tests/e2e. Screenshots and the app's log land in target/e2e/.
#
# Needs the packages from .ci/install-deps.sh (xvfb, webkit2gtk-driver, postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/e2e
display=${E2E_DISPLAY:-}
if [ -z "$display" ]; then
  # The first free X display from :99 up.
  for n in $(seq 99 130); do
    [ -e "/tmp/.X$n-lock" ] || { display=:$n; break; }
  done
fi
port=${E2E_DRIVER_PORT:-4444}

step() { printf '\n==> %s\n' "$*"; }

# STOCKROOM_APP=/path/to/stockroom tests an existing build instead of building one.
app=${STOCKROOM_APP:-}
if [ -z "$app" ]; then
  step "Building the UI and the app (debug, UI embedded)"
  # vite alone: type errors are reported by `npm run typecheck` in .ci/test.sh and
  # should not stop the behaviour check.
  (cd ui && npx vite build)
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
driver_pid=
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}
cleanup() {
  local status=$? kids pidfile pg root
  # SIGTERM first: the app then exits cleanly and stops its own database.
  if [ -n "$driver_pid" ]; then
    kids=$(descendants "$driver_pid")
    [ -n "$kids" ] && kill -TERM $kids 2>/dev/null
    for _ in $(seq 1 50); do
      kill -0 $kids 2>/dev/null || break
      sleep 0.2
    done
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  find "$work/data" -path '*logs*' -name '*.log' -exec cp {} "$out/" \; 2>/dev/null || true
  # WebKitWebDriver kills the app when the session ends, so its cluster may still run:
  # stop it and remove it (as root it lives outside $work, under /var/lib/stockroom).
  for root in $(grep -ho 'local cluster in [^ ]*' "$out"/*.log 2>/dev/null | sort -u \
                | sed 's/^local cluster in //'); do
    pidfile=$root/data/postmaster.pid
    if [ -f "$pidfile" ]; then
      pg=$(head -n1 "$pidfile")
      echo "stopping the app's PostgreSQL (pid $pg) in $root"
      kill -INT "$pg" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pg" 2>/dev/null || break; sleep 0.2; done
    fi
    case $root in /var/lib/stockroom/cluster-*|"$work"/*) rm -rf "$root" ;; esac
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache
export XDG_RUNTIME_DIR=$work/runtime
export DISPLAY=$display
# No accessibility bus under Xvfb. WEBKIT_DISABLE_COMPOSITING_MODE=1 is NOT set by default:
# with WebKitGTK 2.50 under Xvfb it makes WebDriver screenshots hang. E2E_NO_COMPOSITING=1
# turns it on for machines where the window renders blank without it.
export NO_AT_BRIDGE=1
if [ "${E2E_NO_COMPOSITING:-0}" = 1 ]; then export WEBKIT_DISABLE_COMPOSITING_MODE=1; fi

step "Starting Xvfb on $display and tauri-driver on :$port"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
pids+=("$!")
tauri-driver --port "$port" --native-port "$((port + 1))" \
  --native-driver /usr/bin/WebKitWebDriver >"$out/tauri-driver.log" 2>&1 &
driver_pid=$!
pids+=("$driver_pid")
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break
  sleep 0.2
done

step "Driving the app"
cd tests/e2e
STOCKROOM_APP=$app TAURI_DRIVER_URL="http://127.0.0.1:$port/" E2E_SCREENSHOT_DIR=$out \
  RUST_LOG="${RUST_LOG:-info,stockroom_app=debug}" npm test
