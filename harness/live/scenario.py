"""The scenario's fixtures against a store in processes of its own (--live-server, --base-url).

They are the same fixtures as `harness.scenario`'s, by name and by what they record, so
that steps never know which they have: `api` speaks HTTP over the network, `mailer` is
the real SMTP sink, `payments` the provider over HTTP, `clock` the wall clock. What a
deployment cannot give (the sink or provider it was not pointed at, its database) skips
the scenario that asks for it, saying why.
"""

from collections.abc import Iterator
from typing import TypeVar

import pytest
from anyio.from_thread import BlockingPortal
from httpx import AsyncClient

from app.core.db import Database
from harness.api import Api
from harness.contract import ResponseContract
from harness.live.clock import WallClock
from harness.live.deployment import Deployment, deployed
from harness.live.transport import RoundRobin
from harness.mailserver import MailServer
from harness.plugin import SERVER_PROCESSES
from harness.provider import HttpProvider
from harness.stores import Stores
from harness.target import TARGET_KEY

NO_SINK = (
    "reads the store's mail: start the deployment with APP_EMAIL_BACKEND=smtp to the "
    "suite's sink, and give its port as --mail-sink-port"
)
NO_PROVIDER = (
    "steers or reads the payment provider: start the deployment with APP_PAYMENT_BACKEND=http "
    "to the suite's provider, and give its port as --provider-port"
)
NO_DATABASE = "works in the store's database, which a deployment keeps out of the suite's reach"
REQUEST_SECONDS = 30.0
T = TypeVar("T")


def at_hand(part: T | None, missing: str) -> T:
    """Return a part of the deployment, or skip the scenario that needs it, saying why."""
    if part is None:
        pytest.skip(missing)
    return part


@pytest.fixture(scope="session")
def deployment(request: pytest.FixtureRequest, portal: BlockingPortal) -> Iterator[Deployment]:
    """The running store, started by the suite for --live-server, and its sink and provider."""
    with deployed(request.config.stash[TARGET_KEY], portal) as running:
        yield running


@pytest.fixture
def fresh_store(portal: BlockingPortal, deployment: Deployment) -> Deployment:
    """The store emptied for this scenario, with its mailbox and provider reset."""
    deployment.start_scenario(portal)
    return deployment


@pytest.fixture
def api(
    portal: BlockingPortal, fresh_store: Deployment, contract: ResponseContract
) -> Iterator[Api]:
    """The steps' client, speaking HTTP over the network, to each replica in turn."""
    origins = fresh_store.target.origins
    client = AsyncClient(
        transport=RoundRobin(origins), base_url=origins[0], timeout=REQUEST_SECONDS
    )
    try:
        yield Api(portal=portal, client=client, contract=contract)
    finally:
        portal.call(client.aclose)


@pytest.fixture
def mailer(fresh_store: Deployment) -> MailServer:
    """The SMTP sink the store delivers to."""
    return at_hand(fresh_store.sink, NO_SINK)


@pytest.fixture
def payments(fresh_store: Deployment) -> HttpProvider:
    """The payment provider the store charges over HTTP."""
    return at_hand(fresh_store.provider, NO_PROVIDER)


@pytest.fixture
def store_servers(fresh_store: Deployment) -> Deployment:
    """The store's server processes, which the suite started and may kill (--live-server)."""
    return at_hand(fresh_store if fresh_store.servers else None, SERVER_PROCESSES)


@pytest.fixture
def clock() -> WallClock:
    """The wall clock the running store lives in."""
    return WallClock()


@pytest.fixture
def database(fresh_store: Deployment) -> Database:
    """The running store's database, for the suite's own look inside."""
    return at_hand(fresh_store.database, NO_DATABASE)


@pytest.fixture
def stores(
    request: pytest.FixtureRequest,
    portal: BlockingPortal,
    contract: ResponseContract,
) -> Iterator[Stores]:
    """Further store instances a scenario starts in process; those beside the running store
    share its database, and send mail and charge as its settings say."""
    started = Stores(portal, contract, database=lambda: request.getfixturevalue("database"))
    yield started
    started.close()
