"""The harness's options and guards: the database to run on, the Faker seeds, async steps.

Registered by the root conftest before the fixtures, so that every layer (the
specification and the tests below it) shares one run seed and one replay hint.
"""

import inspect
import os
import random
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from harness.seeds import FAKER_SEED_KEY, replay_command, replay_hint, run_seed, scenario_seed


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the harness's options."""
    group = parser.getgroup("harness", "the specification's harness")
    group.addoption(
        "--database-url",
        default=os.environ.get("STOREFRONT_TEST_DATABASE_URL"),
        help="run the scenarios on this PostgreSQL server, a database per worker emptied "
        "after each scenario (default: a fresh in-memory SQLite copy per scenario)",
    )
    group.addoption(
        "--faker-seed",
        type=int,
        default=None,
        help="the run's Faker seed, to replay a run exactly (default: a new one each run)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Choose the run's Faker seed, or take the controller's on an xdist worker."""
    seed = config.getoption("--faker-seed")
    worker_input: dict[str, Any] | None = getattr(config, "workerinput", None)
    if seed is None and worker_input is not None:
        seed = worker_input["faker_seed"]
    if seed is None:
        seed = random.SystemRandom().randrange(10**9)
    config.stash[FAKER_SEED_KEY] = seed


def pytest_configure_node(node: Any) -> None:
    """Hand the controller's Faker seed to every pytest-xdist worker."""
    node.workerinput["faker_seed"] = node.config.stash[FAKER_SEED_KEY]


def pytest_report_header(config: pytest.Config) -> str:
    """Name the run's Faker seed."""
    seed = config.stash[FAKER_SEED_KEY]
    return f"faker seed: {seed} (replay this run with --faker-seed {seed})"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Hand every test's seed and replay command to the reports, as user properties."""
    item.user_properties.append(("faker_seed", scenario_seed(item.config, item.nodeid)))
    item.user_properties.append(("replay", replay_command(item.config, item.nodeid)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Print how to replay a failure with the same Faker data."""
    report = yield
    if report.failed:
        report.sections.append(("Faker seed", replay_hint(item.config, item.nodeid)))
    return report


def pytest_bdd_before_step_call(
    request: pytest.FixtureRequest,
    feature: Feature,
    scenario: Scenario,
    step: Step,
    step_func: Any,
    step_func_args: dict[str, Any],
) -> None:
    """Fail loudly on an `async def` step: pytest-bdd would not await it and it would pass."""
    if inspect.iscoroutinefunction(inspect.unwrap(step_func)):
        raise TypeError(
            f"step {step.name!r} is defined with 'async def' ({step_func.__qualname__}); "
            "steps are synchronous and call the service through the `api` fixture"
        )


@pytest.hookimpl(optionalhook=True)
def pytest_bdd_toolkit_run_facts(config: pytest.Config) -> dict[str, str | int] | None:
    """Hand the run's Faker seed to the living documentation's header."""
    return {"Faker seed": run_seed(config)}
