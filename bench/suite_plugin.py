"""A pytest plugin for the benchmark only: time each scenario, and a naive harness mode.

Loaded by `bench/run.py` with `-p bench.suite_plugin`; the suite never loads it.

- `STOREFRONT_BENCH_OUT=PATH` writes, at the end of the run, a JSON object with each
  test's wall time (setup + call + teardown, in ms) and the moment the first step of the
  first scenario ran (`time.time()`), so that start-up can be told from
  `STOREFRONT_BENCH_T0` (the `time.time()` at which the caller started pytest).
- `STOREFRONT_BENCH_STOP_AT_FIRST_STEP=1` ends the process right after that first step,
  once the JSON is written: a start-up measurement needs nothing more.
- `STOREFRONT_BENCH_NAIVE=1` swaps in the seed's naive harness: the scenario's database
  made with `metadata.create_all` and dropped with `drop_all` every time, and the store
  hashing passwords with the production profile. Its fixtures live in
  `bench.naive_fixtures`, registered after the harness's own so that they win.
"""

import json
import os
import time
from pathlib import Path

import pytest

_durations: dict[str, float] = {}
_first_step: list[float] = []


def _enabled(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0")


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Register the naive fixtures last, so that they override the harness's."""
    if _enabled("STOREFRONT_BENCH_NAIVE"):
        from bench import naive_fixtures

        session.config.pluginmanager.register(naive_fixtures, "bench-naive-fixtures")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add up each test's setup, call and teardown."""
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration * 1000


def pytest_bdd_before_step_call() -> None:
    """Note when the first step runs; stop there if only start-up is measured."""
    if _first_step:
        return
    _first_step.append(time.time())
    if _enabled("STOREFRONT_BENCH_STOP_AT_FIRST_STEP"):
        _write()
        os._exit(0)


def pytest_sessionfinish() -> None:
    """Write what was measured."""
    _write()


def _write() -> None:
    out = os.environ.get("STOREFRONT_BENCH_OUT")
    if not out:
        return
    facts = {
        "durations_ms": _durations,
        "first_step_at": _first_step[0] if _first_step else None,
        "naive": _enabled("STOREFRONT_BENCH_NAIVE"),
    }
    Path(out).write_text(json.dumps(facts))
