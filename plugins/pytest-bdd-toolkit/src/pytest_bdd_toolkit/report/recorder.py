"""Record each scenario where it runs, and ship the result on its test report.

The recorder runs in the process that executes the scenario (the only one, or
a pytest-xdist worker). It follows pytest-bdd's step hooks, builds the
scenario's result from the collected item itself (so that a scenario whose
setup failed, or whose first step is undefined, is still reported), and puts
it on the teardown report as plain data; pytest-xdist serialises report
attributes, so the controller receives it like any other report.
"""

from __future__ import annotations

import inspect
import os
import time
from typing import Any

import pytest

from pytest_bdd_toolkit._pytest_bdd import Scenario, Step, scenario_reports_registry
from pytest_bdd_toolkit.report.model import StepResult
from pytest_bdd_toolkit.report.result import MAX_ERROR, build_result, template_of, tracking_of

SCENARIO_ATTR = "bdd_toolkit_scenario"
"""The teardown report's attribute that carries the scenario's result."""
CONTEXT_ATTR = "bdd_toolkit_bdd_context"
"""The call report's attribute that carries pytest-bdd's own scenario report."""


def _index(scenario: Scenario, step: Step) -> int:
    steps = scenario.steps
    for index, candidate in enumerate(steps):
        if candidate is step:
            return index
    for index, candidate in enumerate(steps):
        if (candidate.line_number, candidate.name) == (step.line_number, step.name):
            return index
    return -1  # not a step of this scenario: recorded, but never shown


def _location(func: Any, rootdir: str) -> str | None:
    try:
        path = inspect.getsourcefile(inspect.unwrap(func)) or ""
        line = inspect.getsourcelines(inspect.unwrap(func))[1]
    except (OSError, TypeError):
        return None
    return f"{os.path.relpath(path, rootdir)}:{line}"


class Recorder:
    """Follow pytest-bdd's step hooks and attach each scenario's result to its report."""

    def __init__(self, replay_property: str = "replay") -> None:
        self.replay_property = replay_property

    def pytest_bdd_before_step(
        self, request: pytest.FixtureRequest, scenario: Scenario, step: Step, step_func: Any
    ) -> None:
        """Start the step's clock."""
        tracking = tracking_of(request.node)
        index = _index(scenario, step)
        tracking.started[index] = time.perf_counter()
        location = _location(step_func, str(request.config.rootpath))
        tracking.steps[index] = StepResult(
            step.keyword, step.name, step.line_number, location=location
        )

    def _finish(self, request: pytest.FixtureRequest, scenario: Scenario, step: Step) -> StepResult:
        tracking = tracking_of(request.node)
        index = _index(scenario, step)
        result = tracking.steps.setdefault(
            index, StepResult(step.keyword, step.name, step.line_number)
        )
        started = tracking.started.get(index)
        result.duration = time.perf_counter() - started if started is not None else 0.0
        return result

    def pytest_bdd_after_step(
        self, request: pytest.FixtureRequest, scenario: Scenario, step: Step
    ) -> None:
        """Mark the step as passed."""
        self._finish(request, scenario, step).status = "passed"

    def pytest_bdd_step_error(
        self,
        request: pytest.FixtureRequest,
        scenario: Scenario,
        step: Step,
        exception: BaseException,
    ) -> None:
        """Mark the step as failed, with its error."""
        result = self._finish(request, scenario, step)
        result.status = "failed"
        result.error = f"{type(exception).__name__}: {exception}"[:MAX_ERROR]

    def pytest_bdd_step_func_lookup_error(
        self, request: pytest.FixtureRequest, scenario: Scenario, step: Step
    ) -> None:
        """Mark the step as undefined: no step definition matches its text."""
        result = self._finish(request, scenario, step)
        result.status = "undefined"
        result.error = f"Undefined step: no step definition matches {step.type} {step.name!r}"

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item) -> Any:
        """Keep each phase's report; attach the scenario's result to the last one."""
        report: pytest.TestReport = yield
        found = template_of(item)
        if found is None:
            return report
        tracking_of(item).phases.append(report)
        bdd_report = scenario_reports_registry.get(item)
        if report.when == "call" and bdd_report is not None:
            scenario = dict(bdd_report.serialize())
            # pytest-bdd lists only the steps it reached; -vv should show them all.
            scenario["steps"] = [
                {
                    "name": step.name,
                    "type": step.keyword.lower(),
                    "keyword": step.keyword,
                    "line_number": step.line,
                    "failed": step.status in ("failed", "undefined"),
                    "duration": step.duration,
                }
                for step in build_result(item, *found, self.replay_property).steps
            ]
            setattr(report, CONTEXT_ATTR, {"scenario": scenario, "name": item.name})
        if report.when == "teardown":
            result = build_result(item, *found, self.replay_property)
            setattr(report, SCENARIO_ATTR, result.to_dict())
        return report
