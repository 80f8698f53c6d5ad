#!/usr/bin/env bash
# Serve Storefront on http://127.0.0.1:8000 with the embedded SQLite database (./storefront.db).
#   bash scripts/serve.sh            # serve
#   bash scripts/serve.sh --demo     # fill an empty store with a made-up catalogue first
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
if [ "${1:-}" = "--demo" ]; then
  .venv/bin/python -m app seed --seed 1
  shift
fi
exec .venv/bin/python -m app serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" "$@"
