"""Write a run as Cucumber Messages (NDJSON), the format today's Cucumber tools read.

One envelope a line, in the order Cucumber writes them: meta; for each
feature file its source, Gherkin document and pickles (from the official
parser, `report/gherkin.py`); the step definitions used; testRunStarted; a
testCase per scenario; then for each scenario testCaseStarted, a
testStepStarted and testStepFinished per step, and testCaseFinished; and
testRunFinished. The file is written where the reports are (the only
process, or the pytest-xdist controller), from the results the workers sent,
so the ids agree however the run was distributed.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest_bdd_toolkit
from pytest_bdd_toolkit.report import gherkin
from pytest_bdd_toolkit.report.model import FAILING, Run, ScenarioResult, StepDefinitionInfo

PROTOCOL_VERSION = "34.2.1"
"""The version of the Cucumber Messages schema these messages follow."""
RUN_ID = "test-run"
Envelope = dict[str, Any]


def _time(seconds: float) -> dict[str, int]:
    whole = int(seconds)
    return {"seconds": whole, "nanos": min(int((seconds - whole) * 1e9), 999_999_999)}


def _duration(seconds: float) -> dict[str, int]:
    return _time(max(seconds, 0.0))


def _meta() -> Envelope:
    return {
        "meta": {
            "protocolVersion": PROTOCOL_VERSION,
            "implementation": {
                "name": "pytest-bdd-toolkit",
                "version": pytest_bdd_toolkit.__version__,
            },
            "runtime": {
                "name": platform.python_implementation(),
                "version": platform.python_version(),
            },
            "os": {"name": platform.system() or "unknown", "version": platform.release()},
            "cpu": {"name": platform.machine() or "unknown"},
        }
    }


class _Definitions:
    """The step definitions of a run, each given an id the first time a step uses it."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], str] = {}
        self.messages: list[Envelope] = []

    def id_of(self, definition: StepDefinitionInfo) -> str:
        key = (definition.location, definition.pattern)
        if key not in self.ids:
            self.ids[key] = f"step-definition-{len(self.ids) + 1}"
            path, _, line = definition.location.rpartition(":")
            kind = "REGULAR_EXPRESSION" if definition.regular_expression else "CUCUMBER_EXPRESSION"
            self.messages.append(
                {
                    "stepDefinition": {
                        "id": self.ids[key],
                        "pattern": {"source": definition.pattern, "type": kind},
                        "sourceReference": {"uri": path, "location": {"line": int(line or 0)}},
                    }
                }
            )
        return self.ids[key]


HOOKS = {
    "setup": {"id": "hook-setup", "type": "BEFORE_TEST_CASE", "name": "pytest set-up"},
    "call": {"id": "hook-call", "type": "BEFORE_TEST_CASE", "name": "pytest-bdd before scenario"},
    "teardown": {"id": "hook-teardown", "type": "AFTER_TEST_CASE", "name": "pytest teardown"},
}


def _test_case(
    scenario: ScenarioResult, pickle: gherkin.Node, number: int, ids: _Definitions
) -> Envelope:
    steps: list[dict[str, Any]] = []
    for index, (step, pickle_step) in enumerate(zip(scenario.steps, pickle["steps"], strict=False)):
        test_step: dict[str, Any] = {
            "id": f"test-case-{number}-step-{index}",
            "pickleStepId": pickle_step["id"],
        }
        defined = step.definition is not None and step.status != "undefined"
        test_step["stepDefinitionIds"] = [ids.id_of(step.definition)] if defined else []  # type: ignore[arg-type]
        test_step["stepMatchArgumentsLists"] = [{"stepMatchArguments": []}] if defined else []
        steps.append(test_step)
    if scenario.hook_phase:
        hook_step = {"id": f"test-case-{number}-hook", "hookId": HOOKS[scenario.hook_phase]["id"]}
        steps = [*steps, hook_step] if scenario.hook_phase == "teardown" else [hook_step, *steps]
    return {
        "testCase": {
            "id": f"test-case-{number}",
            "pickleId": pickle["id"],
            "testSteps": steps,
            "testRunStartedId": RUN_ID,
        }
    }


def _step_id(case: Envelope, index: int) -> str:
    return f"{case['testCase']['id']}-step-{index}"


def _status(scenario: ScenarioResult, status: str) -> str:
    if scenario.status == "xfailed" and status in ("failed", "undefined"):
        return "PENDING"  # work in progress that failed as expected, as in the Cucumber JSON
    return status.upper()


def _execution(scenario: ScenarioResult, case: Envelope, started: float) -> Iterator[Envelope]:
    started = scenario.started or started
    finished = started + scenario.duration
    case_started = f"{case['testCase']['id']}-started"
    opening: dict[str, Any] = {
        "id": case_started,
        "testCaseId": case["testCase"]["id"],
        "attempt": 0,
    }
    if scenario.worker:
        opening["workerId"] = scenario.worker
    yield {"testCaseStarted": {**opening, "timestamp": _time(started)}}
    by_step = {test_step["id"]: test_step for test_step in case["testCase"]["testSteps"]}
    steps = {_step_id(case, index): step for index, step in enumerate(scenario.steps)}
    for step_id in by_step:
        step = steps.get(step_id)
        begin = step.started if step and step.started else (started if step is None else finished)
        if step is None:  # the failing hook
            result = {
                "status": _status(scenario, "failed"),
                "duration": _duration(0),
                "message": scenario.hook_error or "",
            }
        else:
            result = {
                "status": _status(scenario, step.status),
                "duration": _duration(step.duration),
            }
            if step.error and step.status != "skipped":
                result["message"] = step.error
        ref = {"testCaseStartedId": case_started, "testStepId": step_id}
        yield {"testStepStarted": {**ref, "timestamp": _time(begin)}}
        end = begin + (step.duration if step else 0.0)
        yield {"testStepFinished": {**ref, "testStepResult": result, "timestamp": _time(end)}}
    yield {
        "testCaseFinished": {
            "testCaseStartedId": case_started,
            "timestamp": _time(finished),
            "willBeRetried": False,
        }
    }


def to_messages(run: Run, rootdir: Path) -> list[Envelope]:
    """Return the run as Cucumber Messages envelopes, in the order Cucumber writes them."""
    envelopes = [_meta()]
    scenarios = [s for s in run.ordered if s.pickle_id]
    files: dict[str, gherkin.GherkinFile] = {}
    for scenario in scenarios:
        uri = scenario.feature.uri
        if uri not in files and (rootdir / uri).is_file():
            files[uri] = gherkin.load(str(rootdir / uri), uri)
    wanted = {s.pickle_id for s in scenarios}
    pickles: dict[str, gherkin.Node] = {}
    for uri, parsed in files.items():
        envelopes.append(
            {
                "source": {
                    "uri": uri,
                    "data": parsed.source,
                    "mediaType": "text/x.cucumber.gherkin+plain",
                }
            }
        )
        envelopes.append({"gherkinDocument": parsed.document})
        for pickle in parsed.pickles:
            if pickle["id"] in wanted:
                pickles[pickle["id"]] = pickle
                envelopes.append({"pickle": pickle})
    definitions = _Definitions()
    cases = [
        (s, _test_case(s, pickles[s.pickle_id], number, definitions))
        for number, s in enumerate(scenarios, start=1)
        if s.pickle_id in pickles
    ]
    used_hooks = sorted({s.hook_phase for s, _ in cases if s.hook_phase})
    envelopes += definitions.messages
    envelopes += [{"hook": {**HOOKS[phase], "sourceReference": {}}} for phase in used_hooks]
    envelopes.append({"testRunStarted": {"timestamp": _time(run.started), "id": RUN_ID}})
    envelopes += [case for _, case in cases]
    for scenario, case in sorted(cases, key=lambda pair: pair[0].started):
        envelopes += _execution(scenario, case, run.started)
    success = not any(s.status in FAILING for s in run.scenarios)
    finished = {
        "timestamp": _time(run.started + run.duration),
        "success": success,
        "testRunStartedId": RUN_ID,
    }
    envelopes.append({"testRunFinished": finished})
    return envelopes


def write_messages(run: Run, path: Path, rootdir: Path) -> Path:
    """Write the run's Cucumber Messages to `path` as NDJSON, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(envelope, separators=(",", ":")) for envelope in to_messages(run, rootdir))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
