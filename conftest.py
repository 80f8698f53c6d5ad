"""The harness of the executable specification.

One event loop runs for the whole session, in a thread behind an anyio blocking
portal; step functions stay synchronous and call into it. The app is built once
per process with the fake ports; every scenario gets a database copied from a
migrated template, a fresh run of the app's lifespan, a client, and a Faker
seeded from the scenario.
"""

import inspect
import os
import random
from collections.abc import Iterator
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from faker import Faker
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pytest_bdd.parser import Feature, Scenario, Step

from app.core.config import Settings
from app.core.db import Database
from app.main import create_app
from steps.support.api import Api
from steps.support.contract import ResponseContract
from steps.support.databases import MemoryDatabase, SchemaTemplate, ServerDatabase
from steps.support.fakes import FakeClock, FakeMailer, FakePaymentGateway
from steps.support.seeds import FAKER_SEED_KEY, replay_hint, scenario_seed
from steps.support.settings import scenario_settings
from steps.support.stores import Stores, running
from steps.support.world import World

pytest_plugins = [
    "steps.common_steps",
    "steps.registration_steps",
    "steps.authentication_steps",
    "steps.accounts_steps",
    "steps.errors_steps",
    "steps.catalogue_steps",
    "steps.ordering_steps",
    "steps.payments_steps",
    "steps.operations_steps",
    "steps.reporting.plugin",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-url",
        default=os.environ.get("STOREFRONT_TEST_DATABASE_URL"),
        help="run the scenarios on this PostgreSQL server, a database per worker emptied "
        "after each scenario (default: a fresh in-memory SQLite copy per scenario)",
    )
    parser.addoption(
        "--faker-seed",
        type=int,
        default=None,
        help="the run's Faker seed, to replay a run exactly (default: a new one each run)",
    )


def pytest_configure(config: pytest.Config) -> None:
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
    seed = config.stash[FAKER_SEED_KEY]
    return f"faker seed: {seed} (replay this run with --faker-seed {seed})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
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


# Session: one loop, one template, one app.


@pytest.fixture(scope="session")
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal(backend="asyncio") as portal:
        yield portal


@pytest.fixture(scope="session")
def settings() -> Settings:
    return scenario_settings()


@pytest.fixture(scope="session")
def schema_template(
    portal: BlockingPortal, tmp_path_factory: pytest.TempPathFactory
) -> SchemaTemplate:
    return portal.call(SchemaTemplate.build, tmp_path_factory.mktemp("schema"))


@pytest.fixture(scope="session")
def session_mailer() -> FakeMailer:
    return FakeMailer()


@pytest.fixture(scope="session")
def session_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def session_payments() -> FakePaymentGateway:
    return FakePaymentGateway()


@pytest.fixture(scope="session")
def app(
    settings: Settings,
    session_mailer: FakeMailer,
    session_clock: FakeClock,
    session_payments: FakePaymentGateway,
) -> FastAPI:
    return create_app(
        settings, mailer=session_mailer, clock=session_clock, payment_gateway=session_payments
    )


@pytest.fixture(scope="session")
def contract(app: FastAPI) -> ResponseContract:
    return ResponseContract(app.openapi())


@pytest.fixture(scope="session")
def memory_database(
    portal: BlockingPortal, schema_template: SchemaTemplate
) -> Iterator[MemoryDatabase]:
    database = schema_template.memory_database()
    yield database
    portal.call(database.dispose)


@pytest.fixture(scope="session")
def server_database(
    request: pytest.FixtureRequest, portal: BlockingPortal
) -> Iterator[ServerDatabase | None]:
    """The worker's database on the PostgreSQL server of --database-url, if one is named."""
    url = request.config.getoption("--database-url")
    if not url:
        yield None
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    database = portal.call(ServerDatabase.create, url, f"storefront_test_{worker}")
    yield database
    portal.call(database.dispose)


@pytest.fixture(scope="session")
def session_faker() -> Faker:
    return Faker("en_US")


# Scenario: a fresh database, lifespan, client and seed.


@pytest.fixture
def fake(request: pytest.FixtureRequest, session_faker: Faker) -> Faker:
    """Faker, seeded from the scenario so that a failure replays exactly."""
    seed = scenario_seed(request.config, request.node.nodeid)
    request.node.user_properties.append(("faker_seed", seed))
    session_faker.seed_instance(seed)
    session_faker.unique.clear()
    return session_faker


@pytest.fixture
def database(
    request: pytest.FixtureRequest,
    portal: BlockingPortal,
    schema_template: SchemaTemplate,
    memory_database: MemoryDatabase,
    server_database: ServerDatabase | None,
) -> Iterator[Database]:
    """The scenario's own database; a file with many connections for @concurrent ones."""
    if server_database is not None:
        try:
            yield server_database
        finally:
            portal.call(server_database.reset)
        return
    if request.node.get_closest_marker("concurrent") is None:
        try:
            yield memory_database
        finally:
            portal.call(memory_database.reset)
        return
    database = schema_template.file_database(request.getfixturevalue("tmp_path"))
    try:
        yield database
    finally:
        portal.call(database.dispose)


@pytest.fixture
def service(
    portal: BlockingPortal,
    app: FastAPI,
    database: Database,
    session_mailer: FakeMailer,
    session_clock: FakeClock,
    session_payments: FakePaymentGateway,
) -> Iterator[FastAPI]:
    """The app, its lifespan running on the scenario's database and fakes."""
    session_mailer.reset()
    session_clock.reset()
    session_payments.reset()
    app.state.database = database
    try:
        with portal.wrap_async_context_manager(running(app)):
            yield app
    finally:
        app.state.database = None
        app.dependency_overrides.clear()


@pytest.fixture
def api(portal: BlockingPortal, service: FastAPI, contract: ResponseContract) -> Iterator[Api]:
    """The steps' client, speaking HTTP to the app in process."""
    client = AsyncClient(transport=ASGITransport(app=service), base_url="http://storefront.test")
    try:
        yield Api(portal=portal, client=client, contract=contract)
    finally:
        portal.call(client.aclose)


@pytest.fixture
def mailer(service: FastAPI, session_mailer: FakeMailer) -> FakeMailer:
    """The fake mail server, emptied for this scenario."""
    return session_mailer


@pytest.fixture
def payments(service: FastAPI, session_payments: FakePaymentGateway) -> FakePaymentGateway:
    """The fake payment provider, approving again and with an empty ledger."""
    return session_payments


@pytest.fixture
def clock(service: FastAPI, session_clock: FakeClock) -> FakeClock:
    """The scenario's clock, back at its start."""
    return session_clock


@pytest.fixture
def stores(portal: BlockingPortal, contract: ResponseContract) -> Iterator[Stores]:
    """Further store instances a scenario starts, stopped when it ends."""
    started = Stores(portal, contract)
    yield started
    started.close()


@pytest.fixture
def world(fake: Faker, api: Api) -> World:
    """What the scenario remembers between steps."""
    return World(fake=fake)
