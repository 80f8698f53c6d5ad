"""The seed's naive harness, for the benchmark only: what the real harness is measured against.

Registered by `bench.suite_plugin` when `STOREFRONT_BENCH_NAIVE=1`, after the harness's
fixtures, so that these two win:

- `settings`: the scenario settings, but hashing passwords with the production profile;
- `database`: a new engine per scenario, `metadata.create_all` on it, the store's first
  start (its admin and welcome email, as the template holds them), and `drop_all` at the
  end: no template, no copy.

Nothing else changes, so the difference is the harness's and nothing but it.
"""

from collections.abc import Iterator

import pytest
from anyio.from_thread import BlockingPortal
from sqlalchemy.pool import AsyncAdaptedQueuePool

from app.core.config import Settings
from app.core.db import Database, make_engine
from app.models import metadata
from harness.first_start import first_start
from harness.settings import scenario_settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The scenario settings with production hashing (Argon2id at the OWASP minimum)."""
    return scenario_settings().model_copy(update={"password_hash_profile": "owasp"})


async def _create_all(url: str, pool_size: int, settings: Settings) -> Database:
    engine = make_engine(
        url, poolclass=AsyncAdaptedQueuePool, pool_size=pool_size, max_overflow=0, connect_args={}
    )
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    database = Database(engine)
    await first_start(database, settings)
    return database


async def _drop_all(database: Database) -> None:
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.drop_all)
    await database.dispose()


@pytest.fixture
def database(
    request: pytest.FixtureRequest, portal: BlockingPortal, settings: Settings
) -> Iterator[Database]:
    """A database made with create_all for this scenario alone, dropped after it."""
    if request.node.get_closest_marker("concurrent") is None:
        # One in-memory database on one connection, taken in turns.
        url, pool_size = "sqlite+aiosqlite://", 1
    else:
        path = request.getfixturevalue("tmp_path") / "naive.db"
        url, pool_size = f"sqlite+aiosqlite:///{path}", 20
    database = portal.call(_create_all, url, pool_size, settings)
    try:
        yield database
    finally:
        portal.call(_drop_all, database)
