#!/usr/bin/env bash
# Installs everything (scripts/install.sh), starts PostgreSQL for the team-database tests, then runs the
# static checks and the whole test suite. Usage: scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

if [ -z "${RIG_ADVISOR_TEST_PG_URL:-}" ] && [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null; then
  RIG_ADVISOR_TEST_PG_URL=$(scripts/start-postgres.sh | tail -1)
  export RIG_ADVISOR_TEST_PG_URL
fi
export QT_QPA_PLATFORM=offscreen

echo "== ruff";          python3 -m ruff check advisor ui tests benchmarks main.py
echo "== import-linter"; lint-imports
echo "== mypy";          python3 -m mypy
echo "== pytest"
python3 -m pytest -q "$@"
