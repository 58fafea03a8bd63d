#!/usr/bin/env bash
# Runs Stockroom as a user would: installs what is missing, builds the UI and starts the
# release app, which opens its embedded local database (a private PostgreSQL cluster in
# the app's data folder) on first start.
set -euo pipefail
cd "$(dirname "$0")/.."

.ci/install-deps.sh
(cd ui && npm run build)
exec cargo run --release -p stockroom --features custom-protocol -- "$@"
