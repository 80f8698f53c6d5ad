"""The scenario's fixtures: a fresh database, recorders emptied for it, a fresh run of the
app's lifespan, and a client.

The fakes are the store's ports, so the store depends on them: each is emptied when the
scenario first needs it, before the store starts, and a Then that asks for one later gets
the same recorder, holding what the scenario did."""

from collections.abc import Iterator

import pytest
from anyio.from_thread import BlockingPortal
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.config import Settings
from app.core.db import Database
from app.main import create_app
from harness.api import Api
from harness.contract import ResponseContract
from harness.databases import MemoryDatabase, SchemaTemplate, ServerDatabase
from harness.fakes import FakeClock, FakeMailer, FakePaymentGateway
from harness.plugin import SERVER_PROCESSES
from harness.ports import PaymentProvider, StoreServers
from harness.provider import HttpProvider, charging_over_network
from harness.stores import BASE_URL, Stores, running


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
def payments(
    request: pytest.FixtureRequest, session_payments: FakePaymentGateway
) -> PaymentProvider:
    """The payment provider, approving again and with an empty ledger: the fake in process,
    or, for a @network_provider scenario, the provider over HTTP."""
    if request.node.get_closest_marker("network_provider") is not None:
        provider: HttpProvider = request.getfixturevalue("network_provider")
        return provider
    session_payments.reset()
    return session_payments


@pytest.fixture
def clock(session_clock: FakeClock) -> FakeClock:
    """The scenario's clock, back at its start."""
    session_clock.reset()
    return session_clock


@pytest.fixture
def network_provider() -> Iterator[HttpProvider]:
    """The payment provider over the network, on a free port of 127.0.0.1."""
    provider = HttpProvider()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def service(
    request: pytest.FixtureRequest,
    portal: BlockingPortal,
    app: FastAPI,
    settings: Settings,
    database: Database,
    mailer: FakeMailer,
    clock: FakeClock,
    payments: PaymentProvider,
) -> Iterator[FastAPI]:
    """The store the scenario speaks to, its lifespan running on the scenario's database.

    A @network_provider scenario's store charges the provider over HTTP instead.
    """
    store = app
    if isinstance(payments, HttpProvider):
        configured = charging_over_network(settings, payments)
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
    payments: PaymentProvider,
) -> Iterator[Stores]:
    """Further store instances a scenario starts, stopped when it ends; those beside the
    scenario's store share its fakes, its payment provider in process included."""
    gateway = payments if isinstance(payments, FakePaymentGateway) else None
    started = Stores(
        portal,
        contract,
        database=lambda: database,
        mailer=mailer,
        clock=clock,
        payments=gateway,
    )
    yield started
    started.close()


@pytest.fixture
def store_servers() -> StoreServers:
    """In process there is no server process to kill: the scenario that needs one skips."""
    pytest.skip(SERVER_PROCESSES)
