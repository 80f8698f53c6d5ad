"""A database that accepts connections and never answers: the health check still answers."""

import asyncio
import os
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.config import Settings
from app.core.db import Database
from app.health.router import HEALTH_TIMEOUT_SECONDS
from app.main import create_app
from harness.fakes import FakeMailer

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="function")]

SERVER_URL = os.environ.get("STOREFRONT_TEST_DATABASE_URL")


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port on the loopback whose server takes connections and says nothing."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def _store_on(silent_server: int, **values: Any) -> FastAPI:
    """A store whose PostgreSQL server accepts connections and never answers."""
    settings = Settings(
        _env_file=None,
        env="test",
        database_url=f"postgresql+asyncpg://user:secret@127.0.0.1:{silent_server}/store",
        auto_migrate=False,
        password_hash_profile="fast",
        email_poll_seconds=60,
        **values,
    )
    return create_app(settings, mailer=FakeMailer())


async def test_health_says_unavailable_in_time_when_the_database_stalls(
    silent_server: int,
) -> None:
    app = _store_on(silent_server)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://store") as client:
            started = time.monotonic()
            response = await client.get("/health")
            elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert elapsed < HEALTH_TIMEOUT_SECONDS + 1.0


async def test_an_api_route_answers_the_generic_500_in_time_when_the_database_stalls(
    silent_server: int,
) -> None:
    app = _store_on(silent_server, database_connect_timeout_seconds=1)
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://store") as client:
            started = time.monotonic()
            async with asyncio.timeout(10):
                response = await client.get("/api/v1/products")
            elapsed = time.monotonic() - started

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error"}
    assert elapsed < 1 + 1.0


async def test_a_statement_is_bounded_on_postgresql() -> None:
    if not SERVER_URL:
        pytest.skip("needs STOREFRONT_TEST_DATABASE_URL (bash scripts/postgres.sh)")
    settings = Settings(
        _env_file=None, database_url=SERVER_URL, database_statement_timeout_seconds=0.5
    )
    database = Database.from_settings(settings)
    try:
        started = time.monotonic()
        with pytest.raises(DBAPIError, match="statement timeout"):
            async with database.session() as session:
                await session.execute(text("SELECT pg_sleep(5)"))
        assert time.monotonic() - started < 2
        async with database.session() as session:  # and the next statement runs
            assert await session.scalar(text("SELECT 1")) == 1
    finally:
        await database.dispose()
