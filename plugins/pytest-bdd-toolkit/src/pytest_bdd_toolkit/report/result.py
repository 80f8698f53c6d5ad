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
from pytest_bdd_toolkit.report.model import (
    FeatureInfo,
    RuleInfo,
    ScenarioResult,
    Status,
    StepResult,
)

SEED_PROPERTY = "faker_seed"
"""The user property of a test that holds its Faker seed."""
MAX_ERROR = 20_000


@dataclass
class Tracking:
    """The steps and phase reports of one test, as they happen."""

    steps: dict[int, StepResult] = field(default_factory=dict)
    started: dict[int, float] = field(default_factory=dict)
    phases: list[pytest.TestReport] = field(default_factory=list)


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
    seed, replay = _property(item, SEED_PROPERTY), _property(item, replay_property)
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
        seed=seed if isinstance(seed, int) else None,
        replay=str(replay) if replay is not None else None,
        worker=getattr(config, "workerinput", {}).get("workerid"),
    )
