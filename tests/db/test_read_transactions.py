"""SQLite: a read-only session takes no write lock; every other one still begins with it."""

import asyncio

import pytest
from sqlalchemy import text

from app.core.db import Database, WriteInReadOnlyTransaction

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]

# Long enough for a transaction that waits for the write lock to show that it waits.
WAIT_SECONDS = 0.3


async def test_a_read_only_session_reads_while_a_writer_holds_the_lock(
    file_database: Database,
) -> None:
    async with file_database.session() as writer:
        await writer.execute(text("DELETE FROM login_failure"))  # holds the write lock
        async with file_database.session(read_only=True) as reader:
            count = await asyncio.wait_for(
                reader.scalar(text("SELECT count(*) FROM user")), WAIT_SECONDS
            )
        await writer.rollback()
    assert count is not None


async def test_a_session_that_may_write_waits_for_the_write_lock(
    file_database: Database,
) -> None:
    async with file_database.session() as writer:
        await writer.execute(text("DELETE FROM login_failure"))
        async with file_database.session() as second:
            waiting = asyncio.ensure_future(second.scalar(text("SELECT count(*) FROM user")))
            await asyncio.sleep(WAIT_SECONDS)
            assert not waiting.done(), "a read-then-write transaction began without the lock"
            await writer.rollback()
            assert await asyncio.wait_for(waiting, 10) is not None


async def test_a_read_only_session_may_not_write(file_database: Database) -> None:
    async with file_database.session(read_only=True) as reader:
        await reader.scalar(text("SELECT count(*) FROM user"))
        with pytest.raises(WriteInReadOnlyTransaction):
            await reader.execute(text("DELETE FROM login_failure"))
