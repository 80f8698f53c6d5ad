"""The harness's options and guards: the database to run on, the Faker seeds, async steps.

Registered by the root conftest before the fixtures, so that every layer (the
specification and the tests below it) shares one run seed and one replay hint.
"""

import inspect
import os
import random
from collections import Counter
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step

from harness.seeds import FAKER_SEED_KEY, replay_command, replay_hint, run_seed, scenario_seed
from harness.target import TARGET_KEY, target_of


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
        "--live-server",
        action="store_true",
        help="start the store for real (uvicorn, an SMTP sink, the payment provider over "
        "HTTP) and run the scenarios against it over the network",
    )
    group.addoption(
        "--replicas",
        type=int,
        default=1,
        help="with --live-server: how many server processes share the one database; "
        "each request goes to the next in turn",
    )
    group.addoption(
        "--fast-hashing",
        action="store_true",
        help="with --live-server: the fast test password hashing, not production's Argon2id",
    )
    group.addoption(
        "--base-url",
        default=None,
        help="run the scenarios against a deployment already running at this URL, whose "
        "APP_* settings are in the environment",
    )
    group.addoption(
        "--mail-sink-port",
        type=int,
        default=None,
        help="with --base-url: run the suite's SMTP sink on this port, which the deployment "
        "sends its mail to",
    )
    group.addoption(
        "--provider-port",
        type=int,
        default=None,
        help="with --base-url: run the suite's payment provider on this port, which the "
        "deployment charges",
    )
    group.addoption(
        "--faker-seed",
        type=int,
        default=None,
        help="the run's Faker seed, to replay a run exactly (default: a new one each run)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Choose where the store runs and the run's Faker seed (on an xdist worker, the
    controller's), and register the scenario fixtures for where the store runs."""
    target = target_of(config)
    config.stash[TARGET_KEY] = target
    config.pluginmanager.import_plugin(
        "harness.live.scenario" if target.live else "harness.scenario"
    )
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


# What a scenario's tag says it needs, and why a store running on its own cannot give it.
IN_PROCESS_ONLY = {
    "fake_clock": "moves the store's clock on by minutes (@fake_clock): only in process",
    "in_process": "injects a fault into the store's process (@in_process): only in process",
    "short_body": "sends less body than it says it will (@short_body), which an HTTP client"
    " over TCP refuses to: only in process",
}
EMPTY_STORE = "needs a store with nothing in it (@empty_store): not against a deployment"
SERVER_PROCESSES = (
    "kills one of the store's server processes (@server_processes): only with --live-server"
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip, with its reason, each scenario whose tag asks what the store's target lacks."""
    target = config.stash[TARGET_KEY]
    for item in items:
        if target.kind != "live server" and item.get_closest_marker("server_processes"):
            item.add_marker(pytest.mark.skip(reason=SERVER_PROCESSES))
        if not target.live:
            continue
        for tag, reason in IN_PROCESS_ONLY.items():
            if item.get_closest_marker(tag) is not None:
                item.add_marker(pytest.mark.skip(reason=reason))
        if target.kind == "deployment" and item.get_closest_marker("empty_store") is not None:
            item.add_marker(pytest.mark.skip(reason=EMPTY_STORE))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Say where the store ran, and how many tests were skipped, and why."""
    target = config.stash[TARGET_KEY]
    where = {
        "in process": "in process",
        "live server": f"live server, {len(target.replicas)} replica(s), "
        f"{target.settings.database_url.split(':', 1)[0]}, "
        f"{target.settings.password_hash_profile} password hashing",
        "deployment": f"the deployment at {', '.join(target.origins)}",
    }[target.kind]
    reports = [r for r in terminalreporter.stats.get("skipped", []) if r.when != "teardown"]
    counts = Counter(_skip_reason(r) for r in reports)
    ran = sum(len(terminalreporter.stats.get(key, [])) for key in ("passed", "failed"))
    terminalreporter.section("where the store ran")
    terminalreporter.write_line(f"{where}: {len(reports)} skipped of {ran + len(reports)} tests")
    for reason, count in counts.most_common():
        terminalreporter.write_line(f"  {count} skipped: {reason}")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)
