"""Write a run as Cucumber JSON, exactly as Cucumber's own JSON formatter writes it.

The reference is cucumber/json-formatter (which renders Cucumber Messages
as the JSON of cucumber-ruby): ids are names in lower case with spaces
turned to dashes, an outline's row is `feature;outline;examples;N` (N
counting the table's header as 1) at its own row's line, every tag carries
the line it is written on, an undefined step is `undefined` (the run still
fails), a step keeps its definition's `match.location` even when it was
skipped, doc strings and data tables travel with their step, and a failure
outside the steps is a failed `before` or `after` hook. Unlike pytest-bdd's
own writer, every recorded scenario is written, also under pytest-xdist; a
@wip scenario that failed as expected shows its failure as `pending`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pytest_bdd_toolkit.report.model import FeatureInfo, Run, ScenarioResult, StepResult, TagInfo

NANOSECONDS = 1_000_000_000


def slug(text: str) -> str:
    """Turn a name into an HTML-friendly id: lower case, words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def cucumber_id(name: str) -> str:
    """Turn a name into a Cucumber id, as Cucumber does: lower case, spaces as dashes."""
    return name.lower().replace(" ", "-")


def _tags(located: list[TagInfo], names: list[str], line: int) -> list[dict[str, Any]]:
    if located:
        return [{"name": tag.name, "line": tag.line} for tag in located]
    # A result made without its feature file (a crashed worker): the best guess there is.
    return [{"name": f"@{name}", "line": line} for name in names]


def _step_result(scenario: ScenarioResult, step: StepResult) -> dict[str, Any]:
    status: str = step.status
    message = step.error
    if scenario.status == "xfailed" and status in ("failed", "undefined"):
        status, message = "pending", f"expected to fail (@wip): {message or ''}".strip()
    result: dict[str, Any] = {"status": status, "duration": int(step.duration * NANOSECONDS)}
    if message and status != "skipped":
        result["error_message"] = message
    return result


def _step(scenario: ScenarioResult, step: StepResult) -> dict[str, Any]:
    location = step.location or f"{scenario.feature.uri}:{step.line}"
    data: dict[str, Any] = {
        "keyword": step.gherkin_keyword or f"{step.keyword} ",
        "name": step.name,
        "line": step.line,
        "match": {"location": location},
        "result": _step_result(scenario, step),
    }
    if step.doc_string is not None:
        data["doc_string"] = {
            "line": step.doc_string.line,
            "content_type": step.doc_string.media_type,
            "value": step.doc_string.content,
        }
    if step.data_table is not None:
        data["rows"] = [{"cells": row} for row in step.data_table]
    return data


def _hooks(scenario: ScenarioResult) -> dict[str, list[dict[str, Any]]]:
    """Show a failure outside the steps (a fixture, a teardown, a crash) as a failed hook."""
    if scenario.hook_phase is None:
        return {}
    status = "pending" if scenario.status == "xfailed" else "failed"
    after = scenario.hook_phase == "teardown"
    hook = {
        "match": {"location": f"{scenario.nodeid} ({scenario.hook_phase})"},
        "result": {"status": status, "duration": 0, "error_message": scenario.hook_error or ""},
    }
    return {"after" if after else "before": [hook]}


def element_id(scenario: ScenarioResult) -> str:
    """Return the scenario's Cucumber id, an outline's row by its Examples and row number."""
    element = (
        f"{cucumber_id(scenario.feature.name)};{cucumber_id(scenario.template or scenario.name)}"
    )
    if scenario.example is not None:
        element += f";{cucumber_id(scenario.example_name)};{scenario.example_index + 2}"
    return element


def _element(scenario: ScenarioResult) -> dict[str, Any]:
    return {
        "id": element_id(scenario),
        "keyword": scenario.keyword,
        "name": scenario.name,
        "line": scenario.line_in_file,
        "description": scenario.description,
        "type": "scenario",
        "tags": _tags(scenario.located_tags, scenario.all_tags, max(scenario.line - 1, 1)),
        **_hooks(scenario),
        "steps": [_step(scenario, step) for step in scenario.steps],
    }


def _feature(feature: FeatureInfo) -> dict[str, Any]:
    return {
        "uri": feature.uri,
        "id": cucumber_id(feature.name),
        "keyword": feature.keyword,
        "name": feature.name,
        "line": feature.line,
        "description": feature.description,
        "tags": _tags(feature.located_tags, feature.tags, max(feature.line - 1, 1)),
        "elements": [],
    }


def to_cucumber(run: Run) -> list[dict[str, Any]]:
    """Return the run as Cucumber JSON data: a list of features with their scenarios."""
    features: dict[str, dict[str, Any]] = {}
    for scenario in run.ordered:
        entry = features.setdefault(scenario.feature.uri, _feature(scenario.feature))
        entry["elements"].append(_element(scenario))
    return list(features.values())


def write_cucumber(run: Run, path: Path) -> Path:
    """Write the run's Cucumber JSON to `path`, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_cucumber(run), indent=2), encoding="utf-8")
    return path
