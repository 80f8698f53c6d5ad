"""The harness's scenario databases: each scenario starts from the migrated template."""

import pytest
from sqlalchemy import func, select, text

from app.core.db import Database
from app.users.models import User
from harness.databases import SchemaTemplate

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]


async def add_user(database: Database, name: str) -> None:
    async with database.session() as session:
        session.add(User(email=f"{name}@example.com", username=name, password_hash="x"))
        await session.commit()


async def count_users(database: Database) -> int:
    async with database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def test_a_reset_puts_the_template_back_in_the_same_connection(
    schema_template: SchemaTemplate,
) -> None:
    database = schema_template.memory_database()
    try:
        await add_user(database, "alice")
        assert await count_users(database) == 1
        await database.reset()
        assert await count_users(database) == 0
        assert database.copies == 2, "the first connection and the reset each copy the template"
        async with database.session() as session:
            assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await database.dispose()


async def test_a_busy_connection_is_thrown_away_rather_than_reset(
    schema_template: SchemaTemplate,
) -> None:
    database = schema_template.memory_database()
    try:
        await add_user(database, "alice")
        async with database.session() as session:
            await session.execute(text("SELECT 1"))  # a transaction is open
            await database.reset()
        assert await count_users(database) == 0
    finally:
        await database.dispose()


async def test_two_copies_never_share_data(schema_template: SchemaTemplate) -> None:
    first, second = schema_template.memory_database(), schema_template.memory_database()
    try:
        await add_user(first, "alice")
        assert (await count_users(first), await count_users(second)) == (1, 0)
    finally:
        await first.dispose()
        await second.dispose()
