#!/usr/bin/env bash
# Installs the Debian and npm packages Stockroom needs to build, run and test.
# Safe to run repeatedly: apt-get and npm skip what is already present.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

debian_packages=(
  # Tauri 2 on Linux: WebKitGTK 4.1 and friends.
  build-essential pkg-config curl file libssl-dev libxdo-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
  # OS keyring (Secret Service over D-Bus) for shared-mode passwords.
  libdbus-1-dev
  # The embedded local database: the system's PostgreSQL server binaries.
  postgresql
  # Real-window UI smoke test.
  xvfb webkit2gtk-driver xauth
)

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# A PostgreSQL server must not start by itself: Stockroom runs its own private cluster.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet postgresql 2>/dev/null; then
  echo "Note: a system PostgreSQL service is running; Stockroom does not use it."
fi

if [ -f ui/package.json ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ -f tests/e2e/package.json ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

# Cargo tools for the test suite; built from source only when missing.
if ! cargo nextest --version >/dev/null 2>&1; then
  cargo install cargo-nextest --locked
fi
if ! command -v tauri-driver >/dev/null 2>&1; then
  cargo install tauri-driver --locked
fi
