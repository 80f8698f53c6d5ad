"""One failing and one undefined scenario, seen the same way by every report, serial and on -n 2.

A throwaway pytest-bdd project in a temporary folder, run in a subprocess with
every report: the terminal, Cucumber JSON, Cucumber Messages, JUnit XML and
the living documentation must each show exactly one failed and one
undefined scenario, at the right lines. The messages are checked against
the official schema of `@cucumber/messages` and rendered by
`@cucumber/html-formatter` when `scripts/cucumber_tools.sh` installed them.
"""

from __future__ import annotations

import functools
import json
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bdd_project import run_pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TOOLS = Path(__file__).resolve().parents[3] / ".cucumber-tools"
SCHEMA = TOOLS / "node_modules/@cucumber/messages/messages.schema.json"
FORMATTER = TOOLS / "cucumber-html-formatter"
NO_TOOLS = "no Cucumber tools: run `bash scripts/cucumber_tools.sh` (needs node and npm)"

FEATURE = """\
@till
Feature: The till
  Rule: The till adds up

    @smoke
    Scenario: Bob pays for two items
      Given Bob's basket holds
        | item  | price |
        | tea   | 2     |
        | scone | 3     |
      Then Bob pays 5

    Scenario: Bob is charged wrongly
      Given Bob's basket holds
        | item | price |
        | tea  | 2     |
      Then Bob pays 3

    @receipt
    Scenario Outline: Bob gets a receipt for <item>
      Given Bob's basket holds
        | item   | price |
        | <item> | 1     |
      When the till prints
        \"\"\"
        Receipt for <item>
        \"\"\"
      Then Bob pays 1

      @morning
      Examples: breakfast
        | item  |
        | tea   |

      Examples:
        | item  |
        | scone |

  Rule: Vouchers
    Scenario: Bob uses a voucher
      Given Bob has a voucher
      Then Bob pays 0
"""
FAILED_LINE, UNDEFINED_LINE, UNDEFINED_STEP_LINE = 13, 40, 41

STEPS = """\
from pytest_bdd import given, parsers, scenarios, then, when

scenarios("till.feature")


@given("Bob's basket holds", target_fixture="basket")
def basket(datatable):
    return [int(price) for _item, price in datatable[1:]]


@when("the till prints")
def prints(docstring):
    assert docstring.startswith("Receipt for")


@then(parsers.parse("Bob pays {total:d}"))
def pays(basket, total):
    assert sum(basket) == total, f"Bob paid {sum(basket)}, not {total}"
"""

INI = """\
[pytest]
bdd_features_base_dir = features/
addopts = -p no:randomly -p no:cacheprovider -p no:faker -p no:asyncio
markers =
    till: the till
    smoke: fast
    receipt: receipts
    morning: mornings
"""


@functools.cache
def _run(root: Path, workers: tuple[str, ...]) -> tuple[subprocess.CompletedProcess[str], Path]:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in {
        "pytest.ini": INI,
        "features/till.feature": FEATURE,
        "test_till.py": STEPS,
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    reports = root / "reports"
    result = run_pytest(
        root,
        *workers,
        "--gherkin-terminal-reporter",
        "-v",
        f"--cucumberjson={reports}/cucumber.json",
        f"--cucumber-messages={reports}/messages.ndjson",
        f"--junitxml={reports}/junit.xml",
        f"--living-doc={reports}/living-doc.html",
    )
    return result, reports


@pytest.fixture(scope="module", params=[(), ("-n", "2")], ids=["serial", "xdist"])
def till(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The till project, run once with every report."""
    mode = "xdist" if request.param else "serial"
    return _run(tmp_path_factory.getbasetemp() / f"till-{mode}", request.param)


def _messages(reports: Path) -> list[dict[str, Any]]:
    lines = (reports / "messages.ndjson").read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_the_terminal_counts_one_failed_and_one_undefined(till: Any) -> None:
    result, _ = till

    assert result.returncode == 1  # an undefined step fails the run
    assert "1 failed, 3 passed, 1 undefined" in result.stdout, result.stdout
    assert (
        "UNDEFINED test_till.py::test_bob_uses_a_voucher - "
        f"features/till.feature:{UNDEFINED_STEP_LINE}: Given Bob has a voucher" in result.stdout
    )


def test_the_cucumber_json_has_one_failed_and_one_undefined_at_their_lines(till: Any) -> None:
    [feature] = json.loads((till[1] / "cucumber.json").read_text())
    statuses = {
        e["line"]: {step["result"]["status"] for step in e["steps"]} for e in feature["elements"]
    }

    assert [line for line, s in statuses.items() if "failed" in s] == [FAILED_LINE]
    assert [line for line, s in statuses.items() if "undefined" in s] == [UNDEFINED_LINE]
    voucher = feature["elements"][-1]["steps"]
    assert voucher[1]["result"]["status"] == "skipped"
    assert voucher[1]["match"]["location"] == "test_till.py:16"
    failed = feature["elements"][1]["steps"][1]["result"]["error_message"]
    assert 'File "test_till.py", line 18, in pays' in failed
    assert "AssertionError: Bob paid 2, not 3" in failed
    assert "call_fixture_func" not in failed and "_pytest" not in failed


def test_the_cucumber_json_carries_rows_tags_tables_and_doc_strings(till: Any) -> None:
    [feature] = json.loads((till[1] / "cucumber.json").read_text())
    tea, scone = feature["elements"][2], feature["elements"][3]

    assert (tea["line"], scone["line"]) == (33, 37)
    assert tea["id"] == "the-till;bob-gets-a-receipt-for-<item>;breakfast;2"
    assert scone["id"] == "the-till;bob-gets-a-receipt-for-<item>;;2"
    assert tea["tags"] == [
        {"name": "@till", "line": 1},
        {"name": "@receipt", "line": 19},
        {"name": "@morning", "line": 30},
    ]
    assert tea["steps"][0]["rows"] == [{"cells": ["item", "price"]}, {"cells": ["tea", "1"]}]
    assert tea["steps"][1]["doc_string"] == {
        "line": 25,
        "content_type": "",
        "value": "Receipt for tea",
    }


def test_the_junit_xml_reads_like_the_specification(till: Any) -> None:
    cases = ET.parse(till[1] / "junit.xml").getroot().findall(".//testcase")
    failures = [(c.get("name"), f.get("type")) for c in cases for f in c.findall("failure")]

    assert len(cases) == 5
    # Under pytest-xdist, test cases are written in the order they finish.
    assert sorted(failures) == [
        ("Bob is charged wrongly", None),
        ("Bob uses a voucher", "undefined"),
    ]
    assert {c.get("classname") for c in cases} == {
        "The till › The till adds up",
        "The till › Vouchers",
    }
    names = {c.get("name") for c in cases}
    assert "Bob gets a receipt for tea [item: tea]" in names


def test_the_living_doc_shows_one_failed_and_one_undefined(till: Any) -> None:
    html = (till[1] / "living-doc.html").read_text()

    assert html.count('data-status="failed"') == 1 and html.count('data-status="undefined"') == 1
    assert f"features/till.feature:{FAILED_LINE})" in html
    assert f"features/till.feature:{UNDEFINED_LINE}) (undefined step)" in html
    assert html.count("Bob paid 2, not 3") == 1


def test_the_messages_have_every_kind_with_consistent_ids(till: Any) -> None:
    messages = _messages(till[1])
    kinds = Counter(next(iter(m)) for m in messages)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        [(kind, body)] = message.items()
        by_kind.setdefault(kind, []).append(body)

    assert kinds["meta"] == kinds["testRunStarted"] == kinds["testRunFinished"] == 1
    assert kinds["pickle"] == kinds["testCase"] == kinds["testCaseStarted"] == 5
    assert kinds["testStepStarted"] == kinds["testStepFinished"] == 12
    pickles = {p["id"] for p in by_kind["pickle"]}
    cases = {c["id"]: c for c in by_kind["testCase"]}
    assert {c["pickleId"] for c in cases.values()} == pickles
    started = {s["id"]: s["testCaseId"] for s in by_kind["testCaseStarted"]}
    assert set(started.values()) == set(cases)
    steps = {step["id"] for c in cases.values() for step in c["testSteps"]}
    assert {s["testStepId"] for s in by_kind["testStepFinished"]} == steps
    definitions = {d["id"] for d in by_kind["stepDefinition"]}
    used = {i for c in cases.values() for step in c["testSteps"] for i in step["stepDefinitionIds"]}
    assert used == definitions
    statuses = Counter(s["testStepResult"]["status"] for s in by_kind["testStepFinished"])
    assert statuses == {"PASSED": 9, "FAILED": 1, "UNDEFINED": 1, "SKIPPED": 1}
    assert by_kind["testRunFinished"][0]["success"] is False


@pytest.mark.skipif(not SCHEMA.is_file(), reason=NO_TOOLS)
def test_every_message_validates_against_the_official_schema(till: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))

    errors = [
        f"{next(iter(m))}: {e.message}"
        for m in _messages(till[1])
        for e in validator.iter_errors(m)
    ]
    assert errors == []
    assert list(validator.iter_errors({"testCase": {"id": "no pickle, no steps"}}))


@pytest.mark.skipif(not FORMATTER.is_file(), reason=NO_TOOLS)
def test_the_official_html_formatter_renders_the_messages(till: Any) -> None:
    ndjson = (till[1] / "messages.ndjson").read_text()

    done = subprocess.run(
        [str(FORMATTER)], input=ndjson, capture_output=True, text=True, check=False, timeout=120
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<!DOCTYPE html>") and "Bob uses a voucher" in done.stdout
