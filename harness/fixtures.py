"""The harness's session fixtures: one loop, one template and one app per process; and the
scenario's seeded Faker, wherever the store runs.

The scenario's own fixtures, built on these, are in `harness.scenario`."""

import os
from collections.abc import Iterator
from functools import partial

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from faker import Faker
from fastapi import FastAPI

from app.core.config import Settings
from app.main import create_app
from harness.contract import ResponseContract
from harness.databases import MemoryDatabase, SchemaTemplate, ServerDatabase
from harness.fakes import FakeClock, FakeMailer, FakePaymentGateway
from harness.first_start import first_start
from harness.seeds import scenario_seed
from harness.target import TARGET_KEY


@pytest.fixture(scope="session")
def portal() -> Iterator[BlockingPortal]:
    """The session's event loop, in a thread; sync steps call into it."""
    with start_blocking_portal(backend="asyncio") as portal:
        yield portal


@pytest.fixture(scope="session")
def settings(request: pytest.FixtureRequest) -> Settings:
    """The settings of the scenarios' store: in process, or as a running store was given."""
    return request.config.stash[TARGET_KEY].settings


@pytest.fixture(scope="session")
def schema_template(
    portal: BlockingPortal, tmp_path_factory: pytest.TempPathFactory
) -> SchemaTemplate:
    """A database the migrations built once, for the tests below the specification."""
    return portal.call(SchemaTemplate.build, tmp_path_factory.mktemp("schema"))


@pytest.fixture(scope="session")
def store_template(
    portal: BlockingPortal, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> SchemaTemplate:
    """A migrated database the store has started on once, copied for every scenario."""
    prepare = partial(first_start, settings=settings)
    return portal.call(SchemaTemplate.build, tmp_path_factory.mktemp("store"), prepare)


@pytest.fixture(scope="session")
def session_mailer() -> FakeMailer:
    """The fake mail server the process's app sends to."""
    return FakeMailer()


@pytest.fixture(scope="session")
def session_clock() -> FakeClock:
    """The clock the process's app reads."""
    return FakeClock()


@pytest.fixture(scope="session")
def session_payments() -> FakePaymentGateway:
    """The fake payment provider the process's app charges."""
    return FakePaymentGateway()


@pytest.fixture(scope="session")
def app(
    settings: Settings,
    session_mailer: FakeMailer,
    session_clock: FakeClock,
    session_payments: FakePaymentGateway,
) -> FastAPI:
    """The store, built once per process with the fakes as its ports."""
    return create_app(
        settings, mailer=session_mailer, clock=session_clock, payment_gateway=session_payments
    )


@pytest.fixture(scope="session")
def contract(app: FastAPI) -> ResponseContract:
    """The response schemas of the store's own OpenAPI document."""
    return ResponseContract(app.openapi())


@pytest.fixture(scope="session")
def memory_database(
    portal: BlockingPortal, store_template: SchemaTemplate
) -> Iterator[MemoryDatabase]:
    """The process's in-memory database, reset to the template after each scenario."""
    database = store_template.memory_database()
    yield database
    portal.call(database.dispose)


@pytest.fixture(scope="session")
def server_database(
    request: pytest.FixtureRequest, portal: BlockingPortal
) -> Iterator[ServerDatabase | None]:
    """The process's database on the PostgreSQL server of --database-url, if one is named."""
    url = request.config.getoption("--database-url")
    if not url:
        yield None
        return
    # The process id too: two runs at once (two people, mutmut's children) never share one.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"storefront_test_{worker}_{os.getpid()}"
    database = portal.call(ServerDatabase.create, url, name)
    yield database
    portal.call(database.dispose)
    portal.call(ServerDatabase.drop, url, name)


@pytest.fixture(scope="session")
def session_faker() -> Faker:
    """One Faker for the process, seeded again for every scenario."""
    return Faker("en_US")


@pytest.fixture
def fake(request: pytest.FixtureRequest, session_faker: Faker) -> Faker:
    """Faker, seeded from the scenario so that a failure replays exactly."""
    session_faker.seed_instance(scenario_seed(request.config, request.node.nodeid))
    session_faker.unique.clear()
    return session_faker
