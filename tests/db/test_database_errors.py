"""A database error never carries the values a statement was bound to (emails, hashes)."""

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.db import Database

pytestmark = [pytest.mark.db, pytest.mark.asyncio]

SECRET = "$argon2id$v=19$m=19456,t=2,p=1$a-hash-that-must-never-be-logged"


async def test_a_failing_statement_hides_its_bound_values(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with database.session() as session:
        with pytest.raises(DBAPIError) as raised:
            await session.execute(
                text("INSERT INTO no_such_table (password_hash) VALUES (:hash)"), {"hash": SECRET}
            )
    logging.getLogger("test").error("database error", exc_info=raised.value)

    assert "no_such_table" in str(raised.value)
    assert SECRET not in str(raised.value)
    assert SECRET not in caplog.text
