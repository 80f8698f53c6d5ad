"""Build a scenario's result from its collected item and what was seen of it as it ran.

Built from the item itself, so that a scenario whose setup failed, or whose
first step is undefined, is still reported with every step it has.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest

from pytest_bdd_toolkit._pytest_bdd import (
    EXAMPLE_PARAM,
    Feature,
    ScenarioTemplate,
    scenario_wrapper_template_registry,
)
from pytest_bdd_toolkit.report import gherkin
from pytest_bdd_toolkit.report.model import (
    FeatureInfo,
    RuleInfo,
    ScenarioResult,
    Status,
    StepResult,
)

SEED_PROPERTY = "faker_seed"
"""The user property of a test that holds its Faker seed."""


@dataclass
class Tracking:
    """The steps and phase reports of one test, as they happen."""

    steps: dict[int, StepResult] = field(default_factory=dict)
    started: dict[int, float] = field(default_factory=dict)
    phases: list[pytest.TestReport] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    """Each failing phase's error, cut to the project's frames."""
    step_failed: bool = False
    """Whether a step failed or was undefined (the call's error is then the step's)."""
    setup_started: float = 0.0


_TRACKING = pytest.StashKey[Tracking]()


def tracking_of(item: pytest.Item) -> Tracking:
    """Return what has been seen of the test so far."""
    if _TRACKING not in item.stash:
        item.stash[_TRACKING] = Tracking()
    return item.stash[_TRACKING]


def template_of(item: pytest.Item) -> tuple[ScenarioTemplate, dict[str, str]] | None:
    """Return the scenario template of a pytest-bdd test and its Examples row, else None."""
    function = getattr(item, "obj", None)
    try:
        template = scenario_wrapper_template_registry.get(function)  # type: ignore[arg-type]
    except TypeError:
        return None
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = dict(callspec.params.get(EXAMPLE_PARAM, {})) if callspec else {}
    return template, example


def _status(phases: list[pytest.TestReport], steps: list[StepResult]) -> Status:
    """Fold the setup, call and teardown reports into one outcome, as pytest counts it."""
    if any(report.failed for report in phases):
        return "undefined" if any(step.status == "undefined" for step in steps) else "failed"
    if any(report.skipped and hasattr(report, "wasxfail") for report in phases):
        return "xfailed"
    if any(report.skipped for report in phases):
        return "skipped"
    if any(report.when == "call" and hasattr(report, "wasxfail") for report in phases):
        return "xpassed"
    return "passed"


def _failure(tracking: Tracking) -> tuple[str | None, str | None]:
    """Return the first failure's error and, when it is outside the steps, its phase."""
    for report in tracking.phases:
        if report.failed or (report.skipped and hasattr(report, "wasxfail")):
            error = tracking.errors.get(report.when) or report.longreprtext or None
            at_step = report.when == "call" and tracking.step_failed
            return error, None if at_step else report.when
    return None, None


def _skip_reason(phases: list[pytest.TestReport]) -> str | None:
    """Return why the test was skipped (pytest's `skip` reason), or None."""
    for report in phases:
        if report.skipped and not hasattr(report, "wasxfail"):
            longrepr = report.longrepr
            if isinstance(longrepr, tuple) and len(longrepr) == 3:
                return str(longrepr[2]).removeprefix("Skipped: ")
            return str(longrepr)
    return None


def _property(item: pytest.Item, name: str) -> object:
    """Return the last value of a user property of the test, or None."""
    values = [value for key, value in item.user_properties if key == name]
    return values[-1] if values else None


def build_result(
    item: pytest.Item, template: ScenarioTemplate, example: dict[str, str], replay_property: str
) -> ScenarioResult:
    """Build the scenario's result from its item and what the recorder saw."""
    tracking = tracking_of(item)
    scenario = template.render(example)
    feature: Feature = template.feature
    rootdir = str(item.config.rootpath)
    example_line, example_index, example_tags, example_name = None, 0, set[str](), ""
    for block in template.examples:
        contexts = list(block.as_contexts())
        if example in contexts:
            example_line, example_index, example_tags = (
                block.line_number,
                contexts.index(example),
                block.tags,
            )
            example_name = block.name or ""
            break
    steps = [
        tracking.steps.get(index, StepResult(step.keyword, step.name, step.line_number))
        for index, step in enumerate(scenario.steps)
    ]
    seed, replay = _property(item, SEED_PROPERTY), _property(item, replay_property)
    config = item.config
    error, hook_phase = _failure(tracking)
    result = ScenarioResult(
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
        example_name=example_name,
        steps=steps,
        status=_status(tracking.phases, steps),
        duration=sum(report.duration for report in tracking.phases),
        error=error,
        hook_error=error if hook_phase else None,
        hook_phase=hook_phase,
        skip_reason=_skip_reason(tracking.phases),
        started=tracking.setup_started,
        seed=seed if isinstance(seed, int) else None,
        replay=str(replay) if replay is not None else None,
        worker=getattr(config, "workerinput", {}).get("workerid"),
    )
    gherkin.complete(result, gherkin.load(feature.filename, result.feature.uri))
    return result
