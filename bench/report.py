"""The figures' names, the targets, the table and bench/RESULTS.md."""

import importlib.metadata
import json
import os
import platform
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROUTES = ("health", "read", "list", "me", "login", "plain_read", "read_pg")
KEYS = [
    "harness_ms",
    "seed_style_ms",
    "harness_ratio",
    "scenario_ms",
    "naive_scenario_ms",
    "suite_ratio",
    "startup_s",
    "full_serial_s",
    "full_parallel_s",
    "parallel_ratio",
    *(
        f"{prefix}_{route}{suffix}"
        for route in ROUTES
        for prefix, suffix in (("rps", ""), ("p50", "_ms"), ("p99", "_ms"))
    ),
    "read_vs_plain",
    "p99_read_vs_plain",
    "peak_rss_mb",
    "page_first_ms",
    "page_deep_ms",
    "page_ratio",
    "hash_prod_ms",
    "hash_test_ms",
]
# The full_parallel_s target: half of the 76 s measured before this work.
FULL_PARALLEL_BEFORE_S = 76.0
Check = Callable[[float], bool]
TARGETS: list[tuple[str, str, Check]] = [
    ("scenario_ms", "<= 40", lambda v: v <= 40),
    ("suite_ratio", ">= 5", lambda v: v >= 5),
    ("startup_s", "<= 1.5", lambda v: v <= 1.5),
    ("full_parallel_s", f"<= {FULL_PARALLEL_BEFORE_S / 2:g}", lambda v: v <= 38),
    ("parallel_ratio", ">= 1.7", lambda v: v >= 1.7),
    ("read_vs_plain", ">= 1.0", lambda v: v >= 1.0),
    ("p99_read_vs_plain", ">= 0.5 (p99 <= 2x plain)", lambda v: v >= 0.5),
    ("peak_rss_mb", "<= 200", lambda v: v <= 200),
    ("page_ratio", "<= 2", lambda v: v <= 2),
]


def verdicts(figures: dict[str, Any]) -> list[tuple[str, Any, str, str]]:
    """Return (figure, value, target, PASS/MISS) for every target."""
    rows = []
    for key, target, check in TARGETS:
        value = figures.get(key)
        verdict = "MISS" if value is None or not check(value) else "PASS"
        rows.append((key, value, target, verdict))
    return rows


def _value(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def table(figures: dict[str, Any]) -> str:
    """The figures, then the targets with PASS or MISS."""
    lines = [f"{'figure':<22}{'value':>12}"]
    lines += [f"{key:<22}{_value(figures.get(key)):>12}" for key in KEYS]
    lines += ["", f"{'target':<22}{'value':>12}  {'wanted':<26}verdict"]
    for key, value, target, verdict in verdicts(figures):
        lines.append(f"{key:<22}{_value(value):>12}  {target:<26}{verdict}")
    return "\n".join(lines)


def _git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return result.stdout.strip()


def machine_facts() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1]
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    packages = (
        "fastapi",
        "starlette",
        "pydantic",
        "sqlalchemy",
        "aiosqlite",
        "uvicorn",
        "pytest",
        "pytest-bdd",
        "argon2-cffi",
    )
    versions = ", ".join(f"{name} {importlib.metadata.version(name)}" for name in packages)
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    dirty = " (with uncommitted changes)" if _git("status", "--porcelain") else ""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "commit": _git("rev-parse", "--short", "HEAD") + dirty,
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{int(memory) // 1024} MiB",
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "packages": versions,
        "wrk": (wrk.stdout or wrk.stderr).splitlines()[0] if (wrk.stdout or wrk.stderr) else "-",
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "unset"),
    }


COMMANDS = """\
- harness: `python bench/harness_cost.py --rounds N --warmup N/10 --json`
- passwords: `python bench/passwords.py --rounds N --json`
- suite: `python -m pytest -q -p no:randomly -p no:cacheprovider -p bench.suite_plugin steps`,
  once as it is and once with `STOREFRONT_BENCH_NAIVE=1`, in turn; the plugin times each
  scenario (setup + call + teardown); figures are the medians per scenario
- startup: the same command with `STOREFRONT_BENCH_STOP_AT_FIRST_STEP=1`, from `Popen` to the
  first step's `pytest_bdd_before_step_call`; beside it `python -c "import app.main"`
- full: `python -m pytest -q --junitxml=TMP` and `python -m pytest -q -n 2 --junitxml=TMP`
  (what `bash scripts/test.sh` runs, without its bootstrap), in turn
- load: `python -m app migrate` and `python -m app seed --seed 1` into a SQLite file, then
  `python -m uvicorn app.main:app --host 127.0.0.1 --no-access-log` with `APP_ENV=production`,
  and `python -m uvicorn bench.plain_app:app` on the same file; each figure is
  `wrk -t1 -cC -dDs --latency --timeout 10s URL` (login: a Lua script signing in as each
  seeded shopper in turn); the store's read and the plain app's alternate
- pages: a migrated SQLite file with the products inserted in bulk, the store in process
  over httpx; `GET /api/v1/products?skip=0&limit=100` and `?skip=N-100&limit=100` in turn
"""


def write_results(path: Path, figures: dict[str, Any], facts: dict[str, Any], command: str) -> None:
    """Write the figures, the verdicts, the machine and the commands as Markdown."""
    lines = ["# Benchmark results", "", f"Written by `{command}`; see bench/README.md.", ""]
    lines += ["## Targets", "", "| figure | value | target | verdict |", "|---|---|---|---|"]
    lines += [
        f"| `{k}` | {_value(v)} | {t} | {verdict} |" for k, v, t, verdict in verdicts(figures)
    ]
    lines += ["", "## Figures", "", "| figure | value |", "|---|---|"]
    lines += [f"| `{key}` | {_value(figures.get(key))} |" for key in KEYS]
    extra = {k: v for k, v in facts.items() if k not in KEYS and k != "page_plans"}
    lines += ["", "## Other facts of the run", "", "```json", json.dumps(extra, indent=1), "```"]
    lines += ["", "## Query plans of the product list (SQLite)", ""]
    for name, plan in facts.get("page_plans", {}).items():
        lines += [f"{name} page:", "", "```text", *plan, "```", ""]
    lines += ["## Machine", ""]
    lines += [f"- {key}: {value}" for key, value in machine_facts().items()]
    lines += ["", "## Commands", "", COMMANDS]
    path.write_text("\n".join(lines))
