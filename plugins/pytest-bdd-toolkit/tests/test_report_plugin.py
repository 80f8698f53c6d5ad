"""The plugin end to end, serial and under pytest-xdist, on a small project of every outcome.

The project (`bdd_project.py`) runs in a subprocess, with the toolkit loaded by
its entry point as in any project that installs it.
"""

from __future__ import annotations

import functools
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bdd_project import CONFTEST, Outcome, run_pytest, write_project

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project, written once for the module."""
    return write_project(tmp_path_factory.mktemp("shop"))


@pytest.fixture(scope="module", params=[[], ["-n", "2"]], ids=["serial", "xdist"])
def outcome(request: pytest.FixtureRequest, project: Path) -> Outcome:
    """The project run once with every report, serially or on two xdist workers."""
    return _run_once(project, tuple(request.param))


@functools.cache
def _run_once(project: Path, workers: tuple[str, ...]) -> Outcome:
    # Cached: a random test order may set the module's fixture up more than once per mode.
    reports = project / f"reports-{'xdist' if workers else 'serial'}" / "nested"
    result = run_pytest(
        project,
        *workers,
        "--gherkin-terminal-reporter",
        "-v",
        f"--cucumberjson={reports}/cucumber.json",
        f"--junitxml={reports}/junit.xml",
        f"--living-doc={reports}/living-doc.html",
    )
    return Outcome(result.returncode, result.stdout + result.stderr, reports)


def test_every_collected_scenario_is_in_every_report(project: Path, outcome: Outcome) -> None:
    collected = run_pytest(project, "--collect-only", "-q").stdout.count("::")

    assert collected == 8
    assert len(outcome.cucumber()) == collected, outcome.output
    junit = ET.parse(outcome.reports / "junit.xml").getroot()
    assert len(junit.findall(".//testcase")) == collected
    html = (outcome.reports / "living-doc.html").read_text()
    assert html.count('<article class="scenario') == collected


def test_each_outcome_shows_in_the_cucumber_json(outcome: Outcome) -> None:
    steps = outcome.cucumber()

    assert steps["Alice adds a product"] == ["passed"] * 3
    assert steps["Alice miscounts"] == ["passed", "passed", "failed"]
    assert steps["Alice adds 3 pears"] == ["passed"] * 3
    assert steps["Alice pays with a voucher"] == ["undefined", "skipped"]
    assert steps["The shop is closed"] == ["skipped"]
    [closed] = [
        e for f in outcome.features() for e in f["elements"] if e["name"] == "The shop is closed"
    ]
    assert closed["before"][0]["result"]["status"] == "failed"
    assert "RuntimeError: the shop is closed" in closed["before"][0]["result"]["error_message"]
    assert steps["Alice redeems her points"] == ["passed", "pending", "skipped"]
    assert steps["Alice could already do this"] == ["passed", "passed"]


def test_wip_never_blocks_but_an_unexpected_pass_is_flagged(outcome: Outcome) -> None:
    assert outcome.returncode == 1  # for the failing scenarios, not for the @wip ones
    assert "1 failed, 3 passed, 1 xfailed, 1 xpassed, 1 error, 1 undefined" in outcome.output
    assert "1 @wip scenario(s) PASSED UNEXPECTEDLY" in outcome.output
    assert "XPASS(@wip) spec/test_shop.py::test_alice_could_already_do_this" in outcome.output
    assert "1 @wip scenario(s) failed as expected (not blocking)" in outcome.output
    html = (outcome.reports / "living-doc.html").read_text()
    assert "1 @wip scenario(s) passed unexpectedly" in html


def test_the_gherkin_reporter_shows_features_rules_and_outlines(outcome: Outcome) -> None:
    voucher = (
        "Feature: Shopping\n  Rule: Work in progress\n        Scenario: Alice pays with a voucher"
    )
    pears = "  Rule: A cart holds what was put in it\n        Scenario Outline: Alice adds 3 pears"

    assert f"{voucher} UNDEFINED" in outcome.output
    assert f"{pears} PASSED" in outcome.output


def test_a_failing_scenario_carries_its_replay_hint(outcome: Outcome) -> None:
    html = (outcome.reports / "living-doc.html").read_text()

    assert "expected 3 items, found 2" in html
    assert (
        "Replay with the same data: <code>pytest "
        "&#39;spec/test_shop.py::test_alice_miscounts&#39; --faker-seed 7</code>"
    ) in html
    assert "RuntimeError: the shop is closed" in html


def test_the_project_names_the_report_and_tells_what_it_knows_of_the_run(
    outcome: Outcome,
) -> None:
    html = (outcome.reports / "living-doc.html").read_text()

    assert "<title>Shop: living documentation</title>" in html
    assert "; Faker seed 7.</p>" in html


def test_a_run_of_wip_only_passes(project: Path) -> None:
    result = run_pytest(project, "-m", "wip", "-n", "2")

    assert result.returncode == 0, result.stdout
    assert "1 xfailed, 1 xpassed" in result.stdout
    assert "PASSED UNEXPECTEDLY" in result.stdout


def test_the_summary_line_counts_an_undefined_scenario_that_comes_last(project: Path) -> None:
    # The order in which outcomes first appear must not change the summary line.
    chosen = ("-p", "no:randomly", "-k", "product or voucher")
    result = run_pytest(project, *chosen, "--gherkin-terminal-reporter", "-v")

    assert result.returncode == 1
    assert "= 1 passed, 6 deselected, 1 undefined in " in result.stdout, result.stdout


def test_very_verbose_shows_every_step_even_after_an_undefined_one(project: Path) -> None:
    result = run_pytest(project, "-n", "2", "--gherkin-terminal-reporter", "-vv", "-k", "voucher")

    assert (
        "        Scenario: Alice pays with a voucher\n"
        "            Given a voucher nobody wrote a step for\n"
        "            Then the cart holds 0 items\n"
        "        UNDEFINED"
    ) in result.stdout, result.stdout


def test_a_scenario_that_crashes_its_worker_is_still_reported(tmp_path: Path) -> None:
    project = write_project(tmp_path)
    (project / "features/shop.feature").write_text(
        "Feature: Crashing\n"
        "  Scenario: A scenario that runs\n    Given Alice has a cart\n"
        "  Scenario: A scenario that kills its worker\n    Given the worker dies\n"
    )
    steps = '\n\n@given("the worker dies")\ndef dies():\n    import os\n    os._exit(1)\n'
    (project / "conftest.py").write_text(CONFTEST + steps)

    result = run_pytest(project, "-n", "2", "--cucumberjson=reports/cucumber.json")

    assert result.returncode == 1, result.stdout
    [feature, crashed] = json.loads((project / "reports/cucumber.json").read_text())
    assert [e["name"] for e in feature["elements"]] == ["A scenario that runs"]
    [element] = crashed["elements"]
    assert element["name"] == "spec/test_shop.py::test_a_scenario_that_kills_its_worker"
    assert element["before"][0]["result"]["status"] == "failed"
    assert "crashed" in element["before"][0]["result"]["error_message"]
