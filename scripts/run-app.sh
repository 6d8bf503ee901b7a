#!/usr/bin/env bash
# Installs everything (scripts/install.sh) and starts the desktop app. Extra arguments go to main.py.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
exec python3 main.py "$@"
