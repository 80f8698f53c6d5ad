"""The plugin end to end, serial and under pytest-xdist, on a small project of every outcome.

The project runs in a subprocess: a passing, a failing and an outline scenario
under one rule; a scenario whose first step is undefined, one whose setup
fails, and two @wip ones (one fails as expected, one passes) under another.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]

FEATURE = """\
@shop
Feature: Shopping
  Alice fills her cart.

  Rule: A cart holds what was put in it

    @smoke
    Scenario: Alice adds a product
      Given Alice has a cart
      When Alice adds 2 apples
      Then the cart holds 2 items

    Scenario: Alice miscounts
      Given Alice has a cart
      When Alice adds 2 apples
      Then the cart holds 3 items

    Scenario Outline: Alice adds <count> pears
      Given Alice has a cart
      When Alice adds <count> pears
      Then the cart holds <count> items

      Examples:
        | count |
        | 1     |
        | 3     |

  Rule: Work in progress

    Scenario: Alice pays with a voucher
      Given a voucher nobody wrote a step for
      Then the cart holds 0 items

    @wip
    Scenario: Alice redeems her points
      Given Alice has a cart
      When Alice redeems her points
      Then the cart holds 0 items

    @wip
    Scenario: Alice could already do this
      Given Alice has a cart
      Then the cart holds 0 items

    @closed
    Scenario: The shop is closed
      Given Alice has a cart
"""

CONFTEST = '''\
import pytest
from pytest_bdd import given, parsers, then, when

from steps.support.seeds import FAKER_SEED_KEY, scenario_seed

pytest_plugins = ["steps.reporting.plugin"]


def pytest_configure(config):
    config.stash[FAKER_SEED_KEY] = 7


@pytest.fixture(autouse=True)
def shop(request):
    seed = scenario_seed(request.config, request.node.nodeid)
    request.node.user_properties.append(("faker_seed", seed))
    if request.node.get_closest_marker("closed"):
        raise RuntimeError("the shop is closed")


@pytest.fixture
def cart():
    return []


@given("Alice has a cart")
def has_cart(cart):
    """Give Alice a cart."""


@when(parsers.parse("Alice adds {count:d} {what}"))
def adds(cart, count, what):
    cart.extend([what] * count)


@when("Alice redeems her points")
def redeems():
    raise NotImplementedError("points are not there yet")


@then(parsers.parse("the cart holds {count:d} items"))
def holds(cart, count):
    assert len(cart) == count, f"expected {count} items, found {len(cart)}"
'''

INI = """\
[pytest]
bdd_features_base_dir = features/
addopts = -p no:randomly -p no:cacheprovider -p no:faker -p no:asyncio
markers =
    wip: work in progress
    smoke: fast
    shop: shopping
    closed: the shop is closed
"""


@dataclass
class Outcome:
    """One run of the small project: its output and the files it wrote."""

    returncode: int
    output: str
    reports: Path

    def features(self) -> list[dict[str, Any]]:
        """Return the Cucumber JSON."""
        features: list[dict[str, Any]] = json.loads((self.reports / "cucumber.json").read_text())
        return features

    def cucumber(self) -> dict[str, list[str]]:
        """Return each scenario's step statuses from the Cucumber JSON."""
        features = self.features()
        return {
            e["name"]: [s["result"]["status"] for s in e["steps"]]
            for f in features
            for e in f["elements"]
        }


def _project(root: Path) -> Path:
    for name, text in {
        "pytest.ini": INI,
        "conftest.py": CONFTEST,
        "features/shop.feature": FEATURE,
        "spec/test_shop.py": 'from pytest_bdd import scenarios\n\nscenarios("shop.feature")\n',
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def _pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTEST_ADDOPTS", None)
    command = [sys.executable, "-m", "pytest", *args]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project, written once for the module."""
    return _project(tmp_path_factory.mktemp("shop"))


@pytest.fixture(scope="module", params=[[], ["-n", "2"]], ids=["serial", "xdist"])
def outcome(request: pytest.FixtureRequest, project: Path) -> Outcome:
    """The project run once with every report, serially or on two xdist workers."""
    return _run_once(project, tuple(request.param))


@functools.cache
def _run_once(project: Path, workers: tuple[str, ...]) -> Outcome:
    # Cached: a random test order may set the module's fixture up more than once per mode.
    reports = project / f"reports-{'xdist' if workers else 'serial'}" / "nested"
    result = _pytest(
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
    collected = _pytest(project, "--collect-only", "-q").stdout.count("::")

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
    assert steps["Alice pays with a voucher"] == ["failed", "skipped"]
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
    assert "2 failed, 3 passed, 1 xfailed, 1 xpassed, 1 error" in outcome.output
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

    assert f"{voucher} FAILED" in outcome.output
    assert f"{pears} PASSED" in outcome.output


def test_a_failing_scenario_carries_its_replay_hint(outcome: Outcome) -> None:
    html = (outcome.reports / "living-doc.html").read_text()

    assert "expected 3 items, found 2" in html
    assert (
        "replay with: pytest &#39;spec/test_shop.py::test_alice_miscounts&#39; --faker-seed 7"
        in html
    )
    assert "RuntimeError: the shop is closed" in html


def test_a_run_of_wip_only_passes(project: Path) -> None:
    result = _pytest(project, "-m", "wip", "-n", "2")

    assert result.returncode == 0, result.stdout
    assert "1 xfailed, 1 xpassed" in result.stdout
    assert "PASSED UNEXPECTEDLY" in result.stdout


def test_very_verbose_shows_every_step_even_after_an_undefined_one(project: Path) -> None:
    result = _pytest(project, "-n", "2", "--gherkin-terminal-reporter", "-vv", "-k", "voucher")

    assert (
        "        Scenario: Alice pays with a voucher\n"
        "            Given a voucher nobody wrote a step for\n"
        "            Then the cart holds 0 items\n"
        "        FAILED"
    ) in result.stdout, result.stdout


def test_a_scenario_that_crashes_its_worker_is_still_reported(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "features/shop.feature").write_text(
        "Feature: Crashing\n"
        "  Scenario: A scenario that runs\n    Given Alice has a cart\n"
        "  Scenario: A scenario that kills its worker\n    Given the worker dies\n"
    )
    steps = '\n\n@given("the worker dies")\ndef dies():\n    import os\n    os._exit(1)\n'
    (project / "conftest.py").write_text(CONFTEST + steps)

    result = _pytest(project, "-n", "2", "--cucumberjson=reports/cucumber.json")

    assert result.returncode == 1, result.stdout
    [feature, crashed] = json.loads((project / "reports/cucumber.json").read_text())
    assert [e["name"] for e in feature["elements"]] == ["A scenario that runs"]
    [element] = crashed["elements"]
    assert element["name"] == "spec/test_shop.py::test_a_scenario_that_kills_its_worker"
    assert element["before"][0]["result"]["status"] == "failed"
    assert "crashed" in element["before"][0]["result"]["error_message"]
