"""More instances of the store, set up as an operator would, for scenarios about running it."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.clock import Clock
from app.core.config import Settings
from app.core.db import Database
from app.main import create_app
from app.notifications.ports import Mailer
from app.payments.ports import PaymentGateway
from harness.api import Api
from harness.contract import ResponseContract
from harness.fakes import FakeClock

BASE_URL = "http://storefront.test"


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[None]:
    """Run the app's lifespan; LifespanManager needs the running loop, so it is built here.

    A fake clock moved on wakes the store's outbox worker, on the store's loop, as a
    commit does: the worker need not poll to notice that a retry interval has passed.
    """
    async with LifespanManager(app):
        clock = app.state.clock
        if not isinstance(clock, FakeClock):
            yield
            return
        loop, worker = asyncio.get_running_loop(), app.state.outbox_worker

        def wake() -> None:
            loop.call_soon_threadsafe(worker.wake)

        unsubscribe = clock.on_advance(wake)
        try:
            yield
        finally:
            unsubscribe()


@dataclass
class RunningStore:
    """A store instance with its lifespan running, and a client for it."""

    app: FastAPI
    api: Api
    client: AsyncClient
    portal: BlockingPortal
    stack: ExitStack

    def raw(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send a request outside the API's contract (a browser's CORS preflight)."""
        return self.portal.call(lambda: self.client.request(method, path, **kwargs))

    def stop(self) -> None:
        """Close the client and run the end of the lifespan."""
        self.stack.close()


class Stores:
    """Starts store instances for one scenario and stops them all when it ends."""

    def __init__(
        self,
        portal: BlockingPortal,
        contract: ResponseContract,
        *,
        database: Callable[[], Database],
        mailer: Mailer | None = None,
        clock: Clock | None = None,
        payments: PaymentGateway | None = None,
    ) -> None:
        self._portal = portal
        self._contract = contract
        self._database = database
        self._mailer = mailer
        self._clock = clock
        self._payments = payments
        self._started: list[RunningStore] = []

    def beside(self, settings: Settings) -> RunningStore:
        """Start another instance of the scenario's store, on its database, mail, clock and
        payment provider.

        In process it shares the scenario's fakes; beside a running store it sends mail and
        charges as the settings say, as another replica would.
        """
        return self.start(
            settings,
            database=self._database(),
            mailer=self._mailer,
            clock=self._clock,
            payments=self._payments,
        )

    def start(
        self,
        settings: Settings,
        *,
        database: Database | None = None,
        mailer: Mailer | None = None,
        clock: Clock | None = None,
        payments: PaymentGateway | None = None,
    ) -> RunningStore:
        """Build the store from its settings, run its lifespan and open a client to it."""
        app = create_app(
            settings, database=database, mailer=mailer, clock=clock, payment_gateway=payments
        )
        stack = ExitStack()
        stack.enter_context(self._portal.wrap_async_context_manager(running(app)))
        client = AsyncClient(transport=ASGITransport(app=app), base_url=BASE_URL)
        stack.callback(self._portal.call, client.aclose)
        api = Api(portal=self._portal, client=client, contract=self._contract)
        store = RunningStore(app=app, api=api, client=client, portal=self._portal, stack=stack)
        self._started.append(store)
        return store

    def close(self) -> None:
        """Stop every store this scenario started, the last one first."""
        while self._started:
            self._started.pop().stop()
