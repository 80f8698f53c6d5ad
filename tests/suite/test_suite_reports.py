"""Storefront's reports agree with the official Gherkin parser, pickle by pickle.

Every feature file of `features/` is parsed with `gherkin-official` (the
parser pytest-bdd uses, the same as npm `@cucumber/gherkin`) and compiled to
pickles. The reports are not taken from a run of the real suite, which
would start the store for every scenario: a throwaway project in a temporary
folder binds the same feature files with one catch-all step per keyword, so
that every scenario runs (and passes) in a few seconds, and the toolkit
writes its Cucumber JSON and Messages. Each report entry is then compared
with its pickle: id, name, line, keyword, tags with their lines, and steps
with their keywords and lines. The formats' other promises (undefined steps,
failures, pytest-xdist, the official schema and HTML formatter) are checked
on small projects by the toolkit's own tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from gherkin.ast_builder import AstBuilder
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler
from gherkin.stream.id_generator import IdGenerator

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
FEATURES = sorted((ROOT / "features").glob("*.feature"))
CATCH_ALL = '''\
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("features")


@given(parsers.re(".*"))
@when(parsers.re(".*"))
@then(parsers.re(".*"))
def any_step():
    """Do nothing: the reports, not the store, are under test."""
'''
Node = dict[str, Any]


def _parse(path: Path) -> tuple[Node, list[Node]]:
    ids = IdGenerator()
    document: Node = dict(Parser(AstBuilder(ids)).parse(path.read_text(encoding="utf-8")))
    uri = f"features/{path.name}"
    pickles = [dict(p) for p in Compiler(ids).compile({**document, "uri": uri})]  # type: ignore[typeddict-item]
    return document, pickles


def _walk(node: Node, found: dict[str, Node]) -> None:
    """Index every node of a Gherkin document that has an id."""
    for key, value in node.items():
        if isinstance(value, dict):
            _walk(value, found)
        elif isinstance(value, list):
            for child in value:
                if isinstance(child, dict):
                    _walk(child, found)
        if key == "id" and isinstance(value, str):
            found[value] = node


def _cucumber_id(name: str) -> str:
    return name.lower().replace(" ", "-")


def _expected(feature: Node, pickle: Node, nodes: dict[str, Node]) -> dict[str, Any]:
    """Say what Cucumber's JSON formatter writes for a pickle."""
    scenario = nodes[pickle["astNodeIds"][0]]
    element_id = f"{_cucumber_id(feature['name'])};{_cucumber_id(scenario['name'])}"
    line = scenario["location"]["line"]
    if len(pickle["astNodeIds"]) > 1:
        row_id = pickle["astNodeIds"][1]
        for examples in scenario["examples"]:
            rows = [row["id"] for row in examples["tableBody"]]
            if row_id in rows:
                element_id += f";{_cucumber_id(examples['name'])};{rows.index(row_id) + 2}"
                line = nodes[row_id]["location"]["line"]
    steps = [nodes[step["astNodeIds"][0]] for step in pickle["steps"]]
    return {
        "id": element_id,
        "name": pickle["name"],
        "line": line,
        "keyword": scenario["keyword"],
        "tags": [(t["name"], nodes[t["astNodeId"]]["location"]["line"]) for t in pickle["tags"]],
        "steps": [
            (written["keyword"], step["text"], written["location"]["line"])
            for step, written in zip(pickle["steps"], steps, strict=True)
        ],
    }


def _written(element: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": element["id"],
        "name": element["name"],
        "line": element["line"],
        "keyword": element["keyword"],
        "tags": [(t["name"], t["line"]) for t in element["tags"]],
        "steps": [(s["keyword"], s["name"], s["line"]) for s in element["steps"]],
    }


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run every feature of the specification with catch-all steps; return the reports' folder."""
    project = tmp_path_factory.mktemp("specification")
    shutil.copytree(
        ROOT / "features", project / "features", ignore=shutil.ignore_patterns("*.toml")
    )
    tags = sorted({t["name"][1:] for path in FEATURES for t in _tags(_parse(path)[1])})
    markers = "".join(f"\n    {tag}: a tag of the specification" for tag in tags)
    (project / "pytest.ini").write_text(
        "[pytest]\nbdd_features_base_dir = .\n"
        "addopts = -p no:randomly -p no:cacheprovider -p no:faker -p no:asyncio"
        " -p no:schemathesis -p no:hypothesispytest\n"
        f"markers ={markers}\n"
    )
    (project / "test_specification.py").write_text(CATCH_ALL)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "--cucumberjson=reports/cucumber.json",
        "--cucumber-messages=reports/messages.ndjson",
    ]
    done = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return project / "reports"


def _tags(pickles: list[Node]) -> list[Node]:
    return [tag for pickle in pickles for tag in pickle["tags"]]


def test_every_feature_file_is_there_to_compare() -> None:
    assert len(FEATURES) >= 10


def test_the_cucumber_json_matches_the_official_pickles_one_by_one(reports: Path) -> None:
    features = {f["uri"]: f for f in json.loads((reports / "cucumber.json").read_text())}
    differences: list[str] = []
    compared = 0
    for path in FEATURES:
        document, pickles = _parse(path)
        nodes: dict[str, Node] = {}
        _walk(document, nodes)
        uri = f"features/{path.name}"
        feature = features.get(uri, {"elements": [], "tags": []})
        wanted_tags = [(t["name"], t["location"]["line"]) for t in document["feature"]["tags"]]
        if [(t["name"], t["line"]) for t in feature["tags"]] != wanted_tags:
            differences.append(f"{uri}: feature tags {feature['tags']} != {wanted_tags}")
        if len(feature["elements"]) != len(pickles):
            differences.append(
                f"{uri}: {len(feature['elements'])} elements, {len(pickles)} pickles"
            )
        for element, pickle in zip(feature["elements"], pickles, strict=False):
            compared += 1
            expected, written = _expected(document["feature"], pickle, nodes), _written(element)
            differences += [
                f"{uri}:{expected['line']} {key}: {written[key]!r} != {value!r}"
                for key, value in expected.items()
                if written[key] != value
            ]

    assert differences == []
    assert compared == sum(len(_parse(path)[1]) for path in FEATURES)


def test_the_cucumber_messages_hold_one_test_case_per_pickle(reports: Path) -> None:
    messages = [json.loads(line) for line in (reports / "messages.ndjson").read_text().splitlines()]
    pickles = [m["pickle"] for m in messages if "pickle" in m]
    cases = [m["testCase"] for m in messages if "testCase" in m]
    official = [p for path in FEATURES for p in _parse(path)[1]]

    assert [(p["uri"], p["name"]) for p in pickles] == [(p["uri"], p["name"]) for p in official]
    assert sorted(c["pickleId"] for c in cases) == sorted(p["id"] for p in pickles)
