#!/usr/bin/env bash
# Run the whole test suite: the executable specification and the unit and database tests,
# on two workers, writing the reports of the run into reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
mkdir -p reports
exec .venv/bin/python -m pytest -n 2 \
  --junitxml=reports/junit.xml \
  "$@"
