"""Fixtures of the lower test layers: a fresh migrated database per test, and a session.

The databases are copies of the harness's migrated template (`schema_template` of
`harness.fixtures`), so every test starts from what the migrations build, at the cost
of a memory copy. Beyond it, these layers take only `harness.databases` and
`harness.fakes`: none of the scenario's service, client or steps. Each test runs on
its own event loop (pytest-asyncio, function scope), so each gets its own engine,
disposed when it ends.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import Database
from harness.databases import SchemaTemplate
from harness.fakes import FakeClock, FakeMailer


@pytest.fixture
def clock() -> FakeClock:
    """A clock that stands still until the test moves it on."""
    return FakeClock()


@pytest.fixture
def mailer() -> FakeMailer:
    """A fake mail server that keeps what it is sent."""
    return FakeMailer()


@pytest_asyncio.fixture
async def database(schema_template: SchemaTemplate) -> AsyncIterator[Database]:
    """A migrated in-memory database no other test has touched (one connection)."""
    db = schema_template.memory_database()
    try:
        yield db
    finally:
        await db.dispose()


@pytest_asyncio.fixture
async def file_database(schema_template: SchemaTemplate, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database in its own file, for tests that need several connections at once."""
    db = schema_template.file_database(tmp_path)
    try:
        yield db
    finally:
        await db.dispose()


@pytest_asyncio.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    """A session on the test's database; what it did not commit is rolled back."""
    async with database.session() as db_session:
        yield db_session
