#!/usr/bin/env bash
# Everything `make test` runs: lint, migrations, catalogues, then the suite on SQLite and
# PostgreSQL. JAHESH_REQUIRE_POSTGRES=1 / JAHESH_REQUIRE_BROWSER=1 turn a skip into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export JAHESH_ENV=test
PG_URL="${JAHESH_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p var test-artifacts

echo "== ruff"
$BIN/ruff check .

echo "== migrations are up to date"
$BIN/jahesh makemigrations --check --dry-run

echo "== message catalogues"
if command -v xgettext >/dev/null 2>&1; then
  # New strings in the source land in the catalogues, so a missing translation is caught.
  make --no-print-directory -s messages >/dev/null
else
  echo "   (xgettext not installed: checking the committed catalogues as they are)"
fi
$BIN/jahesh check_catalogues
$BIN/jahesh compile_catalogues >/dev/null

echo "== tests on SQLite"
DATABASE_URL="sqlite:///:memory:" $BIN/pytest -n 2

if $BIN/python -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null; then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" $BIN/pytest -n 2
else
  if [ "${JAHESH_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "FAILED: no PostgreSQL answers at $PG_URL and JAHESH_REQUIRE_POSTGRES=1." >&2
    exit 1
  fi
  echo "== SKIPPED the PostgreSQL run: no PostgreSQL answers at $PG_URL (set JAHESH_TEST_POSTGRES)."
fi
