#!/usr/bin/env bash
# `make run`'s last step: the web server, with the background worker (imports, exports,
# reminders) beside it. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
.venv/bin/jahesh db_worker --interval 1 -v0 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo ""
echo "Jahesh is at http://127.0.0.1:${PORT}/  (Ctrl+C stops it)"
.venv/bin/jahesh runserver "127.0.0.1:${PORT}"
