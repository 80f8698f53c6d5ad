"""Run the whole test suite many times, each in a random order, and report every test
whose outcome varies between runs (or that never passes).

    .venv/bin/python scripts/order_independence.py              # 20 runs, 5 with -n 2
    .venv/bin/python scripts/order_independence.py --runs 4 --parallel-runs 1

Each run's order comes from pytest-randomly's seed, printed beside its result, so a run
that failed can be replayed with `pytest -p randomly --randomly-seed=N`. Arguments after `--` go to
pytest (`-- tests/unit` tries the script on a few tests).
Serial runs use `-n 0`; parallel ones `-n 2`, as `scripts/test.sh` does. Exit status 1
when any test varies or fails.
"""

import argparse
import random
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
Outcomes = dict[str, str]


def outcomes_of(junit: Path) -> Outcomes:
    """Each test's outcome in one JUnit XML report: passed, failed, error or skipped."""
    outcomes: Outcomes = {}
    for case in ElementTree.parse(junit).iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        kinds = {child.tag for child in case}
        outcome = next((k for k in ("error", "failure", "skipped") if k in kinds), "passed")
        outcomes[name] = "failed" if outcome == "failure" else outcome
    return outcomes


def run_once(index: int, seed: int, workers: int, folder: Path, extra: list[str]) -> Outcomes:
    """Run the whole suite once in the order the seed gives; return each test's outcome."""
    junit = folder / f"run-{index:02d}-seed-{seed}.xml"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "randomly"]
    command += [f"--randomly-seed={seed}", "-n", str(workers), f"--junitxml={junit}", *extra]
    started = time.monotonic()
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, check=False)
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    elapsed = time.monotonic() - started
    print(f"run {index:2d}  -n {workers}  seed {seed:>10}  {elapsed:5.0f} s  {summary}", flush=True)
    if not junit.exists():
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
        return {"(the run itself)": "error"}
    return outcomes_of(junit)


def varying(runs: list[Outcomes]) -> dict[str, dict[str, int]]:
    """The tests that did not pass in every run that ran them, with how often each outcome."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for outcomes in runs:
        for name, outcome in outcomes.items():
            counts[name][outcome] += 1
    steady = {"passed"}, {"skipped"}
    return {
        name: dict(seen)
        for name, seen in sorted(counts.items())
        if set(seen) not in steady or sum(seen.values()) != len(runs)
    }


def main() -> int:
    """Run the suite the asked number of times and report what varied."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--parallel-runs", type=int, default=5, help="of them, with -n 2")
    parser.add_argument("--folder", type=Path, default=PROJECT / "reports" / "order")
    options, extra = parser.parse_known_args()
    extra = [arg for arg in extra if arg != "--"]
    options.folder.mkdir(parents=True, exist_ok=True)
    chooser = random.SystemRandom()
    parallel = set(chooser.sample(range(options.runs), options.parallel_runs))
    runs = [
        run_once(i, chooser.randrange(2**31), 2 if i in parallel else 0, options.folder, extra)
        for i in range(options.runs)
    ]
    found = varying(runs)
    tests = len(set().union(*runs))
    print(f"\n{len(runs)} runs of {tests} tests: {len(found)} with an outcome that varied")
    for name, seen in found.items():
        print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in sorted(seen.items())))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
