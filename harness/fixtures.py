"""The harness's fixtures: one loop, one template and one app per process; per scenario a
fresh database, a fresh run of the app's lifespan, a client and recorders emptied for it.

The fakes are the store's ports, so the store depends on them: each is emptied when the
scenario first needs it, before the store starts, and a Then that asks for one later gets
the same recorder, holding what the scenario did.
"""

import os
from collections.abc import Iterator
from functools import partial

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from faker import Faker
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.config import Settings
from app.core.db import Database
from app.main import create_app
from harness.api import Api
from harness.contract import ResponseContract
from harness.databases import MemoryDatabase, SchemaTemplate, ServerDatabase
from harness.fakes import FakeClock, FakeMailer, FakePaymentGateway
from harness.first_start import first_start
from harness.provider import charging_over_network
from harness.provider import network_provider as serve_network_provider
from harness.seeds import scenario_seed
from harness.settings import scenario_settings
from harness.stores import BASE_URL, Stores, running
from tools.fake_payment_provider import FakeProvider

# Session: one loop, one template, one app.


@pytest.fixture(scope="session")
def portal() -> Iterator[BlockingPortal]:
    """The session's event loop, in a thread; sync steps call into it."""
    with start_blocking_portal(backend="asyncio") as portal:
        yield portal


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The settings of the scenarios' store."""
    return scenario_settings()


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
    """One Faker for the process, seeded again for every scenario."""
    return Faker("en_US")


# Scenario: a fresh database, recorders, lifespan, client and seed.


@pytest.fixture
def fake(request: pytest.FixtureRequest, session_faker: Faker) -> Faker:
    """Faker, seeded from the scenario so that a failure replays exactly."""
    session_faker.seed_instance(scenario_seed(request.config, request.node.nodeid))
    session_faker.unique.clear()
    return session_faker


@pytest.fixture
def database(
    request: pytest.FixtureRequest,
    portal: BlockingPortal,
    store_template: SchemaTemplate,
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
    database = store_template.file_database(request.getfixturevalue("tmp_path"))
    try:
        yield database
    finally:
        portal.call(database.dispose)


@pytest.fixture
def mailer(session_mailer: FakeMailer) -> FakeMailer:
    """The fake mail server, its outbox emptied for this scenario."""
    session_mailer.reset()
    return session_mailer


@pytest.fixture
def payments(session_payments: FakePaymentGateway) -> FakePaymentGateway:
    """The fake payment provider, approving again and with an empty ledger."""
    session_payments.reset()
    return session_payments


@pytest.fixture
def clock(session_clock: FakeClock) -> FakeClock:
    """The scenario's clock, back at its start."""
    session_clock.reset()
    return session_clock


@pytest.fixture
def network_provider() -> Iterator[FakeProvider]:
    """The payment provider over the network, on a free port of 127.0.0.1."""
    with serve_network_provider() as provider:
        yield provider


@pytest.fixture
def service(
    request: pytest.FixtureRequest,
    portal: BlockingPortal,
    app: FastAPI,
    settings: Settings,
    database: Database,
    mailer: FakeMailer,
    clock: FakeClock,
    payments: FakePaymentGateway,
) -> Iterator[FastAPI]:
    """The store the scenario speaks to, its lifespan running on the scenario's database.

    A @network_provider scenario's store charges the provider over HTTP instead.
    """
    store = app
    if request.node.get_closest_marker("network_provider") is not None:
        provider: FakeProvider = request.getfixturevalue("network_provider")
        configured = charging_over_network(settings, provider)
        store = create_app(configured, database=database, mailer=mailer, clock=clock)
    store.state.database = database
    try:
        with portal.wrap_async_context_manager(running(store)):
            yield store
    finally:
        store.state.database = None
        store.dependency_overrides.clear()


@pytest.fixture
def api(portal: BlockingPortal, service: FastAPI, contract: ResponseContract) -> Iterator[Api]:
    """The steps' client, speaking HTTP to the store in process."""
    client = AsyncClient(transport=ASGITransport(app=service), base_url=BASE_URL)
    try:
        yield Api(portal=portal, client=client, contract=contract)
    finally:
        portal.call(client.aclose)


@pytest.fixture
def stores(
    portal: BlockingPortal,
    contract: ResponseContract,
    database: Database,
    mailer: FakeMailer,
    clock: FakeClock,
) -> Iterator[Stores]:
    """Further store instances a scenario starts, stopped when it ends."""
    started = Stores(portal, contract, database=database, mailer=mailer, clock=clock)
    yield started
    started.close()
