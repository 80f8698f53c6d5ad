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
from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, ScenarioTemplate, Step
from pytest_bdd.reporting import scenario_reports_registry
from pytest_bdd.scenario import scenario_wrapper_template_registry

from steps.reporting.model import FeatureInfo, RuleInfo, ScenarioResult, Status, StepResult
from steps.support.seeds import FAKER_SEED_KEY, replay_hint

SCENARIO_ATTR = "storefront_scenario"
"""The teardown report's attribute that carries the scenario's result."""
CONTEXT_ATTR = "storefront_bdd_context"
"""The call report's attribute that carries pytest-bdd's own scenario report."""
MAX_ERROR = 20_000


@dataclass
class _Tracking:
    steps: dict[int, StepResult] = field(default_factory=dict)
    started: dict[int, float] = field(default_factory=dict)
    phases: list[pytest.TestReport] = field(default_factory=list)


_TRACKING = pytest.StashKey[_Tracking]()


def _tracking(item: pytest.Item) -> _Tracking:
    if _TRACKING not in item.stash:
        item.stash[_TRACKING] = _Tracking()
    return item.stash[_TRACKING]


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


def _template_of(item: pytest.Item) -> tuple[ScenarioTemplate, dict[str, str]] | None:
    function = getattr(item, "obj", None)
    try:
        template = scenario_wrapper_template_registry.get(function)  # type: ignore[arg-type]
    except TypeError:
        return None
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = dict(callspec.params.get("_pytest_bdd_example", {})) if callspec else {}
    return template, example


def _status(phases: list[pytest.TestReport]) -> Status:
    """Fold the setup, call and teardown reports into one outcome, as pytest counts it."""
    if any(report.failed for report in phases):
        return "failed"
    if any(report.skipped and hasattr(report, "wasxfail") for report in phases):
        return "xfailed"
    if any(report.skipped for report in phases):
        return "skipped"
    if any(report.when == "call" and hasattr(report, "wasxfail") for report in phases):
        return "xpassed"
    return "passed"


def _error(phases: list[pytest.TestReport]) -> str | None:
    for report in phases:
        if report.failed or (report.skipped and hasattr(report, "wasxfail")):
            text = report.longreprtext
            return text[:MAX_ERROR] if text else None
    return None


def build_result(
    item: pytest.Item, template: ScenarioTemplate, example: dict[str, str]
) -> ScenarioResult:
    """Build the scenario's result from its item and what the recorder saw."""
    tracking = _tracking(item)
    scenario = template.render(example)
    feature: Feature = template.feature
    rootdir = str(item.config.rootpath)
    example_line, example_index, example_tags = None, 0, set[str]()
    for block in template.examples:
        contexts = list(block.as_contexts())
        if example in contexts:
            example_line, example_index, example_tags = (
                block.line_number,
                contexts.index(example),
                block.tags,
            )
            break
    steps = [
        tracking.steps.get(index, StepResult(step.keyword, step.name, step.line_number))
        for index, step in enumerate(scenario.steps)
    ]
    seeds = [v for k, v in item.user_properties if k == "faker_seed" and isinstance(v, int)]
    config = item.config
    return ScenarioResult(
        nodeid=item.nodeid,
        feature=FeatureInfo(
            uri=os.path.relpath(feature.filename, rootdir),
            name=feature.name or os.path.basename(feature.filename),
            keyword=feature.keyword,
            line=feature.line_number,
            description=feature.description.strip(),
            tags=sorted(feature.tags),
        ),
        rule=RuleInfo(
            name=template.rule.name,
            keyword=template.rule.keyword,
            description=template.rule.description.strip(),
            tags=sorted(template.rule.tags),
        )
        if template.rule
        else None,
        keyword=template.keyword,
        name=scenario.name,
        template=template.name,
        line=template.line_number,
        description=template.description.strip(),
        tags=sorted(template.tags | example_tags),
        example=example or None,
        example_line=example_line,
        example_index=example_index,
        steps=steps,
        status=_status(tracking.phases),
        duration=sum(report.duration for report in tracking.phases),
        error=_error(tracking.phases),
        seed=seeds[-1] if seeds else None,
        replay=replay_hint(config, item.nodeid) if FAKER_SEED_KEY in config.stash else None,
        worker=getattr(config, "workerinput", {}).get("workerid"),
    )


class Recorder:
    """Follow pytest-bdd's step hooks and attach each scenario's result to its report."""

    def pytest_bdd_before_step(
        self, request: pytest.FixtureRequest, scenario: Scenario, step: Step, step_func: Any
    ) -> None:
        """Start the step's clock."""
        tracking = _tracking(request.node)
        index = _index(scenario, step)
        tracking.started[index] = time.perf_counter()
        location = _location(step_func, str(request.config.rootpath))
        tracking.steps[index] = StepResult(
            step.keyword, step.name, step.line_number, location=location
        )

    def _finish(self, request: pytest.FixtureRequest, scenario: Scenario, step: Step) -> StepResult:
        tracking = _tracking(request.node)
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
        found = _template_of(item)
        if found is None:
            return report
        _tracking(item).phases.append(report)
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
                for step in build_result(item, *found).steps
            ]
            setattr(report, CONTEXT_ATTR, {"scenario": scenario, "name": item.name})
        if report.when == "teardown":
            setattr(report, SCENARIO_ATTR, build_result(item, *found).to_dict())
        return report
