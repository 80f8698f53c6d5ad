"""A database that accepts connections and never answers: the health check still answers."""

import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.core.config import Settings
from app.health.router import HEALTH_TIMEOUT_SECONDS
from app.main import create_app
from harness.fakes import FakeMailer

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="function")]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port on the loopback whose server takes connections and says nothing."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


async def test_health_says_unavailable_in_time_when_the_database_stalls(
    silent_server: int,
) -> None:
    settings = Settings(
        _env_file=None,
        env="test",
        database_url=f"postgresql+asyncpg://user:secret@127.0.0.1:{silent_server}/store",
        auto_migrate=False,
        password_hash_profile="fast",
        email_poll_seconds=60,
    )
    app = create_app(settings, mailer=FakeMailer())
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://store") as client:
            started = time.monotonic()
            response = await client.get("/health")
            elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert elapsed < HEALTH_TIMEOUT_SECONDS + 1.0
