#!/usr/bin/env bash
# Mutation score of the business rules under the acceptance suite alone, by hand (not CI:
# a group takes from twenty minutes to two hours on two cores).
#
#   bash scripts/mutation.sh orders              # orders, payments and idempotency
#   bash scripts/mutation.sh accounts            # users, auth and security
#   bash scripts/mutation.sh platform            # money, middleware, errors, outbox, pagination
#   bash scripts/mutation.sh orders accounts platform  # all three; run again, it goes on
#   bash scripts/mutation.sh 'app.core.money.*'  # any mutant-name glob of mutmut's
#   bash scripts/mutation.sh --score orders      # only print the score of the last run
#
# mutmut 3 ([tool.mutmut] in pyproject.toml) mutates app/ in a mutants/ folder and runs,
# for each mutant, the scenarios of `pytest steps` that called the mutated function. It
# runs in a private copy of the working tree (MUTATION_WORKDIR, by default
# /tmp/storefront-mutation-GROUP), so that two groups, or two people, never share a
# mutants/ folder; the copy keeps mutants/ between runs. For all three groups mutmut tests
# only the mutants it has no verdict for (new, changed, or not reached by a run cut short);
# for a group or a glob it tests every mutant named again. MUTATION_CHILDREN sets how many
# mutants run at once (default 2).
#
# The score is killed / (tested − equivalent): every mutant tested counts, those that no
# scenario reaches ("no tests") as not killed, except the ones listed as equivalent in
# docs/mutation-survivors.md (when it exists), each with its reason. The mutants that page
# lists as not killed (under "Not killed") stay in the denominator: they are explained,
# not excused. MUTATION_RERUN=1 tests again, by name, every mutant the last run left alive
# (after a new scenario); MUTATION_RERUN=FILE those the file names, for instance on
# PostgreSQL (STOREFRONT_TEST_DATABASE_URL=... runs the scenarios there).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=$root/.venv/bin/python

score_only=false
if [ "${1:-}" = "--score" ]; then
  score_only=true
  shift
fi
[ $# -gt 0 ] || { sed -n '2,11p' "$0"; exit 2; }

globs=()
for group in "$@"; do
  case "$group" in
    orders) globs+=("app.orders.*" "app.payments.*") ;;
    accounts) globs+=("app.users.*" "app.auth.*" "app.core.security.*") ;;
    platform)
      globs+=("app.core.money.*" "app.core.middleware.*" "app.core.errors.*"
        "app.notifications.outbox.*" "app.core.pagination.*") ;;
    app.*) globs+=("$group") ;;
    *) echo "unknown group $group: orders, accounts, platform, or a glob like 'app.core.money.*'"
      exit 2 ;;
  esac
done
name=$(printf '%s' "$*" | tr -c 'A-Za-z0-9_.' '-')
workdir=${MUTATION_WORKDIR:-/tmp/storefront-mutation-$name}

if ! $score_only; then
  bash "$root/scripts/bootstrap.sh"
  mkdir -p "$workdir"
  # The working tree as it is (uncommitted changes included); mutants/ is kept.
  find "$workdir" -mindepth 1 -maxdepth 1 ! -name mutants -exec rm -rf {} +
  tar -C "$root" --exclude ./.git --exclude ./.venv --exclude ./mutants --exclude ./reports \
    --exclude ./.mypy_cache --exclude ./.ruff_cache --exclude ./.pytest_cache --exclude '*.db' \
    -cf - . | tar -C "$workdir" -xf -
  cd "$workdir"
  if [ -n "${STOREFRONT_TEST_DATABASE_URL:-}" ]; then
    # mutmut cuts a mutant off at a multiple of the CPU time its scenarios took when it
    # measured them on SQLite; on PostgreSQL each pytest process first builds a database
    # of its own, so each mutant is given 30 CPU seconds more (no false "timeout" kills).
    sed -i 's/^timeout_multiplier = .*/&\ntimeout_constant = 30.0/' pyproject.toml
  fi
  if [ -f "${MUTATION_RERUN:-}" ]; then
    # The mutants a file names, one a line (the survivors a race on PostgreSQL may kill).
    mapfile -t alive < <(grep -o 'app\.[^` ]*__mutmut_[0-9]*' "$MUTATION_RERUN" | sort -u)
    "$python" -m mutmut run --max-children "${MUTATION_CHILDREN:-2}" "${alive[@]}" || true
  elif [ "${MUTATION_RERUN:-}" = 1 ] && [ -f mutants/results.txt ]; then
    # The survivors of the last run, by name: mutmut tests a named mutant again.
    mapfile -t alive < <(grep -v -e ': killed$' -e ': timeout$' -e ': not checked$' \
      mutants/results.txt | sed 's/^ *//; s/: [a-z ]*$//')
    "$python" -m mutmut run --max-children "${MUTATION_CHILDREN:-2}" "${alive[@]}" || true
  elif [[ " $* " == *" orders "* && " $* " == *" accounts "* && " $* " == *" platform "* ]]; then
    # All three groups are every file [tool.mutmut] mutates: named, mutmut would test each
    # mutant again; unnamed, it keeps every verdict whose function has not changed, so a
    # run cut short goes on where it stopped.
    "$python" -m mutmut run --max-children "${MUTATION_CHILDREN:-2}" || true
  else
    # A group or a glob: mutmut tests every mutant it names again.
    "$python" -m mutmut run --max-children "${MUTATION_CHILDREN:-2}" "${globs[@]}" || true
  fi
fi

cd "$workdir"
"$python" -m mutmut results --all true > mutants/results.txt
"$python" - "$root/docs/mutation-survivors.md" "${globs[@]}" <<'EOF'
"""Print the score of the mutants the globs name, and those still to explain."""

import fnmatch
import re
import sys
from collections import Counter
from pathlib import Path

survivors_file, globs = Path(sys.argv[1]), sys.argv[2:]
listing = survivors_file.read_text() if survivors_file.exists() else ""
# Names under "## Equivalent…" leave the denominator; those under "## Not killed…" stay.
sections = re.split(r"^## ", listing, flags=re.MULTILINE)
named = r"`(app\.[^`]+__mutmut_\d+)`"
equivalent = {n for part in sections if part.startswith("Equivalent") for n in re.findall(named, part)}
explained = {n for part in sections if part.startswith("Not killed") for n in re.findall(named, part)}
status = {}
for line in Path("mutants/results.txt").read_text().splitlines():
    name, _, verdict = line.strip().rpartition(": ")
    if name and any(fnmatch.fnmatchcase(name, glob) for glob in globs):
        status[name] = verdict
counts = Counter(status.values())
killed = counts["killed"] + counts["timeout"]
tested = len(status) - counts["not checked"] - counts["skipped"]
unexplained = sorted(
    name for name, verdict in status.items()
    if verdict not in ("killed", "timeout", "not checked", "skipped")
    and name not in equivalent | explained
)
alive_explained = sum(
    1 for name in status if name in explained and status[name] not in ("killed", "timeout")
)
listed = sum(1 for name in status if name in equivalent and status[name] != "killed")
denominator = tested - listed
print(f"mutants: {dict(sorted(counts.items()))}")
print(f"equivalent (docs/mutation-survivors.md): {listed}")
print(f"not killed, explained there: {alive_explained}")
score = 100 * killed / denominator if denominator else 0.0
print(f"score: {killed} killed / {denominator} non-equivalent = {score:.1f} %")
for name in unexplained:
    print(f"  not killed, not explained: {name} ({status[name]})")
EOF
