"""A small pytest-bdd project of every outcome, run in a subprocess with the toolkit installed.

A passing, a failing and an outline scenario under one rule; a scenario whose
first step is undefined, one whose setup fails, and two @wip ones (one fails
as expected, one passes) under another. Its conftest plays the harness: it
sets each test's seed and replay command, and tells the run's seed by the
toolkit's hook.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
import zlib

import pytest
from pytest_bdd import given, parsers, then, when

RUN_SEED = 7


@pytest.hookimpl(optionalhook=True)
def pytest_bdd_toolkit_run_facts(config):
    return {"Faker seed": RUN_SEED}


@pytest.fixture(autouse=True)
def shop(request):
    node = request.node
    node.user_properties.append(("faker_seed", zlib.crc32(f"{RUN_SEED}:{node.nodeid}".encode())))
    node.user_properties.append(("again", f"pytest '{node.nodeid}' --faker-seed {RUN_SEED}"))
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
bdd_report_title = Shop: living documentation
bdd_replay_property = again
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


def write_project(root: Path) -> Path:
    """Write the small project into `root`."""
    for name, text in {
        "pytest.ini": INI,
        "conftest.py": CONFTEST,
        "features/shop.feature": FEATURE,
        "spec/test_shop.py": 'from pytest_bdd import scenarios\n\nscenarios("shop.feature")\n',
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def run_pytest(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pytest on the project in a subprocess, as a user would."""
    # The plugin loads by its entry point, as in any project that installs it.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    # Plugins the environment may have installed that the small project never uses; each
    # costs its import (about 0.6 s) in every run. Naming one that is not installed is fine.
    env["PYTEST_ADDOPTS"] = "-p no:schemathesis -p no:hypothesispytest -p no:faker"
    command = [sys.executable, "-m", "pytest", *args]
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
