#!/usr/bin/env bash
# Acceptance-only branch coverage of app/: run the executable specification alone
# (`pytest steps`, nothing from tests/) under coverage.py, on two workers, in the modes the
# same features run in, and report the branch coverage of app/ module by module, all modes
# combined. Fails when it is below 95 % ([tool.coverage] in pyproject.toml, where what the
# suite cannot reach by nature is excluded, with a reason).
#
#   bash scripts/coverage.sh        # in process on SQLite, then against a live server
#   COVERAGE_DATABASE_URL=$(bash scripts/postgres.sh) bash scripts/coverage.sh
#                                   # and in process on that PostgreSQL database too
#
# The live server's processes are measured too (`patch = subprocess`).
# It writes reports/coverage/ (the data, coverage.xml for CI, html/ for a reader). The
# suite's own exit status wins over the coverage figure: a failing scenario fails it first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
rm -rf reports/coverage
mkdir -p reports/coverage
modes=("" "--live-server")
[ -z "${COVERAGE_DATABASE_URL:-}" ] || modes+=("--database-url=$COVERAGE_DATABASE_URL")
for mode in "${modes[@]}"; do
  echo "== pytest steps ${mode:-(in process on SQLite)}" | sed 's/url=.*@/url=…@/'
  status=0
  # shellcheck disable=SC2086 # an empty mode is no argument at all
  .venv/bin/python -m coverage run -m pytest steps -n 2 -q $mode "$@" || status=$?
  [ "$status" = 0 ] || { echo "the specification failed (exit $status)"; exit "$status"; }
done
.venv/bin/python -m coverage combine -q
.venv/bin/python -m coverage xml -q --fail-under=0 -o reports/coverage/coverage.xml
.venv/bin/python -m coverage html -q --fail-under=0
# Last, so that its table and its verdict (exit 2 below the bar) end the output.
.venv/bin/python -m coverage report
