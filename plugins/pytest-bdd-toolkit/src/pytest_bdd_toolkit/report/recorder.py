"""Record each scenario where it runs, and ship the result on its test report.

The recorder runs in the process that executes the scenario (the only one, or
a pytest-xdist worker). It follows pytest-bdd's step hooks, builds the
scenario's result from the collected item itself (so that a scenario whose
setup failed, or whose first step is undefined, is still reported), and puts
it on the teardown report as plain data; pytest-xdist serialises report
attributes, so the controller receives it like any other report. Every
phase's report also carries the names JUnit XML shows, and the call's says
which step was undefined, so that the controller's reporters need nothing else.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from pytest_bdd_toolkit._pytest_bdd import Scenario, Step, scenario_reports_registry
from pytest_bdd_toolkit.report.definitions import definition_of, lookup_definition
from pytest_bdd_toolkit.report.errors import format_error
from pytest_bdd_toolkit.report.junit import JUNIT_ATTR, UNDEFINED_ATTR, junit_names
from pytest_bdd_toolkit.report.model import ScenarioResult, StepResult
from pytest_bdd_toolkit.report.result import build_result, template_of, tracking_of

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


class Recorder:
    """Follow pytest-bdd's step hooks and attach each scenario's result to its report."""

    def __init__(self, replay_property: str = "replay") -> None:
        self.replay_property = replay_property

    def pytest_bdd_before_step(
        self, request: pytest.FixtureRequest, scenario: Scenario, step: Step, step_func: Any
    ) -> None:
        """Start the step's clock and note the definition that runs it."""
        tracking = tracking_of(request.node)
        index = _index(scenario, step)
        tracking.started[index] = time.perf_counter()
        definition = definition_of(step_func, str(request.config.rootpath))
        tracking.steps[index] = StepResult(
            step.keyword,
            step.name,
            step.line_number,
            started=time.time(),
            location=definition.location if definition else None,
            definition=definition,
        )

    def _finish(self, request: pytest.FixtureRequest, scenario: Scenario, step: Step) -> StepResult:
        tracking = tracking_of(request.node)
        index = _index(scenario, step)
        result = tracking.steps.setdefault(
            index, StepResult(step.keyword, step.name, step.line_number, started=time.time())
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
        """Mark the step as failed, with its error cut to the project's frames."""
        result = self._finish(request, scenario, step)
        result.status = "failed"
        result.error = format_error(exception, str(request.config.rootpath))
        tracking_of(request.node).step_failed = True

    def pytest_bdd_step_func_lookup_error(
        self, request: pytest.FixtureRequest, scenario: Scenario, step: Step
    ) -> None:
        """Mark the step as undefined: no step definition matches its text."""
        result = self._finish(request, scenario, step)
        result.status = "undefined"
        result.error = f"Undefined step: no step definition matches {step.type} {step.name!r}"
        tracking_of(request.node).step_failed = True

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        """Keep each phase's report and error; attach the scenario's result to the last one."""
        report: pytest.TestReport = yield
        found = template_of(item)
        if found is None:
            return report
        tracking = tracking_of(item)
        if report.when == "setup":
            tracking.setup_started = call.start
        tracking.phases.append(report)
        if call.excinfo is not None:
            tracking.errors[report.when] = format_error(
                call.excinfo.value, str(item.config.rootpath)
            )
        result = build_result(item, *found, self.replay_property)
        setattr(report, JUNIT_ATTR, junit_names(result))
        if report.when == "call":
            self._describe_call(item, report, result)
        if report.when == "teardown":
            self._find_definitions(item, found, result)
            setattr(report, SCENARIO_ATTR, result.to_dict())
        return report

    def _find_definitions(self, item: pytest.Item, found: Any, result: ScenarioResult) -> None:
        """Give the steps that did not run the definition they would have used."""
        scenario = found[0].render(found[1])
        for step, gherkin_step in zip(result.steps, scenario.steps, strict=False):
            if step.definition is None and step.status == "skipped":
                step.definition = lookup_definition(item, gherkin_step)
                step.location = step.definition.location if step.definition else None

    def _describe_call(
        self, item: pytest.Item, report: pytest.TestReport, result: ScenarioResult
    ) -> None:
        for step in result.undefined_steps[:1]:
            where = f"{result.feature.uri}:{step.line}"
            setattr(report, UNDEFINED_ATTR, f"{where}: {step.keyword} {step.name}")
        bdd_report = scenario_reports_registry.get(item)
        if bdd_report is None:
            return
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
            for step in result.steps
        ]
        setattr(report, CONTEXT_ATTR, {"scenario": scenario, "name": item.name})
