"""The specification and the test command, timed from outside, as a developer runs them."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ["-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
    return env | extra


def run_spec(selection: list[str], *, naive: bool, folder: Path) -> dict[str, Any]:
    """Run the specification once with the timing plugin; return what it measured."""
    out = folder / f"spec-{'naive' if naive else 'ours'}-{time.monotonic_ns()}.json"
    env = _env(STOREFRONT_BENCH_OUT=str(out), STOREFRONT_BENCH_NAIVE="1" if naive else "0")
    command = [sys.executable, *SPEC, "-p", "bench.suite_plugin", *selection]
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    wall = time.perf_counter() - started
    facts: dict[str, Any] = json.loads(out.read_text())
    durations = list(facts["durations_ms"].values())
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    return {
        "median_ms": statistics.median(durations) if durations else float("nan"),
        "scenarios": len(durations),
        "wall_s": wall,
        "summary": summary,
        "returncode": result.returncode,
    }


def measure_suite(selection: list[str], rounds: int, folder: Path) -> dict[str, Any]:
    """Our harness and the naive one over the same scenarios, in turn; medians per scenario."""
    ours: list[dict[str, Any]] = []
    naive: list[dict[str, Any]] = []
    for n in range(rounds):
        order = [(False, ours), (True, naive)]
        for is_naive, runs in order if n % 2 == 0 else order[::-1]:
            runs.append(run_spec(selection, naive=is_naive, folder=folder))
    scenario_ms = statistics.median(run["median_ms"] for run in ours)
    naive_ms = statistics.median(run["median_ms"] for run in naive)
    return {
        "scenario_ms": scenario_ms,
        "naive_scenario_ms": naive_ms,
        "suite_ratio": naive_ms / scenario_ms,
        "scenarios": ours[0]["scenarios"],
        "suite_serial_wall_s": statistics.median(run["wall_s"] for run in ours),
        "naive_serial_wall_s": statistics.median(run["wall_s"] for run in naive),
        "suite_summary": ours[-1]["summary"],
        "naive_summary": naive[-1]["summary"],
    }


def _startup_once(selection: list[str], folder: Path, *, write_bytecode: bool) -> float:
    out = folder / f"startup-{time.monotonic_ns()}.json"
    env = _env(STOREFRONT_BENCH_OUT=str(out), STOREFRONT_BENCH_STOP_AT_FIRST_STEP="1")
    if write_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    started = time.time()
    subprocess.run(
        [sys.executable, *SPEC, "-p", "bench.suite_plugin", *selection],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    first_step_at = json.loads(out.read_text())["first_step_at"]
    return float(first_step_at - started)


def _import_once(write_bytecode: bool) -> float:
    env = _env()
    if not write_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import app.main"], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - started


def measure_startup(selection: list[str], runs: int, folder: Path) -> dict[str, Any]:
    """Seconds from starting pytest on the specification to its first step, and the import.

    `startup_s` is measured as the environment has it: PYTHONDONTWRITEBYTECODE=1 (as here)
    means no bytecode cache of the project is ever written, so each run compiles it again.
    `startup_cached_s` is the same with caches written (the first run warms them).
    """
    _startup_once(selection, folder, write_bytecode=True)  # warm the caches once
    samples: dict[str, list[float]] = {"as_is": [], "cached": [], "import": []}
    as_is = "PYTHONDONTWRITEBYTECODE" not in os.environ
    for _ in range(runs):
        samples["as_is"].append(_startup_once(selection, folder, write_bytecode=as_is))
        samples["cached"].append(_startup_once(selection, folder, write_bytecode=True))
        samples["import"].append(_import_once(write_bytecode=as_is))
    return {
        "startup_s": statistics.median(samples["as_is"]),
        "startup_cached_s": statistics.median(samples["cached"]),
        "import_app_main_s": statistics.median(samples["import"]),
        "pythondontwritebytecode": not as_is,
    }


def measure_full(selection: list[str], rounds: int) -> dict[str, Any]:
    """The README's test command (`pytest -n 2 --junitxml=...`), serially and on 2 workers."""
    serial: list[float] = []
    parallel: list[float] = []
    codes: list[int] = []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(rounds):
            order = [([], serial), (["-n", "2"], parallel)]
            for workers, times in order if n % 2 == 0 else order[::-1]:
                junit = f"--junitxml={folder}/junit-{len(times)}-{len(workers)}.xml"
                command = [sys.executable, "-m", "pytest", "-q", *workers, junit, *selection]
                started = time.perf_counter()
                result = subprocess.run(
                    command, cwd=ROOT, env=_env(), capture_output=True, timeout=900, check=False
                )
                times.append(time.perf_counter() - started)
                codes.append(result.returncode)
    full_serial_s, full_parallel_s = statistics.median(serial), statistics.median(parallel)
    return {
        "full_serial_s": full_serial_s,
        "full_parallel_s": full_parallel_s,
        "parallel_ratio": full_serial_s / full_parallel_s,
        "full_returncodes": codes,
    }
