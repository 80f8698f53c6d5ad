"""The migrations build exactly the schema the models describe, and can be undone."""

import re
import warnings
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.schema import CreateIndex

from app.core.db import make_engine
from app.core.migrations import alembic_config, upgrade
from app.models import metadata

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.asyncio(loop_scope="function")]


@pytest_asyncio.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on a new, empty SQLite file."""
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}")
    try:
        yield engine
    finally:
        await engine.dispose()


def _differences(connection: Connection) -> tuple[list[Any], list[str]]:
    """Compare the live schema with the models; return the differences and skipped indexes."""
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "target_metadata": metadata}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        differences = compare_metadata(context, metadata)
    skipped = sorted(
        {
            match.group(1)
            for warning in caught
            if (match := re.search(r"expression-based index '?(\w+)'?", str(warning.message)))
        }
    )
    return differences, skipped


def _normalized(ddl: str) -> str:
    return re.sub(r"\s+", " ", ddl.replace('"', "")).strip().lower()


def _index_ddl(connection: Connection) -> dict[str, str]:
    rows = connection.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    )
    return {name: _normalized(sql) for name, sql in rows}


def _model_index_ddl(connection: Connection) -> dict[str, str]:
    return {
        str(index.name): _normalized(str(CreateIndex(index).compile(dialect=connection.dialect)))
        for table in metadata.sorted_tables
        for index in table.indexes
    }


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _downgrade_to_base(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "base")


async def _assert_models_and_migrations_agree(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences, skipped = await connection.run_sync(_differences)
        live_indexes = await connection.run_sync(_index_ddl)
        model_indexes = await connection.run_sync(_model_index_ddl)
    assert differences == [], "models and migrations disagree; add a migration"
    # Alembic cannot compare on SQLite what SQLite cannot reflect: expression-based
    # indexes such as lower(username) are skipped with a warning, and the WHERE of a
    # partial index is never compared. So every index, these included, is also compared
    # by the DDL SQLite keeps for it against the DDL the models would emit.
    assert set(skipped) <= set(model_indexes), skipped
    assert live_indexes == model_indexes


async def test_the_migrations_build_what_the_models_describe(engine: AsyncEngine) -> None:
    await upgrade(engine)
    await _assert_models_and_migrations_agree(engine)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        revision = await connection.run_sync(_revision)
    assert tables == set(metadata.tables) | {"alembic_version"}
    assert revision == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_the_partial_unique_indexes_are_case_insensitive_and_skip_deleted_rows(
    engine: AsyncEngine,
) -> None:
    await upgrade(engine)
    async with engine.connect() as connection:
        indexes = await connection.run_sync(_index_ddl)
    assert "where deleted_at is null" in indexes["uq_user_email_active"]
    assert "lower(username)" in indexes["uq_user_username_active"]
    assert "where deleted_at is null" in indexes["uq_user_username_active"]


async def test_the_migrations_can_be_undone_and_done_again(engine: AsyncEngine) -> None:
    await upgrade(engine)
    async with engine.begin() as connection:
        await connection.run_sync(_downgrade_to_base)
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        revision = await connection.run_sync(_revision)
    assert tables <= {"alembic_version"}
    assert revision is None
    await upgrade(engine)
    await _assert_models_and_migrations_agree(engine)


async def test_upgrading_an_up_to_date_database_changes_nothing(engine: AsyncEngine) -> None:
    await upgrade(engine)
    async with engine.connect() as connection:
        before = await connection.run_sync(_index_ddl)
    await upgrade(engine)
    async with engine.connect() as connection:
        after = await connection.run_sync(_index_ddl)
        revision = await connection.run_sync(_revision)
    assert after == before
    assert revision == ScriptDirectory.from_config(alembic_config()).get_current_head()
