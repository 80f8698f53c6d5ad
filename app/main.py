"""The application factory: `create_app(settings)`; `uvicorn app.main:app` serves the default."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from app.auth.router import router as auth_router
from app.core.clock import Clock, SystemClock
from app.core.config import Settings
from app.core.db import Database
from app.core.errors import Conflict, install_error_handlers
from app.core.logging import configure_logging
from app.core.middleware import RequestContextMiddleware
from app.core.responses import common_responses, validation_responses
from app.core.security import Passwords, Tokens
from app.health.router import router as health_router
from app.notifications.adapters import mailer_from_settings
from app.notifications.outbox import OutboxWorker
from app.notifications.ports import Mailer
from app.orders.router import router as orders_router
from app.payments.adapters import gateway_from_settings
from app.payments.ports import PaymentGateway
from app.payments.resolution import PaymentReconciler
from app.payments.router import router as payments_router
from app.products.router import router as products_router
from app.users.router import router as users_router
from app.users.service import ensure_admin

logger = logging.getLogger("app")
API_PREFIX = "/api/v1"
# A delivery under way may take this long to finish when the service stops.
WORKER_STOP_SECONDS = 15


async def _ensure_configured_admin(app: FastAPI, database: Database) -> None:
    settings: Settings = app.state.settings
    if not (settings.admin_email and settings.admin_password):
        return
    async with database.session() as session:
        try:
            await ensure_admin(
                session=session,
                email=settings.admin_email,
                username=settings.admin_username,
                password=settings.admin_password.get_secret_value(),
                passwords=app.state.passwords,
                clock=app.state.clock,
            )
        except Conflict as refusal:
            logger.error("The configured admin was not ensured: %s", refusal.detail)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the database, migrate it, ensure the admin, and run the outbox worker."""
    settings: Settings = app.state.settings
    owns_database = app.state.database is None
    database: Database = app.state.database or Database.from_settings(settings)
    app.state.database = database
    worker = OutboxWorker(
        database=database,
        mailer=app.state.mailer,
        clock=app.state.clock,
        retry_seconds=settings.email_retry_seconds,
        poll_seconds=min(settings.email_poll_seconds, settings.email_retry_seconds),
        send_timeout_seconds=settings.email_send_timeout_seconds,
    )
    unsubscribe = database.on_commit(worker.wake)
    # What else may wake it: a test's clock moved on past a retry interval.
    app.state.outbox_worker = worker
    reconciler = PaymentReconciler(
        database=database,
        gateway=app.state.payment_gateway,
        clock=app.state.clock,
        interval_seconds=settings.payment_reconcile_seconds,
    )
    task: asyncio.Task[None] | None = None
    settling: asyncio.Task[None] | None = None
    try:
        if settings.auto_migrate:
            # Alembic is imported only by a store that migrates at start-up (0.35 s).
            from app.core.migrations import upgrade

            await upgrade(database.engine)
        await _ensure_configured_admin(app, database)
        task = asyncio.create_task(worker.run(), name="outbox-worker")
        settling = asyncio.create_task(reconciler.run(), name="payment-reconciler")
        yield
    finally:
        if settling is not None:
            reconciler.stop()
            await asyncio.wait([settling], timeout=WORKER_STOP_SECONDS)
        if task is not None:
            worker.stop()
            try:
                await asyncio.wait_for(task, timeout=WORKER_STOP_SECONDS)
            except TimeoutError:
                logger.warning("The outbox worker did not stop in time; it was cancelled")
        unsubscribe()
        if owns_database:
            await database.dispose()
            app.state.database = None


def operation_id(route: APIRoute) -> str:
    """A route's OpenAPI operation id: its function's name (`create_order`), short and stable."""
    return route.name


def create_app(
    settings: Settings | None = None,
    *,
    database: Database | None = None,
    mailer: Mailer | None = None,
    clock: Clock | None = None,
    payment_gateway: PaymentGateway | None = None,
) -> FastAPI:
    """Build the service; each port defaults to the adapter the settings name."""
    settings = settings or Settings()
    docs = settings.serves_api_docs
    app = FastAPI(
        title="Storefront",
        version="1.0.0",
        summary="Accounts, a catalogue, orders with stock, and payments.",
        lifespan=lifespan,
        responses=common_responses(),
        generate_unique_id_function=operation_id,
        # A path is served as documented, or not at all: `/products/` is a 404, never a
        # redirect that a client would follow with its pass to an undocumented address.
        redirect_slashes=False,
        # SEC-07: a production store publishes its API's map only when told to.
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.clock = clock or SystemClock()
    app.state.mailer = mailer or mailer_from_settings(settings)
    app.state.payment_gateway = payment_gateway or gateway_from_settings(settings)
    app.state.passwords = Passwords(
        settings.password_hash_profile, concurrency=settings.password_hash_concurrency
    )
    app.state.tokens = Tokens(settings, app.state.clock)

    install_error_handlers(app)
    app.include_router(health_router)
    for router in (auth_router, users_router, products_router, orders_router, payments_router):
        app.include_router(router, prefix=API_PREFIX, responses=validation_responses())
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "Retry-After"],
        )
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_header_bytes=settings.max_header_bytes,
        body_timeout_seconds=settings.body_timeout_seconds,
    )
    return app


@cache
def _default_app() -> FastAPI:
    configure_logging()
    return create_app()


def __getattr__(name: str) -> FastAPI:
    # `app` is built on first use, so importing this module builds nothing.
    if name == "app":
        return _default_app()
    raise AttributeError(name)
