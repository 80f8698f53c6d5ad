"""Write a run as Cucumber JSON, the format that CI dashboards read.

Unlike pytest-bdd's own writer, every recorded scenario is written: one whose
step is undefined is failed at that step; one that failed outside its steps
(a fixture, a teardown, a crashed worker) carries a failed `before` or
`after` hook, as Cucumber reports a failing hook; and @wip scenarios that
failed as expected show the failure as `pending` (Cucumber's status for work
in progress).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pytest_bdd_toolkit.report.model import Run, ScenarioResult, StepResult

NANOSECONDS = 1_000_000_000


def slug(text: str) -> str:
    """Turn a name into a Cucumber id: lower case, words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _tags(tags: list[str], line: int) -> list[dict[str, Any]]:
    return [{"name": f"@{tag}", "line": line} for tag in tags]


def _step_result(scenario: ScenarioResult, step: StepResult) -> dict[str, Any]:
    status: str = step.status
    message = step.error
    if status == "undefined":
        # Consumers differ on whether "undefined" fails a build; this one must.
        status = "failed"
    if scenario.status == "xfailed" and status == "failed":
        status, message = "pending", f"expected to fail (@wip): {message or ''}".strip()
    result: dict[str, Any] = {"status": status, "duration": int(step.duration * NANOSECONDS)}
    if message:
        result["error_message"] = message
    return result


def _steps(scenario: ScenarioResult) -> list[dict[str, Any]]:
    return [
        {
            "keyword": f"{step.keyword} ",
            "name": step.name,
            "line": step.line,
            "match": {"location": step.location or ""},
            "result": _step_result(scenario, step),
        }
        for step in scenario.steps
    ]


def _hooks(scenario: ScenarioResult) -> dict[str, list[dict[str, Any]]]:
    """Show a failure outside the steps (a fixture, a teardown, a crash) as a failed hook."""
    if scenario.status not in ("failed", "xfailed") or any(
        step.status in ("failed", "undefined") for step in scenario.steps
    ):
        return {}
    status = "failed" if scenario.status == "failed" else "pending"
    ran = bool(scenario.steps) and all(step.status == "passed" for step in scenario.steps)
    hook = {
        "match": {"location": f"{scenario.nodeid} ({'teardown' if ran else 'setup'})"},
        "result": {"status": status, "duration": 0, "error_message": scenario.error or ""},
    }
    return {"after" if ran else "before": [hook]}


def _element(scenario: ScenarioResult) -> dict[str, Any]:
    element_id = f"{slug(scenario.feature.name)};{slug(scenario.template or scenario.name)}"
    if scenario.example is not None:
        element_id += f";;{scenario.example_index + 2}"
    return {
        "id": element_id,
        "keyword": scenario.keyword,
        "name": scenario.name,
        "line": scenario.example_line or scenario.line,
        "description": scenario.description,
        "type": "scenario",
        "tags": _tags(scenario.all_tags, max(scenario.line - 1, 1)),
        **_hooks(scenario),
        "steps": _steps(scenario),
    }


def to_cucumber(run: Run) -> list[dict[str, Any]]:
    """Return the run as Cucumber JSON data: a list of features with their scenarios."""
    features: dict[str, dict[str, Any]] = {}
    for scenario in run.ordered:
        feature = scenario.feature
        entry = features.setdefault(
            feature.uri,
            {
                "uri": feature.uri,
                "id": slug(feature.name),
                "keyword": feature.keyword,
                "name": feature.name,
                "line": feature.line,
                "description": feature.description,
                "tags": _tags(feature.tags, max(feature.line - 1, 1)),
                "elements": [],
            },
        )
        entry["elements"].append(_element(scenario))
    return list(features.values())


def write_cucumber(run: Run, path: Path) -> Path:
    """Write the run's Cucumber JSON to `path`, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_cucumber(run), indent=2), encoding="utf-8")
    return path
