#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster (no init system here: TOOLCHAIN gotcha 5) and creates a test
# database. Prints the SQLAlchemy URL to use on stdout. Needs root.
set -euo pipefail
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q online; then
  pg_ctlcluster "$ver" main start
fi
for _ in $(seq 1 30); do runuser -u postgres -- pg_isready -q && break; sleep 0.5; done
runuser -u postgres -- psql -qtA -c "SELECT 1 FROM pg_roles WHERE rolname='rig'" | grep -q 1 \
  || runuser -u postgres -- psql -q -c "CREATE ROLE rig LOGIN SUPERUSER PASSWORD 'rig'"
runuser -u postgres -- psql -qtA -c "SELECT 1 FROM pg_database WHERE datname='rig_test'" | grep -q 1 \
  || runuser -u postgres -- createdb -O rig rig_test
echo "postgresql+psycopg://rig:rig@127.0.0.1:5432/rig_test"
