"""Run every benchmark, print a table with PASS or MISS per target, write bench/RESULTS.md.

    python bench/run.py                 # the full run (under 10 minutes on 2 cores)
    python bench/run.py --json          # the same, then one JSON object on the last line
    python bench/run.py --smoke --json  # every benchmark in a tiny form (CI: it works)
    python bench/run.py --database-url postgresql+asyncpg://...  # adds rps_read_pg

Each figure is measured beside its baseline in the same run, the two in turn, as
medians. Load runs go to 127.0.0.1 only and stop by themselves (wrk, installed with
apt-get when missing). A smoke run's figures mean nothing; it writes no RESULTS.md.
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: import `app`, `harness` and `bench`

from bench.report import KEYS, table, write_results  # noqa: E402


@dataclass(frozen=True)
class Sizes:
    """How much of each benchmark a run does."""

    harness_rounds: int
    password_rounds: int
    spec: list[str]
    suite_rounds: int
    startup_runs: int
    full: list[str]
    full_rounds: int
    load_seconds: float
    connections: int
    load_rounds: int
    shoppers: int
    products: int
    page_products: int
    page_rounds: int


FULL = Sizes(150, 20, ["steps"], 1, 3, [], 1, 8, 32, 2, 32, 200, 100_000, 40)
SMOKE = Sizes(
    5,
    1,
    ["steps/test_health.py"],
    1,
    1,
    ["tests/unit/test_schemas.py"],
    1,
    1,
    4,
    1,
    2,
    20,
    2_000,
    3,
)


def _script_json(script: str, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, f"bench/{script}", *args, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    last = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "{}"
    if not last.startswith("{"):
        raise RuntimeError(f"bench/{script} printed no figures:\n{result.stdout}{result.stderr}")
    figures: dict[str, Any] = json.loads(last)
    return figures


def _step(name: str, facts: dict[str, Any], action: Callable[[], dict[str, Any]]) -> None:
    print(f"== {name}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    facts |= action()
    facts.setdefault("seconds", {})[name] = round(time.perf_counter() - started, 1)


def run(sizes: Sizes, database_url: str | None) -> dict[str, Any]:
    """Run each benchmark once at the given sizes; return every figure and fact."""
    from bench.load import ensure_wrk
    from bench.pages import measure_pages
    from bench.service_bench import measure_read_on_postgresql, measure_service
    from bench.suite_bench import measure_full, measure_startup, measure_suite

    ensure_wrk()
    facts: dict[str, Any] = {"rps_read_pg": None, "p50_read_pg_ms": None, "p99_read_pg_ms": None}
    with tempfile.TemporaryDirectory(prefix="storefront-bench-") as name:
        folder = Path(name)
        for sub in ("suite", "load", "pg", "pages"):
            (folder / sub).mkdir()
        rounds, warmup = str(sizes.harness_rounds), str(max(1, sizes.harness_rounds // 10))
        steps: dict[str, Callable[[], dict[str, Any]]] = {
            "harness": lambda: _script_json(
                "harness_cost.py", "--rounds", rounds, "--warmup", warmup
            ),
            "passwords": lambda: _script_json(
                "passwords.py", "--rounds", str(sizes.password_rounds)
            ),
            "suite": lambda: measure_suite(sizes.spec, sizes.suite_rounds, folder / "suite"),
            "startup": lambda: measure_startup(sizes.spec, sizes.startup_runs, folder / "suite"),
            "full": lambda: measure_full(sizes.full, sizes.full_rounds),
            "load": lambda: measure_service(
                folder / "load",
                seconds=sizes.load_seconds,
                connections=sizes.connections,
                rounds=sizes.load_rounds,
                shoppers=sizes.shoppers,
                products=sizes.products,
            ),
            "pages": lambda: measure_pages(
                folder / "pages", products=sizes.page_products, rounds=sizes.page_rounds
            ),
        }
        if database_url:
            steps["load_pg"] = lambda: measure_read_on_postgresql(
                folder / "pg",
                database_url,
                seconds=sizes.load_seconds,
                connections=sizes.connections,
                products=sizes.products,
            )
        for name, action in steps.items():
            _step(name, facts, action)
    return facts


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="every benchmark, tiny and fast")
    parser.add_argument("--json", action="store_true", help="end with the figures as JSON")
    parser.add_argument("--results", type=Path, help="where to write RESULTS.md")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("STOREFRONT_TEST_DATABASE_URL"),
        help="a PostgreSQL server for rps_read_pg (a database storefront_bench is made on it)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    load_before = os.getloadavg()
    facts = run(SMOKE if args.smoke else FULL, args.database_url)
    facts["load_average"] = (load_before, os.getloadavg())
    facts["total_s"] = time.perf_counter() - started
    figures = {key: _clean(facts.get(key)) for key in KEYS}
    print(table(figures))
    results = args.results or (None if args.smoke else ROOT / "bench" / "RESULTS.md")
    if results is not None:
        write_results(results, figures, facts, command=" ".join(["python", *sys.argv]))
        print(f"wrote {results}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
